//! Policy documents: the school's rules as data (SPEC §7).
//!
//! A policy is one document, written in TOML by people or JSON by machines,
//! deserialised into the same [`Policy`] model. It has an identity, the
//! school's named roles and local bodies, and one rule table per domain.
//!
//! Loading goes through three steps, each in its own module:
//! - [`load`] parses the text (errors carry line and column) and *resolves*
//!   the document: a policy that says `extends = "<preset>"` starts from that
//!   preset and overrides or adds rules by id, or removes them with `remove`;
//!   a policy without `extends` must be complete.
//! - [`floor`] checks the resolved policy against the baseline's floor rules:
//!   every floor rule must be present and no weaker. A school may tighten the
//!   floor (an earlier deadline, a stronger outcome, more referrals) and may
//!   cite its own section for it; it may not drop or loosen it.
//! - [`presets`] holds the policies compiled into the library (one file each
//!   in `core/presets/`), parsed once, on first use.
//!
//! The resolved policy is what the engine evaluates and what the digest in
//! every decision is computed over.

pub mod floor;
pub mod load;
pub mod presets;
mod toml_json;
mod wire;

pub(crate) use toml_json::DATETIME_KEY;

use crate::vocab::{ActionToken, Cite, Deadline, Outcome, Referral, Who};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole policy document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Who this policy is and where it comes from.
    pub policy: Identity,
    /// The school's own named roles (DSL, headteacher, ...).
    #[serde(default)]
    pub roles: BTreeMap<Who, Contact>,
    /// The local bodies the school refers to (LADO, children's social care, ...).
    #[serde(default)]
    pub bodies: BTreeMap<Who, Contact>,
    /// The school day, for requests that give a time instead of a period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timetable: Option<crate::civil::Timetable>,
    /// Youth-produced sexual imagery.
    #[serde(default)]
    pub sexting: SextingSection,
    /// Mobile phones and personal devices.
    #[serde(default)]
    pub devices: crate::devices::DevicesSection,
    /// Publishing photos and videos of pupils.
    #[serde(default)]
    pub images: crate::images::ImagesSection,
    /// Routing an online-safety incident: who is told, by when.
    #[serde(default)]
    pub escalation: crate::escalation::EscalationSection,
}

/// Identity and provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// Stable id, lower-case letters, digits and hyphens (`hilldene-primary`).
    pub id: String,
    /// The school or policy name.
    pub name: String,
    /// The policy's own version (a school's review date, or a release).
    pub version: String,
    /// The source document: a file under `shared/policies/`, or guidance.
    pub source: String,
    /// The policy this one builds on; absent for a complete document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
}

/// A named person or body, as the policy gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The role or body as the school names it ("Families First Access Point").
    pub title: String,
    /// The person's name, where the policy gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Opening hours, where the policy gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    /// A separate route outside those hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_hours: Option<OutOfHours>,
    /// Where the policy names this contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<Cite>,
}

/// An out-of-hours route of a local body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfHours {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// When this route applies, e.g. "17:00-08:30".
    pub hours: String,
    /// Only for a child at immediate risk (immediate danger or a threat to
    /// life); otherwise the daytime route applies when it opens.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub emergency_only: bool,
}

impl Contact {
    /// One line for a decision's `contact` field: name, title and phone.
    pub fn one_line(&self) -> String {
        let mut s = String::new();
        if let Some(name) = &self.name {
            s.push_str(name);
            s.push_str(", ");
        }
        s.push_str(&self.title);
        if let Some(phone) = &self.phone {
            s.push_str(", ");
            s.push_str(phone);
        }
        if let Some(hours) = &self.hours {
            s.push_str(" (");
            s.push_str(hours);
            s.push(')');
        }
        if let Some(ooh) = &self.out_of_hours {
            s.push_str("; out of hours: ");
            s.push_str(&ooh.title);
            if let Some(phone) = &ooh.phone {
                s.push_str(", ");
                s.push_str(phone);
            }
            s.push_str(" (");
            s.push_str(&ooh.hours);
            s.push(')');
        }
        s
    }
}

/// The sexting rule table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SextingSection {
    /// Ids of inherited rules to drop (never a floor rule).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// Decision rules: when a condition holds, the outcome it requires.
    #[serde(default)]
    pub rules: Vec<SextingRule>,
    /// Steps to take, with who and by when.
    #[serde(default)]
    pub actions: Vec<SextingAction>,
    /// The DSL's initial-review checklist.
    #[serde(default)]
    pub checklist: Vec<ChecklistEntry>,
}

crate::vocab::tokens! {
    /// What a sexting rule or action is triggered by.
    pub enum When {
        // The immediate-referral criteria (also usable by rules).
        AdultInvolved = "adult_involved",
        CoercionBlackmailOrGrooming = "coercion_blackmail_or_grooming",
        CapacityToConsentConcern = "capacity_to_consent_concern",
        ContentAtypicalForDevelopment = "content_atypical_for_development",
        ContentViolent = "content_violent",
        Under13SexualActs = "under_13_sexual_acts",
        ImmediateRiskOfHarm = "immediate_risk_of_harm",
        /// No criterion holds and at least one is unknown.
        CriterionUnknown = "criterion_unknown",
        /// Every criterion is known not to hold.
        NoCriterionHolds = "no_criterion_holds",
        // Facts that add reasons and actions.
        FinanciallyMotivatedExtortion = "financially_motivated_extortion",
        AiGeneratedOrManipulated = "ai_generated_or_manipulated",
        ParentalInvolvementWouldRiskChild = "parental_involvement_would_risk_child",
        /// Telling the parents is known not to put the child at risk (the
        /// fact is `no`, not unknown).
        ParentalInvolvementKnownSafe = "parental_involvement_known_safe",
        // For actions only: every case, or by outcome.
        Always = "always",
        /// The outcome is `refer_immediately` or stronger.
        ReferImmediately = "refer_immediately",
        ChildSexualAbuse = "child_sexual_abuse",
        NeedMoreInformation = "need_more_information",
        DslMayManageInSchool = "dsl_may_manage_in_school",
    }
}

impl When {
    /// Triggers that depend on the outcome, so only actions may use them.
    pub fn is_outcome_trigger(self) -> bool {
        matches!(
            self,
            When::Always
                | When::ReferImmediately
                | When::ChildSexualAbuse
                | When::NeedMoreInformation
                | When::DslMayManageInSchool
        )
    }
}

/// A sexting decision rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SextingRule {
    /// Stable id; floor rules start `sexting.floor.`.
    pub id: String,
    /// Part of the national floor (baseline only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub floor: bool,
    /// The rule applies when any of these holds.
    pub when: Vec<When>,
    /// The outcome it requires; none for rules that only explain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Who the case is referred to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referral_to: Vec<Referral>,
    /// The rule in one line, in the project's own words.
    pub summary: String,
    pub cite: Cite,
}

/// A step a sexting case requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SextingAction {
    pub id: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub floor: bool,
    pub action: ActionToken,
    pub who: Who,
    pub deadline: Deadline,
    /// The step applies when any of these holds.
    pub when: Vec<When>,
    /// ...unless this fact is `yes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<When>,
    /// The step in one line, in the project's own words.
    pub detail: String,
    pub cite: Cite,
}

/// One question of the initial review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistEntry {
    pub item: String,
    pub question: String,
}

/// Anything in a policy with a stable id.
pub(crate) trait HasId {
    fn id(&self) -> &str;
}

impl HasId for SextingRule {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for SextingAction {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for ChecklistEntry {
    fn id(&self) -> &str {
        &self.item
    }
}
