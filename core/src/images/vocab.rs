//! The images vocabulary (spec/vocabulary.md, `images`).

use crate::vocab::tokens;

tokens! {
    /// Where the image is to be published.
    pub enum Channel {
        InternalDisplay = "internal_display",
        LearningPlatform = "learning_platform",
        Website = "website",
        OnlineProspectus = "online_prospectus",
        PrintedProspectus = "printed_prospectus",
        SocialMedia = "social_media",
        Newsletter = "newsletter",
        Press = "press",
        ExternalPresentation = "external_presentation",
        InternalAssessment = "internal_assessment",
    }
}

tokens! {
    /// What a parent or pupil consented to, as the school's form asks it.
    pub enum Purpose {
        Display = "display",
        Website = "website",
        Prospectus = "prospectus",
        SocialMedia = "social_media",
        Press = "press",
        NameWithImage = "name_with_image",
        IndividualUse = "individual_use",
    }
}

tokens! {
    /// A recorded consent answer. Only `yes` is consent.
    pub enum ConsentValue {
        Yes = "yes",
        No = "no",
        NotAsked = "not_asked",
        Withdrawn = "withdrawn",
    }
}

#[allow(clippy::derivable_impls)] // the variants are declared by `tokens!`
impl Default for ConsentValue {
    fn default() -> Self {
        ConsentValue::NotAsked
    }
}

tokens! {
    /// Whether the media is a photo or a video (`media.kind`).
    pub enum MediaKind {
        Photo = "photo",
        Video = "video",
    }
}

tokens! {
    /// Whether the image shows one pupil or a group (`media.composition`).
    pub enum Composition {
        Individual = "individual",
        Group = "group",
    }
}

tokens! {
    /// Whether it was taken on a school device or a personal one (`media.captured_on`).
    pub enum CapturedOn {
        SchoolDevice = "school_device",
        PersonalDevice = "personal_device",
    }
}

tokens! {
    /// A safeguarding restriction recorded for a pupil, such as a looked-after child or a court order (`pupils[].restriction`).
    pub enum Restriction {
        None = "none",
        LookedAfter = "looked_after",
        CourtOrder = "court_order",
        DoNotPhotograph = "do_not_photograph",
    }
}

tokens! {
    /// The kinds of check an images rule makes.
    pub enum Check {
        /// The channel needs consent for `purpose` (none: no express consent needed).
        Consent = "consent",
        /// Looked-after children, court orders and do-not-photograph block.
        Restriction = "restriction",
        /// A pupil who has left the roll.
        Leaver = "leaver",
        /// Taken on a personal device: block the image.
        PersonalDevice = "personal_device",
        /// Not suitably dressed: block the image.
        SuitablyDressed = "suitably_dressed",
        /// Embedded location data: strip it.
        Geodata = "geodata",
        /// Names in the caption, limited by `limit`.
        CaptionNames = "caption_names",
        /// Names in the file name, limited by `limit`.
        FileNames = "file_names",
        /// Names in the tags, limited by `limit`.
        TagNames = "tag_names",
        /// Names in video credits, limited by `limit`.
        CreditNames = "credit_names",
        /// A named pupil needs `name_with_image` consent, or the name goes.
        NameWithImage = "name_with_image",
        /// An individual (not group) photo needs `individual_use` consent.
        IndividualPermission = "individual_permission",
        /// A group photo may go out without a pupil who cannot be in it.
        ExcludeFromGroup = "exclude_from_group",
    }
}

tokens! {
    /// How much of a pupil's name a field may carry.
    pub enum NameLimit {
        /// No pupil's name at all.
        NoNames = "no_names",
        /// First names, never a full name.
        FirstNamesOnly = "first_names_only",
    }
}

tokens! {
    /// What a policy does with images of a pupil who has left.
    pub enum LeaverAction {
        /// Images are deleted when the child leaves.
        Delete = "delete",
        /// Images are no longer published.
        Block = "block",
    }
}
