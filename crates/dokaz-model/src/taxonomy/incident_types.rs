//! What happened, as a factual category separate from its legal qualification: the same
//! shelling may be qualified under several articles, and analysts count both.

use super::code::vocabulary;

vocabulary! {
    /// The kind of event.
    IncidentType, "incident type", "type:" {
        Shelling = "shelling", "Shelling";
        Airstrike = "airstrike", "Airstrike";
        MissileStrike = "missile-strike", "Missile strike";
        DroneStrike = "drone-strike", "Drone strike";
        Killing = "killing", "Killing of civilians";
        Execution = "execution", "Execution of prisoners";
        Torture = "torture", "Torture or ill-treatment";
        SexualViolence = "sexual-violence", "Sexual violence";
        UnlawfulDetention = "unlawful-detention", "Unlawful detention";
        EnforcedDisappearance = "enforced-disappearance", "Enforced disappearance";
        Deportation = "deportation", "Deportation or forcible transfer";
        TransferOfChildren = "transfer-of-children", "Transfer of children";
        Filtration = "filtration", "Filtration";
        Pillage = "pillage", "Pillage";
        Destruction = "destruction", "Destruction of property";
        HostageTaking = "hostage-taking", "Hostage-taking";
        HumanShield = "human-shield", "Use of human shields";
        Siege = "siege", "Siege or starvation";
        ForcedConscription = "forced-conscription", "Forced conscription";
    }
}
