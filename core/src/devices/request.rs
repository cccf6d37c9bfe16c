//! A devices request: who is acting (role, year group), with what device,
//! doing what, where and when, and the context a rule may depend on. Every
//! fact a rule may read but a request may leave out is listed in
//! [`Fact`](super::Fact); a fact left out is unknown, never a yes.

use super::vocab::*;
use crate::civil::{LocalDateTime, Period};
use crate::error::{Error, Location as ErrorAt, Result};

/// Highest year group (Year 13); Reception is 0.
pub const MAX_YEAR_GROUP: u8 = 13;

crate::wire::json_in::wire_struct! {
    /// A devices request (vocabulary: `devices`).
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct DevicesRequest {
        envelope(DevicesDomain, "devices"),
        /// Who wants to use the device.
        required actor: Actor,
        /// The device.
        required device: Device,
        /// What the actor wants to do with the device (e.g. `take_photo_video`).
        required action: DeviceAction,
        /// Where, when and under what circumstances.
        required context: Context,
    }
}

crate::vocab::tokens! {
    /// The only domain token a devices request may carry.
    pub enum DevicesDomain {
        Devices = "devices",
    }
}

crate::wire::json_in::wire_struct! {
    /// Who wants to use the device.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Actor {
        /// The actor's role (e.g. `pupil`, `teacher`, `visitor`).
        required role: ActorRole,
        /// Pupils: 0 (Reception) to 13.
        optional year_group: Option<u8>,
        /// Whether the actor works directly with children; omitted means unknown.
        optional works_directly_with_children: Option<bool>,
    }
}

crate::wire::json_in::wire_struct! {
    /// The device.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Device {
        /// The kind of device (e.g. `mobile_phone`, `smartwatch`).
        required kind: DeviceKind,
        /// Who owns it: `personal` or `school`.
        required owner: Owner,
    }
}

crate::wire::json_in::wire_struct! {
    /// Where, when and under what circumstances. Omitted facts are unknown.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Context {
        /// Where the device would be used (e.g. `classroom`, `toilets`).
        required location: Location,
        /// The part of the school day (e.g. `lesson`, `break`); omitted means
        /// unknown unless `at` gives it.
        optional period: Option<Period>,
        /// Local school time; resolves the period when `period` is absent.
        optional at: Option<LocalDateTime>,
        /// Whether children are present; omitted means unknown.
        optional children_present: Option<bool>,
        /// Whether it is an emergency; omitted means unknown.
        optional emergency: Option<bool>,
        /// Who, if anyone, has given permission (`none`, `teacher`,
        /// `senior_leadership`, `headteacher`); omitted means unknown.
        optional permission_from: Option<PermissionFrom>,
        /// Whether a parent has asked for it (e.g. a phone for the child's safety);
        /// omitted means unknown.
        optional parental_request: Option<bool>,
        /// Whether the people photographed or filmed have consented; omitted means
        /// unknown.
        optional subjects_consent: Option<bool>,
        /// Whether a school device is available instead; omitted means unknown.
        optional school_device_available: Option<bool>,
        /// The pupil's agreed exception by need (`none`, `medical`,
        /// `send_adjustment`, `young_carer`); omitted means unknown.
        optional exception: Option<Exception>,
    }
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
