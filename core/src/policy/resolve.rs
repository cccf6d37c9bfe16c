//! Resolving a parsed policy document: validating it, building it on the
//! policy it `extends` (same-id entries replace the inherited ones, new ones
//! are appended, `remove` drops inherited ones, never a floor rule), and
//! checking the result against the floor ([`super::floor`]).
//!
//! Imports point one way: resolve calls [`super::load`] (to place an error
//! in the text) and [`super::floor`]; neither calls back.

use super::floor;
use super::load::locate;
use super::{HasId, Policy};
use crate::error::{Error, Location, Result};

/// Resolves `doc` on top of `parent` (the policy it extends, already
/// resolved), validates it, and checks it against `floor` (the resolved
/// baseline) and what of `parent` is floor for policies built on it
/// (per-channel consent, the deletion of leavers' images). Without a parent the document must be
/// complete. With no floor (the baseline itself) only validation runs.
pub fn resolve(
    doc: Policy,
    parent: Option<&Policy>,
    floor: Option<&Policy>,
    text: &str,
) -> Result<Policy> {
    validate_identity(&doc)?;
    check_unique_ids(&doc.sexting.rules, "sexting.rules", text)?;
    check_unique_ids(&doc.sexting.actions, "sexting.actions", text)?;
    check_unique_ids(&doc.sexting.checklist, "sexting.checklist", text)?;
    check_unique_ids(&doc.devices.rules, "devices.rules", text)?;
    check_unique_ids(&doc.images.rules, "images.rules", text)?;
    check_unique_ids(&doc.escalation.rules, "escalation.rules", text)?;
    validate_devices(&doc, text)?;
    validate_escalation(&doc, text)?;
    validate_when(&doc, text)?;

    let mut resolved = match parent {
        None => {
            if !doc.sexting.remove.is_empty()
                || !doc.devices.remove.is_empty()
                || !doc.images.remove.is_empty()
                || !doc.escalation.remove.is_empty()
            {
                return Err(Error::InvalidValue {
                    at: locate(text, "remove", "remove"),
                    message: "`remove` needs `extends`: there is nothing inherited to remove"
                        .into(),
                });
            }
            doc
        }
        Some(parent) => merge(parent, doc, text, floor)?,
    };
    resolved.policy.extends = None;
    if let Some(floor) = floor {
        floor::check(&resolved, floor, text)?;
    }
    if let Some(parent) = parent {
        floor::check_inherited(parent, &resolved, text)?;
    }
    Ok(resolved)
}

/// Whether `id` is a well-formed policy id: 1-64 lower-case letters,
/// digits or hyphens.
pub(crate) fn is_policy_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn validate_identity(doc: &Policy) -> Result<()> {
    if !is_policy_id(&doc.policy.id) {
        return Err(Error::InvalidValue {
            at: Location::path("policy.id"),
            message: "a policy id must be 1-64 lower-case letters, digits or hyphens".into(),
        });
    }
    Ok(())
}

fn check_unique_ids<T: HasId>(items: &[T], table: &str, text: &str) -> Result<()> {
    for (i, item) in items.iter().enumerate() {
        if items[..i].iter().any(|other| other.id() == item.id()) {
            return Err(Error::InvalidValue {
                at: locate(text, item.id(), &format!("{table}[{i}]")),
                message: format!("id `{}` is used twice in {table}", item.id()),
            });
        }
    }
    Ok(())
}

/// Escalation rules have steps; out-of-hours routes have readable hours.
fn validate_escalation(doc: &Policy, text: &str) -> Result<()> {
    for (i, rule) in doc.escalation.rules.iter().enumerate() {
        if rule.steps.is_empty() {
            return Err(Error::InvalidValue {
                at: locate(text, &rule.id, &format!("escalation.rules[{i}]")),
                message: format!("escalation rule `{}` has no steps", rule.id),
            });
        }
    }
    for (table, contacts) in [("roles", &doc.roles), ("bodies", &doc.bodies)] {
        for (who, c) in contacts.iter() {
            if let Some(route) = &c.out_of_hours {
                if crate::civil::parse_hours(&route.hours).is_none() {
                    return Err(Error::InvalidValue {
                        at: locate(
                            text,
                            &route.hours,
                            &format!("{table}.{}.out_of_hours.hours", who.as_str()),
                        ),
                        message: format!(
                            "out-of-hours `{}` must be two times, HH:MM-HH:MM",
                            route.hours
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Decision rules may not depend on the outcome they decide.
fn validate_when(doc: &Policy, text: &str) -> Result<()> {
    for (i, rule) in doc.sexting.rules.iter().enumerate() {
        if rule.when.is_empty() || rule.when.iter().any(|w| w.is_outcome_trigger()) {
            return Err(Error::InvalidValue {
                at: locate(text, &rule.id, &format!("sexting.rules[{i}].when")),
                message: format!(
                    "rule `{}`: `when` must list at least one fact or criterion, and no outcome",
                    rule.id
                ),
            });
        }
    }
    for (i, action) in doc.sexting.actions.iter().enumerate() {
        let bad_unless = action.unless.is_some_and(|u| u.is_outcome_trigger());
        if action.when.is_empty() || bad_unless {
            return Err(Error::InvalidValue {
                at: locate(text, &action.id, &format!("sexting.actions[{i}]")),
                message: format!(
                    "action `{}`: `when` must not be empty and `unless` must be a fact",
                    action.id
                ),
            });
        }
    }
    Ok(())
}

/// Device rules: year ranges that exist and only for pupils; exceptions
/// only on the floor and without a breach consequence; a timetable whose
/// spans make sense; a cite for the staff-disciplinary setting.
fn validate_devices(doc: &Policy, text: &str) -> Result<()> {
    use crate::devices::{ActorRole, Effect, RoleMatch, MAX_YEAR_GROUP};
    if doc.devices.staff_breach_disciplinary.is_some() && doc.devices.staff_breach_cite.is_none() {
        return Err(Error::InvalidValue {
            at: locate(
                text,
                "staff_breach_disciplinary",
                "devices.staff_breach_disciplinary",
            ),
            message: "`staff_breach_disciplinary` needs `staff_breach_cite`: the section of the policy that says so".into(),
        });
    }
    for (i, rule) in doc.devices.rules.iter().enumerate() {
        if rule.effect == Effect::Except && !rule.floor {
            return Err(Error::FloorViolation {
                at: locate(text, &rule.id, &format!("devices.rules[{i}].effect")),
                rule: rule.id.clone(),
                message: "`effect = \"except\"` lifts every forbid, the floor's included, so only a floor rule of the national baseline may be an exception".into(),
            });
        }
        if rule.effect == Effect::Except && !rule.on_breach.is_empty() {
            return Err(Error::FloorViolation {
                at: locate(text, &rule.id, &format!("devices.rules[{i}].on_breach")),
                rule: rule.id.clone(),
                message: "a floor exception is never a breach, so it has no `on_breach`".into(),
            });
        }
        if let Some([lo, hi]) = rule.year_groups {
            let pupils_only = rule.roles == [RoleMatch::Role(ActorRole::Pupil)];
            if lo > hi || hi > MAX_YEAR_GROUP || !pupils_only {
                return Err(Error::InvalidValue {
                    at: locate(text, &rule.id, &format!("devices.rules[{i}].year_groups")),
                    message: format!(
                        "rule `{}`: `year_groups` must be [low, high] within 0-{MAX_YEAR_GROUP}, on a rule for `roles = [\"pupil\"]`",
                        rule.id
                    ),
                });
            }
        }
    }
    if let Some(t) = &doc.timetable {
        t.validate().map_err(|message| Error::InvalidValue {
            at: locate(text, "timetable", "timetable"),
            message,
        })?;
    }
    Ok(())
}

/// Child over parent: same-id items replace the inherited ones in place,
/// new items are appended, `remove` drops inherited items.
fn merge(parent: &Policy, doc: Policy, text: &str, floor: Option<&Policy>) -> Result<Policy> {
    let mut out = parent.clone();
    out.policy = doc.policy;
    out.roles.extend(doc.roles);
    out.bodies.extend(doc.bodies);

    if doc.timetable.is_some() {
        out.timetable = doc.timetable;
    }
    let removals: Vec<&String> = doc
        .sexting
        .remove
        .iter()
        .chain(&doc.devices.remove)
        .chain(&doc.images.remove)
        .chain(&doc.escalation.remove)
        .collect();
    for id in removals {
        let known = out.sexting.rules.iter().any(|r| &r.id == id)
            || out.devices.rules.iter().any(|r| &r.id == id)
            || out.images.rules.iter().any(|r| &r.id == id)
            || out.escalation.rules.iter().any(|r| &r.id == id)
            || out.sexting.actions.iter().any(|a| &a.id == id)
            || out.sexting.checklist.iter().any(|c| &c.item == id);
        if !known {
            return Err(Error::InvalidValue {
                at: locate(text, id, "remove"),
                message: format!("`remove` names `{id}`, which the extended policy does not have"),
            });
        }
        if let Some(floor) = floor {
            floor::check_not_floor(id, floor, text)?;
        }
        out.sexting.rules.retain(|r| &r.id != id);
        out.devices.rules.retain(|r| &r.id != id);
        out.images.rules.retain(|r| &r.id != id);
        out.escalation.rules.retain(|r| &r.id != id);
        out.sexting.actions.retain(|a| &a.id != id);
        out.sexting.checklist.retain(|c| &c.item != id);
    }
    overlay(&mut out.sexting.rules, doc.sexting.rules);
    overlay(&mut out.sexting.actions, doc.sexting.actions);
    overlay(&mut out.sexting.checklist, doc.sexting.checklist);
    overlay(&mut out.devices.rules, doc.devices.rules);
    overlay(&mut out.images.rules, doc.images.rules);
    overlay(&mut out.escalation.rules, doc.escalation.rules);
    if doc.devices.staff_breach_disciplinary.is_some() {
        out.devices.staff_breach_disciplinary = doc.devices.staff_breach_disciplinary;
        out.devices.staff_breach_cite = doc.devices.staff_breach_cite;
    }
    if doc.escalation.same_day_after_hours.is_some() {
        out.escalation.same_day_after_hours = doc.escalation.same_day_after_hours;
        out.escalation.same_day_cite = doc.escalation.same_day_cite;
    }
    Ok(out)
}

fn overlay<T: HasId>(base: &mut Vec<T>, items: Vec<T>) {
    for item in items {
        match base.iter_mut().find(|b| b.id() == item.id()) {
            Some(slot) => *slot = item,
            None => base.push(item),
        }
    }
}
