//! An images request: the channel, the photo or video with its caption,
//! file name, tags and credits, and the pupils it shows with their recorded
//! consents and restrictions; and a gallery (many images, one roster).
//! Anything left out is unknown, and unknown never publishes.

use super::vocab::*;
use crate::civil::Date;
use crate::envelope::SchemaVersion;
use crate::error::{Error, Location, Result};
use serde::{Deserialize, Serialize};

/// An images request (vocabulary: `images`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ImagesRequest {
    /// Wire-format version; omitted means 1.
    #[serde(default)]
    pub schema_version: SchemaVersion,
    /// `images`; may be omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<ImagesDomain>,
    /// The policy to decide under; may be omitted when the engine holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Where the image is to be published (such as `website` or `social_media`).
    pub channel: Channel,
    /// The photo or video.
    pub media: Media,
    /// The pupils depicted.
    pub pupils: Vec<Pupil>,
}

crate::vocab::tokens! {
    /// The only domain token an images request may carry.
    pub enum ImagesDomain {
        Images = "images",
    }
}

/// The photo or video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Media {
    /// `photo` or `video`.
    pub kind: MediaKind,
    /// `individual` or `group`.
    pub composition: Composition,
    /// The caption to be published with it, searched for pupils' names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The file name, searched for pupils' names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Tags attached to it, searched for pupils' names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Credits (of a video), searched for pupils' names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<String>,
    /// Whether the file carries location metadata; unknown if omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_geodata: Option<bool>,
    /// `school_device` or `personal_device`: what it was taken with.
    pub captured_on: CapturedOn,
    /// Unknown if omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suitably_dressed: Option<bool>,
}

/// A pupil's id or name: short text, kept inline up to 23 bytes, so a
/// 30-pupil request is read without 90 allocations.
pub type Name = smol_str::SmolStr;

/// A pupil in the image, with the consent on record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pupil {
    /// The caller's id; the only way a response refers to this pupil.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub id: Name,
    /// First name, looked for in the caption, credits, file name and tags.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub first_name: Name,
    /// Last name, looked for in the caption, credits, file name and tags.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub last_name: Name,
    /// Whether the pupil is still on the school's roll.
    pub on_roll: bool,
    /// The day the pupil left the roll, if they have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_on: Option<Date>,
    /// Consent on record per purpose; omitted means `not_asked` throughout.
    #[serde(default)]
    pub consent: Consents,
    /// Omitted means unknown, not `none`: the pupil is not published
    /// until a restriction (or `none`) is recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restriction: Option<Restriction>,
}

/// Consent on record per purpose; omitted means `not_asked`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Consents {
    /// Consent for the `display` purpose (in the baseline: internal displays,
    /// the learning platform and the newsletter).
    pub display: ConsentValue,
    /// Consent to publish on the school website.
    pub website: ConsentValue,
    /// Consent to publish in the prospectus, printed or online.
    pub prospectus: ConsentValue,
    /// Consent to publish on social media.
    pub social_media: ConsentValue,
    /// Consent for the press (in the baseline, also external presentations).
    pub press: ConsentValue,
    /// Consent to name the pupil alongside the image.
    pub name_with_image: ConsentValue,
    /// Permission for an individual (not group) photo on the website,
    /// prospectus or another high-profile channel.
    pub individual_use: ConsentValue,
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
        let repeat = crate::envelope::first_repeat(self.pupils.iter().map(|p| p.id.as_str()));
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

/// A gallery: many images, one roster, one channel (issue 4, batch).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GalleryRequest {
    /// Wire-format version; omitted means 1.
    #[serde(default)]
    pub schema_version: SchemaVersion,
    /// `images`; may be omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<ImagesDomain>,
    /// The policy to decide under; may be omitted when the engine holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Where every image of the gallery is to be published.
    pub channel: Channel,
    /// Every pupil who may appear, indexed once for the whole gallery.
    pub roster: Vec<Pupil>,
    /// The images, each naming the roster pupils it shows.
    pub images: Vec<GalleryImage>,
}

/// One image of a gallery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GalleryImage {
    /// The caller's id for the image.
    pub id: String,
    /// The photo or video.
    pub media: Media,
    /// Roster ids of the pupils in the image.
    pub pupils: Vec<String>,
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
