//! Images: publishing photos and videos of pupils (SPEC §5).
//!
//! - [`metadata`]: what the image file itself carries (location, identifying
//!   fields), and a copy with location removed, pixels untouched.
//! - [`names`]: finding pupils' names in captions, tags, credits and file
//!   names, tolerant of case, punctuation, accents and run-together names.

pub mod decide;
pub(crate) mod floor;
pub mod metadata;
pub mod names;
mod rules;
pub mod vocab;

pub use decide::ImagesRequest;
pub use rules::{ImageRule, ImagesSection};
pub use vocab::*;

/// A pupil (or the whole image) ruled out: defined with the decision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Blocked {
    /// The pupil's id; absent when the whole image is blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pupil: Option<crate::decision::Text>,
    /// `no_consent:<purpose>`, `restricted`, `restriction_unknown`,
    /// `left_school`, `personal_device`,
    /// `not_suitably_dressed`, `individual_permission_needed`, `not_covered`.
    pub reason: crate::decision::Text,
    /// The rule that rules it out.
    pub rule: crate::decision::Text,
}
