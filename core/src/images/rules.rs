//! The images section of a policy: consent, dress, device, leaver and name
//! rules, each for some or all channels.

use super::vocab::*;
use crate::vocab::Cite;
use serde::{Deserialize, Serialize};

/// One images rule of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageRule {
    /// Stable id; floor rules start `images.floor.`.
    pub id: String,
    /// Part of the national floor (baseline only): a school policy cannot
    /// remove or loosen it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub floor: bool,
    /// What the rule checks (`consent`, `leaver`, `caption_names` and so on).
    pub check: Check,
    /// Channels the rule applies to; empty means every channel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    /// `consent`: the purpose the channel needs; absent means no express consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// Name checks: how much of a name the field may carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<NameLimit>,
    /// `leaver`: what happens to images of a pupil who has left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaver: Option<LeaverAction>,
    /// The rule in one line, in the project's own words.
    pub summary: String,
    /// Where the rule comes from.
    pub cite: Cite,
}

impl ImageRule {
    /// Whether the rule applies on `channel`.
    pub fn applies_to(&self, channel: Channel) -> bool {
        self.channels.is_empty() || self.channels.contains(&channel)
    }
}

/// The images table of a policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesSection {
    /// Ids of inherited rules to drop (never a floor rule).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// The images rules, in policy order.
    #[serde(default)]
    pub rules: Vec<ImageRule>,
}
