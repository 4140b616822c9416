//! Titles and narratives in Ukrainian, Russian and English, built from templates the way
//! investigators' report forms read: a dated place, what happened, then labelled facts. The
//! text never needs declension, which keeps three languages correct from one set of slots.

use chrono::{DateTime, Datelike, Timelike, Utc};
use dokaz_gazetteer::Place;
use dokaz_model::{
    GroupCounts, Harm, Narrative, ProtectedObject, TimePrecision, TimeRange, Weapon,
};

use crate::gen::Gen;
use crate::oblasts::Oblast;
use crate::places::Pattern;
use crate::romanize::{romanize, System};
use crate::scenarios::Scenario;
use crate::vocab::{self, pick};

/// The place's name as a writer in `lang` spells it.
pub(crate) fn place_name(p: &Place, lang: &str) -> String {
    match lang {
        "uk" => p.name_uk.clone(),
        "ru" if !p.name_ru.is_empty() => p.name_ru.clone(),
        "ru" => p.name_uk.clone(),
        _ if !p.name_en.is_empty() => p.name_en.clone(),
        _ => romanize(&p.name_uk, System::UkNational),
    }
}

pub(crate) fn title(s: &Scenario, place: &str, lang: &str) -> String {
    let [uk, ru, en] = s.title;
    format!("{}, {place}", pick(lang, uk, ru, en))
}

/// What an incident record says about itself.
pub(crate) struct Facts<'a> {
    pub scenario: &'a Scenario,
    pub place: String,
    pub oblast: &'a Oblast,
    pub occurred: TimeRange,
    pub weapons: &'a [Weapon],
    pub objects: &'a [ProtectedObject],
    pub harm: &'a Harm,
    pub perpetrators: &'a str,
}

/// The main narrative of a record, in `lang`.
pub(crate) fn narrative(g: &mut Gen, f: &Facts, lang: &str) -> Narrative {
    let [uk, ru, en] = f.scenario.what;
    let mut text = format!(
        "{}, {}, {}. {}.",
        when(&f.occurred, lang),
        f.place,
        f.oblast.name(lang),
        pick(lang, uk, ru, en)
    );
    if !f.objects.is_empty() {
        let list: Vec<&str> = f.objects.iter().map(|o| vocab::object(*o, lang)).collect();
        let label = pick(
            lang,
            "Пошкоджені об’єкти",
            "Повреждённые объекты",
            "Objects hit",
        );
        text.push_str(&format!(" {label}: {}.", list.join(", ")));
    }
    if !f.weapons.is_empty() {
        let list: Vec<&str> = f.weapons.iter().map(|w| vocab::weapon(*w, lang)).collect();
        let label = pick(lang, "Засоби ураження", "Средства поражения", "Weapons");
        text.push_str(&format!(" {label}: {}.", list.join(", ")));
    }
    text.push(' ');
    text.push_str(&casualties(f.harm, lang));
    if !f.perpetrators.is_empty() {
        let label = pick(
            lang,
            "Ймовірні виконавці",
            "Предполагаемые исполнители",
            "Alleged perpetrators",
        );
        text.push_str(&format!(" {label}: {}.", f.perpetrators));
    }
    let sources: [[&str; 3]; 4] = [
        [
            "Джерело: показання свідків.",
            "Источник: показания свидетелей.",
            "Source: witness statements.",
        ],
        [
            "Джерело: протокол огляду місця події.",
            "Источник: протокол осмотра места происшествия.",
            "Source: crime scene examination report.",
        ],
        [
            "Джерело: відкриті джерела, верифіковано геолокацією.",
            "Источник: открытые источники, верифицировано геолокацией.",
            "Source: open sources, verified by geolocation.",
        ],
        [
            "Джерело: повідомлення обласної військової адміністрації.",
            "Источник: сообщение областной военной администрации.",
            "Source: regional military administration report.",
        ],
    ];
    let [suk, sru, sen] = *g.pick(&sources);
    text.push(' ');
    text.push_str(pick(lang, suk, sru, sen));
    Narrative {
        lang: lang.to_owned(),
        text,
    }
}

/// A short witness account, as taken down in the witness's own language.
pub(crate) fn witness_statement(g: &mut Gen, s: &Scenario, lang: &str) -> Narrative {
    let strike: &[[&str; 3]] = &[
        ["Я почула свист, потім вибух. Вибило вікна, сусідку поранило уламками.", "Я услышала свист, потом взрыв. Выбило окна, соседку ранило осколками.", "I heard a whistle, then the explosion. The windows blew in and my neighbour was hit by fragments."],
        ["Ми були в підвалі, коли прилетіло вдруге. Військових поруч не було.", "Мы были в подвале, когда прилетело второй раз. Военных рядом не было.", "We were in the basement when the second one hit. There were no soldiers nearby."],
    ];
    let occupation: &[[&str; 3]] = &[
        ["Вони прийшли вранці, забрали телефони й документи. Чоловіка вивели у двір, більше я його не бачила.", "Они пришли утром, забрали телефоны и документы. Мужа вывели во двор, больше я его не видела.", "They came in the morning and took our phones and papers. They led my husband into the yard; I never saw him again."],
        ["Нас тримали в підвалі без світла. Кожного дня когось забирали на допит.", "Нас держали в подвале без света. Каждый день кого-то забирали на допрос.", "We were kept in a basement without light. Every day someone was taken for interrogation."],
    ];
    let children: &[[&str; 3]] = &[[
        "Дітей посадили в автобус і сказали, що везуть на два тижні в табір. Минуло пів року.",
        "Детей посадили в автобус и сказали, что везут на две недели в лагерь. Прошло полгода.",
        "The children were put on a bus and told it was two weeks at a camp. Six months have passed.",
    ]];
    let pool = if s.key == "children" {
        children
    } else if s.pattern == Pattern::Strike {
        strike
    } else {
        occupation
    };
    let [uk, ru, en] = *g.pick(pool);
    let label = pick(
        lang,
        "Свідок (особу захищено)",
        "Свидетель (личность защищена)",
        "Witness (identity protected)",
    );
    Narrative {
        lang: lang.to_owned(),
        text: format!("{label}: «{}»", pick(lang, uk, ru, en)),
    }
}

fn casualties(h: &Harm, lang: &str) -> String {
    if h.is_empty() {
        return pick(
            lang,
            "Відомостей про загиблих і поранених немає.",
            "Сведений о погибших и раненых нет.",
            "No casualties reported.",
        )
        .to_owned();
    }
    let part = |c: &GroupCounts, uk: &str, ru: &str, en: &str| -> Option<String> {
        let total = c.known_total()?;
        let mut s = format!("{}: {total}", pick(lang, uk, ru, en));
        if let Some(ch) = c.children.filter(|&n| n > 0) {
            s.push_str(&format!(
                " ({}: {ch})",
                pick(lang, "з них дітей", "из них детей", "children")
            ));
        }
        Some(s)
    };
    let parts: Vec<String> = [
        part(&h.killed, "Загиблих", "Погибших", "Killed"),
        part(&h.injured, "Поранених", "Раненых", "Injured"),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!("{}.", parts.join(". "))
}

const MONTHS: [[&str; 3]; 12] = [
    ["січні", "январе", "January"],
    ["лютому", "феврале", "February"],
    ["березні", "марте", "March"],
    ["квітні", "апреле", "April"],
    ["травні", "мае", "May"],
    ["червні", "июне", "June"],
    ["липні", "июле", "July"],
    ["серпні", "августе", "August"],
    ["вересні", "сентябре", "September"],
    ["жовтні", "октябре", "October"],
    ["листопаді", "ноябре", "November"],
    ["грудні", "декабре", "December"],
];

/// The time as the record's precision allows saying it.
fn when(t: &TimeRange, lang: &str) -> String {
    let date = |d: DateTime<Utc>| format!("{:02}.{:02}.{}", d.day(), d.month(), d.year());
    if t.end > t.start {
        let (a, b) = (date(t.start), date(t.end));
        return match lang {
            "uk" => format!("У період з {a} по {b}"),
            "ru" => format!("В период с {a} по {b}"),
            _ => format!("Between {a} and {b}"),
        };
    }
    let s = t.start;
    match t.precision {
        TimePrecision::Month | TimePrecision::Year => {
            let [uk, ru, en] = MONTHS[s.month0() as usize];
            match lang {
                "uk" => format!("У {uk} {} року", s.year()),
                "ru" => format!("В {ru} {} года", s.year()),
                _ => format!("In {en} {}", s.year()),
            }
        }
        TimePrecision::Day => date(s),
        _ => {
            let hm = format!("{:02}:{:02}", s.hour(), s.minute());
            let about = if t.precision == TimePrecision::Hour {
                pick(lang, "близько", "около", "at about")
            } else {
                pick(lang, "о", "в", "at")
            };
            format!("{} {about} {hm} UTC", date(s))
        }
    }
}
