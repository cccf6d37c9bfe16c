//! Requests: the typed form and the JSON wire form (SPEC §2).
//!
//! JSON is read once, as the domain its first `"domain"` key names: that
//! domain's typed read checks its own `domain` field and rejects unknown
//! fields. Only a request with no usable `domain` key (or one whose typed
//! read fails) has its domain found the careful way: a scan for the key
//! at the top level, else a first pass that reads only `domain` and
//! `policy` and notes which domain's fields are present (`Peek`); the
//! request is then read as that domain. The careful way is what gives
//! every error a precise path.
//!
//! # A field left out
//!
//! Each request shape is declared once, in its domain's `request.rs`, with
//! `wire_struct!` (in [`json_in`]), which says of every field whether it
//! must be given. Every field not `required` may be left out. SPEC §1.1: a
//! field left out never takes the value that gives the more permissive
//! answer; it is unknown (named in `unknowns` where it could change the
//! answer), the strictest value, or a coded `missing_field`. The review (issue 21),
//! checked from every scenario by `tests/tests/omissions.rs`:
//!
//! | field | left out, before | left out, now |
//! |---|---|---|
//! | `schema_version`, `domain`, `policy` (all) | 1; inferred, else `missing_field`; the engine's policy, else `missing_field` | unchanged (routing, not facts) |
//! | sexting `facts.*` (and `facts`) | `unknown`, named | unchanged |
//! | sexting `young_people[].age`, `.date_of_birth` | age unknown, `subject_age:<id>` named | unchanged |
//! | sexting `young_people[].additional_needs` | not read (`capacity_to_consent_concern` is the fact) | unchanged |
//! | sexting `reported_at` | no due times; deadlines kept | unchanged |
//! | devices `actor.year_group`, `.works_directly_with_children`, every `context` fact but `location` (`period` also comes from `at` by the timetable) | unknown: a forbid that may match denies, named; but an allow or exception that only may match was ignored, dropping its conditions (a contractor's emergency call: `allow`; with `children_present: false`, `staff_areas_only`) | unknown: a may-match allow or exception adds its conditions, and the fact is named |
//! | images `media.has_geodata` | unknown: `strip_geodata`, named | unchanged |
//! | images `media.suitably_dressed` | unknown: `confirm_suitably_dressed`, named | unchanged |
//! | images `media.caption`, `.filename`, `.tags`, `.credits` | no text goes out with the image: nothing to check | unchanged (content, not a fact) |
//! | images `pupils[].consent.*` (and `consent`), gallery `roster[]` too | `not_asked`, which blocks like `no` | unchanged (the strictest value) |
//! | images `pupils[].left_on` | not read (`on_roll` decides) | unchanged |
//! | images `pupils[].restriction`, gallery `roster[].restriction` | `none`: published | unknown: ruled out (`restriction_unknown`), `pupils.restriction` named |
//! | escalation `flags.*` (and `flags`) | `false`, silently | read as not set, and named `flags.<flag>` where setting it would change the route; `low_level_concern` left out is the strict reading |

use crate::devices::DevicesRequest;
use crate::error::{Error, Location, Result};
use crate::escalation::EscalationRequest;
use crate::images::GalleryRequest;
use crate::images::ImagesRequest;
use crate::sexting::SextingRequest;
use crate::vocab::Domain;
pub use crate::wire::envelope::SchemaVersion;
use crate::wire::input;
use crate::wire::json_in::{self, Fault, ReadJson, Reader};

/// A request to any domain.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Request {
    /// A nude or semi-nude image shared by or of a young person (domain `sexting`).
    Sexting(SextingRequest),
    /// Someone wanting to use a device somewhere in school (domain `devices`).
    Devices(DevicesRequest),
    /// One image to be published (domain `images`).
    Images(ImagesRequest),
    /// Many images against one roster.
    Gallery(GalleryRequest),
    /// An online-safety incident to be escalated (domain `escalation`).
    Escalation(EscalationRequest),
}

impl Request {
    /// Reads a JSON request. `domain` is used when the request has no
    /// `domain` field; otherwise the domain is inferred from the fields. A
    /// request whose `domain` names another domain than the `domain` given
    /// is refused (`invalid_value` at `$.domain`): the caller (the CLI's
    /// `--domain`) and the request disagree about what is asked, and
    /// neither may silently win.
    ///
    /// ```
    /// use safeguard_engine::{Domain, Request};
    ///
    /// let request = Request::from_json(r#"{"domain": "escalation", "category": "cyberbullying",
    ///     "concern_about": "pupil", "reported_at": "2026-03-04T10:15"}"#, None)?;
    /// assert_eq!(request.domain(), Domain::Escalation);
    ///
    /// // The domain given for a request that names none.
    /// let request = Request::from_json(r#"{"category": "cyberbullying",
    ///     "concern_about": "pupil", "reported_at": "2026-03-04T10:15"}"#,
    ///     Some(Domain::Escalation))?;
    /// assert_eq!(request.domain(), Domain::Escalation);
    ///
    /// // A field the wire format does not have: refused at its object.
    /// let error = Request::from_json(r#"{"domain": "devices", "colour": "red"}"#, None).unwrap_err();
    /// assert_eq!((error.code(), error.path()), ("unknown_field", Some("$")));
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn from_json(text: &str, domain: Option<Domain>) -> Result<Request> {
        let read = within_limits(text, |text| Self::parse(text, domain));
        let Some(given) = domain else {
            return read;
        };
        let named = match &read {
            Ok(request) => Some(request.domain()),
            // A request that fails to read is judged by the domain it names
            // (when it names one): the disagreement is the first thing wrong.
            Err(_) => input::scan_domain(text),
        };
        match named {
            Some(named) if named != given => Err(Error::InvalidValue {
                at: Location::path("$.domain"),
                message: format!(
                    "the request is for another domain than the one given with it (`{}`)",
                    given.as_str()
                ),
            }),
            _ => read,
        }
    }

    fn parse(text: &str, domain: Option<Domain>) -> Result<Request> {
        // The first `"domain"` key is a guess that a typed read confirms:
        // it checks its own `domain` field. For a request that fails to
        // read, the domain is found the careful way, which gives the error
        // it always gave; it is read again only if that domain differs.
        let guessed = input::first_domain(text).map(|guess| (guess, Self::parse_as(text, guess)));
        let failed = match guessed {
            Some((_, Ok(request))) => return Ok(request),
            Some((guess, Err(e))) => Some((guess, e)),
            None => None,
        };
        let domain = match input::scan_domain(text) {
            Some(d) => d,
            None => peek_domain(text, domain)?,
        };
        match failed {
            Some((guess, e)) if guess == domain => Err(e),
            _ => Self::parse_as(text, domain),
        }
    }

    /// `text` read as a request of `domain`.
    fn parse_as(text: &str, domain: Domain) -> Result<Request> {
        match domain {
            Domain::Sexting => Ok(Request::Sexting(json_in::from_json(text)?)),
            Domain::Devices => Ok(Request::Devices(json_in::from_json(text)?)),
            // A gallery is told by its roster. Most requests are single
            // images, so the text is searched for one only when it is not
            // a single-image request (which refuses a `roster` field).
            Domain::Images => match json_in::from_json(text) {
                Ok(single) => Ok(Request::Images(single)),
                Err(_) if input::has_key(text, "roster") => {
                    Ok(Request::Gallery(json_in::from_json(text)?))
                }
                Err(e) => Err(e),
            },
            Domain::Escalation => Ok(Request::Escalation(json_in::from_json(text)?)),
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

/// Applies the request size limit, and reports a failure of an input nested
/// deeper than the limit as `too_large`.
fn within_limits<T>(text: &str, read: impl FnOnce(&str) -> Result<T>) -> Result<T> {
    input::check_size(text)?;
    read(text).map_err(|e| input::too_deep_or(text, e))
}

/// A request of one domain, read from its JSON wire form by a caller who
/// knows the domain ([`Request::from_json`] finds it). The same limits,
/// checks and errors as [`Request::from_json`]; the `domain` field, when
/// given, must name this domain.
pub trait FromJson: Sized {
    /// Reads the request from its JSON text, or says what is wrong with it.
    fn from_json(text: &str) -> Result<Self>;
}

/// Each request type is read from JSON ([`FromJson`]) and is a [`Request`]
/// of its variant (`From`).
macro_rules! request_types {
    ($($ty:ty => $variant:ident),+ $(,)?) => {$(
        impl FromJson for $ty {
            fn from_json(text: &str) -> Result<Self> {
                within_limits(text, json_in::from_json)
            }
        }

        impl From<$ty> for Request {
            fn from(r: $ty) -> Self {
                Request::$variant(r)
            }
        }
    )+};
}

request_types!(
    SextingRequest => Sexting,
    DevicesRequest => Devices,
    ImagesRequest => Images,
    GalleryRequest => Gallery,
    EscalationRequest => Escalation,
);

/// The domain named by the request, or `default`, or inferred from which
/// domain's fields are present.
fn peek_domain(text: &str, default: Option<Domain>) -> Result<Domain> {
    let is_object = text.trim_start().starts_with('{');
    if !is_object && Reader::is_json(text) {
        return Err(Error::InvalidValue {
            at: Location::path("$"),
            message: "a request must be a JSON object".into(),
        });
    }
    let peek: Peek = json_in::from_json(text)?;
    match (peek.domain, default) {
        (Some(d), _) | (None, Some(d)) => Ok(d),
        (None, None) => peek.infer(),
    }
}

/// First pass: the routing fields, and which domain's fields are present.
/// Any other field is passed over (the typed read that follows judges it).
#[derive(Default)]
struct Peek {
    domain: Option<Domain>,
    /// The fields below, in this order, by whether each is present.
    present: [bool; Peek::NOTED.len()],
}

impl Peek {
    /// The fields that tell the domains apart (and `policy`, noted only so
    /// that a repeated one is refused, as the typed read would).
    const NOTED: [&'static str; 10] = [
        "policy",
        "incident_date",
        "young_people",
        "actor",
        "device",
        "channel",
        "media",
        "roster",
        "category",
        "reported_at",
    ];

    fn has(&self, field: &str) -> bool {
        Self::NOTED
            .iter()
            .position(|f| *f == field)
            .is_some_and(|i| self.present[i])
    }

    fn infer(&self) -> Result<Domain> {
        let candidates = [
            (
                Domain::Sexting,
                self.has("incident_date") || self.has("young_people"),
            ),
            (Domain::Devices, self.has("actor") || self.has("device")),
            (
                Domain::Images,
                self.has("channel") || self.has("media") || self.has("roster"),
            ),
            (
                Domain::Escalation,
                self.has("category") || self.has("reported_at"),
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

impl ReadJson for Peek {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        let mut peek = Peek::default();
        let mut domain = None;
        r.begin_object("struct Peek")?;
        let mut first = true;
        while let Some(key) = r.next_key(&mut first)? {
            if key == "domain" {
                r.field(&mut domain, "domain")?;
                continue;
            }
            if let Some(i) = Self::NOTED.iter().position(|f| *f == key) {
                if peek.present[i] {
                    return Err(r.duplicate_field(Self::NOTED[i]));
                }
                peek.present[i] = true;
            }
            r.skip_value()?;
        }
        peek.domain = domain.flatten();
        Ok(peek)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICES: &str = r#"{"domain": "devices", "actor": {"role": "pupil", "year_group": 6}, "device": {"kind": "mobile_phone", "owner": "personal"}, "action": "bring_on_site", "context": {"location": "reception", "period": "before_school"}}"#;

    /// Issue 21: a domain given with the request (the CLI's `--domain`)
    /// that the request's own `domain` contradicts is refused, whether the
    /// request reads or not; a request without `domain` takes the given one.
    #[test]
    fn a_given_domain_the_request_contradicts_is_refused() {
        assert!(Request::from_json(DEVICES, Some(Domain::Devices)).is_ok());
        for broken in [DEVICES, &DEVICES.replace("\"bring_on_site\"", "\"x\"")] {
            let e = Request::from_json(broken, Some(Domain::Sexting)).unwrap_err();
            assert_eq!(e.code(), "invalid_value");
            assert_eq!(e.path(), Some("$.domain"));
        }
        let without = DEVICES.replace(r#""domain": "devices", "#, "");
        let e = Request::from_json(&without, Some(Domain::Sexting)).unwrap_err();
        assert_ne!(e.path(), Some("$.domain"), "{e}");
        assert!(Request::from_json(&without, Some(Domain::Devices)).is_ok());
    }
}
