//! An images request: the channel, the photo or video with its caption,
//! file name, tags and credits, and the pupils it shows with their recorded
//! consents and restrictions; and a gallery (many images, one roster).
//! Anything left out is unknown, and unknown never publishes.

use super::vocab::*;
use crate::civil::Date;
use crate::error::{Error, Location, Result};

crate::wire::json_in::wire_struct! {
    /// An images request (vocabulary: `images`).
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct ImagesRequest {
        envelope(ImagesDomain, "images"),
        /// Where the image is to be published (such as `website` or `social_media`).
        required channel: Channel,
        /// The photo or video.
        required media: Media,
        /// The pupils depicted.
        required pupils: Vec<Pupil>,
    }
}

crate::vocab::tokens! {
    /// The only domain token an images request may carry.
    pub enum ImagesDomain {
        Images = "images",
    }
}

crate::wire::json_in::wire_struct! {
    /// The photo or video.
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Media {
        /// `photo` or `video`.
        required kind: MediaKind,
        /// `individual` or `group`.
        required composition: Composition,
        /// The caption to be published with it, searched for pupils' names.
        optional caption: Option<String>,
        /// The file name, searched for pupils' names.
        optional filename: Option<String>,
        /// Tags attached to it, searched for pupils' names.
        list tags: Vec<String>,
        /// Credits (of a video), searched for pupils' names.
        optional credits: Option<String>,
        /// Whether the file carries location metadata; unknown if omitted.
        optional has_geodata: Option<bool>,
        /// `school_device` or `personal_device`: what it was taken with.
        required captured_on: CapturedOn,
        /// Unknown if omitted.
        optional suitably_dressed: Option<bool>,
    }
}

/// A pupil's id or name: short text, kept inline up to 23 bytes, so a
/// 30-pupil request is read without 90 allocations.
pub type Name = smol_str::SmolStr;

crate::wire::json_in::wire_struct! {
    /// A pupil in the image, with the consent on record.
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Pupil {
        /// The caller's id; the only way a response refers to this pupil.
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        required id: Name,
        /// First name, looked for in the caption, credits, file name and tags.
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        required first_name: Name,
        /// Last name, looked for in the caption, credits, file name and tags.
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        required last_name: Name,
        /// Whether the pupil is still on the school's roll.
        required on_roll: bool,
        /// The day the pupil left the roll, if they have.
        optional left_on: Option<Date>,
        /// Consent on record per purpose; omitted means `not_asked` throughout.
        default consent: Consents,
        /// Omitted means unknown, not `none`: the pupil is not published
        /// until a restriction (or `none`) is recorded.
        optional restriction: Option<Restriction>,
    }
}

crate::wire::json_in::wire_struct! {
    /// Consent on record per purpose; omitted means `not_asked`.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Consents {
        /// Consent for the `display` purpose (in the baseline: internal displays,
        /// the learning platform and the newsletter).
        default display: ConsentValue,
        /// Consent to publish on the school website.
        default website: ConsentValue,
        /// Consent to publish in the prospectus, printed or online.
        default prospectus: ConsentValue,
        /// Consent to publish on social media.
        default social_media: ConsentValue,
        /// Consent for the press (in the baseline, also external presentations).
        default press: ConsentValue,
        /// Consent to name the pupil alongside the image.
        default name_with_image: ConsentValue,
        /// Permission for an individual (not group) photo on the website,
        /// prospectus or another high-profile channel.
        default individual_use: ConsentValue,
    }
}

impl Consents {
    /// The answer on record for `purpose`.
    pub fn get(&self, purpose: Purpose) -> ConsentValue {
        match purpose {
            Purpose::Display => self.display,
            Purpose::Website => self.website,
            Purpose::Prospectus => self.prospectus,
            Purpose::SocialMedia => self.social_media,
            Purpose::Press => self.press,
            Purpose::NameWithImage => self.name_with_image,
            Purpose::IndividualUse => self.individual_use,
        }
    }
}

impl ImagesRequest {
    /// Unique, non-empty pupil ids and names.
    pub fn validate(&self) -> Result<()> {
        let repeat = crate::wire::envelope::first_repeat(self.pupils.iter().map(|p| p.id.as_str()));
        for (i, p) in self.pupils.iter().enumerate() {
            let at = |f: &str| Location::path(format!("$.pupils[{i}].{f}"));
            if p.id.is_empty() {
                return Err(Error::InvalidValue {
                    at: at("id"),
                    message: "a pupil's id must not be empty".into(),
                });
            }
            if repeat == Some(i) {
                return Err(Error::InvalidValue {
                    at: at("id"),
                    message: "an earlier pupil has the same id".into(),
                });
            }
            if p.on_roll && p.left_on.is_some() {
                return Err(Error::InvalidValue {
                    at: at("left_on"),
                    message: "a pupil on roll has no leaving date".into(),
                });
            }
        }
        Ok(())
    }
}

crate::wire::json_in::wire_struct! {
    /// A gallery: many images, one roster, one channel (issue 4, batch).
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct GalleryRequest {
        envelope(ImagesDomain, "images"),
        /// Where every image of the gallery is to be published.
        required channel: Channel,
        /// Every pupil who may appear, indexed once for the whole gallery.
        required roster: Vec<Pupil>,
        /// The images, each naming the roster pupils it shows.
        required images: Vec<GalleryImage>,
    }
}

crate::wire::json_in::wire_struct! {
    /// One image of a gallery.
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct GalleryImage {
        /// The caller's id for the image.
        required id: String,
        /// The photo or video.
        required media: Media,
        /// Roster ids of the pupils in the image.
        required pupils: Vec<String>,
    }
}

impl GalleryRequest {
    /// Unique roster ids and image ids; every depicted id on the roster.
    pub fn validate(&self) -> Result<std::collections::HashMap<&str, usize>> {
        let mut by_id = std::collections::HashMap::with_capacity(self.roster.len());
        for (i, p) in self.roster.iter().enumerate() {
            if p.id.is_empty() || by_id.insert(p.id.as_str(), i).is_some() {
                return Err(Error::InvalidValue {
                    at: Location::path(format!("$.roster[{i}].id")),
                    message: "a pupil's id is empty or an earlier pupil's".into(),
                });
            }
        }
        let mut images = std::collections::HashSet::with_capacity(self.images.len());
        for (i, img) in self.images.iter().enumerate() {
            if !images.insert(img.id.as_str()) {
                return Err(Error::InvalidValue {
                    at: Location::path(format!("$.images[{i}].id")),
                    message: "an earlier image has the same id".into(),
                });
            }
            for (k, id) in img.pupils.iter().enumerate() {
                if !by_id.contains_key(id.as_str()) {
                    return Err(Error::InvalidValue {
                        at: Location::path(format!("$.images[{i}].pupils[{k}]")),
                        message: "no pupil on the roster has this id".into(),
                    });
                }
            }
        }
        Ok(by_id)
    }
}
