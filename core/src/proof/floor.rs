//! How a proof floor rule may be restated (see `policy::floor`, which
//! walks the floor with this).

use super::rules::ProofRule;

/// Why a school's proof `rule` is weaker than the floor rule it restates.
pub(crate) fn weakened_proof_rule(rule: &ProofRule) -> Option<String> {
    (!rule.floor).then(|| "it is no longer marked `floor = true`".into())
}
