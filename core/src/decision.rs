//! The decision envelope every domain answers with (SPEC §2).
//!
//! A [`Decision`] says what to do (`outcome`), why (`reasons`, each a rule of
//! the loaded policy with its citation), what happens next (`actions`, in
//! order), and what is not yet known that could change the answer
//! (`unknowns`). It names the policy it was decided under, down to a digest
//! of the policy's canonical form, so an audit log can prove which rules were
//! in force. It never echoes names, dates of birth or free text from the
//! request: children appear only by the ids the caller gave.
//!
//! Field order is fixed by the struct and every list is built in rule order,
//! so the same request always serialises to the same bytes.

use crate::civil::Period;
use crate::vocab::{
    Action, ChecklistItem, Condition, Criterion, Domain, OnBreach, Outcome, PolicyRef, Reason,
    Referral, Text, Who, SCHEMA_VERSION,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A decision: the response of every domain (SPEC §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The version of the wire format (`schema_version`), currently 1.
    pub schema_version: u32,
    /// The domain that was decided.
    pub domain: Domain,
    /// The answer, from the domain's own set of outcomes.
    pub outcome: Outcome,
    /// The rules that produced the outcome, in policy order.
    pub reasons: Vec<Arc<Reason>>,
    /// What to do next: one ordered plan, each step once with one deadline
    /// (SPEC §1.8; shared with other decisions of the same shape).
    pub actions: Arc<[Action]>,
    /// Devices: what must hold for `allow_with_conditions`.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Images: what must change before publishing.
    #[serde(default)]
    pub changes: Vec<Text>,
    /// Facts that would change the outcome if they were known.
    #[serde(default)]
    pub unknowns: Vec<Text>,
    /// Sexting: every immediate-referral criterion that holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria: Option<Vec<Criterion>>,
    /// Sexting: criteria not yet known that could change the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_criteria: Option<Vec<Criterion>>,
    /// Sexting: who the case goes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_to: Option<Vec<Referral>>,
    /// Sexting: what the DSL's initial review considers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_checklist: Option<Arc<[ChecklistItem]>>,
    /// Devices: what happens on a breach, where the policy says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_breach: Option<Vec<OnBreach>>,
    /// Devices: who decides a request no rule covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<Who>,
    /// Devices: the period the decision applies to (resolved from `context.at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Images: each pupil (or the whole image) ruled out, with the reason token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Vec<Blocked>>,
    /// Images: the media fields whose pupils' names call for a change, in
    /// the order `caption`, `credits`, `filename`, `tags`; absent when no
    /// name does. It tells apart what one change token covers: the
    /// `rename_file` of a name in the file name from that of a name in the
    /// tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub named_in: Option<Vec<Text>>,
    /// Images gallery: the decision for each image, in request order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery: Option<Vec<GalleryItem>>,
    /// The policy the decision was made under.
    pub policy: PolicyRef,
    /// The engine's crate version.
    pub engine: Text,
}

impl Decision {
    /// The common envelope: a domain's answer with its reasons and actions,
    /// and every domain-specific field empty (a domain fills its own with
    /// struct-update syntax).
    pub fn new(
        domain: Domain,
        outcome: Outcome,
        reasons: Vec<Arc<Reason>>,
        actions: Arc<[Action]>,
        policy: &PolicyRef,
        engine: &Text,
    ) -> Decision {
        Decision {
            schema_version: SCHEMA_VERSION,
            domain,
            outcome,
            reasons,
            actions,
            conditions: Vec::new(),
            changes: Vec::new(),
            unknowns: Vec::new(),
            criteria: None,
            unknown_criteria: None,
            referral_to: None,
            review_checklist: None,
            on_breach: None,
            decided_by: None,
            period: None,
            blocked: None,
            named_in: None,
            gallery: None,
            policy: policy.clone(),
            engine: engine.clone(),
        }
    }
}

/// A pupil (or the whole image) ruled out: defined with the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Blocked {
    /// The pupil's id; absent when the whole image is blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pupil: Option<Text>,
    /// `no_consent:<purpose>`, `restricted`, `restriction_unknown`,
    /// `left_school`, `personal_device`,
    /// `not_suitably_dressed`, `individual_permission_needed`, `not_covered`.
    pub reason: Text,
    /// The rule that rules it out.
    pub rule: Text,
    /// `no_consent:<purpose>`: the consent the request records for the
    /// purpose, `no` (refused), `withdrawn` or `not_asked` (also what an
    /// omitted answer reads as); absent for every other reason. The one
    /// token covers all three; this tells a refusal from a question never
    /// asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Text>,
}

/// The decision for one image of a gallery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GalleryItem {
    /// The image's id, as the request gives it.
    pub image: Text,
    /// The answer for this image: `publish`, `publish_with_changes` or `block`.
    pub outcome: Outcome,
    /// The rules that produced the outcome, in policy order.
    pub reasons: Vec<Arc<Reason>>,
    /// What to do next for this image.
    pub actions: Vec<Action>,
    /// What must change before the image is published.
    pub changes: Vec<Text>,
    /// Facts that would change the outcome if they were known.
    pub unknowns: Vec<Text>,
    /// The pupils (or the whole image) ruled out, and why.
    pub blocked: Vec<Blocked>,
    /// The media fields whose pupils' names call for a change, as
    /// [`Decision::named_in`]; absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named_in: Vec<Text>,
}
