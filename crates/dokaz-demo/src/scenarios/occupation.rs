//! Crimes of occupation: killings, executions, torture, filtration, deportation of children and
//! adults, disappearances, sexual violence, pillage, hostage-taking, forced conscription.

use dokaz_model::{Crime::*, IncidentType::*, PersonRole, ProtectedObject::*, Weapon::*};

use super::{Scenario, Toll, NONE, OCCUPATION};
use crate::units::Branch;

const SECURITY: &[Branch] = &[Branch::Security, Branch::Security, Branch::Ground];

pub(super) const SCENARIOS: &[Scenario] = &[
    Scenario {
        key: "killing",
        weight: 7.0,
        types: &[Killing],
        crimes: &[WcWilfulKilling, CahMurder, UaLawsOfWar],
        maybe_crimes: &[WcTorture],
        weapons: &[SmallArms],
        killed: Toll { p: 1.0, mean: 1.5, max: 30 },
        injured: Toll { p: 0.2, mean: 0.5, max: 5 },
        title: ["Умисне вбивство цивільних", "Умышленное убийство гражданских", "Wilful killing of civilians"],
        what: [
            "Військовослужбовці РФ під час окупації розстріляли цивільних осіб біля їхніх домівок",
            "Военнослужащие РФ во время оккупации расстреляли гражданских лиц возле их домов",
            "Russian servicemen occupying the area shot civilians near their homes",
        ],
        persons: &[(PersonRole::Victim, 0.6), (PersonRole::Witness, 0.3), (PersonRole::Suspect, 0.1)],
        ..OCCUPATION
    },
    Scenario {
        key: "execution",
        weight: 2.0,
        types: &[Execution],
        crimes: &[WcWilfulKilling, WcKillingHorsDeCombat, UaLawsOfWar],
        weapons: &[SmallArms],
        killed: Toll { p: 1.0, mean: 2.0, max: 20 },
        children: 0.0,
        men: 1.0,
        title: ["Страта військовополонених", "Казнь военнопленных", "Execution of prisoners of war"],
        what: [
            "Українських військовослужбовців, які склали зброю, було страчено після здачі в полон",
            "Украинских военнослужащих, сложивших оружие, казнили после сдачи в плен",
            "Ukrainian soldiers who had laid down their arms were executed after surrendering",
        ],
        persons: &[(PersonRole::Victim, 0.6), (PersonRole::Witness, 0.2), (PersonRole::Suspect, 0.2)],
        ..OCCUPATION
    },
    Scenario {
        key: "torture",
        weight: 6.0,
        types: &[Torture, UnlawfulDetention],
        crimes: &[WcTorture, CahTorture, CahImprisonment, UaLawsOfWar],
        maybe_crimes: &[WcOutragesUponDignity, CahOtherInhumaneActs],
        killed: Toll { p: 0.1, mean: 0.3, max: 3 },
        injured: Toll { p: 0.8, mean: 2.0, max: 30 },
        title: ["Катування у місці незаконного утримання", "Пытки в месте незаконного содержания", "Torture in a place of unlawful detention"],
        what: [
            "Цивільних утримували у підвалі, били, застосовували електрошок і погрожували розстрілом",
            "Гражданских удерживали в подвале, избивали, применяли электрошок и угрожали расстрелом",
            "Civilians were held in a basement, beaten, given electric shocks and threatened with execution",
        ],
        persons: &[(PersonRole::Detainee, 0.65), (PersonRole::Witness, 0.25), (PersonRole::Suspect, 0.1)],
        units: SECURITY,
        ..OCCUPATION
    },
    Scenario {
        key: "filtration",
        long_occupation: true,
        weight: 4.0,
        types: &[Filtration, UnlawfulDetention],
        crimes: &[WcTorture, CahTorture, CahImprisonment, UaLawsOfWar],
        maybe_crimes: &[WcOutragesUponDignity, CahPersecution],
        injured: Toll { p: 0.5, mean: 2.0, max: 40 },
        title: ["Фільтраційні заходи", "Фильтрационные мероприятия", "Filtration"],
        what: [
            "Під час «фільтрації» людей роздягали, перевіряли телефони, допитували; частину затримали й вивезли в невідомому напрямку",
            "Во время «фильтрации» людей раздевали, проверяли телефоны, допрашивали; часть задержали и увезли в неизвестном направлении",
            "During \"filtration\" people were stripped, their phones searched and they were interrogated; some were detained and taken away",
        ],
        persons: &[(PersonRole::Detainee, 0.7), (PersonRole::Witness, 0.25), (PersonRole::Suspect, 0.05)],
        units: SECURITY,
        ..OCCUPATION
    },
    Scenario {
        key: "children",
        long_occupation: true,
        weight: 4.0,
        types: &[TransferOfChildren, Deportation],
        crimes: &[WcUnlawfulDeportation, WcDeportationFromOccupiedTerritory, CahDeportation, GenocideTransferOfChildren, UaLawsOfWar],
        maybe_crimes: &[UaGenocide],
        killed: NONE,
        title: ["Незаконне переміщення дітей", "Незаконное перемещение детей", "Unlawful transfer of children"],
        what: [
            "Дітей з інтернату та родин вивезли на територію РФ під приводом «оздоровлення»; частину передано в російські родини",
            "Детей из интерната и семей вывезли на территорию РФ под предлогом «оздоровления»; часть передана в российские семьи",
            "Children from a care home and from families were taken to Russia for \"recreation\"; some were placed with Russian families",
        ],
        persons: &[(PersonRole::DeportedChild, 0.8), (PersonRole::Witness, 0.2)],
        units: SECURITY,
        sensitive: true,
        ..OCCUPATION
    },
    Scenario {
        key: "deportation",
        long_occupation: true,
        weight: 3.0,
        types: &[Deportation],
        crimes: &[WcUnlawfulDeportation, WcDeportationFromOccupiedTerritory, CahDeportation, UaLawsOfWar],
        title: ["Примусова депортація цивільного населення", "Принудительная депортация гражданского населения", "Forcible deportation of civilians"],
        what: [
            "Мешканців примусово вивезли автобусами через фільтраційні пункти до РФ",
            "Жителей принудительно вывезли автобусами через фильтрационные пункты в РФ",
            "Residents were forcibly taken by bus through filtration points to Russia",
        ],
        persons: &[(PersonRole::Victim, 0.7), (PersonRole::Witness, 0.3)],
        ..OCCUPATION
    },
    Scenario {
        key: "disappearance",
        weight: 5.0,
        types: &[EnforcedDisappearance, UnlawfulDetention],
        crimes: &[CahEnforcedDisappearance, CahImprisonment, UaLawsOfWar],
        maybe_crimes: &[WcHostageTaking],
        title: ["Насильницьке зникнення", "Насильственное исчезновение", "Enforced disappearance"],
        what: [
            "Озброєні люди затримали особу вдома; відтоді про її долю та місцеперебування нічого не відомо",
            "Вооружённые люди задержали человека дома; с тех пор о его судьбе и местонахождении ничего не известно",
            "Armed men detained the person at home; nothing has been known of their fate or whereabouts since",
        ],
        persons: &[(PersonRole::Missing, 0.75), (PersonRole::Witness, 0.25)],
        units: SECURITY,
        ..OCCUPATION
    },
    Scenario {
        key: "sexual-violence",
        weight: 1.5,
        types: &[SexualViolence],
        crimes: &[WcSexualViolence, CahSexualViolence, UaLawsOfWar],
        maybe_crimes: &[WcTorture],
        weapons: &[SmallArms],
        injured: Toll { p: 0.9, mean: 0.5, max: 4 },
        children: 0.05,
        men: 0.15,
        title: ["Сексуальне насильство", "Сексуальное насилие", "Conflict-related sexual violence"],
        what: [
            "Військовослужбовці РФ під погрозою зброї вчинили сексуальне насильство",
            "Военнослужащие РФ под угрозой оружия совершили сексуальное насилие",
            "Russian servicemen committed sexual violence at gunpoint",
        ],
        persons: &[(PersonRole::Victim, 0.8), (PersonRole::Witness, 0.1), (PersonRole::Suspect, 0.1)],
        sensitive: true,
        ..OCCUPATION
    },
    Scenario {
        key: "pillage",
        weight: 3.0,
        types: &[Pillage, Destruction],
        crimes: &[WcPillage, WcDestructionOfProperty, UaLawsOfWar],
        objects: &[Residential, Hospital, CulturalHeritage, GrainSilo, Market],
        title: ["Пограбування майна", "Разграбление имущества", "Pillage of property"],
        what: [
            "Майно вивезли вантажівками; те, що не змогли забрати, знищили",
            "Имущество вывезли грузовиками; то, что не смогли забрать, уничтожили",
            "Property was taken away by truck, and what could not be taken was destroyed",
        ],
        persons: &[(PersonRole::Victim, 0.5), (PersonRole::Witness, 0.4), (PersonRole::Suspect, 0.1)],
        ..OCCUPATION
    },
    Scenario {
        key: "hostages",
        weight: 1.2,
        types: &[HostageTaking, HumanShield],
        crimes: &[WcHostageTaking, WcHumanShields, UaLawsOfWar],
        maybe_crimes: &[CahOtherInhumaneActs, WcOutragesUponDignity],
        objects: &[School, Residential],
        killed: Toll { p: 0.3, mean: 2.0, max: 12 },
        children: 0.25,
        men: 0.4,
        title: ["Утримання цивільних як живого щита", "Удержание гражданских в качестве живого щита", "Civilians held as hostages and human shields"],
        what: [
            "Мешканців села тижнями утримували в підвалі школи, поруч із позиціями військ РФ",
            "Жителей села неделями удерживали в подвале школы рядом с позициями войск РФ",
            "Villagers were held for weeks in a school basement next to Russian positions",
        ],
        persons: &[(PersonRole::Victim, 0.6), (PersonRole::Witness, 0.3), (PersonRole::Suspect, 0.1)],
        ..OCCUPATION
    },
    Scenario {
        key: "conscription",
        long_occupation: true,
        weight: 1.0,
        types: &[ForcedConscription],
        crimes: &[WcCompellingService, UaLawsOfWar],
        title: ["Примусовий призов до збройних сил РФ", "Принудительный призыв в вооружённые силы РФ", "Forced conscription into Russian forces"],
        what: [
            "Чоловіків з окупованої території примусово мобілізували та відправили на передову",
            "Мужчин с оккупированной территории принудительно мобилизовали и отправили на передовую",
            "Men from the occupied territory were forcibly mobilised and sent to the front",
        ],
        persons: &[(PersonRole::Victim, 0.8), (PersonRole::Witness, 0.2)],
        units: SECURITY,
        ..OCCUPATION
    },
];
