//! The floor: national-guidance rules no school policy may drop or weaken.
//!
//! The floor is the set of baseline rules marked `floor = true`. A policy
//! passes when, for each floor rule, it has a rule with the same id that is
//! at least as protective:
//! - a decision rule applies in the same situations (`when`), requires an
//!   outcome at least as protective, and refers to at least the same bodies;
//! - an action is the same step, applies in at least the same situations, is
//!   due no later, and keeps the same exception (`unless`).
//!
//! Summaries, citations and who carries a step out are the school's to
//! choose: a school may cite its own section for a floor rule, or name its
//! deputy head as the person the DSL role falls to.

use super::load::locate;
use super::{Policy, SextingAction, SextingRule};
use crate::devices::{CompiledRule, DeviceRule, Effect};
use crate::error::{Error, Result};
use crate::escalation::EscalationRule;
use crate::images::{ImageRule, LeaverAction, NameLimit};

/// Checks every floor rule of `floor` against `policy`.
pub fn check(policy: &Policy, floor: &Policy, text: &str) -> Result<()> {
    for base in floor.sexting.rules.iter().filter(|r| r.floor) {
        let Some(rule) = policy.sexting.rules.iter().find(|r| r.id == base.id) else {
            return Err(dropped(&base.id, "sexting.rules", text));
        };
        if let Some(why) = weakened_rule(base, rule) {
            return Err(weakened(&base.id, "sexting.rules", why, text));
        }
    }
    for base in floor.sexting.actions.iter().filter(|a| a.floor) {
        let Some(action) = policy.sexting.actions.iter().find(|a| a.id == base.id) else {
            return Err(dropped(&base.id, "sexting.actions", text));
        };
        if let Some(why) = weakened_action(base, action) {
            return Err(weakened(&base.id, "sexting.actions", why, text));
        }
    }
    // A floor exception lifts every forbid: a policy may restate one of the
    // baseline's, never declare its own.
    for rule in &policy.devices.rules {
        let baseline_exception = floor
            .devices
            .rules
            .iter()
            .any(|b| b.floor && b.id == rule.id && b.effect == Effect::Except);
        if rule.effect == Effect::Except && !baseline_exception {
            return Err(Error::FloorViolation {
                at: locate(text, &rule.id, "devices.rules"),
                rule: rule.id.clone(),
                message: "only the national baseline's floor exceptions may use `effect = \"except\"`; a school's own exception would loosen the floor".into(),
            });
        }
    }
    for base in floor.devices.rules.iter().filter(|r| r.floor) {
        let Some(rule) = policy.devices.rules.iter().find(|r| r.id == base.id) else {
            return Err(dropped(&base.id, "devices.rules", text));
        };
        if let Some(why) = weakened_device_rule(base, rule) {
            return Err(weakened(&base.id, "devices.rules", why, text));
        }
    }
    for base in floor.escalation.rules.iter().filter(|r| r.floor) {
        let Some(rule) = policy.escalation.rules.iter().find(|r| r.id == base.id) else {
            return Err(dropped(&base.id, "escalation.rules", text));
        };
        if let Some(why) = weakened_escalation_rule(base, rule) {
            return Err(weakened(&base.id, "escalation.rules", why, text));
        }
    }
    for base in floor.images.rules.iter().filter(|r| r.floor) {
        let Some(rule) = policy.images.rules.iter().find(|r| r.id == base.id) else {
            return Err(dropped(&base.id, "images.rules", text));
        };
        if let Some(why) = weakened_image_rule(base, rule) {
            return Err(weakened(&base.id, "images.rules", why, text));
        }
    }
    Ok(())
}

/// Whether a list meaning "any of these (empty: anything)" covers another.
fn covers<T: PartialEq>(wide: &[T], narrow: &[T]) -> bool {
    wide.is_empty() || (!narrow.is_empty() && narrow.iter().all(|x| wide.contains(x)))
}

/// An escalation floor rule must match in at least the same situations and
/// keep every step, for the same recipient, due no later.
fn weakened_escalation_rule(base: &EscalationRule, rule: &EscalationRule) -> Option<String> {
    if !rule.floor {
        return Some("it is no longer marked `floor = true`".into());
    }
    if !covers(&rule.categories, &base.categories) {
        return Some("it no longer covers every category the floor rule does".into());
    }
    if !covers(&rule.about, &base.about) {
        return Some("it no longer covers everyone the floor rule does".into());
    }
    if rule.flags.iter().any(|f| !base.flags.contains(f)) {
        return Some("it needs a flag the floor rule does not".into());
    }
    if !covers(&rule.any_flags, &base.any_flags) {
        return Some("it needs other flags than the floor rule does".into());
    }
    if rule.unless.iter().any(|f| !base.unless.contains(f)) {
        return Some("it has an exception the floor rule does not".into());
    }
    for step in &base.steps {
        let kept = rule
            .steps
            .iter()
            .any(|s| s.action == step.action && s.who == step.who && s.deadline <= step.deadline);
        if !kept {
            return Some(format!(
                "it drops or delays the step `{}` for `{}`",
                serde_json::to_value(step.action)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                step.who.as_str()
            ));
        }
    }
    None
}

fn weakened_image_rule(base: &ImageRule, rule: &ImageRule) -> Option<String> {
    if !rule.floor {
        return Some("it is no longer marked `floor = true`".into());
    }
    if rule.check != base.check {
        return Some(format!(
            "its check changed from `{}` to `{}`",
            base.check, rule.check
        ));
    }
    let covers_channels = rule.channels.is_empty()
        || (!base.channels.is_empty() && base.channels.iter().all(|c| rule.channels.contains(c)));
    if !covers_channels {
        return Some("it no longer applies on every channel the floor rule does".into());
    }
    if base.purpose.is_some() && rule.purpose != base.purpose {
        return Some("it asks for a different consent".into());
    }
    let strictness = |l: Option<NameLimit>| match l {
        None => 0,
        Some(NameLimit::FirstNamesOnly) => 1,
        Some(NameLimit::NoNames) => 2,
    };
    if strictness(rule.limit) < strictness(base.limit) {
        return Some("it allows more of a pupil's name".into());
    }
    if base.leaver == Some(LeaverAction::Delete) && rule.leaver != base.leaver {
        return Some("it no longer deletes images of leavers".into());
    }
    None
}

fn weakened_device_rule(base: &DeviceRule, rule: &DeviceRule) -> Option<String> {
    if !rule.floor {
        return Some("it is no longer marked `floor = true`".into());
    }
    if rule.effect != base.effect {
        return Some(format!(
            "its effect changed from `{}` to `{}`",
            base.effect, rule.effect
        ));
    }
    if let Some(missing) = base
        .conditions
        .iter()
        .find(|c| !rule.conditions.contains(c))
    {
        return Some(format!("it drops the condition `{missing}`"));
    }
    let (mine, theirs) = (CompiledRule::new(rule), CompiledRule::new(base));
    if base.effect == Effect::Except {
        // An exception must lift exactly what the floor's does: narrower
        // takes the exception away from someone; wider loosens the floor;
        // a condition or a breach consequence more puts a price on it.
        if let Some(added) = rule
            .conditions
            .iter()
            .find(|c| !base.conditions.contains(c))
        {
            return Some(format!("it adds the condition `{added}` to the exception"));
        }
        if !rule.on_breach.is_empty() {
            return Some("it attaches a breach consequence to the exception".into());
        }
        if let Some(why) = mine.narrower_than(&theirs) {
            return Some(why);
        }
        if theirs.narrower_than(&mine).is_some() {
            return Some("it lifts more than the floor exception does".into());
        }
        return None;
    }
    mine.narrower_than(&theirs)
}

/// Fails if `id` names a floor rule (used for `remove`).
pub fn check_not_floor(id: &str, floor: &Policy, text: &str) -> Result<()> {
    let is_floor = floor.sexting.rules.iter().any(|r| r.floor && r.id == id)
        || floor.sexting.actions.iter().any(|a| a.floor && a.id == id)
        || floor.devices.rules.iter().any(|r| r.floor && r.id == id)
        || floor.images.rules.iter().any(|r| r.floor && r.id == id)
        || floor.escalation.rules.iter().any(|r| r.floor && r.id == id);
    if is_floor {
        return Err(Error::FloorViolation {
            at: locate(text, id, "remove"),
            rule: id.to_string(),
            message: "a school policy may not remove a floor rule".into(),
        });
    }
    Ok(())
}

fn dropped(id: &str, table: &str, text: &str) -> Error {
    Error::FloorViolation {
        at: locate(text, id, table),
        rule: id.to_string(),
        message: "the policy drops this floor rule; every policy must keep it".into(),
    }
}

fn weakened(id: &str, table: &str, why: String, text: &str) -> Error {
    Error::FloorViolation {
        at: locate(text, id, table),
        rule: id.to_string(),
        message: format!("the policy weakens this floor rule: {why}"),
    }
}

fn weakened_rule(base: &SextingRule, rule: &SextingRule) -> Option<String> {
    if !rule.floor {
        return Some("it is no longer marked `floor = true`".into());
    }
    if base.when.iter().any(|w| !rule.when.contains(w)) {
        return Some(format!(
            "it must apply whenever {:?} holds, but applies only for {:?}",
            base.when, rule.when
        ));
    }
    match (base.outcome, rule.outcome) {
        (Some(b), None) => return Some(format!("it no longer requires `{}`", b.as_str())),
        (Some(b), Some(r)) if r < b => {
            return Some(format!(
                "outcome `{}` is less protective than `{}`",
                r.as_str(),
                b.as_str()
            ))
        }
        _ => {}
    }
    if let Some(missing) = base
        .referral_to
        .iter()
        .find(|r| !rule.referral_to.contains(r))
    {
        return Some(format!("it no longer refers to {missing:?}"));
    }
    None
}

fn weakened_action(base: &SextingAction, action: &SextingAction) -> Option<String> {
    if !action.floor {
        return Some("it is no longer marked `floor = true`".into());
    }
    if action.action != base.action {
        return Some(format!(
            "the step changed from {:?} to {:?}",
            base.action, action.action
        ));
    }
    if base.when.iter().any(|w| !action.when.contains(w)) {
        return Some(format!(
            "it must apply whenever {:?} holds, but applies only for {:?}",
            base.when, action.when
        ));
    }
    if action.deadline > base.deadline {
        return Some(format!(
            "deadline `{}` is later than `{}`",
            action.deadline.as_str(),
            base.deadline.as_str()
        ));
    }
    if action.unless != base.unless {
        return Some(format!(
            "its exception changed from {:?} to {:?}",
            base.unless, action.unless
        ));
    }
    None
}
