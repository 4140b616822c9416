//! The regions of Ukraine as the demo weighs them: where strikes fall, which regions were or
//! are occupied and until when. Crimes of occupation (killings, torture, filtration,
//! deportation) only happen where and while a region was occupied; strikes reach everywhere
//! but concentrate along the front.

use chrono::NaiveDate;

use crate::gen::day;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Occupation {
    Never,
    /// Occupied from 24 February 2022 until liberation on this date (y, m, d).
    Until(i32, u32, u32),
    /// Still (partly) occupied at the end of the generated period.
    Ongoing,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Oblast {
    /// The oblast as the gazetteer names it.
    pub key: &'static str,
    pub uk: &'static str,
    pub ru: &'static str,
    pub en: &'static str,
    /// Relative share of strikes (shelling, missiles, bombs, drones).
    pub strikes: f64,
    /// Relative share of crimes of occupation, while occupied.
    pub occupation_weight: f64,
    pub occupation: Occupation,
}

impl Oblast {
    /// The last day crimes of occupation can happen here, if ever.
    pub fn occupied_until(&self) -> Option<NaiveDate> {
        match self.occupation {
            Occupation::Never => None,
            Occupation::Until(y, m, d) => Some(day(y, m, d)),
            Occupation::Ongoing => Some(day(2025, 12, 31)),
        }
    }

    pub fn name(&self, lang: &str) -> &'static str {
        match lang {
            "uk" => self.uk,
            "ru" => self.ru,
            _ => self.en,
        }
    }
}

const fn o(
    key: &'static str,
    uk: &'static str,
    ru: &'static str,
    en: &'static str,
    strikes: f64,
    occupation_weight: f64,
    occupation: Occupation,
) -> Oblast {
    Oblast {
        key,
        uk,
        ru,
        en,
        strikes,
        occupation_weight,
        occupation,
    }
}

use Occupation::{Never, Ongoing, Until};

pub(crate) const OBLASTS: &[Oblast] = &[
    o(
        "Donetsk",
        "Донецька область",
        "Донецкая область",
        "Donetsk Oblast",
        22.0,
        14.0,
        Ongoing,
    ),
    o(
        "Kharkiv",
        "Харківська область",
        "Харьковская область",
        "Kharkiv Oblast",
        18.0,
        12.0,
        Until(2022, 10, 3),
    ),
    o(
        "Kherson",
        "Херсонська область",
        "Херсонская область",
        "Kherson Oblast",
        13.0,
        16.0,
        Ongoing,
    ),
    o(
        "Zaporizhzhia",
        "Запорізька область",
        "Запорожская область",
        "Zaporizhzhia Oblast",
        10.0,
        12.0,
        Ongoing,
    ),
    o(
        "Dnipropetrovsk",
        "Дніпропетровська область",
        "Днепропетровская область",
        "Dnipropetrovsk Oblast",
        8.0,
        0.0,
        Never,
    ),
    o(
        "Mykolaiv",
        "Миколаївська область",
        "Николаевская область",
        "Mykolaiv Oblast",
        5.0,
        2.0,
        Until(2022, 11, 11),
    ),
    o(
        "Sumy",
        "Сумська область",
        "Сумская область",
        "Sumy Oblast",
        5.0,
        3.0,
        Until(2022, 4, 8),
    ),
    o(
        "Kyiv Oblast",
        "Київська область",
        "Киевская область",
        "Kyiv Oblast",
        3.0,
        12.0,
        Until(2022, 4, 2),
    ),
    o(
        "Kyiv City",
        "місто Київ",
        "город Киев",
        "City of Kyiv",
        3.0,
        0.0,
        Never,
    ),
    o(
        "Chernihiv",
        "Чернігівська область",
        "Черниговская область",
        "Chernihiv Oblast",
        3.0,
        6.0,
        Until(2022, 4, 4),
    ),
    o(
        "Odesa",
        "Одеська область",
        "Одесская область",
        "Odesa Oblast",
        4.0,
        0.0,
        Never,
    ),
    o(
        "Luhansk",
        "Луганська область",
        "Луганская область",
        "Luhansk Oblast",
        2.0,
        8.0,
        Ongoing,
    ),
    o(
        "Crimea",
        "Автономна Республіка Крим",
        "Автономная Республика Крым",
        "Autonomous Republic of Crimea",
        0.0,
        2.0,
        Ongoing,
    ),
    o(
        "Poltava",
        "Полтавська область",
        "Полтавская область",
        "Poltava Oblast",
        1.0,
        0.0,
        Never,
    ),
    o(
        "Zhytomyr",
        "Житомирська область",
        "Житомирская область",
        "Zhytomyr Oblast",
        1.0,
        0.0,
        Never,
    ),
    o(
        "Lviv",
        "Львівська область",
        "Львовская область",
        "Lviv Oblast",
        0.8,
        0.0,
        Never,
    ),
    o(
        "Vinnytsia",
        "Вінницька область",
        "Винницкая область",
        "Vinnytsia Oblast",
        0.6,
        0.0,
        Never,
    ),
    o(
        "Khmelnytskyi",
        "Хмельницька область",
        "Хмельницкая область",
        "Khmelnytskyi Oblast",
        0.4,
        0.0,
        Never,
    ),
    o(
        "Kirovohrad",
        "Кіровоградська область",
        "Кировоградская область",
        "Kirovohrad Oblast",
        0.4,
        0.0,
        Never,
    ),
    o(
        "Cherkasy",
        "Черкаська область",
        "Черкасская область",
        "Cherkasy Oblast",
        0.3,
        0.0,
        Never,
    ),
    o(
        "Ivano-Frankivsk",
        "Івано-Франківська область",
        "Ивано-Франковская область",
        "Ivano-Frankivsk Oblast",
        0.3,
        0.0,
        Never,
    ),
    o(
        "Rivne",
        "Рівненська область",
        "Ровенская область",
        "Rivne Oblast",
        0.2,
        0.0,
        Never,
    ),
    o(
        "Volyn",
        "Волинська область",
        "Волынская область",
        "Volyn Oblast",
        0.2,
        0.0,
        Never,
    ),
    o(
        "Ternopil",
        "Тернопільська область",
        "Тернопольская область",
        "Ternopil Oblast",
        0.2,
        0.0,
        Never,
    ),
    o(
        "Zakarpattia",
        "Закарпатська область",
        "Закарпатская область",
        "Zakarpattia Oblast",
        0.05,
        0.0,
        Never,
    ),
    o(
        "Chernivtsi",
        "Чернівецька область",
        "Черновицкая область",
        "Chernivtsi Oblast",
        0.05,
        0.0,
        Never,
    ),
];

/// Whether Russian is a likely language of local witness statements.
pub(crate) fn russian_speaking(key: &str) -> bool {
    matches!(
        key,
        "Donetsk" | "Luhansk" | "Kharkiv" | "Zaporizhzhia" | "Kherson" | "Crimea" | "Odesa"
    )
}
