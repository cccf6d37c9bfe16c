//! A devices request: who is acting (role, year group), with what device,
//! doing what, where and when, and the context a rule may depend on. Every
//! fact a rule may read but a request may leave out is listed in
//! [`Fact`](super::Fact); a fact left out is unknown, never a yes.

use super::vocab::*;
use crate::civil::{LocalDateTime, Period};
use crate::envelope::SchemaVersion;
use crate::error::{Error, Location as ErrorAt, Result};
use serde::{Deserialize, Serialize};

/// Highest year group (Year 13); Reception is 0.
pub const MAX_YEAR_GROUP: u8 = 13;

/// A devices request (vocabulary: `devices`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DevicesRequest {
    /// The wire format's version; omitted means 1.
    #[serde(default)]
    pub schema_version: SchemaVersion,
    /// `devices`; may be omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<DevicesDomain>,
    /// The id of the policy the request is meant for (e.g. `baseline`); when
    /// given it must be the engine's policy, and it may be omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Who wants to use the device.
    pub actor: Actor,
    /// The device.
    pub device: Device,
    /// What the actor wants to do with the device (e.g. `take_photo_video`).
    pub action: DeviceAction,
    /// Where, when and under what circumstances.
    pub context: Context,
}

crate::vocab::tokens! {
    /// The only domain token a devices request may carry.
    pub enum DevicesDomain {
        Devices = "devices",
    }
}

/// Who wants to use the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// The actor's role (e.g. `pupil`, `teacher`, `visitor`).
    pub role: ActorRole,
    /// Pupils: 0 (Reception) to 13.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_group: Option<u8>,
    /// Whether the actor works directly with children; omitted means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub works_directly_with_children: Option<bool>,
}

/// The device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Device {
    /// The kind of device (e.g. `mobile_phone`, `smartwatch`).
    pub kind: DeviceKind,
    /// Who owns it: `personal` or `school`.
    pub owner: Owner,
}

/// Where, when and under what circumstances. Omitted facts are unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// Where the device would be used (e.g. `classroom`, `toilets`).
    pub location: Location,
    /// The part of the school day (e.g. `lesson`, `break`); omitted means
    /// unknown unless `at` gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Local school time; resolves the period when `period` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<LocalDateTime>,
    /// Whether children are present; omitted means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children_present: Option<bool>,
    /// Whether it is an emergency; omitted means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency: Option<bool>,
    /// Who, if anyone, has given permission (`none`, `teacher`,
    /// `senior_leadership`, `headteacher`); omitted means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_from: Option<PermissionFrom>,
    /// Whether a parent has asked for it (e.g. a phone for the child's safety);
    /// omitted means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parental_request: Option<bool>,
    /// Whether the people photographed or filmed have consented; omitted means
    /// unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjects_consent: Option<bool>,
    /// Whether a school device is available instead; omitted means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_device_available: Option<bool>,
    /// The pupil's agreed exception by need (`none`, `medical`,
    /// `send_adjustment`, `young_carer`); omitted means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<Exception>,
}

impl Context {
    /// A context that gives only the location: every other fact is left
    /// out, so unknown.
    pub fn unknown_but_location(location: Location) -> Context {
        Context {
            location,
            period: None,
            at: None,
            children_present: None,
            emergency: None,
            permission_from: None,
            parental_request: None,
            subjects_consent: None,
            school_device_available: None,
            exception: None,
        }
    }
}

impl DevicesRequest {
    /// Checks what the types cannot.
    pub fn validate(&self) -> Result<()> {
        if let Some(y) = self.actor.year_group {
            if y > MAX_YEAR_GROUP {
                return Err(Error::InvalidValue {
                    at: ErrorAt::path("$.actor.year_group"),
                    message: format!(
                        "no such year group: Reception is 0, the last is {MAX_YEAR_GROUP}"
                    ),
                });
            }
            if self.actor.role != ActorRole::Pupil {
                return Err(Error::InvalidValue {
                    at: ErrorAt::path("$.actor.year_group"),
                    message: "only pupils have a year group".into(),
                });
            }
        }
        Ok(())
    }
}
