//! Strikes: shelling, missiles, bombs and drones hitting civilians and civilian or specially
//! protected objects — the bulk of recorded incidents.

use dokaz_model::{Crime::*, IncidentType, ProtectedObject::*, Weapon::*};

use super::{Scenario, Toll, STRIKE};

pub(super) const SCENARIOS: &[Scenario] = &[
    Scenario {
        key: "residential-shelling",
        weight: 18.0,
        crimes: &[WcAttackingCivilians, WcAttackingCivilianObjects, UaLawsOfWar],
        maybe_crimes: &[WcExcessiveIncidentalHarm],
        weapons: &[Artillery, Artillery, Mlrs, Mortar, ClusterMunition, Incendiary],
        objects: &[Residential, ApartmentBuilding],
        killed: Toll { p: 0.45, mean: 2.0, max: 30 },
        injured: Toll { p: 0.7, mean: 3.5, max: 80 },
        title: ["Обстріл житлового сектору", "Обстрел жилого сектора", "Shelling of a residential area"],
        what: [
            "Збройні сили РФ здійснили обстріл житлової забудови, де не було військових об’єктів",
            "Вооружённые силы РФ обстреляли жилую застройку, где не было военных объектов",
            "Russian armed forces shelled a residential area with no military objects nearby",
        ],
        ..STRIKE
    },
    Scenario {
        key: "hospital-strike",
        weight: 3.0,
        crimes: &[WcAttackingProtectedObjects, WcAttackingCivilians, UaLawsOfWar],
        maybe_crimes: &[WcExcessiveIncidentalHarm],
        weapons: &[Artillery, Mlrs, CruiseMissile, BallisticMissile, AirDroppedBomb],
        objects: &[Hospital, Hospital, MaternityWard],
        killed: Toll { p: 0.3, mean: 2.0, max: 20 },
        injured: Toll { p: 0.6, mean: 4.0, max: 60 },
        children: 0.15,
        men: 0.4,
        title: ["Удар по лікарні", "Удар по больнице", "Strike on a hospital"],
        what: [
            "Удару завдано по закладу охорони здоров’я, позначеному як медичний, під час прийому пацієнтів",
            "Удар нанесён по учреждению здравоохранения, обозначенному как медицинское, во время приёма пациентов",
            "A medical facility, marked as such, was struck while patients were being treated",
        ],
        ..STRIKE
    },
    Scenario {
        key: "school-strike",
        weight: 3.0,
        crimes: &[WcAttackingProtectedObjects, WcAttackingCivilianObjects, UaLawsOfWar],
        weapons: &[Artillery, Mlrs, CruiseMissile, AirDroppedBomb, LoiteringMunition],
        objects: &[School, School, Kindergarten, Playground],
        killed: Toll { p: 0.2, mean: 1.5, max: 10 },
        injured: Toll { p: 0.4, mean: 2.5, max: 30 },
        children: 0.4,
        title: ["Руйнування закладу освіти", "Разрушение учебного заведения", "Strike on an educational facility"],
        what: [
            "Внаслідок удару зруйновано та пошкоджено будівлю закладу освіти",
            "В результате удара разрушено и повреждено здание учебного заведения",
            "The strike destroyed and damaged an educational building",
        ],
        ..STRIKE
    },
    Scenario {
        key: "energy-strike",
        weight: 7.0,
        crimes: &[WcAttackingCivilianObjects, UaLawsOfWar],
        maybe_crimes: &[WcExcessiveIncidentalHarm, CahOtherInhumaneActs],
        weapons: &[CruiseMissile, CruiseMissile, BallisticMissile, LoiteringMunition],
        objects: &[PowerFacility, PowerFacility, GasFacility, WaterFacility],
        killed: Toll { p: 0.15, mean: 1.0, max: 5 },
        injured: Toll { p: 0.3, mean: 1.5, max: 10 },
        men: 0.7,
        title: ["Масований удар по енергетичній інфраструктурі", "Массированный удар по энергетической инфраструктуре", "Massive strike on energy infrastructure"],
        what: [
            "Під час масованої атаки уражено об’єкт критичної інфраструктури; населення залишилося без світла, тепла і води",
            "Во время массированной атаки поражён объект критической инфраструктуры; население осталось без света, тепла и воды",
            "A critical infrastructure site was hit in a massive attack, leaving the population without power, heating and water",
        ],
        ..STRIKE
    },
    Scenario {
        key: "missile-city",
        weight: 8.0,
        crimes: &[WcAttackingCivilians, WcAttackingCivilianObjects, UaLawsOfWar],
        maybe_crimes: &[CahMurder, WcExcessiveIncidentalHarm],
        weapons: &[BallisticMissile, CruiseMissile, CruiseMissile],
        objects: &[ApartmentBuilding, ApartmentBuilding, Market, Transport],
        killed: Toll { p: 0.55, mean: 4.0, max: 60 },
        injured: Toll { p: 0.8, mean: 8.0, max: 150 },
        title: ["Ракетний удар по місту", "Ракетный удар по городу", "Missile strike on a city"],
        what: [
            "Ракетний удар влучив у густонаселений район міста вдень",
            "Ракетный удар пришёлся на густонаселённый район города днём",
            "A missile hit a densely populated part of the city in daytime",
        ],
        ..STRIKE
    },
    Scenario {
        key: "glide-bomb",
        weight: 7.0,
        crimes: &[WcAttackingCivilians, WcAttackingCivilianObjects, WcExcessiveIncidentalHarm, UaLawsOfWar],
        weapons: &[AirDroppedBomb],
        objects: &[ApartmentBuilding, Residential, Market, CulturalHeritage],
        killed: Toll { p: 0.5, mean: 3.0, max: 40 },
        injured: Toll { p: 0.8, mean: 6.0, max: 90 },
        title: ["Авіаудар керованою авіабомбою", "Авиаудар управляемой авиабомбой", "Glide bomb airstrike"],
        what: [
            "Літак ВКС РФ скинув керовану авіабомбу на житловий квартал",
            "Самолёт ВКС РФ сбросил управляемую авиабомбу на жилой квартал",
            "A Russian aircraft dropped a guided glide bomb on a residential block",
        ],
        ..STRIKE
    },
    Scenario {
        key: "drone-civilians",
        weight: 8.0,
        crimes: &[WcAttackingCivilians, UaLawsOfWar],
        maybe_crimes: &[CahMurder, WcWilfulKilling],
        weapons: &[Drone, Drone, LoiteringMunition],
        objects: &[Transport, Residential, Market],
        killed: Toll { p: 0.35, mean: 0.8, max: 5 },
        injured: Toll { p: 0.85, mean: 1.2, max: 10 },
        men: 0.6,
        title: ["Атака дрона на цивільних", "Атака дрона на гражданских", "Drone attack on civilians"],
        what: [
            "Оператор дрона цілеспрямовано атакував цивільних осіб, які пересувалися вулицею",
            "Оператор дрона целенаправленно атаковал гражданских лиц, передвигавшихся по улице",
            "A drone operator deliberately targeted civilians moving along a street",
        ],
        ..STRIKE
    },
    Scenario {
        key: "heritage-strike",
        weight: 1.5,
        crimes: &[WcAttackingProtectedObjects, UaLawsOfWar],
        maybe_crimes: &[WcDestructionOfProperty],
        weapons: &[Artillery, CruiseMissile, AirDroppedBomb, Mlrs],
        objects: &[ReligiousSite, ReligiousSite, CulturalHeritage],
        killed: Toll { p: 0.1, mean: 1.0, max: 5 },
        injured: Toll { p: 0.25, mean: 1.5, max: 10 },
        title: ["Пошкодження культурної та релігійної спадщини", "Повреждение культурного и религиозного наследия", "Damage to religious and cultural heritage"],
        what: [
            "Зруйновано об’єкт, що має релігійне та історичне значення для громади",
            "Разрушен объект, имеющий религиозное и историческое значение для общины",
            "A site of religious and historic significance to the community was destroyed",
        ],
        ..STRIKE
    },
    Scenario {
        key: "grain-strike",
        weight: 1.5,
        crimes: &[WcAttackingCivilianObjects, UaLawsOfWar],
        maybe_crimes: &[WcStarvation],
        weapons: &[CruiseMissile, BallisticMissile, LoiteringMunition],
        objects: &[GrainSilo],
        killed: Toll { p: 0.1, mean: 1.0, max: 4 },
        injured: Toll { p: 0.3, mean: 1.5, max: 12 },
        men: 0.8,
        title: ["Удар по зерновій інфраструктурі", "Удар по зерновой инфраструктуре", "Strike on grain infrastructure"],
        what: [
            "Знищено зерно, призначене для експорту та продовольчого забезпечення",
            "Уничтожено зерно, предназначенное для экспорта и продовольственного обеспечения",
            "Grain stored for export and food supply was destroyed",
        ],
        ..STRIKE
    },
    Scenario {
        key: "convoy-attack",
        weight: 1.0,
        crimes: &[WcAttackingCivilians, WcWilfulKilling, UaLawsOfWar],
        weapons: &[SmallArms, Artillery, ArmouredVehicle, Mortar],
        objects: &[HumanitarianCorridor],
        killed: Toll { p: 0.6, mean: 3.0, max: 25 },
        injured: Toll { p: 0.7, mean: 4.0, max: 40 },
        children: 0.2,
        men: 0.4,
        title: ["Обстріл евакуаційної колони", "Обстрел эвакуационной колонны", "Attack on an evacuation convoy"],
        what: [
            "Колону цивільних автомобілів з позначками «Діти» обстріляли під час евакуації",
            "Колонну гражданских автомобилей с надписями «Дети» обстреляли во время эвакуации",
            "A convoy of civilian cars marked \"Children\" came under fire during an evacuation",
        ],
        ..STRIKE
    },
    Scenario {
        key: "shelter-bombing",
        weight: 0.5,
        crimes: &[WcAttackingCivilians, WcAttackingProtectedObjects, CahMurder, UaLawsOfWar],
        weapons: &[AirDroppedBomb],
        objects: &[Shelter, CulturalHeritage],
        killed: Toll { p: 0.9, mean: 20.0, max: 600 },
        injured: Toll { p: 0.8, mean: 20.0, max: 300 },
        children: 0.2,
        men: 0.4,
        title: ["Бомбардування укриття", "Бомбардировка укрытия", "Bombing of a civilian shelter"],
        what: [
            "Бомба влучила в будівлю, де ховалися сотні цивільних; біля будівлі було написано «Діти»",
            "Бомба попала в здание, где укрывались сотни гражданских; возле здания было написано «Дети»",
            "A bomb hit a building sheltering hundreds of civilians, with \"Children\" written outside",
        ],
        ..STRIKE
    },
    Scenario {
        key: "siege",
        weight: 0.5,
        types: &[IncidentType::Siege, IncidentType::Shelling],
        crimes: &[WcStarvation, CahOtherInhumaneActs, UaLawsOfWar],
        maybe_crimes: &[CahExtermination],
        weapons: &[Artillery, AirDroppedBomb, Mlrs],
        objects: &[WaterFacility, PowerFacility, HumanitarianCorridor],
        killed: Toll { p: 0.5, mean: 5.0, max: 100 },
        injured: Toll { p: 0.4, mean: 5.0, max: 80 },
        children: 0.1,
        men: 0.4,
        title: ["Облога та позбавлення населення життєво необхідного", "Осада и лишение населения жизненно необходимого", "Siege and deprivation of civilians"],
        what: [
            "Місто відрізали від води, їжі та ліків, а гуманітарні коридори обстрілювали",
            "Город отрезали от воды, еды и лекарств, а гуманитарные коридоры обстреливали",
            "The town was cut off from water, food and medicine, and humanitarian corridors were shelled",
        ],
        ..STRIKE
    },
];
