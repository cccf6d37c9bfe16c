//! Where an answer comes from: the policy's text, each rule's citation, and
//! the policy a decision was made under.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Shared, immutable text taken from the loaded policy (cheap to clone).
pub type Text = Arc<str>;

/// Where a rule comes from: a source policy file and section, or national
/// guidance and its year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Cite {
    /// The document: a file in `shared/policies/`, or guidance with its year.
    pub source: Text,
    /// The section heading within it.
    pub section: Text,
}

/// One rule that contributed to a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Stable rule id, e.g. `sexting.floor.criterion.adult_involved`.
    pub rule: Text,
    /// What the rule says, in one line.
    pub summary: Text,
    /// Where the rule comes from.
    pub cite: Cite,
}

impl Reason {
    /// The shared reason a policy rule gives when it decides: its id,
    /// its summary and its citation, as the policy states them.
    pub(crate) fn of_rule(id: &str, summary: &str, cite: &Cite) -> Arc<Reason> {
        Arc::new(Reason {
            rule: id.into(),
            summary: summary.into(),
            cite: cite.clone(),
        })
    }
}

/// Which policy a decision was made under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyRef {
    /// The policy's id (a preset's, or the one a loaded policy declares).
    pub id: Text,
    /// The policy's version, as the policy declares it.
    pub version: Text,
    /// SHA-256 (hex) of the canonical serialisation of the loaded policy.
    pub digest: Text,
}
