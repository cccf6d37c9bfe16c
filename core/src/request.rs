//! Requests: the typed form and the JSON wire form (SPEC §2).
//!
//! JSON is read in two passes. The first reads only `domain` and `policy`
//! and notes which domain's fields are present, ignoring everything else;
//! the second reads the whole request into that domain's type, which rejects
//! unknown fields. Both are cheap next to the JSON itself, and the split
//! gives every error a precise path.

use crate::decision::Domain;
use crate::devices::DevicesRequest;
use crate::error::{Error, Location, Result};
use crate::escalation::EscalationRequest;
use crate::images::decide::GalleryRequest;
use crate::images::ImagesRequest;
use crate::input;
use crate::sexting::SextingRequest;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A request to any domain.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Request {
    Sexting(SextingRequest),
    Devices(DevicesRequest),
    Images(ImagesRequest),
    /// Many images against one roster.
    Gallery(GalleryRequest),
    Escalation(EscalationRequest),
}

impl Request {
    /// Reads a JSON request. `domain` is used when the request has no
    /// `domain` field; otherwise the domain is inferred from the fields.
    pub fn from_json(text: &str, domain: Option<Domain>) -> Result<Request> {
        if text.len() > input::MAX_REQUEST_BYTES {
            return Err(Error::TooLarge {
                at: Location::path("$"),
                message: format!(
                    "the request is {} bytes; the limit is {} bytes",
                    text.len(),
                    input::MAX_REQUEST_BYTES
                ),
            });
        }
        Self::parse(text, domain).map_err(|e| input::too_deep_or(text, e))
    }

    fn parse(text: &str, domain: Option<Domain>) -> Result<Request> {
        let domain = match input::scan_domain(text) {
            Some(d) => d,
            None => peek_domain(text, domain)?,
        };
        match domain {
            Domain::Sexting => Ok(Request::Sexting(input::from_json(text)?)),
            Domain::Devices => Ok(Request::Devices(input::from_json(text)?)),
            Domain::Images if input::has_key(text, "roster") => {
                Ok(Request::Gallery(input::from_json(text)?))
            }
            Domain::Images => Ok(Request::Images(input::from_json(text)?)),
            Domain::Escalation => Ok(Request::Escalation(input::from_json(text)?)),
        }
    }

    /// The domain of this request.
    pub fn domain(&self) -> Domain {
        match self {
            Request::Sexting(_) => Domain::Sexting,
            Request::Devices(_) => Domain::Devices,
            Request::Images(_) | Request::Gallery(_) => Domain::Images,
            Request::Escalation(_) => Domain::Escalation,
        }
    }

    /// The policy the request names, if any.
    pub fn policy(&self) -> Option<&str> {
        match self {
            Request::Sexting(r) => r.policy.as_deref(),
            Request::Devices(r) => r.policy.as_deref(),
            Request::Images(r) => r.policy.as_deref(),
            Request::Gallery(r) => r.policy.as_deref(),
            Request::Escalation(r) => r.policy.as_deref(),
        }
    }
}

impl From<DevicesRequest> for Request {
    fn from(r: DevicesRequest) -> Self {
        Request::Devices(r)
    }
}

impl From<ImagesRequest> for Request {
    fn from(r: ImagesRequest) -> Self {
        Request::Images(r)
    }
}

impl From<EscalationRequest> for Request {
    fn from(r: EscalationRequest) -> Self {
        Request::Escalation(r)
    }
}

impl From<SextingRequest> for Request {
    fn from(r: SextingRequest) -> Self {
        Request::Sexting(r)
    }
}

/// The domain named by the request, or `default`, or inferred from which
/// domain's fields are present.
fn peek_domain(text: &str, default: Option<Domain>) -> Result<Domain> {
    let is_object = text.trim_start().starts_with('{');
    if !is_object && serde_json::from_str::<IgnoredAny>(text).is_ok() {
        return Err(Error::InvalidValue {
            at: Location::path("$"),
            message: "a request must be a JSON object".into(),
        });
    }
    let peek: Peek = input::from_json(text)?;
    match (peek.domain, default) {
        (Some(d), _) | (None, Some(d)) => Ok(d),
        (None, None) => peek.infer(),
    }
}

/// First pass: the routing fields, and which domain's fields are present.
#[derive(Deserialize)]
struct Peek {
    #[serde(default)]
    domain: Option<Domain>,
    #[serde(default, rename = "policy")]
    _policy: Option<IgnoredAny>,
    #[serde(default)]
    incident_date: Option<IgnoredAny>,
    #[serde(default)]
    young_people: Option<IgnoredAny>,
    #[serde(default)]
    actor: Option<IgnoredAny>,
    #[serde(default)]
    device: Option<IgnoredAny>,
    #[serde(default)]
    channel: Option<IgnoredAny>,
    #[serde(default)]
    media: Option<IgnoredAny>,
    #[serde(default)]
    roster: Option<IgnoredAny>,
    #[serde(default)]
    category: Option<IgnoredAny>,
    #[serde(default)]
    reported_at: Option<IgnoredAny>,
}

impl Peek {
    fn infer(&self) -> Result<Domain> {
        let candidates = [
            (
                Domain::Sexting,
                self.incident_date.is_some() || self.young_people.is_some(),
            ),
            (
                Domain::Devices,
                self.actor.is_some() || self.device.is_some(),
            ),
            (
                Domain::Images,
                self.channel.is_some() || self.media.is_some() || self.roster.is_some(),
            ),
            (
                Domain::Escalation,
                self.category.is_some() || self.reported_at.is_some(),
            ),
        ];
        let mut found = candidates.iter().filter(|(_, present)| *present);
        match (found.next(), found.next()) {
            (Some((d, _)), None) => Ok(*d),
            _ => Err(Error::MissingField {
                at: Location::path("$.domain"),
                field: "domain".into(),
            }),
        }
    }
}

/// The wire-format version; only `1` exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaVersion;

impl Default for SchemaVersion {
    fn default() -> Self {
        SchemaVersion
    }
}

impl Serialize for SchemaVersion {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_u32(crate::SCHEMA_VERSION)
    }
}

impl<'de> Deserialize<'de> for SchemaVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = u64::deserialize(d)?;
        if v == u64::from(crate::SCHEMA_VERSION) {
            Ok(SchemaVersion)
        } else {
            Err(serde::de::Error::custom(format!(
                "schema_version {v} is not supported; this engine speaks version 1"
            )))
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for SchemaVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SchemaVersion".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "const": 1 })
    }
}
