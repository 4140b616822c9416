//! Means and methods of attack seen in the reports.

use super::code::vocabulary;

vocabulary! {
    /// A weapon or means of attack.
    Weapon, "weapon", "weapon:" {
        ClusterMunition = "cluster-munition", "Cluster munition";
        BallisticMissile = "ballistic-missile", "Ballistic missile";
        CruiseMissile = "cruise-missile", "Cruise missile";
        Mlrs = "mlrs", "Multiple-launch rocket system";
        Artillery = "artillery", "Artillery";
        Mortar = "mortar", "Mortar";
        AirDroppedBomb = "air-dropped-bomb", "Air-dropped bomb (incl. guided glide bombs)";
        LoiteringMunition = "loitering-munition", "Loitering munition (e.g. Shahed)";
        Drone = "drone", "Armed drone (incl. FPV)";
        SmallArms = "small-arms", "Small arms";
        Landmine = "landmine", "Landmine";
        Incendiary = "incendiary", "Incendiary weapon";
        ArmouredVehicle = "armoured-vehicle", "Tank or armoured vehicle fire";
        Chemical = "chemical", "Chemical agent";
        Unknown = "unknown", "Unknown";
    }
}
