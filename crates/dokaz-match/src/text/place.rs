//! Place names through the matching key and the embedded gazetteer: Буча, Bucha and Bucza,
//! or Ірпінь, Ирпень, Irpin and Irpen', resolve to the same gazetteer entries.

use std::collections::HashMap;
use std::sync::OnceLock;

use dokaz_gazetteer::{Gazetteer, Place};

use super::key::latin_key;
use super::similarity::token_similarity;

/// The gazetteer's places by the matching key of every name they are known by.
#[derive(Debug)]
pub struct PlaceIndex<'g> {
    gazetteer: &'g Gazetteer,
    by_key: HashMap<String, Vec<u32>>,
}

impl PlaceIndex<'static> {
    /// The index of the embedded gazetteer, built on first use (a fraction of a second in a
    /// release build) and kept for the process.
    pub fn embedded() -> &'static PlaceIndex<'static> {
        static INDEX: OnceLock<PlaceIndex<'static>> = OnceLock::new();
        INDEX.get_or_init(|| PlaceIndex::new(Gazetteer::embedded()))
    }
}

impl<'g> PlaceIndex<'g> {
    pub fn new(gazetteer: &'g Gazetteer) -> Self {
        let mut by_key: HashMap<String, Vec<u32>> =
            HashMap::with_capacity(gazetteer.places().len() * 3);
        for (i, place) in gazetteer.places().iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            for name in place.all_names() {
                let key = latin_key(name);
                if key.is_empty() {
                    continue; // a name in another script (Greek, Georgian, CJK …)
                }
                let ids = by_key.entry(key).or_default();
                if ids.last() != Some(&i) {
                    ids.push(i);
                }
            }
        }
        // Largest first: a bare "Bucha" in a record more likely means the city than a hamlet.
        for ids in by_key.values_mut() {
            ids.sort_by_key(|&i| {
                std::cmp::Reverse(gazetteer.places()[i as usize].population.unwrap_or(0))
            });
            ids.dedup();
        }
        Self { gazetteer, by_key }
    }

    /// Every place a name may mean, largest population first; several when the name is
    /// ambiguous (there are many Олександрівка). A settlement-type word (м., с., смт, city,
    /// village …) before the name and anything after a comma are ignored.
    pub fn resolve(&self, name: &str) -> Vec<&'g Place> {
        let places = self.gazetteer.places();
        self.by_key
            .get(&place_key(name))
            .map(|ids| ids.iter().map(|&i| &places[i as usize]).collect())
            .unwrap_or_default()
    }

    /// [`PlaceIndex::resolve`] narrowed to one oblast, named in any script or form
    /// ("Київська область", "Kyiv Oblast", "Kievskaya oblast'").
    pub fn resolve_in(&self, name: &str, oblast: &str) -> Vec<&'g Place> {
        let wanted = latin_key(oblast);
        let wanted = wanted.split(' ').next().unwrap_or("");
        self.resolve(name)
            .into_iter()
            .filter(|p| oblast_matches(wanted, &p.oblast))
            .collect()
    }
}

/// Whether the first word of a wanted oblast name (as a key) names the place's oblast: the
/// adjective (Київська, Kharkivs'ka, Харьковская) starts with the oblast's own name, up to
/// a Ukrainian-Russian vowel difference or the adjective's consonant (Одеська, Odesa).
fn oblast_matches(wanted: &str, oblast: &str) -> bool {
    let have = latin_key(oblast);
    let have = have.split(' ').next().unwrap_or("");
    if wanted.is_empty() || have.is_empty() {
        return false;
    }
    // Russian Киев- keeps a vowel the Ukrainian Київ- lost.
    let wanted = match wanted.strip_prefix("kiev") {
        Some(rest) => format!("kiv{rest}"),
        None => wanted.to_owned(),
    };
    let n = have.len();
    (n.saturating_sub(1)..=n + 1)
        .filter_map(|len| wanted.get(..len.min(wanted.len())))
        .any(|prefix| token_similarity(prefix, have) >= super::NAME_MATCH_THRESHOLD)
}

/// The key of a place name as records write it: the text before any comma ("Буча, Київська
/// обл."), without a leading settlement-type word.
pub fn place_key(name: &str) -> String {
    let head = name.split(',').next().unwrap_or("");
    let key = latin_key(head);
    let mut words = key.split(' ').peekable();
    while let Some(w) = words.peek() {
        // м. місто, г. город, с. село, смт, пгт, сел., selo, city, town, village (as keys).
        let is_type = matches!(
            *w,
            "m" | "h"
                | "s"
                | "smt"
                | "pht"
                | "sel"
                | "selo"
                | "misto"
                | "horod"
                | "selixe"
                | "posiolok"
                | "poselok"
                | "tsiti"
                | "tovn"
                | "vilahe"
                | "of"
        );
        if is_type && words.clone().nth(1).is_some() {
            words.next();
        } else {
            break;
        }
    }
    words.collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn katotth(name: &str) -> Vec<String> {
        PlaceIndex::embedded()
            .resolve(name)
            .iter()
            .map(|p| p.katotth.clone())
            .collect()
    }

    const BUCHA: &str = "UA32080070010087821";
    const IRPIN: &str = "UA32080150010049888";
    const KHARKIV: &str = "UA63120270010096107";

    #[test]
    fn bucha_in_three_scripts() {
        for n in [
            "Буча",
            "Bucha",
            "Bucza",
            "м. Буча",
            "Буча, Київська обл.",
            "city of Bucha",
        ] {
            assert_eq!(katotth(n).first().map(String::as_str), Some(BUCHA), "{n}");
        }
    }

    #[test]
    fn irpin_ukrainian_russian_and_old_romanisations() {
        for n in ["Ірпінь", "Ирпень", "Irpin", "Irpen'", "Irpen", "Irpień"] {
            assert!(katotth(n).iter().any(|k| k == IRPIN), "{n}");
        }
    }

    #[test]
    fn kharkiv_and_kharkov() {
        for n in [
            "Харків",
            "Харьков",
            "Kharkiv",
            "Kharkov",
            "Charkiw",
            "Khar'kov",
        ] {
            assert_eq!(katotth(n).first().map(String::as_str), Some(KHARKIV), "{n}");
        }
    }

    #[test]
    fn ambiguous_names_return_every_place() {
        let all = PlaceIndex::embedded().resolve("Олександрівка");
        assert!(all.len() > 20, "{}", all.len());
        let in_kyiv = PlaceIndex::embedded().resolve_in("Олександрівка", "Київська область");
        assert!(!in_kyiv.is_empty() && in_kyiv.len() < all.len());
        assert!(
            in_kyiv.iter().all(|p| p.oblast == "Kyiv Oblast"),
            "{in_kyiv:?}"
        );
    }

    #[test]
    fn oblast_in_any_form() {
        for o in [
            "Київська область",
            "Kyiv Oblast",
            "Kievskaya oblast'",
            "Киевская обл.",
        ] {
            assert!(
                !PlaceIndex::embedded().resolve_in("Буча", o).is_empty(),
                "{o}"
            );
        }
        assert!(PlaceIndex::embedded()
            .resolve_in("Буча", "Харківська")
            .is_empty());
    }

    #[test]
    fn unknown_names_resolve_to_nothing() {
        assert!(PlaceIndex::embedded().resolve("Atlantis").is_empty());
        assert!(PlaceIndex::embedded().resolve("").is_empty());
    }
}

#[cfg(test)]
mod gazetteer_keys {
    use super::*;
    use crate::text::{name_similarity, NAME_MATCH_THRESHOLD};

    /// The gazetteer's own national romanisations key like their Ukrainian names, and its
    /// Russian names mostly pass the name threshold (the rest differ as words: Вільне/Вольное).
    #[test]
    fn ukrainian_names_and_their_romanisations_share_keys() {
        let g = Gazetteer::embedded();
        let (mut n, mut same, mut ru_n, mut ru_pass) = (0, 0, 0, 0);
        for p in g.places().iter().filter(|p| !p.name_uk.is_empty()) {
            if !p.name_en.is_empty() {
                n += 1;
                same += usize::from(latin_key(&p.name_uk) == latin_key(&p.name_en));
            }
            if !p.name_ru.is_empty() {
                ru_n += 1;
                ru_pass +=
                    usize::from(name_similarity(&p.name_uk, &p.name_ru) >= NAME_MATCH_THRESHOLD);
            }
        }
        assert!(same as f64 >= 0.999 * n as f64, "{same}/{n}");
        assert!(ru_pass as f64 >= 0.95 * ru_n as f64, "{ru_pass}/{ru_n}");
    }
}
