//! The school's named people and bodies, as a policy gives them.
//!
//! Every domain that tells someone to do something names them with the
//! school's own title and number, so the contacts sit below the domains:
//! a domain compiles from its own policy section and these, never from the
//! whole policy document. The floor's wording of what a school restates
//! (the emergency service's number, a floor step's words) is here too,
//! since the domains apply it when they compile.

use crate::vocab::{Cite, Who};
use std::collections::BTreeMap;

/// A policy's two contact tables, borrowed: what a domain reads of the
/// policy besides its own section.
#[derive(Debug, Clone, Copy)]
pub struct Contacts<'a> {
    /// The school's own named roles (DSL, headteacher, ...).
    pub roles: &'a BTreeMap<Who, Contact>,
    /// The local bodies the school refers to (LADO, children's social care, ...).
    pub bodies: &'a BTreeMap<Who, Contact>,
}

crate::wire::json_in::wire_struct! {
    /// A named person or body, as the policy gives them.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Contact {
        /// The role or body as the school names it ("Families First Access Point").
        required title: String,
        /// The person's name, where the policy gives it.
        optional name: Option<String>,
        /// The telephone number, where the policy gives it.
        optional phone: Option<String>,
        /// The e-mail address, where the policy gives it.
        optional email: Option<String>,
        /// Opening hours, where the policy gives them.
        optional hours: Option<String>,
        /// A separate route outside those hours.
        optional out_of_hours: Option<OutOfHours>,
        /// Where the policy names this contact.
        optional cite: Option<Cite>,
    }
}

crate::wire::json_in::wire_struct! {
    /// An out-of-hours route of a local body.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct OutOfHours {
        /// The route as the school names it (an emergency duty team, say).
        required title: String,
        /// The telephone number of the route, where the policy gives it.
        optional phone: Option<String>,
        /// When this route applies, e.g. "17:00-08:30".
        required hours: String,
        /// Only for a child at immediate risk (immediate danger or a threat to
        /// life); otherwise the daytime route applies when it opens.
        flag emergency_only: bool,
    }
}

impl Contact {
    /// One line for a decision's `contact` field: name, title and phone.
    pub fn one_line(&self) -> String {
        let mut s = self.daytime_line();
        if let Some(ooh) = &self.out_of_hours {
            s.push_str(&format!(
                "; out of hours: {} ({})",
                ooh.title_and_phone(),
                ooh.hours
            ));
        }
        s
    }

    /// The daytime route alone: name, title, phone and opening hours.
    pub fn daytime_line(&self) -> String {
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
        s
    }
}

impl OutOfHours {
    /// The route's title and, where the policy gives one, its phone number.
    pub(crate) fn title_and_phone(&self) -> String {
        match &self.phone {
            Some(phone) => format!("{}, {phone}", self.title),
            None => self.title.clone(),
        }
    }
}

/// The words of a floor step as an answer gives them (SPEC §1.3): the
/// baseline's, so that a school's restatement cannot say the opposite of
/// what the step is ("Do not call 999 yourself"). A school's own words
/// follow as a note: kept as they are when they already hold the
/// baseline's, else after "(the school adds: …)". The policy itself keeps
/// the school's words (so `policy show` reads back to the same policy);
/// only the answer composes them.
pub fn floor_text(baseline: &str, school: &str) -> String {
    let school = school.trim();
    if school.is_empty() || school.contains(baseline) {
        return if school.is_empty() { baseline } else { school }.to_string();
    }
    format!("{baseline} (the school adds: {school})")
}

/// The contact an answer gives for the emergency service: the baseline's
/// title and number, with what the school says of it (the force's name) as
/// a note ([`floor_text`]); `floor` is the baseline's contacts.
pub fn emergency_contact(school: &Contact, floor: Contacts<'_>) -> Contact {
    let Some(base) = floor
        .bodies
        .get(&Who::Police999)
        .or_else(|| floor.roles.get(&Who::Police999))
    else {
        return school.clone();
    };
    let said = match &school.name {
        Some(name) => format!("{name}, {}", school.title),
        None => school.title.clone(),
    };
    Contact {
        title: floor_text(&base.title, &said),
        name: None,
        ..base.clone()
    }
}
