//! Words for weapons and objects in the three languages narratives are written in. The model's
//! labels are English; Ukrainian and Russian investigators name the same things their own way.

use dokaz_model::{ProtectedObject, Weapon};

/// The weapon as a narrative names it (nominative, lower case).
pub(crate) fn weapon(w: Weapon, lang: &str) -> &'static str {
    use Weapon::*;
    let [uk, ru, en] = match w {
        ClusterMunition => [
            "касетні боєприпаси",
            "кассетные боеприпасы",
            "cluster munitions",
        ],
        BallisticMissile => [
            "балістична ракета",
            "баллистическая ракета",
            "a ballistic missile",
        ],
        CruiseMissile => ["крилата ракета", "крылатая ракета", "a cruise missile"],
        Mlrs => ["РСЗВ «Град»", "РСЗО «Град»", "Grad MLRS"],
        Artillery => [
            "ствольна артилерія",
            "ствольная артиллерия",
            "tube artillery",
        ],
        Mortar => ["міномет", "миномёт", "mortars"],
        AirDroppedBomb => [
            "керована авіабомба (КАБ)",
            "управляемая авиабомба (КАБ)",
            "a guided glide bomb (KAB)",
        ],
        LoiteringMunition => [
            "ударний БпЛА типу «Шахед»",
            "ударный БПЛА типа «Шахед»",
            "a Shahed-type loitering munition",
        ],
        Drone => ["FPV-дрон", "FPV-дрон", "an FPV drone"],
        SmallArms => ["стрілецька зброя", "стрелковое оружие", "small arms"],
        Landmine => [
            "протипіхотна міна",
            "противопехотная мина",
            "an anti-personnel landmine",
        ],
        Incendiary => [
            "запалювальні боєприпаси",
            "зажигательные боеприпасы",
            "incendiary munitions",
        ],
        ArmouredVehicle => ["вогонь танка", "огонь танка", "tank fire"],
        Chemical => [
            "хімічна речовина",
            "химическое вещество",
            "a chemical agent",
        ],
        Unknown => [
            "невстановлений засіб ураження",
            "неустановленное средство поражения",
            "an unidentified weapon",
        ],
    };
    pick(lang, uk, ru, en)
}

/// The object hit, as a narrative names it.
pub(crate) fn object(o: ProtectedObject, lang: &str) -> &'static str {
    use ProtectedObject::*;
    let [uk, ru, en] = match o {
        Hospital => ["лікарня", "больница", "a hospital"],
        MaternityWard => ["пологовий будинок", "роддом", "a maternity ward"],
        School => ["школа", "школа", "a school"],
        Kindergarten => ["дитячий садок", "детский сад", "a kindergarten"],
        Playground => ["дитячий майданчик", "детская площадка", "a playground"],
        ApartmentBuilding => [
            "багатоповерховий житловий будинок",
            "многоэтажный жилой дом",
            "an apartment building",
        ],
        Residential => [
            "приватний житловий сектор",
            "частный жилой сектор",
            "private houses",
        ],
        ReligiousSite => ["церква", "церковь", "a church"],
        CulturalHeritage => [
            "пам’ятка культурної спадщини",
            "памятник культурного наследия",
            "a cultural heritage site",
        ],
        GrainSilo => ["зерносховище", "зернохранилище", "a grain silo"],
        WaterFacility => [
            "насосна станція водопостачання",
            "насосная станция водоснабжения",
            "a water pumping station",
        ],
        GasFacility => [
            "газорозподільна станція",
            "газораспределительная станция",
            "a gas distribution station",
        ],
        PowerFacility => [
            "електропідстанція",
            "электроподстанция",
            "an electrical substation",
        ],
        Shelter => ["укриття", "укрытие", "a shelter"],
        HumanitarianCorridor => [
            "евакуаційна колона",
            "эвакуационная колонна",
            "an evacuation convoy",
        ],
        Market => ["ринок", "рынок", "a market"],
        Transport => ["рейсовий автобус", "рейсовый автобус", "a passenger bus"],
    };
    pick(lang, uk, ru, en)
}

pub(crate) fn pick<'a>(lang: &str, uk: &'a str, ru: &'a str, en: &'a str) -> &'a str {
    match lang {
        "uk" => uk,
        "ru" => ru,
        _ => en,
    }
}
