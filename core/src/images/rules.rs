//! The images section of a policy: consent, dress, device, leaver and name
//! rules, each for some or all channels.

use super::vocab::*;
use crate::vocab::Cite;

crate::wire::json_in::wire_struct! {
    /// One images rule of a policy.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct ImageRule {
        /// Stable id; floor rules start `images.floor.`.
        required id: String,
        /// Part of the national floor (baseline only): a school policy cannot
        /// remove or loosen it.
        flag floor: bool,
        /// What the rule checks (`consent`, `leaver`, `caption_names` and so on).
        required check: Check,
        /// Channels the rule applies to; empty means every channel.
        list channels: Vec<Channel>,
        /// `consent`: the purpose the channel needs; absent means no express consent.
        optional purpose: Option<Purpose>,
        /// Name checks: how much of a name the field may carry.
        optional limit: Option<NameLimit>,
        /// `leaver`: what happens to images of a pupil who has left.
        optional leaver: Option<LeaverAction>,
        /// The rule in one line, in the project's own words.
        required summary: String,
        /// Where the rule comes from.
        required cite: Cite,
    }
}

impl ImageRule {
    /// Whether the rule applies on `channel`.
    pub fn applies_to(&self, channel: Channel) -> bool {
        self.channels.is_empty() || self.channels.contains(&channel)
    }
}

crate::wire::json_in::wire_struct! {
    /// The images table of a policy.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ImagesSection {
        /// Ids of inherited rules to drop (never a floor rule).
        list remove: Vec<String>,
        /// The images rules, in policy order.
        default rules: Vec<ImageRule>,
    }
}
