//! Policy documents: the school's rules as data (SPEC §7).
//!
//! A policy is one document, written in TOML by people or JSON by machines,
//! deserialised into the same [`Policy`] model. It has an identity, the
//! school's named roles and local bodies, and one rule table per domain.
//!
//! Loading goes through three steps, each in its own module:
//! - [`load`] parses the text (errors carry line and column); [`resolve`]
//!   *resolves* the document: a policy that says `extends = "<preset>"` starts from that
//!   preset and overrides or adds rules by id, or removes them with `remove`;
//!   a policy without `extends` must be complete.
//! - [`floor`] checks the resolved policy against the baseline's floor rules:
//!   every floor rule must be present and no weaker. A school may tighten the
//!   floor (an earlier deadline, a stronger outcome, more referrals) and may
//!   cite its own section for it; it may not drop or loosen it.
//! - [`builder`] writes a school's policy from its answers to the question
//!   model (the choices where schools differ), for `safeguard policy new`.
//! - [`presets`] holds the policies compiled into the library (one file each
//!   in `core/presets/`), parsed once, on first use.
//!
//! The resolved policy is what the engine evaluates and what the digest in
//! every decision is computed over.

pub mod builder;
pub mod floor;
pub mod load;
pub mod presets;
pub mod resolve;

pub use crate::contacts::{Contact, Contacts, OutOfHours};
pub use crate::sexting::{
    ChecklistEntry, SextingAction, SextingRule, SextingSection, Trigger, When,
};

use crate::escalation::EscalationTable;
use crate::sexting::SextingTable;

use crate::vocab::Who;
use std::collections::BTreeMap;

crate::wire::json_in::wire_struct! {
    /// A whole policy document.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Policy {
        /// Who this policy is and where it comes from.
        required policy: Identity,
        /// The school's own named roles (DSL, headteacher, ...).
        default roles: BTreeMap<Who, Contact>,
        /// The local bodies the school refers to (LADO, children's social care, ...).
        default bodies: BTreeMap<Who, Contact>,
        /// The school day, for requests that give a time instead of a period.
        optional timetable: Option<crate::civil::Timetable>,
        /// Youth-produced sexual imagery.
        default sexting: SextingSection,
        /// Mobile phones and personal devices.
        default devices: crate::devices::DevicesSection,
        /// Publishing photos and videos of pupils.
        default images: crate::images::ImagesSection,
        /// Routing an online-safety incident: who is told, by when.
        default escalation: crate::escalation::EscalationSection,
    }
}

impl Policy {
    /// The policy's contact tables, as the domains read them.
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts {
            roles: &self.roles,
            bodies: &self.bodies,
        }
    }

    /// What the sexting domain compiles from.
    pub fn sexting_table(&self) -> SextingTable<'_> {
        SextingTable {
            section: &self.sexting,
            contacts: self.contacts(),
        }
    }

    /// What the escalation domain compiles from.
    pub fn escalation_table(&self) -> EscalationTable<'_> {
        EscalationTable {
            section: &self.escalation,
            contacts: self.contacts(),
            timetable: self.timetable.as_ref(),
        }
    }
}

crate::wire::json_in::wire_struct! {
    /// Identity and provenance.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Identity {
        /// Stable id, lower-case letters, digits and hyphens (`hilldene-primary`).
        required id: String,
        /// The school or policy name.
        required name: String,
        /// The policy's own version (a school's review date, or a release).
        required version: String,
        /// The source document: a file under `shared/policies/`, or guidance.
        required source: String,
        /// The policy this one builds on; absent for a complete document.
        optional extends: Option<String>,
    }
}

/// Anything in a policy with a stable id.
pub(crate) trait HasId {
    fn id(&self) -> &str;
}

impl HasId for crate::devices::DeviceRule {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for crate::images::ImageRule {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for crate::escalation::EscalationRule {
    fn id(&self) -> &str {
        &self.id
    }
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
