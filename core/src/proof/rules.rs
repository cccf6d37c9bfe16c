//! The proof section of a policy: rules that answer a proof request.

use crate::vocab::Cite;
use serde::{Deserialize, Serialize};

/// One proof rule of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofRule {
    /// Stable id; floor rules start `proof.floor.`.
    pub id: String,
    /// Part of the national floor (baseline only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub floor: bool,
    /// The rule in one line, in the project's own words.
    pub summary: String,
    /// Where the rule comes from.
    pub cite: Cite,
}

/// The proof table of a policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofSection {
    /// Ids of inherited rules to drop (never a floor rule).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// The proof rules, in policy order.
    #[serde(default)]
    pub rules: Vec<ProofRule>,
}

impl ProofSection {
    /// Whether the section says nothing (it is then left out of the
    /// policy's canonical form, so the digest of a policy without one does
    /// not change).
    pub fn is_empty(&self) -> bool {
        self.remove.is_empty() && self.rules.is_empty()
    }
}
