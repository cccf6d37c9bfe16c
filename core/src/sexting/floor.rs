//! How a sexting floor rule or step may be restated (see `policy::floor`,
//! which walks the floor): a rule applies in the same situations, requires
//! an outcome at least as protective and refers to at least the same
//! bodies; a step is the same step for the same party, applies in at least
//! the same situations, is due no later and keeps the same exception.
//! Each returns why the school's entry is weaker, or `None`.

use super::rules::{SextingAction, SextingRule};

/// Why a school's sexting `rule` is weaker than the floor rule `base`.
pub(crate) fn weakened_rule(base: &SextingRule, rule: &SextingRule) -> Option<String> {
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

/// Why a school's sexting step `action` is weaker than the floor step `base`.
pub(crate) fn weakened_action(base: &SextingAction, action: &SextingAction) -> Option<String> {
    if action.action != base.action {
        return Some(format!(
            "the step changed from {:?} to {:?}",
            base.action, action.action
        ));
    }
    if action.who != base.who {
        return Some(format!(
            "the step is handed from `{}` to `{}`; a school names the people behind a role in `roles`, it does not give the step to another party",
            base.who.as_str(),
            action.who.as_str()
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
