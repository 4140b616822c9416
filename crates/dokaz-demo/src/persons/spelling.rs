//! One human's name and the ways agencies write it: Ukrainian or Russian Cyrillic in the
//! official order (family, given, patronymic), or a romanisation in Western order.

use dokaz_model::PersonName;

use crate::gen::Gen;
use crate::names::{FEMALE, MALE, RU_SURNAMES, SURNAMES};
use crate::romanize::{romanize, System};

/// How an agency writes names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    UkCyrillic,
    RuCyrillic,
    Latin(System),
}

/// A name in its Ukrainian and Russian forms (equal for Russian citizens).
#[derive(Debug, Clone)]
pub(crate) struct Human {
    given: [&'static str; 2],
    family: [&'static str; 2],
    patronymic: [&'static str; 2],
    russian: bool,
}

impl Human {
    pub fn ukrainian(g: &mut Gen, female: bool) -> Self {
        let father = g.pick(MALE);
        let given = if female {
            let (uk, ru) = *g.pick(FEMALE);
            [uk, ru]
        } else {
            let m = g.pick(MALE);
            [m.uk, m.ru]
        };
        let (fuk, fru) = *g.pick(SURNAMES);
        let [pm_uk, pf_uk, pm_ru, pf_ru] = father.patronymic;
        let patronymic = if female {
            [pf_uk, pf_ru]
        } else {
            [pm_uk, pm_ru]
        };
        Self {
            given,
            family: [fuk, fru],
            patronymic,
            russian: false,
        }
    }

    /// A Russian serviceman: Russian forms only.
    pub fn russian(g: &mut Gen) -> Self {
        let m = g.pick(MALE);
        let father = g.pick(MALE);
        let family = *g.pick(RU_SURNAMES);
        Self {
            given: [m.ru, m.ru],
            family: [family, family],
            patronymic: [father.patronymic[2], father.patronymic[2]],
            russian: true,
        }
    }

    /// The name in `style`; `with_patronymic` adds the patronymic to Latin spellings, which
    /// usually leave it out.
    pub fn spell(&self, style: Style, with_patronymic: bool) -> PersonName {
        let form =
            |pair: [&'static str; 2], ru: bool| if ru || self.russian { pair[1] } else { pair[0] };
        match style {
            Style::UkCyrillic | Style::RuCyrillic => {
                let ru = style == Style::RuCyrillic;
                let (given, family, patronymic) = (
                    form(self.given, ru),
                    form(self.family, ru),
                    form(self.patronymic, ru),
                );
                PersonName {
                    full: format!("{family} {given} {patronymic}"),
                    given: given.to_owned(),
                    family: family.to_owned(),
                    patronymic: patronymic.to_owned(),
                }
            }
            Style::Latin(system) => {
                let ru = system == System::RuPassport;
                let r = |pair| romanize(form(pair, ru), system);
                let (given, family) = (r(self.given), r(self.family));
                let patronymic = if with_patronymic {
                    r(self.patronymic)
                } else {
                    String::new()
                };
                let full = if patronymic.is_empty() {
                    format!("{given} {family}")
                } else {
                    format!("{given} {patronymic} {family}")
                };
                PersonName {
                    full,
                    given,
                    family,
                    patronymic,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_many_spellings() {
        let h = Human {
            given: ["Олена", "Елена"],
            family: ["Коваленко", "Коваленко"],
            patronymic: ["Петрівна", "Петровна"],
            russian: false,
        };
        assert_eq!(
            h.spell(Style::UkCyrillic, false).full,
            "Коваленко Олена Петрівна"
        );
        assert_eq!(
            h.spell(Style::RuCyrillic, false).full,
            "Коваленко Елена Петровна"
        );
        assert_eq!(
            h.spell(Style::Latin(System::UkNational), false).full,
            "Olena Kovalenko"
        );
        assert_eq!(
            h.spell(Style::Latin(System::Polish), false).full,
            "Olena Kowalenko"
        );
        assert_eq!(
            h.spell(Style::Latin(System::RuPassport), true).full,
            "Elena Petrovna Kovalenko"
        );
    }
}
