//! Crimes under the Rome Statute (arts. 6, 7, 8, 8 bis) and the Criminal Code of Ukraine
//! (arts. 437, 438, 442), coded by article and paragraph: `rs-8-2-b-ix` is Rome Statute
//! art. 8(2)(b)(ix).

use super::code::vocabulary;

/// Which body of law a crime code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Statute {
    RomeStatute,
    CriminalCodeOfUkraine,
}

vocabulary! {
    /// A legal qualification of an incident.
    Crime, "crime", "" {
        // Art. 6 genocide: requires intent to destroy a protected group in whole or in part.
        GenocideKilling = "rs-6-a", "Genocide: killing members of the group";
        GenocideSeriousHarm = "rs-6-b", "Genocide: causing serious bodily or mental harm";
        GenocideConditionsOfLife = "rs-6-c", "Genocide: conditions of life calculated to destroy the group";
        GenocidePreventingBirths = "rs-6-d", "Genocide: measures intended to prevent births";
        GenocideTransferOfChildren = "rs-6-e", "Genocide: forcibly transferring children of the group";
        // Art. 7 crimes against humanity: widespread or systematic attack on civilians.
        CahMurder = "rs-7-1-a", "Crime against humanity: murder";
        CahExtermination = "rs-7-1-b", "Crime against humanity: extermination";
        CahEnslavement = "rs-7-1-c", "Crime against humanity: enslavement";
        CahDeportation = "rs-7-1-d", "Crime against humanity: deportation or forcible transfer";
        CahImprisonment = "rs-7-1-e", "Crime against humanity: imprisonment";
        CahTorture = "rs-7-1-f", "Crime against humanity: torture";
        CahSexualViolence = "rs-7-1-g", "Crime against humanity: rape and sexual violence";
        CahPersecution = "rs-7-1-h", "Crime against humanity: persecution";
        CahEnforcedDisappearance = "rs-7-1-i", "Crime against humanity: enforced disappearance";
        CahApartheid = "rs-7-1-j", "Crime against humanity: apartheid";
        CahOtherInhumaneActs = "rs-7-1-k", "Crime against humanity: other inhumane acts";
        // Art. 8(2)(a) grave breaches of the Geneva Conventions.
        WcWilfulKilling = "rs-8-2-a-i", "War crime: wilful killing";
        WcTorture = "rs-8-2-a-ii", "War crime: torture or inhuman treatment";
        WcGreatSuffering = "rs-8-2-a-iii", "War crime: wilfully causing great suffering";
        WcDestructionOfProperty = "rs-8-2-a-iv", "War crime: extensive destruction and appropriation of property";
        WcCompellingService = "rs-8-2-a-v", "War crime: compelling service in hostile forces";
        WcDenialOfFairTrial = "rs-8-2-a-vi", "War crime: denying a fair trial";
        WcUnlawfulDeportation = "rs-8-2-a-vii", "War crime: unlawful deportation or transfer";
        WcHostageTaking = "rs-8-2-a-viii", "War crime: taking hostages";
        // Art. 8(2)(b) other serious violations in international armed conflict.
        WcAttackingCivilians = "rs-8-2-b-i", "War crime: attacking civilians";
        WcAttackingCivilianObjects = "rs-8-2-b-ii", "War crime: attacking civilian objects";
        WcExcessiveIncidentalHarm = "rs-8-2-b-iv", "War crime: disproportionate attack";
        WcAttackingUndefendedPlaces = "rs-8-2-b-v", "War crime: attacking undefended towns or buildings";
        WcKillingHorsDeCombat = "rs-8-2-b-vi", "War crime: killing or wounding a person hors de combat";
        WcDeportationFromOccupiedTerritory = "rs-8-2-b-viii", "War crime: deportation or transfer of the population of occupied territory";
        WcAttackingProtectedObjects = "rs-8-2-b-ix", "War crime: attacking buildings for religion, education, art, science, charity, historic monuments or hospitals";
        WcPillage = "rs-8-2-b-xvi", "War crime: pillaging";
        WcProhibitedWeapons = "rs-8-2-b-xx", "War crime: employing prohibited weapons or methods";
        WcOutragesUponDignity = "rs-8-2-b-xxi", "War crime: outrages upon personal dignity";
        WcSexualViolence = "rs-8-2-b-xxii", "War crime: rape and sexual violence";
        WcHumanShields = "rs-8-2-b-xxiii", "War crime: using protected persons as shields";
        WcStarvation = "rs-8-2-b-xxv", "War crime: starvation of civilians";
        WcChildSoldiers = "rs-8-2-b-xxvi", "War crime: conscripting or using children under fifteen";
        // Art. 8 bis.
        Aggression = "rs-8bis", "Crime of aggression";
        // Criminal Code of Ukraine.
        UaAggressiveWar = "ua-cc-437", "CC Ukraine art. 437: planning, preparing or waging an aggressive war";
        UaLawsOfWar = "ua-cc-438", "CC Ukraine art. 438: violation of the laws and customs of war";
        UaGenocide = "ua-cc-442", "CC Ukraine art. 442: genocide";
    }
}

impl Crime {
    pub fn statute(self) -> Statute {
        if self.code().starts_with("ua-cc-") {
            Statute::CriminalCodeOfUkraine
        } else {
            Statute::RomeStatute
        }
    }

    /// Crimes whose pattern analysis must consider genocidal intent: art. 6 and art. 442, and
    /// the underlying acts the DESIGN names (transfer and deportation of children).
    pub fn is_genocide(self) -> bool {
        self.code().starts_with("rs-6-") || self == Crime::UaGenocide
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for c in Crime::ALL {
            assert!(seen.insert(c.code()), "duplicate code {}", c.code());
            assert_eq!(Crime::from_code(c.code()).unwrap(), *c);
        }
        assert!(Crime::ALL.len() >= 40);
    }

    #[test]
    fn parsing_is_forgiving_about_case_and_space_but_not_codes() {
        assert_eq!(
            Crime::from_code(" RS-8-2-B-IX ").unwrap(),
            Crime::WcAttackingProtectedObjects
        );
        let err = Crime::from_code("rs-9").unwrap_err();
        assert_eq!(err.to_string(), "unknown crime code \"rs-9\"");
    }

    #[test]
    fn statutes() {
        assert_eq!(Crime::UaLawsOfWar.statute(), Statute::CriminalCodeOfUkraine);
        assert_eq!(Crime::Aggression.statute(), Statute::RomeStatute);
        assert!(Crime::GenocideTransferOfChildren.is_genocide());
        assert!(!Crime::WcPillage.is_genocide());
    }
}
