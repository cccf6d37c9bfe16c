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
    #[cfg_attr(feature = "schema", schemars(with = "crate::SchemaVersion"))]
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
    #[cfg_attr(feature = "schema", schemars(with = "Vec<token_schemas::Change>"))]
    pub changes: Vec<Text>,
    /// Facts that would change the outcome if they were known (escalation:
    /// the route; sexting: also an unknown immediate risk of harm, which
    /// would make the police call a 999 one).
    #[serde(default)]
    pub unknowns: Vec<Text>,
    /// Sexting: every immediate-referral criterion that holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria: Option<Vec<Criterion>>,
    /// Sexting: criteria not yet known that could change the outcome (or,
    /// for an immediate risk of harm, make the police call a 999 one).
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
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<Vec<token_schemas::NamedIn>>")
    )]
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
    #[cfg_attr(feature = "schema", schemars(with = "token_schemas::BlockReason"))]
    pub reason: Text,
    /// The rule that rules it out.
    pub rule: Text,
    /// `no_consent:<purpose>`: the consent the request records for the
    /// purpose, `no` (refused), `withdrawn` or `not_asked` (also what an
    /// omitted answer reads as); absent for every other reason. The one
    /// token covers all three; this tells a refusal from a question never
    /// asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<token_schemas::RecordedConsent>")
    )]
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
    #[cfg_attr(feature = "schema", schemars(with = "Vec<token_schemas::Change>"))]
    pub changes: Vec<Text>,
    /// Facts that would change the outcome if they were known (escalation:
    /// the route; sexting: also an unknown immediate risk of harm, which
    /// would make the police call a 999 one).
    pub unknowns: Vec<Text>,
    /// The pupils (or the whole image) ruled out, and why.
    pub blocked: Vec<Blocked>,
    /// The media fields whose pupils' names call for a change, as
    /// [`Decision::named_in`]; absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<token_schemas::NamedIn>"))]
    pub named_in: Vec<Text>,
}

/// The JSON Schemas of the images tokens the envelope carries as text
/// (`changes`, `named_in`, a block's `reason` and `consent`): the
/// images domain builds them, some with an id or a purpose in them, so
/// they are [`Text`] here, and the schema still lists each word, so that
/// a typed client (the npm package's types) gets a union of them rather
/// than any string. The lists are the images domain's words
/// (`images/decide.rs`); the schema test checks them against the test
/// crate's lists, which the images scenario corpus checks against the
/// engine's answers.
#[cfg(feature = "schema")]
mod token_schemas {
    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
    use std::borrow::Cow;

    /// A string that is one of `words`, or a word starting with `prefix`
    /// (`tsType` gives TypeScript the template literal of that prefix).
    fn words_or_prefixed(
        description: &str,
        words: &[&str],
        prefix: &str,
        prefixed: &str,
    ) -> Schema {
        json_schema!({
            "description": description,
            "anyOf": [
                { "type": "string", "enum": words },
                {
                    "description": prefixed,
                    "type": "string",
                    "pattern": format!("^{prefix}"),
                    "tsType": format!("`{prefix}${{string}}`")
                }
            ]
        })
    }

    /// A change to make before publishing (`changes`).
    pub(super) struct Change;

    impl JsonSchema for Change {
        fn schema_name() -> Cow<'static, str> {
            "Change".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            words_or_prefixed(
                "A change to make before the image is published (images).",
                &[
                    "strip_geodata",
                    "rename_file",
                    "caption_first_names_only",
                    "remove_names",
                    "remove_full_names_from_credits",
                    "confirm_suitably_dressed",
                ],
                "exclude_pupil:",
                "`exclude_pupil:<id>`: leave this pupil (the caller's id) out of the image.",
            )
        }
    }

    /// Why a pupil or the image is ruled out (`blocked[].reason`).
    pub(super) struct BlockReason;

    impl JsonSchema for BlockReason {
        fn schema_name() -> Cow<'static, str> {
            "BlockReason".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            words_or_prefixed(
                "Why a pupil, or the whole image, is ruled out (images).",
                &[
                    "restricted",
                    "restriction_unknown",
                    "left_school",
                    "personal_device",
                    "not_suitably_dressed",
                    "individual_permission_needed",
                    "not_covered",
                ],
                "no_consent:",
                "`no_consent:<purpose>`: no consent is recorded for the purpose the channel needs.",
            )
        }
    }

    /// A media field whose pupils' names call for a change (`named_in`).
    pub(super) struct NamedIn;

    impl JsonSchema for NamedIn {
        fn schema_name() -> Cow<'static, str> {
            "NamedIn".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A media field whose pupils' names call for a change (images).",
                "type": "string",
                "enum": ["caption", "credits", "filename", "tags"]
            })
        }
    }

    /// The consent a `no_consent` block records (`blocked[].consent`).
    pub(super) struct RecordedConsent;

    impl JsonSchema for RecordedConsent {
        fn schema_name() -> Cow<'static, str> {
            "RecordedConsent".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "The consent a `no_consent` block's request records for the purpose: refused, withdrawn or never asked.",
                "type": "string",
                "enum": ["no", "withdrawn", "not_asked"]
            })
        }
    }
}
