//! The wire shapes of a policy document, as [`crate::json_in`] reads them:
//! which fields each table has and which must be given. TOML is read the
//! same way, after [`crate::toml_json`] has written it out as JSON.

use super::{
    ChecklistEntry, Contact, Identity, OutOfHours, Policy, SextingAction, SextingRule,
    SextingSection,
};
use crate::civil::{ClockTime, DateSpan, TimeSpan, Timetable};
use crate::devices::{DeviceRule, DevicesSection};
use crate::escalation::{EscalationRule, EscalationSection, Step};
use crate::images::{ImageRule, ImagesSection};
use crate::json_in::{read_struct, Fault, ReadJson, Reader};
use crate::vocab::{Cite, Text, Who};
use std::collections::BTreeMap;

read_struct!(Policy {
    policy: required,
    roles: default,
    bodies: default,
    timetable: default,
    sexting: default,
    devices: default,
    images: default,
    escalation: default,
});

read_struct!(Identity {
    id: required,
    name: required,
    version: required,
    source: required,
    extends: default,
});

read_struct!(Contact {
    title: required,
    name: default,
    phone: default,
    email: default,
    hours: default,
    out_of_hours: default,
    cite: default,
});

read_struct!(OutOfHours {
    title: required,
    phone: default,
    hours: required,
    emergency_only: default,
});

read_struct!(Cite {
    source: required,
    section: required,
});

read_struct!(Timetable {
    day_start: required,
    day_end: required,
    breaks: default,
    lunch: default,
    terms: default,
    closures: default,
    cite: default,
});

read_struct!(TimeSpan {
    start: required,
    end: required,
});

read_struct!(DateSpan {
    start: required,
    end: required,
});

read_struct!(SextingSection {
    remove: default,
    rules: default,
    actions: default,
    checklist: default,
});

read_struct!(SextingRule {
    id: required,
    floor: default,
    when: required,
    outcome: default,
    referral_to: default,
    summary: required,
    cite: required,
});

read_struct!(SextingAction {
    id: required,
    floor: default,
    action: required,
    who: required,
    deadline: required,
    when: required,
    unless: default,
    detail: required,
    cite: required,
});

read_struct!(ChecklistEntry {
    item: required,
    question: required,
});

read_struct!(DevicesSection {
    remove: default,
    staff_breach_disciplinary: default,
    staff_breach_cite: default,
    rules: default,
});

read_struct!(DeviceRule {
    id: required,
    floor: default,
    effect: required,
    roles: default,
    year_groups: default,
    works_directly_with_children: default,
    devices: default,
    owner: default,
    actions: default,
    locations: default,
    periods: default,
    children_present: default,
    emergency: default,
    permission_from: default,
    parental_request: default,
    subjects_consent: default,
    school_device_available: default,
    exception: default,
    conditions: default,
    on_breach: default,
    summary: required,
    cite: required,
});

read_struct!(ImagesSection {
    remove: default,
    rules: default,
});

read_struct!(ImageRule {
    id: required,
    floor: default,
    check: required,
    channels: default,
    purpose: default,
    limit: default,
    leaver: default,
    summary: required,
    cite: required,
});

read_struct!(EscalationSection {
    remove: default,
    same_day_after_hours: default,
    same_day_cite: default,
    rules: default,
});

read_struct!(EscalationRule {
    id: required,
    floor: default,
    categories: default,
    about: default,
    flags: default,
    any_flags: default,
    unless: default,
    steps: required,
    summary: required,
    cite: required,
});

read_struct!(Step {
    action: required,
    who: required,
    deadline: required,
    detail: required,
});

/// The named roles and bodies: a table keyed by role token.
impl<V: ReadJson> ReadJson for BTreeMap<Who, V> {
    fn read(r: &mut Reader<'_>) -> Result<Self, Fault> {
        let mut map = BTreeMap::new();
        r.begin_object("a map")?;
        let mut first = true;
        while let Some(key) = r.next_key(&mut first)? {
            let who = r.key_token(&key, Who::ALL, Who::as_str)?;
            let value = V::read(r).map_err(|f| f.in_field(who.as_str()))?;
            map.insert(who, value);
        }
        Ok(map)
    }
}

impl ReadJson for Text {
    fn read(r: &mut Reader<'_>) -> Result<Self, Fault> {
        r.string().map(|s| Text::from(&*s))
    }
}

impl ReadJson for ClockTime {
    fn read(r: &mut Reader<'_>) -> Result<Self, Fault> {
        crate::json_in::read_parsed(r, ClockTime::parse)
    }
}

/// A year-group range: exactly two numbers.
impl ReadJson for [u8; 2] {
    fn read(r: &mut Reader<'_>) -> Result<Self, Fault> {
        let items = Vec::<u8>::read(r)?;
        <[u8; 2]>::try_from(items.as_slice()).map_err(|_| {
            r.invalid(format!(
                "invalid length {}, expected an array of length 2",
                items.len()
            ))
        })
    }
}
