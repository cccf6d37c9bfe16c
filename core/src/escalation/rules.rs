//! The escalation section of a policy: its routing rules, each with the
//! steps it adds when an incident matches, and what "the same day" means
//! after hours.

use super::request::Flags;
use super::vocab::*;
use crate::civil::Timetable;
use crate::contacts::Contacts;
use crate::vocab::{ActionToken, Cite, Deadline, Who};

crate::wire::json_in::wire_struct! {
    /// The escalation table of a policy.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct EscalationSection {
        /// Ids of inherited rules to drop (never a floor rule).
        list remove: Vec<String>,
        /// What "the same day" means for a report after the school day.
        optional same_day_after_hours: Option<AfterHours>,
        /// Where the policy says what "the same day" means after hours.
        optional same_day_cite: Option<Cite>,
        /// The routing rules, in policy order.
        default rules: Vec<EscalationRule>,
    }
}

crate::wire::json_in::wire_struct! {
    /// One routing rule: when it matches, its steps join the plan.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct EscalationRule {
        /// Stable id; floor rules start `escalation.floor.`.
        required id: String,
        /// Part of the national floor (baseline only): a school policy cannot
        /// remove or loosen it.
        flag floor: bool,
        /// The categories it covers; empty means every category.
        list categories: Vec<Category>,
        /// Whom the concern must be about; empty means anyone.
        list about: Vec<ConcernAbout>,
        /// Flags that must all be set.
        list flags: Vec<Flag>,
        /// Flags of which at least one must be set (when given).
        list any_flags: Vec<Flag>,
        /// Flags none of which may be set.
        list unless: Vec<Flag>,
        /// The steps the rule adds to the plan when it matches.
        required steps: Vec<Step>,
        /// The rule in one line, in the project's own words.
        required summary: String,
        /// Where the rule comes from.
        required cite: Cite,
    }
}

crate::wire::json_in::wire_struct! {
    /// One step of a rule.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Step {
        /// What to do (`notify`, `preserve_evidence` and so on).
        required action: ActionToken,
        /// Who is told or does it (`dsl`, `police_999` and so on).
        required who: Who,
        /// How soon (`immediately`, `same_day` and so on).
        required deadline: Deadline,
        /// The step in one line, in the project's own words.
        required detail: String,
    }
}

impl EscalationRule {
    /// Whether the rule applies to an incident of `category`, about
    /// `about`, with `flags`.
    pub fn matches(&self, category: Category, about: ConcernAbout, flags: &Flags) -> bool {
        self.covers(category, about) && self.flags_hold(flags)
    }

    /// Whether the rule is about incidents of `category` about `about`.
    pub fn covers(&self, category: Category, about: ConcernAbout) -> bool {
        (self.categories.is_empty() || self.categories.contains(&category))
            && (self.about.is_empty() || self.about.contains(&about))
    }

    /// Whether `flags` meet the rule's flag conditions.
    pub fn flags_hold(&self, flags: &Flags) -> bool {
        self.flags.iter().all(|f| flags.get(*f))
            && (self.any_flags.is_empty() || self.any_flags.iter().any(|f| flags.get(*f)))
            && !self.unless.iter().any(|f| flags.get(*f))
    }
}

/// What the escalation domain compiles from: a policy's escalation section,
/// the contacts its steps go to, and the school day its clock keeps (not the
/// whole policy).
#[derive(Debug, Clone, Copy)]
pub struct EscalationTable<'a> {
    /// The routing rules and the reading of "the same day".
    pub section: &'a EscalationSection,
    /// The school's roles and bodies: each recipient's contact, and who
    /// holds which role (for conflicts of interest).
    pub contacts: Contacts<'a>,
    /// The school day; the baseline's without one.
    pub timetable: Option<&'a Timetable>,
}
