//! The Ukrainian national romanisation, Cabinet of Ministers of Ukraine resolution No. 55 of
//! 27 January 2010: the spelling of Ukrainian passports, road signs and the gazetteer.

use super::{in_upper_run, push_cased, word_initial};

/// Romanises Ukrainian text by resolution No. 55 (2010), exactly: Є Ї Й Ю Я are Ye Yi Y Yu Ya
/// at the start of a word and ie i i iu ia elsewhere; зг is zgh (so that it is not read as ж);
/// the soft sign and the apostrophe are dropped; case is kept. Characters that are not
/// Ukrainian letters pass through unchanged.
pub fn romanize_uk(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for (i, &c) in chars.iter().enumerate() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let initial = word_initial(&chars, i);
        let latin = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            // зг → zgh: the resolution's own exception (Згорани Zghorany, Розгон Rozghon).
            'г' if i > 0 && matches!(chars[i - 1], 'з' | 'З') => "gh",
            'г' => "h",
            'ґ' => "g",
            'д' => "d",
            'е' => "e",
            'є' if initial => "ye",
            'є' => "ie",
            'ж' => "zh",
            'з' => "z",
            'и' => "y",
            'і' => "i",
            'ї' if initial => "yi",
            'ї' => "i",
            'й' if initial => "y",
            'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ь' => "",
            'ю' if initial => "yu",
            'ю' => "iu",
            'я' if initial => "ya",
            'я' => "ia",
            // The apostrophe is not romanised (Знам'янка → Znamianka), in any of its glyphs,
            // when it stands between letters.
            a if crate::text::fold::is_apostrophe(a)
                && i > 0
                && chars[i - 1].is_alphabetic()
                && chars.get(i + 1).is_some_and(|n| n.is_alphabetic()) =>
            {
                ""
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        push_cased(&mut out, latin, c.is_uppercase(), in_upper_run(&chars, i));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::romanize_uk;

    /// The examples printed in the resolution's own table, every one.
    #[test]
    fn resolution_55_examples() {
        let pairs = [
            ("Алушта", "Alushta"),
            ("Андрій", "Andrii"),
            ("Борщагівка", "Borshchahivka"),
            ("Борисенко", "Borysenko"),
            ("Вінниця", "Vinnytsia"),
            ("Володимир", "Volodymyr"),
            ("Гадяч", "Hadiach"),
            ("Богдан", "Bohdan"),
            ("Згурський", "Zghurskyi"),
            ("Ґалаґан", "Galagan"),
            ("Ґорґани", "Gorgany"),
            ("Донецьк", "Donetsk"),
            ("Дмитро", "Dmytro"),
            ("Рівне", "Rivne"),
            ("Олег", "Oleh"),
            ("Есмань", "Esman"),
            ("Єнакієве", "Yenakiieve"),
            ("Гаєвич", "Haievych"),
            ("Короп'є", "Koropie"),
            ("Житомир", "Zhytomyr"),
            ("Жанна", "Zhanna"),
            ("Жежелів", "Zhezheliv"),
            ("Закарпаття", "Zakarpattia"),
            ("Казимирчук", "Kazymyrchuk"),
            ("Медвин", "Medvyn"),
            ("Михайленко", "Mykhailenko"),
            ("Іванків", "Ivankiv"),
            ("Іващенко", "Ivashchenko"),
            ("Їжакевич", "Yizhakevych"),
            ("Кадиївка", "Kadyivka"),
            ("Мар'їне", "Marine"),
            ("Йосипівка", "Yosypivka"),
            ("Стрий", "Stryi"),
            ("Олексій", "Oleksii"),
            ("Київ", "Kyiv"),
            ("Коваленко", "Kovalenko"),
            ("Лебедин", "Lebedyn"),
            ("Леонід", "Leonid"),
            ("Миколаїв", "Mykolaiv"),
            ("Маринич", "Marynych"),
            ("Ніжин", "Nizhyn"),
            ("Наталія", "Nataliia"),
            ("Одеса", "Odesa"),
            ("Онищенко", "Onyshchenko"),
            ("Полтава", "Poltava"),
            ("Петро", "Petro"),
            ("Решетилівка", "Reshetylivka"),
            ("Рибчинський", "Rybchynskyi"),
            ("Суми", "Sumy"),
            ("Соломія", "Solomiia"),
            ("Тернопіль", "Ternopil"),
            ("Троць", "Trots"),
            ("Ужгород", "Uzhhorod"),
            ("Уляна", "Uliana"),
            ("Фастів", "Fastiv"),
            ("Філіпчук", "Filipchuk"),
            ("Харків", "Kharkiv"),
            ("Христина", "Khrystyna"),
            ("Біла Церква", "Bila Tserkva"),
            ("Стеценко", "Stetsenko"),
            ("Чернівці", "Chernivtsi"),
            ("Шевченко", "Shevchenko"),
            ("Шостка", "Shostka"),
            ("Кишеньки", "Kyshenky"),
            ("Щербухи", "Shcherbukhy"),
            ("Гоща", "Hoshcha"),
            ("Гаращенко", "Harashchenko"),
            ("Юрій", "Yurii"),
            ("Корюківка", "Koriukivka"),
            ("Яготин", "Yahotyn"),
            ("Ярошенко", "Yaroshenko"),
            ("Костянтин", "Kostiantyn"),
            ("Знам'янка", "Znamianka"),
            ("Феодосія", "Feodosiia"),
            ("Згорани", "Zghorany"),
            ("Розгон", "Rozghon"),
        ];
        for (uk, en) in pairs {
            assert_eq!(romanize_uk(uk), en, "{uk}");
        }
    }

    #[test]
    fn every_apostrophe_glyph_is_dropped() {
        for s in ["Знам'янка", "Знам’янка", "Знамʼянка"] {
            assert_eq!(romanize_uk(s), "Znamianka", "{s}");
        }
    }

    #[test]
    fn capitals_and_word_starts() {
        assert_eq!(romanize_uk("ЩУКА Юлія"), "SHCHUKA Yuliia");
        assert_eq!(romanize_uk("Ющенко"), "Yushchenko");
        assert_eq!(romanize_uk("ЗГОРАНИ"), "ZGHORANY");
        assert_eq!(
            romanize_uk("Коваленко Олена Петрівна"),
            "Kovalenko Olena Petrivna"
        );
        assert_eq!(romanize_uk("вул. Ярославська, 5"), "vul. Yaroslavska, 5");
        assert_eq!(romanize_uk("Яр Ярослав-Їжак"), "Yar Yaroslav-Yizhak");
    }
}
