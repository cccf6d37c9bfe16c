//! What to do next: a step's action, who receives or carries it out, and
//! how soon.

use super::cite::Text;
use super::tokens::tokens;
use serde::{Deserialize, Serialize};

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

tokens! {
    /// Who receives or carries out an action.
    #[non_exhaustive]
    pub enum Who {
        /// The designated safeguarding lead (DSL).
        Dsl = "dsl",
        /// The deputy designated safeguarding lead.
        DeputyDsl = "deputy_dsl",
        /// The school's online-safety lead.
        OnlineSafetyLead = "online_safety_lead",
        /// The headteacher.
        Headteacher = "headteacher",
        /// The deputy headteacher.
        DeputyHead = "deputy_head",
        /// The chair of governors.
        ChairOfGovernors = "chair_of_governors",
        /// The governor responsible for safeguarding.
        SafeguardingGovernor = "safeguarding_governor",
        /// The school's network manager.
        NetworkManager = "network_manager",
        /// The school's data protection officer.
        DataProtectionOfficer = "data_protection_officer",
        /// Every member of staff.
        AllStaff = "all_staff",
        /// The school office.
        SchoolOffice = "school_office",
        /// The young person concerned.
        YoungPerson = "young_person",
        /// The young person's parents or carers.
        Parents = "parents",
        /// The local authority designated officer (LADO), for concerns about staff.
        Lado = "lado",
        /// The police, without naming a number to call.
        Police = "police",
        /// The police on 999, in an emergency.
        Police999 = "police_999",
        /// The police on 101, their non-emergency number.
        Police101 = "police_101",
        /// Children's social care.
        ChildrensSocialCare = "childrens_social_care",
        /// CEOP, the National Crime Agency's child protection command.
        Ceop = "ceop",
        /// The Internet Watch Foundation (IWF), which has child sexual abuse imagery taken down.
        Iwf = "iwf",
        /// Prevent, the referral route for concerns about radicalisation.
        Prevent = "prevent",
        /// The local authority.
        LocalAuthority = "local_authority",
        /// An online-safety helpline.
        OnlineSafetyHelpline = "online_safety_helpline",
        /// The provider of the platform or service where the content is.
        PlatformProvider = "platform_provider",
        /// The examination body.
        ExamBody = "exam_body",
    }
}

impl Who {
    /// Who, in plain words, as an explanation names them ("the Designated
    /// Safeguarding Lead (DSL)", "the LADO (local authority designated
    /// officer)"): the one wording for people, so the policy builder
    /// offers the parties in the words a decision's explanation uses.
    pub fn in_words(self) -> &'static str {
        match self {
            Who::Dsl => "the Designated Safeguarding Lead (DSL)",
            Who::DeputyDsl => "the deputy DSL",
            Who::OnlineSafetyLead => "the online-safety lead",
            Who::Headteacher => "the headteacher",
            Who::DeputyHead => "the deputy headteacher",
            Who::ChairOfGovernors => "the chair of governors",
            Who::SafeguardingGovernor => "the safeguarding governor",
            Who::NetworkManager => "the network manager",
            Who::DataProtectionOfficer => "the data protection officer",
            Who::AllStaff => "all staff",
            Who::SchoolOffice => "the school office",
            Who::YoungPerson => "the young person",
            Who::Parents => "parents or carers",
            Who::Lado => "the LADO (local authority designated officer)",
            Who::Police => "the police",
            Who::Police999 => "the police on 999",
            Who::Police101 => "the police on 101",
            Who::ChildrensSocialCare => "children's social care",
            Who::Ceop => "CEOP (the NCA's child protection command)",
            Who::Iwf => "the Internet Watch Foundation",
            Who::Prevent => "Prevent",
            Who::LocalAuthority => "the local authority",
            Who::OnlineSafetyHelpline => "the online-safety helpline",
            Who::PlatformProvider => "the platform provider",
            Who::ExamBody => "the exam body",
        }
    }

    /// [`in_words`](Self::in_words) as a heading or a list's entry names
    /// them ("Designated Safeguarding Lead (DSL)", "Deputy DSL"): without a
    /// leading "the", the first letter a capital. The terminal and the
    /// builder page list a school's people and bodies in these words.
    pub fn as_heading(self) -> String {
        let words = self.in_words();
        let words = words.strip_prefix("the ").unwrap_or(words);
        let mut chars = words.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

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
}

tokens! {
    /// How soon an action is due, from the most to the least urgent.
    pub enum Deadline {
        /// At once.
        Immediately = "immediately",
        /// By the end of the current lesson.
        EndOfLesson = "end_of_lesson",
        /// The same day.
        SameDay = "same_day",
        /// Within one working day.
        WithinOneWorkingDay = "within_one_working_day",
        /// Set by the engine, never by a policy: a step to a local body that is
        /// closed when the incident is reported, due when it opens (its `due`
        /// says when; its contact line gives the out-of-hours route meanwhile).
        #[never_read]
        WhenServiceOpens = "when_service_opens",
        /// Once the facts are established.
        WhenFactsEstablished = "when_facts_established",
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
