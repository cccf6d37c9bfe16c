//! The escalation domain's closed vocabularies (`spec/vocabulary.md`,
//! `escalation`).

use crate::vocab::tokens;

tokens! {
    /// What the incident is.
    pub enum Category {
        Sexting = "sexting",
        OnlineSexualAbuse = "online_sexual_abuse",
        IndecentImages = "indecent_images",
        Radicalisation = "radicalisation",
        OnlineHate = "online_hate",
        Cyberbullying = "cyberbullying",
        InappropriateContentAccidental = "inappropriate_content_accidental",
        InappropriateContentDeliberate = "inappropriate_content_deliberate",
        FilteringBreach = "filtering_breach",
        StaffMisuse = "staff_misuse",
        DataBreach = "data_breach",
        SexualHarassment = "sexual_harassment",
        HarmfulSocialMediaPost = "harmful_social_media_post",
        InappropriateContact = "inappropriate_contact",
        SelfHarmContent = "self_harm_content",
        DevicePolicyBreach = "device_policy_breach",
    }
}

tokens! {
    /// Whom the concern is about.
    pub enum ConcernAbout {
        Pupil = "pupil",
        Staff = "staff",
        Headteacher = "headteacher",
        Dsl = "dsl",
        Governor = "governor",
        Parent = "parent",
        ExternalAdult = "external_adult",
        Unknown = "unknown",
    }
}

tokens! {
    /// A yes/no fact about the incident (omitted means false).
    pub enum Flag {
        ImmediateDanger = "immediate_danger",
        CriminalOffenceSuspected = "criminal_offence_suspected",
        CriminalOffenceUnclear = "criminal_offence_unclear",
        IllegalMaterial = "illegal_material",
        OnSchoolSystems = "on_school_systems",
        OutsideSchool = "outside_school",
        OtherSchoolsInvolved = "other_schools_involved",
        OngoingOrRepeated = "ongoing_or_repeated",
        ThreatToLife = "threat_to_life",
        ParentalInvolvementWouldRiskChild = "parental_involvement_would_risk_child",
        /// The concern about a member of staff is a low-level concern (KCSIE
        /// Part four): the reporter asserts it does not meet the harm
        /// threshold. It counts only where nothing says otherwise
        /// ([`crate::escalation::Flags::effective`]).
        LowLevelConcern = "low_level_concern",
    }
}

tokens! {
    /// What a policy does about "the same day" when a concern is reported
    /// after the school day has ended (or on a day the school is closed).
    pub enum AfterHours {
        /// By the end of that calendar day (23:59).
        EndOfCalendarDay = "end_of_calendar_day",
        /// By the start of the next school day.
        NextSchoolDayStart = "next_school_day_start",
    }
}
