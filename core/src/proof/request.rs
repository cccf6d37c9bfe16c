//! The proof request: the envelope and one question.

use crate::envelope::SchemaVersion;
use serde::{Deserialize, Serialize};

/// A proof request (domain `proof`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProofRequest {
    /// The wire-format version; only 1 is accepted.
    #[serde(default)]
    pub schema_version: SchemaVersion,
    /// Always `proof` when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<ProofDomain>,
    /// The policy the caller expects the engine to hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// What is asked.
    pub question: ProofQuestion,
}

crate::vocab::tokens! {
    /// The one domain a proof request may name.
    pub enum ProofDomain {
        Proof = "proof",
    }
}

crate::vocab::tokens! {
    /// The questions a proof request may ask.
    pub enum ProofQuestion {
        Ping = "ping",
    }
}
