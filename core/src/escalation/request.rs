//! An escalation request: the concern's category, whom it is about, the
//! yes/no facts known (`Flags`, each omitted flag unknown), and when it was
//! reported. What the routing rules read of it lives here, below the rules
//! and the decision, so both can read it without importing each other.

use super::vocab::*;
use crate::civil::LocalDateTime;
use crate::error::{Error, Location, Result};
crate::wire::json_in::wire_struct! {
    /// An escalation request (vocabulary: `escalation`).
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct EscalationRequest {
        envelope(EscalationDomain, "escalation"),
        /// The kind of incident (such as `cyberbullying` or `staff_misuse`).
        required category: Category,
        /// Whom the concern is about (such as `pupil`, `staff` or `headteacher`).
        required concern_about: ConcernAbout,
        /// The yes/no facts known; omitted flags are not known.
        default flags: Flags,
        /// When the concern was reported (local school time).
        required reported_at: LocalDateTime,
    }
}

crate::vocab::tokens! {
    /// The only domain token an escalation request may carry.
    pub enum EscalationDomain {
        Escalation = "escalation",
    }
}

crate::wire::json_in::wire_struct! {
    /// Yes/no facts about the incident. A flag left out (or null) is not known:
    /// the rules read it as not set, and the answer names it among `unknowns`
    /// where setting it would change the route (SPEC §1.1), so an omission is
    /// never silently the smaller plan.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Flags {
        /// Someone is in immediate danger or at immediate risk of harm (police 999,
        /// before anything else).
        optional immediate_danger: Option<bool>,
        /// A crime is suspected.
        optional criminal_offence_suspected: Option<bool>,
        /// It is not yet clear whether a crime has been committed.
        optional criminal_offence_unclear: Option<bool>,
        /// The incident involves illegal material, such as indecent images of
        /// children.
        optional illegal_material: Option<bool>,
        /// The school's own systems were used.
        optional on_school_systems: Option<bool>,
        /// It happened outside school.
        optional outside_school: Option<bool>,
        /// Pupils or staff of other schools are involved.
        optional other_schools_involved: Option<bool>,
        /// The behaviour is ongoing or repeated (such as persistent bullying).
        optional ongoing_or_repeated: Option<bool>,
        /// There is a threat to someone's life.
        optional threat_to_life: Option<bool>,
        /// Telling the parents or carers would put the child at risk: the plan then
        /// leaves out the steps that notify them.
        optional parental_involvement_would_risk_child: Option<bool>,
        /// The reporter asserts that the concern about a member of staff does
        /// not meet the harm threshold (KCSIE Part four low-level concern).
        optional low_level_concern: Option<bool>,
    }
}

impl Flags {
    /// Whether `flag` is known to be set.
    pub fn get(&self, flag: Flag) -> bool {
        self.given(flag) == Some(true)
    }

    /// What the request says of `flag`: `None` when it leaves it out.
    pub fn given(&self, flag: Flag) -> Option<bool> {
        *self.slot(flag)
    }

    /// Sets `flag` (for building requests in code and tests).
    pub fn set(&mut self, flag: Flag, value: bool) {
        *self.slot_mut(flag) = Some(value);
    }

    fn slot(&self, flag: Flag) -> &Option<bool> {
        match flag {
            Flag::ImmediateDanger => &self.immediate_danger,
            Flag::CriminalOffenceSuspected => &self.criminal_offence_suspected,
            Flag::CriminalOffenceUnclear => &self.criminal_offence_unclear,
            Flag::IllegalMaterial => &self.illegal_material,
            Flag::OnSchoolSystems => &self.on_school_systems,
            Flag::OutsideSchool => &self.outside_school,
            Flag::OtherSchoolsInvolved => &self.other_schools_involved,
            Flag::OngoingOrRepeated => &self.ongoing_or_repeated,
            Flag::ThreatToLife => &self.threat_to_life,
            Flag::ParentalInvolvementWouldRiskChild => &self.parental_involvement_would_risk_child,
            Flag::LowLevelConcern => &self.low_level_concern,
        }
    }

    fn slot_mut(&mut self, flag: Flag) -> &mut Option<bool> {
        match flag {
            Flag::ImmediateDanger => &mut self.immediate_danger,
            Flag::CriminalOffenceSuspected => &mut self.criminal_offence_suspected,
            Flag::CriminalOffenceUnclear => &mut self.criminal_offence_unclear,
            Flag::IllegalMaterial => &mut self.illegal_material,
            Flag::OnSchoolSystems => &mut self.on_school_systems,
            Flag::OutsideSchool => &mut self.outside_school,
            Flag::OtherSchoolsInvolved => &mut self.other_schools_involved,
            Flag::OngoingOrRepeated => &mut self.ongoing_or_repeated,
            Flag::ThreatToLife => &mut self.threat_to_life,
            Flag::ParentalInvolvementWouldRiskChild => {
                &mut self.parental_involvement_would_risk_child
            }
            Flag::LowLevelConcern => &mut self.low_level_concern,
        }
    }
}

/// The flags that say a concern may meet the harm threshold (KCSIE Part
/// four): with any of them set, a `low_level_concern` flag does not count
/// and a concern about staff takes the allegations route, LADO included.
/// A suspected or possible offence, illegal material, danger, a threat to
/// life, and a pattern (repeated low-level concerns may together meet the
/// threshold, so they go to the LADO for a view).
pub const HARM_FLAGS: [Flag; 6] = [
    Flag::ImmediateDanger,
    Flag::ThreatToLife,
    Flag::CriminalOffenceSuspected,
    Flag::CriminalOffenceUnclear,
    Flag::IllegalMaterial,
    Flag::OngoingOrRepeated,
];

/// Categories that are child protection in themselves, or harm to a child
/// (an adult bullying a pupil online, or targeting one with hate): an adult
/// in the school involved in one of them may meet the harm threshold
/// whatever the report says, so `low_level_concern` does not count for them.
pub const HARM_CATEGORIES: [Category; 9] = [
    Category::Sexting,
    Category::Cyberbullying,
    Category::OnlineHate,
    Category::OnlineSexualAbuse,
    Category::IndecentImages,
    Category::InappropriateContact,
    Category::SexualHarassment,
    Category::SelfHarmContent,
    Category::Radicalisation,
];

/// Whom a low-level concern can be about: members of staff, the head and
/// the DSL (KCSIE Part four). A concern about a governor keeps the LADO.
pub const LOW_LEVEL_ABOUT: [ConcernAbout; 3] = [
    ConcernAbout::Staff,
    ConcernAbout::Headteacher,
    ConcernAbout::Dsl,
];

impl Flags {
    /// Whether `low_level_concern` counts for a concern of `category` about
    /// `about`: it is set, the concern is about staff, the category is not
    /// child protection in itself and no harm flag is set. The flag is the
    /// reporter's word that the harm threshold is not met, so it can only
    /// lower the route when everything else known agrees.
    pub fn low_level_applies(&self, category: Category, about: ConcernAbout) -> bool {
        self.get(Flag::LowLevelConcern)
            && LOW_LEVEL_ABOUT.contains(&about)
            && !HARM_CATEGORIES.contains(&category)
            && !HARM_FLAGS.iter().any(|f| self.get(*f))
    }

    /// The flags the routing rules read: `low_level_concern` cleared where
    /// it does not count ([`Flags::low_level_applies`]).
    pub fn effective(self, category: Category, about: ConcernAbout) -> Flags {
        Flags {
            low_level_concern: Some(self.low_level_applies(category, about)),
            ..self
        }
    }
}

impl EscalationRequest {
    /// Nothing beyond the types: every combination of facts is a case.
    pub fn validate(&self) -> Result<()> {
        let year = chrono::Datelike::year(&self.reported_at.0);
        if !(1900..=9998).contains(&year) {
            return Err(Error::InvalidValue {
                at: Location::path("$.reported_at"),
                message: "a year outside 1900-9998".into(),
            });
        }
        Ok(())
    }
}
