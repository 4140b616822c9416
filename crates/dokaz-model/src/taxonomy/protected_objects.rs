//! Objects that international humanitarian law protects, as they appear in the reports.

use super::code::vocabulary;

vocabulary! {
    /// A protected or civilian object hit in an incident.
    ProtectedObject, "protected object", "object:" {
        Hospital = "hospital", "Hospital or medical facility";
        MaternityWard = "maternity-ward", "Maternity ward";
        School = "school", "School";
        Kindergarten = "kindergarten", "Kindergarten";
        Playground = "playground", "Playground";
        ApartmentBuilding = "apartment-building", "Apartment building";
        Residential = "residential", "Private house or residential area";
        ReligiousSite = "religious-site", "Religious site";
        CulturalHeritage = "cultural-heritage", "Cultural heritage";
        GrainSilo = "grain-silo", "Grain silo or food storage";
        WaterFacility = "water-facility", "Water facility";
        GasFacility = "gas-facility", "Gas facility";
        PowerFacility = "power-facility", "Power facility";
        Shelter = "shelter", "Shelter";
        HumanitarianCorridor = "humanitarian-corridor", "Humanitarian corridor or convoy";
        Market = "market", "Market or shop";
        Transport = "transport", "Civilian transport (station, train, bus)";
    }
}
