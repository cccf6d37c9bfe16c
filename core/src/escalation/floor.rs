//! How an escalation floor rule may be restated (see `policy::floor`, which
//! walks the floor): it matches in at least the same situations and keeps
//! every step, for the same recipient, due no later. Returns why the
//! school's rule is weaker, or `None`.

use super::rules::EscalationRule;

/// Whether a list meaning "any of these (empty: anything)" covers another.
fn covers<T: PartialEq>(wide: &[T], narrow: &[T]) -> bool {
    wide.is_empty() || (!narrow.is_empty() && narrow.iter().all(|x| wide.contains(x)))
}

/// An escalation floor rule must match in at least the same situations and
/// keep every step, for the same recipient, due no later.
pub(crate) fn weakened_escalation_rule(
    base: &EscalationRule,
    rule: &EscalationRule,
) -> Option<String> {
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
