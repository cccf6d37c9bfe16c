//! The words an answer is given in: the domain, the outcome, and each
//! domain's own answer tokens (sexting's criteria and referrals, devices'
//! conditions and breach consequences).

use super::tokens::tokens;

/// The engine's version, as every decision reports it.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The wire-format version this engine speaks.
pub const SCHEMA_VERSION: u32 = 1;

tokens! {
    /// The decision domains.
    pub enum Domain {
        Sexting = "sexting",
        Devices = "devices",
        Images = "images",
        Escalation = "escalation",
    }
}

tokens! {
    /// The answer of a decision. Each domain uses its own subset.
    #[non_exhaustive]
    pub enum Outcome {
        // Sexting, in increasing order of protection.
        /// Every referral criterion is known not to hold.
        DslMayManageInSchool = "dsl_may_manage_in_school",
        /// No criterion is known to hold, but at least one is unknown.
        NeedMoreInformation = "need_more_information",
        /// At least one immediate-referral criterion holds.
        ReferImmediately = "refer_immediately",
        /// A party is an adult: not "sexting" but child sexual abuse.
        ChildSexualAbuse = "child_sexual_abuse",
        // Devices.
        /// The device may be used.
        Allow = "allow",
        /// The device may be used if the decision's `conditions` hold.
        AllowWithConditions = "allow_with_conditions",
        /// The device may not be used.
        Deny = "deny",
        // Images.
        /// The image may be published as it is.
        Publish = "publish",
        /// The image may be published once the decision's `changes` are made.
        PublishWithChanges = "publish_with_changes",
        /// The image may not be published.
        Block = "block",
        // Escalation.
        /// The plan in `actions` says who is told, in what order, by when.
        Notify = "notify",
    }
}

tokens! {
    /// Immediate-referral criteria (sexting), in the order the guidance lists them.
    pub enum Criterion {
        /// An adult (anyone aged 18 or over) is involved.
        AdultInvolved = "adult_involved",
        /// There is coercion, blackmail or grooming.
        CoercionBlackmailOrGrooming = "coercion_blackmail_or_grooming",
        /// There is concern about a young person's capacity to consent, owing
        /// to special educational needs for example.
        CapacityToConsentConcern = "capacity_to_consent_concern",
        /// The content is atypical for the young person's development.
        ContentAtypicalForDevelopment = "content_atypical_for_development",
        /// The content is violent.
        ContentViolent = "content_violent",
        /// The imagery shows sexual acts and a young person in it (role
        /// `subject`) is under 13.
        Under13SexualActs = "under_13_sexual_acts",
        /// A young person is at immediate risk of harm, presenting as suicidal
        /// or self-harming for example.
        ImmediateRiskOfHarm = "immediate_risk_of_harm",
    }
}

tokens! {
    /// Who a sexting case is referred to.
    pub enum Referral {
        Police = "police",
        ChildrensSocialCare = "childrens_social_care",
    }
}

tokens! {
    /// What must hold for `allow_with_conditions`.
    pub enum Condition {
        SwitchedOff = "switched_off",
        SwitchedOffOutOfSight = "switched_off_out_of_sight",
        SilentMode = "silent_mode",
        BluetoothOff = "bluetooth_off",
        HandInAtGate = "hand_in_at_gate",
        HandInToOffice = "hand_in_to_office",
        StaffAreasOnly = "staff_areas_only",
        UnderStaffSupervision = "under_staff_supervision",
        InPresenceOfStaff = "in_presence_of_staff",
        WithholdCallerId = "withhold_caller_id",
        NotifyHeadteacher = "notify_headteacher",
        HeadteacherPermission = "headteacher_permission",
        SltApproval = "slt_approval",
        RegisterDevice = "register_device",
        PersonalUseOnly = "personal_use_only",
        DeleteBeforeEndOfDay = "delete_before_end_of_day",
    }
}

tokens! {
    /// What happens when a rule is broken.
    pub enum OnBreach {
        ConfiscateToOffice = "confiscate_to_office",
        ReleaseToParent = "release_to_parent",
        ReportToExamBody = "report_to_exam_body",
        StaffDisciplinary = "staff_disciplinary",
    }
}
