//! A surname space large enough for a million people: Ukrainian stems with the suffixes that
//! make Ukrainian (and Russian-type) surnames, each in its Ukrainian and Russian spelling and
//! in both genders, drawn with a Zipf-like frequency — a few very common names, a long tail.

use std::sync::OnceLock;

use crate::gen::Gen;

/// One surname: `[Ukrainian, Russian]` spellings, each `[masculine, feminine]`.
#[derive(Debug, Clone)]
pub(crate) struct Surname {
    pub forms: [[String; 2]; 2],
}

impl Surname {
    /// The form for `female` in Ukrainian (`ru == false`) or Russian spelling.
    pub fn form(&self, female: bool, ru: bool) -> &str {
        &self.forms[usize::from(ru)][usize::from(female)]
    }
}

/// Stems, "uk|ru" where the Russian spelling differs. Occupations, given names, animals,
/// plants and descriptive words, the sources of most Ukrainian surnames; earlier ones are made
/// more frequent.
const STEMS: &[&str] = &[
    "Коваль",
    "Шевч",
    "Бондар",
    "Ткач",
    "Кравч",
    "Мельнич",
    "Петр",
    "Іван|Иван",
    "Павл",
    "Савч",
    "Лис|Лыс",
    "Руд",
    "Марч",
    "Клим",
    "Кузьм",
    "Гончар",
    "Левч",
    "Харч",
    "Литвин",
    "Роман",
    "Сидор",
    "Гаврил",
    "Яков",
    "Демч",
    "Захарч",
    "Нестер",
    "Голов",
    "Мирон",
    "Остап",
    "Данил",
    "Тарас",
    "Гриц",
    "Степан",
    "Федор",
    "Кирил",
    "Мартин",
    "Василь",
    "Дмитр",
    "Юрч",
    "Олекс|Алекс",
    "Семен",
    "Прокоп",
    "Панас",
    "Яким",
    "Оліф|Олиф",
    "Максим",
    "Антон",
    "Лук",
    "Матві|Матве",
    "Гнат",
    "Харитон",
    "Онищ",
    "Опан",
    "Вовк",
    "Ведмед",
    "Соловй|Соловь",
    "Горобц",
    "Журавл",
    "Ластів|Ластов",
    "Дуб",
    "Берез",
    "Клен",
    "Лип",
    "Калин",
    "Вишн",
    "Горох",
    "Гриб",
    "Сир|Сыр",
    "Мед",
    "Біл|Бел",
    "Чорн|Черн",
    "Сив|Сив",
    "Зелен",
    "Глух",
    "Крив",
    "Гол",
    "Коротк",
    "Довг|Долг",
    "Мал",
    "Велич",
    "Нов",
    "Стар",
    "Добр",
    "Тих",
    "Весел",
    "Швидк|Швидк",
    "Чумач",
    "Козач",
    "Пастуш",
    "Рибал|Рыбал",
    "Мисл|Мысл",
    "Бублик",
    "Сич|Сыч",
    "Кот",
    "Цап",
    "Баран",
    "Бик|Бык",
    "Тур",
    "Заїч|Заич",
    "Кур",
    "Гус",
    "Сокол",
    "Орл",
    "Ворон",
    "Сорок",
    "Галиц|Галиц",
    "Подол",
    "Полтав",
    "Волин|Волын",
    "Черкас",
    "Київ|Киев",
    "Луц",
    "Ковел",
    "Сумч",
    "Ніжин|Нежин",
    "Бойч",
    "Гайд",
    "Гуцул",
    "Лемк",
    "Бойк",
    "Кушн",
    "Швец",
    "Гребін|Гребен",
    "Чоботар",
    "Шаповал",
    "Бондарч",
    "Колісн|Колесн",
    "Стельмах",
    "Токар",
    "Слюсар",
    "Пекар",
    "Різн|Резн",
    "Мірош|Мирош",
    "Дяч",
    "Попович",
    "Паламар",
    "Писар|Писар",
    "Отаман|Атаман",
    "Сотн",
    "Осавул|Есаул",
    "Гетьман|Гетман",
    "Хорунж",
    "Писарч",
    "Кобзар",
    "Лірн|Лирн",
    "Скрип",
    "Дудар",
    "Сопілк|Сопилк",
    "Бандур",
    "Гармаш",
    "Пушкар",
    "Стрілец|Стрелец",
    "Ратай",
    "Орач",
    "Сіяч|Сеяч",
    "Косар",
    "Жнец",
    "Молотк",
    "Сокир|Секир",
    "Ножич",
    "Голк|Иголк",
    "Цвях|Гвозд",
    "Клепач",
    "Дзвон|Звон",
    "Кравц",
    "Кушнір|Кушнир",
    "Мельник",
    "Олійн|Олейн",
    "Пасічн|Пасечн",
    "Рогов",
    "Копит|Копыт",
    "Хвост",
    "Вус|Ус",
    "Бород",
    "Губ",
    "Носк",
    "Чуб",
    "Лоб",
    "Зуб",
    "Кулик",
    "Чиж|Чиж",
    "Шпак",
    "Дрозд",
    "Синиц|Синиц",
    "Щиг|Щег",
    "Перепел",
    "Голуб",
    "Лебед",
    "Чайк",
    "Гав",
    "Пугач",
    "Сов",
    "Крук",
    "Грач",
    "Ярем",
    "Юхим|Ефим",
    "Омел|Емел",
    "Охрім|Охрим",
    "Тимош",
    "Трохим|Трофим",
    "Харк",
    "Хом",
    "Филип",
    "Фесь",
    "Зінч|Зинч",
    "Леон",
    "Левк",
    "Марк",
    "Наум",
    "Нікон|Никон",
    "Овдій|Овдей",
    "Парх",
    "Радч",
    "Савел",
    "Свирид",
    "Терещ",
    "Тимч",
    "Устим|Устим",
    "Якуб",
    "Ярош",
    "Ющ",
    "Гордій|Гордей",
    "Давид",
    "Зах",
    "Ілл|Ил",
    "Кіндрат|Кондрат",
    "Лавр",
    "Мусій|Мусей",
    "Назар",
    "Олесь|Олесь",
    "Пилип|Филип",
    "Сергі|Серге",
    "Тарасюч",
    "Шульг",
    "Дорош",
    "Білан|Белан",
    "Вакул",
    "Грищ",
    "Дем'ян|Демьян",
    "Кость",
    "Мих",
    "Павлюч",
    "Рябоконь",
];

/// Suffixes: Ukrainian masculine and feminine, Russian masculine and feminine, and a weight
/// (-енко and the -ук family dominate Ukrainian registers; -ов/-ев/-ин are the Russian-type
/// names common in the east and borne by most Russian servicemen).
const SUFFIXES: &[([&str; 4], f64)] = &[
    (["енко", "енко", "енко", "енко"], 30.0),
    (["чук", "чук", "чук", "чук"], 9.0),
    (["ук", "ук", "ук", "ук"], 9.0),
    (["юк", "юк", "юк", "юк"], 4.0),
    (["ський", "ська", "ский", "ская"], 8.0),
    (["ецький", "ецька", "ецкий", "ецкая"], 2.0),
    (["ович", "ович", "ович", "ович"], 3.0),
    (["ко", "ко", "ко", "ко"], 4.0),
    (["ак", "ак", "ак", "ак"], 2.5),
    (["ишин", "ишин", "ишин", "ишин"], 2.0),
    (["ів", "ів", "ив", "ив"], 1.5),
    (["ов", "ова", "ов", "ова"], 6.0),
    (["єв", "єва", "ев", "ева"], 3.0),
    (["ін", "іна", "ин", "ина"], 3.0),
];

/// Diminutive and derivative infixes between stem and suffix (Петрусенко, Іванишин,
/// Мельничук): the tail of rarer surnames.
const INFIXES: &[(&str, f64)] = &[
    ("", 1.0),
    ("ус", 0.12),
    ("ан", 0.1),
    ("ун", 0.06),
    ("аш", 0.05),
    ("ох", 0.03),
];

/// Frequent surnames that do not follow a stem + suffix pattern, with their weights relative
/// to the composed ones (Мельник, Бойко and Мороз are among the most common in Ukraine).
const PLAIN: &[(&str, &str, f64)] = &[
    ("Мельник", "Мельник", 12.0),
    ("Бойко", "Бойко", 11.0),
    ("Мороз", "Мороз", 8.0),
    ("Олійник", "Олейник", 8.0),
    ("Козак", "Козак", 6.0),
    ("Білоус", "Белоус", 4.0),
    ("Чорновол", "Черновол", 3.0),
    ("Приходько", "Приходько", 5.0),
    ("Гуменюк", "Гуменюк", 4.0),
    ("Кривоніс", "Кривонос", 2.0),
    ("Сірко", "Серко", 2.0),
    ("Кравець", "Кравец", 5.0),
    ("Швець", "Швец", 5.0),
    ("Коваль", "Коваль", 7.0),
    ("Ткач", "Ткач", 6.0),
    ("Гончар", "Гончар", 4.0),
    ("Бондар", "Бондарь", 5.0),
];

/// The drawn table: every surname and the running total of weights.
#[derive(Debug)]
pub(crate) struct Surnames {
    pub names: Vec<Surname>,
    cum: Vec<f64>,
}

impl Surnames {
    /// The table, built once.
    pub fn get() -> &'static Surnames {
        static TABLE: OnceLock<Surnames> = OnceLock::new();
        TABLE.get_or_init(build)
    }

    /// A surname index, common names more often.
    pub fn draw(&self, g: &mut Gen) -> usize {
        let x = g.unit() * self.cum.last().copied().unwrap_or(0.0);
        self.cum
            .partition_point(|&c| c <= x)
            .min(self.names.len() - 1)
    }

    /// A Russian-type surname (-ов, -ев, -ін), as most Russian servicemen bear.
    pub fn draw_russian_type(&self, g: &mut Gen) -> usize {
        loop {
            let i = self.draw(g);
            let m = self.names[i].form(false, true);
            if m.ends_with("ов") || m.ends_with("ев") || m.ends_with("ин") {
                return i;
            }
        }
    }
}

fn build() -> Surnames {
    let mut entries: Vec<(Surname, f64)> = Vec::new();
    for (uk, ru, w) in PLAIN {
        let same = |s: &str| [s.to_owned(), s.to_owned()];
        entries.push((
            Surname {
                forms: [same(uk), same(ru)],
            },
            w * 0.001,
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (rank, stem) in STEMS.iter().enumerate() {
        let (uk, ru) = stem.split_once('|').unwrap_or((stem, stem));
        // Zipf over stems: the r-th stem about 1/(r+20) as frequent.
        let stem_w = 1.0 / (rank as f64 + 20.0);
        for (infix, infix_w) in INFIXES {
            for (forms, suffix_w) in SUFFIXES {
                let make = |stem: &str, i: usize| {
                    let ru = i >= 2;
                    join(&join(stem, infix, ru), forms[i], ru)
                };
                let s = Surname {
                    forms: [[make(uk, 0), make(uk, 1)], [make(ru, 2), make(ru, 3)]],
                };
                if seen.insert(s.forms[0][0].clone()) {
                    entries.push((s, stem_w * infix_w * suffix_w / 100.0));
                }
            }
        }
    }
    let mut cum = Vec::with_capacity(entries.len());
    let mut total = 0.0;
    let names = entries
        .into_iter()
        .map(|(s, w)| {
            total += w;
            cum.push(total);
            s
        })
        .collect();
    Surnames { names, cum }
}

/// `stem` + `ending` with the sound changes spelling requires: a soft sign or й before a vowel
/// softens it (Коваль + ук → Ковалюк, Соловй + ов → Соловйов; in Russian Коваль + ов → Ковалёв).
fn join(stem: &str, ending: &str, ru: bool) -> String {
    let Some(first) = ending.chars().next() else {
        return stem.to_owned();
    };
    let vowel = "аеєиіїоуюяё".contains(first);
    let mut out = String::with_capacity(stem.len() + ending.len() + 2);
    if vowel && (stem.ends_with('ь') || stem.ends_with('й')) {
        let base = &stem[..stem.len() - 'ь'.len_utf8()];
        let soft = stem.ends_with('й');
        out.push_str(base);
        let rest = &ending[first.len_utf8()..];
        let softened = match first {
            'у' => "ю",
            'а' => "я",
            'е' if soft => "є",
            'о' if soft => "йо",
            'о' if ru => "ё",
            'о' => "ьо",
            'і' if soft => "ї",
            c => {
                out.push(c);
                ""
            }
        };
        out.push_str(softened);
        out.push_str(rest);
    } else {
        let last = stem.chars().last();
        let consonant = |c: char| !vowel_or_sign(c);
        let cluster = stem.chars().rev().take(2).all(consonant);
        match last {
            // Кравч + чук → Кравчук, Коротк + ко → Коротко.
            Some(l) if l == first => out.push_str(&stem[..stem.len() - l.len_utf8()]),
            // Коротк + чук → Коротчук.
            Some('к') if first == 'ч' => out.push_str(&stem[..stem.len() - 'к'.len_utf8()]),
            // Петр + чук → Петричук: a linking vowel after two consonants.
            _ if cluster && matches!(first, 'ч' | 'к') => {
                out.push_str(stem);
                out.push('и');
            }
            _ => out.push_str(stem),
        }
        out.push_str(ending);
    }
    out
}

fn vowel_or_sign(c: char) -> bool {
    "аеєиіїоуюяёыэьй'".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_follow_spelling() {
        assert_eq!(join("Коваль", "енко", false), "Коваленко");
        assert_eq!(join("Коваль", "ук", false), "Ковалюк");
        assert_eq!(join("Коваль", "чук", false), "Ковальчук");
        assert_eq!(join("Коваль", "ов", false), "Ковальов");
        assert_eq!(join("Коваль", "ишин", false), "Ковалишин");
        assert_eq!(join("Соловй", "ов", false), "Соловйов");
        assert_eq!(join("Петр", "ус", false), "Петрус");
        assert_eq!(join("Коваль", "ов", true), "Ковалёв");
        assert_eq!(join("Кравч", "чук", false), "Кравчук");
        assert_eq!(join("Коротк", "ко", false), "Коротко");
        assert_eq!(join("Коротк", "чук", false), "Коротчук");
        assert_eq!(join("Петр", "чук", false), "Петричук");
        assert_eq!(join("Петр", "енко", false), "Петренко");
    }

    #[test]
    fn many_thousands_of_surnames_with_a_long_tail() {
        let t = Surnames::get();
        assert!(t.names.len() > 15_000, "{}", t.names.len());
        let mut g = Gen::new(1);
        let mut counts = std::collections::HashMap::new();
        let n = 200_000;
        for _ in 0..n {
            *counts.entry(t.draw(&mut g)).or_insert(0u32) += 1;
        }
        let top = *counts.values().max().unwrap();
        // The most common Ukrainian surnames are each borne by well under 1% of people.
        assert!(f64::from(top) / f64::from(n) < 0.01, "top share {top}");
        assert!(counts.len() > 8_000, "{} distinct", counts.len());
        // Feminine forms where the suffix has them.
        assert!(
            t.names
                .iter()
                .any(|s| s.form(true, false).ends_with("ська")
                    && s.form(true, true).ends_with("ская"))
        );
    }
}
