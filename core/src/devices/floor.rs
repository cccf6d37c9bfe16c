//! How a devices floor rule may be restated (see `policy::floor`, which
//! walks the floor): the same effect, every condition and breach
//! consequence kept, matching at least as widely (an exception exactly as
//! widely). Returns why the school's rule is weaker, or `None`.

use super::rules::DeviceRule;
use super::{CompiledRule, Effect};

/// Why a school's devices `rule` is weaker than the floor rule `base`.
pub(crate) fn weakened_device_rule(base: &DeviceRule, rule: &DeviceRule) -> Option<String> {
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
    if let Some(missing) = base.on_breach.iter().find(|b| !rule.on_breach.contains(b)) {
        return Some(format!("it drops the breach consequence `{missing}`"));
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
