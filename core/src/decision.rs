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

use crate::tokens::tokens;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Shared, immutable text taken from the loaded policy (cheap to clone).
pub type Text = Arc<str>;

tokens! {
    /// The decision domains.
    pub enum Domain {
        Sexting = "sexting",
        Devices = "devices",
        Images = "images",
        Escalation = "escalation",
    }
}

/// The answer of a decision. Each domain uses its own subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    // Sexting, in increasing order of protection.
    /// Every referral criterion is known not to hold.
    DslMayManageInSchool,
    /// No criterion is known to hold, but at least one is unknown.
    NeedMoreInformation,
    /// At least one immediate-referral criterion holds.
    ReferImmediately,
    /// A party is an adult: not "sexting" but child sexual abuse.
    ChildSexualAbuse,
    // Devices.
    Allow,
    AllowWithConditions,
    Deny,
    // Images.
    Publish,
    PublishWithChanges,
    Block,
    // Escalation.
    /// The plan in `actions` says who is told, in what order, by when.
    Notify,
}

impl Outcome {
    /// The wire token.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::DslMayManageInSchool => "dsl_may_manage_in_school",
            Outcome::NeedMoreInformation => "need_more_information",
            Outcome::ReferImmediately => "refer_immediately",
            Outcome::ChildSexualAbuse => "child_sexual_abuse",
            Outcome::Allow => "allow",
            Outcome::AllowWithConditions => "allow_with_conditions",
            Outcome::Deny => "deny",
            Outcome::Publish => "publish",
            Outcome::PublishWithChanges => "publish_with_changes",
            Outcome::Block => "block",
            Outcome::Notify => "notify",
        }
    }
}

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

tokens! {
    /// Things to do (tokens of the wire vocabulary).
    #[non_exhaustive]
    pub enum ActionToken {
        ReportToDsl = "report_to_dsl",
        DoNotViewCopyShareDelete = "do_not_view_copy_share_delete",
        SecureDevice = "secure_device",
        InitialReviewMeeting = "initial_review_meeting",
        RecordIncident = "record_incident",
        InformParents = "inform_parents",
        ReferToPolice = "refer_to_police",
        ReferToChildrensSocialCare = "refer_to_childrens_social_care",
        FollowChildSexualAbuseProcedure = "follow_child_sexual_abuse_procedure",
        EstablishUnknownFacts = "establish_unknown_facts",
        EscalateIfConcernsArise = "escalate_if_concerns_arise",
        StopContactDoNotPay = "stop_contact_do_not_pay",
        ReportToCeop = "report_to_ceop",
        ReportRemove = "report_remove",
        SupportVictim = "support_victim",
        RecordDecisionNotToInformParents = "record_decision_not_to_inform_parents",
        Notify = "notify",
        /// Delete images (of a pupil who has left).
        Delete = "delete",
        // Escalation: handling an incident.
        PreserveEvidence = "preserve_evidence",
        QuarantineDevice = "quarantine_device",
        BlockUrl = "block_url",
        ReviewFiltering = "review_filtering",
        DoNotViewImagery = "do_not_view_imagery",
        ReportUrlToIwf = "report_url_to_iwf",
        /// Delete copies (such as in e-mails) once they are no longer needed.
        DeleteCopies = "delete_copies",
        DeleteCopiesWhenPoliceDirect = "delete_copies_when_police_direct",
        RequestRemoval = "request_removal",
        NoBlame = "no_blame",
        ApplySanctions = "apply_sanctions",
        AntiBullyingProcedure = "anti_bullying_procedure",
    }
}

/// Who receives or carries out an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Who {
    Dsl,
    DeputyDsl,
    OnlineSafetyLead,
    Headteacher,
    DeputyHead,
    ChairOfGovernors,
    SafeguardingGovernor,
    NetworkManager,
    DataProtectionOfficer,
    AllStaff,
    SchoolOffice,
    YoungPerson,
    Parents,
    Lado,
    Police,
    #[serde(rename = "police_999")]
    Police999,
    #[serde(rename = "police_101")]
    Police101,
    ChildrensSocialCare,
    Ceop,
    Iwf,
    Prevent,
    LocalAuthority,
    OnlineSafetyHelpline,
    PlatformProvider,
    ExamBody,
}

impl Who {
    /// A person in the school (its staff and governors), who may be the
    /// subject of a concern and so be kept from it: the headteacher, the
    /// DSL and deputy DSL, the online-safety lead, the deputy head, the
    /// chair of governors and safeguarding governor, the network manager
    /// and the data protection officer. Groups (all staff, the school
    /// office), the young person, the parents and every body outside the
    /// school (police, LADO, children's social care, CEOP, IWF, Prevent,
    /// local authority, helpline, platform, exam body) are not: a name a
    /// policy gives them never keeps a step from them (SPEC §1.3).
    pub fn is_person_in_school(self) -> bool {
        matches!(
            self,
            Who::Dsl
                | Who::DeputyDsl
                | Who::OnlineSafetyLead
                | Who::Headteacher
                | Who::DeputyHead
                | Who::ChairOfGovernors
                | Who::SafeguardingGovernor
                | Who::NetworkManager
                | Who::DataProtectionOfficer
        )
    }

    /// The police, however they are called (999, 101, or either): one
    /// recipient when steps are merged (SPEC §1.8).
    pub fn is_police(self) -> bool {
        matches!(self, Who::Police | Who::Police999 | Who::Police101)
    }

    /// The wire token.
    pub fn as_str(self) -> &'static str {
        match self {
            Who::Dsl => "dsl",
            Who::DeputyDsl => "deputy_dsl",
            Who::OnlineSafetyLead => "online_safety_lead",
            Who::Headteacher => "headteacher",
            Who::DeputyHead => "deputy_head",
            Who::ChairOfGovernors => "chair_of_governors",
            Who::SafeguardingGovernor => "safeguarding_governor",
            Who::NetworkManager => "network_manager",
            Who::DataProtectionOfficer => "data_protection_officer",
            Who::AllStaff => "all_staff",
            Who::SchoolOffice => "school_office",
            Who::YoungPerson => "young_person",
            Who::Parents => "parents",
            Who::Lado => "lado",
            Who::Police => "police",
            Who::Police999 => "police_999",
            Who::Police101 => "police_101",
            Who::ChildrensSocialCare => "childrens_social_care",
            Who::Ceop => "ceop",
            Who::Iwf => "iwf",
            Who::Prevent => "prevent",
            Who::LocalAuthority => "local_authority",
            Who::OnlineSafetyHelpline => "online_safety_helpline",
            Who::PlatformProvider => "platform_provider",
            Who::ExamBody => "exam_body",
        }
    }
}

/// How soon an action is due, from the most to the least urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    Immediately,
    EndOfLesson,
    SameDay,
    WithinOneWorkingDay,
    /// Set by the engine, never by a policy: a step to a local body that is
    /// closed when the incident is reported, due when it opens (its `due`
    /// says when; its contact line gives the out-of-hours route meanwhile).
    WhenServiceOpens,
    WhenFactsEstablished,
}

impl Deadline {
    /// The wire token.
    pub fn as_str(self) -> &'static str {
        match self {
            Deadline::Immediately => "immediately",
            Deadline::EndOfLesson => "end_of_lesson",
            Deadline::SameDay => "same_day",
            Deadline::WithinOneWorkingDay => "within_one_working_day",
            Deadline::WhenServiceOpens => "when_service_opens",
            Deadline::WhenFactsEstablished => "when_facts_established",
        }
    }
}

/// One step of what to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// What to do.
    pub action: ActionToken,
    /// Who receives it (reports, referrals, notifications) or carries it out.
    pub who: Who,
    /// How soon.
    pub deadline: Deadline,
    /// Absolute due time (local school time), where the domain computes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Text>,
    /// The step in the project's own words.
    pub detail: Text,
    /// The school's own name and number for `who`, where the policy gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Text>,
    /// The rule that requires this step.
    pub rule: Text,
}

impl Action {
    /// Whether the step refers the case outside the school (the police,
    /// children's social care, the LADO, CEOP, the IWF, Prevent, the local
    /// authority): such a step cites the rule or criterion that required it.
    pub fn is_referral(&self) -> bool {
        matches!(
            self.action,
            ActionToken::ReferToPolice
                | ActionToken::ReferToChildrensSocialCare
                | ActionToken::ReportToCeop
        ) || self.who.is_police()
            || matches!(
                self.who,
                Who::ChildrensSocialCare
                    | Who::Lado
                    | Who::Ceop
                    | Who::Iwf
                    | Who::Prevent
                    | Who::LocalAuthority
            )
    }
}

/// An item of the DSL's initial-review checklist (sexting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// Stable token for the item.
    pub item: Text,
    /// The question to consider, in the project's own words.
    pub question: Text,
}

/// Which policy a decision was made under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyRef {
    pub id: Text,
    pub version: Text,
    /// SHA-256 (hex) of the canonical serialisation of the loaded policy.
    pub digest: Text,
}

/// Immediate-referral criteria (sexting), in the order the guidance lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    AdultInvolved,
    CoercionBlackmailOrGrooming,
    CapacityToConsentConcern,
    ContentAtypicalForDevelopment,
    ContentViolent,
    #[serde(rename = "under_13_sexual_acts")]
    Under13SexualActs,
    ImmediateRiskOfHarm,
}

impl Criterion {
    /// All criteria, in order.
    pub const ALL: [Criterion; 7] = [
        Criterion::AdultInvolved,
        Criterion::CoercionBlackmailOrGrooming,
        Criterion::CapacityToConsentConcern,
        Criterion::ContentAtypicalForDevelopment,
        Criterion::ContentViolent,
        Criterion::Under13SexualActs,
        Criterion::ImmediateRiskOfHarm,
    ];

    /// The wire token.
    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::AdultInvolved => "adult_involved",
            Criterion::CoercionBlackmailOrGrooming => "coercion_blackmail_or_grooming",
            Criterion::CapacityToConsentConcern => "capacity_to_consent_concern",
            Criterion::ContentAtypicalForDevelopment => "content_atypical_for_development",
            Criterion::ContentViolent => "content_violent",
            Criterion::Under13SexualActs => "under_13_sexual_acts",
            Criterion::ImmediateRiskOfHarm => "immediate_risk_of_harm",
        }
    }
}

tokens! {
    /// Who a sexting case is referred to.
    pub enum Referral {
        Police = "police",
        ChildrensSocialCare = "childrens_social_care",
    }
}

/// A decision: the response of every domain (SPEC §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub schema_version: u32,
    pub domain: Domain,
    pub outcome: Outcome,
    /// The rules that produced the outcome, in policy order.
    pub reasons: Vec<Arc<Reason>>,
    /// What to do next: one ordered plan, each step once with one deadline
    /// (SPEC §1.8; shared with other decisions of the same shape).
    pub actions: Arc<[Action]>,
    /// Devices: what must hold for `allow_with_conditions`.
    #[serde(default)]
    pub conditions: Vec<crate::devices::Condition>,
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
    pub on_breach: Option<Vec<crate::devices::OnBreach>>,
    /// Devices: who decides a request no rule covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<Who>,
    /// Devices: the period the decision applies to (resolved from `context.at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<crate::devices::Period>,
    /// Images: each pupil (or the whole image) ruled out, with the reason token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Vec<crate::images::Blocked>>,
    /// Images gallery: the decision for each image, in request order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery: Option<Vec<crate::images::decide::GalleryItem>>,
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
            schema_version: crate::SCHEMA_VERSION,
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
            gallery: None,
            policy: policy.clone(),
            engine: engine.clone(),
        }
    }

    /// The decision as compact JSON. Deterministic: same decision, same bytes.
    /// The same bytes as `serde_json::to_string`, written faster (see
    /// `json_out`).
    pub fn to_json(&self) -> String {
        crate::json_out::decision(self)
    }
}
