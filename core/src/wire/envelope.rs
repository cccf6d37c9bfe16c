//! What every request carries besides its domain's facts: the wire-format
//! version, [`SchemaVersion`]; and [`first_repeat`], the check for an id
//! given twice in a request's list (young people, pupils).
//!
//! A request's three envelope fields (`schema_version`, `domain`,
//! `policy`) are written once, by the `envelope(..)` line of
//! `wire_struct!` ([`crate::wire::json_in`]) that begins each domain's
//! request; they sit below the domains, so a domain's request never
//! imports [`crate::request`], which gathers the domains' requests into
//! one `Request`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// The message for any other `schema_version` (the number given is not
/// quoted: no error quotes the request).
pub(crate) const UNSUPPORTED_VERSION: &str =
    "this schema_version is not supported; this engine speaks version 1";

impl<'de> Deserialize<'de> for SchemaVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = u64::deserialize(d)?;
        if v == u64::from(crate::SCHEMA_VERSION) {
            Ok(SchemaVersion)
        } else {
            Err(serde::de::Error::custom(UNSUPPORTED_VERSION))
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for SchemaVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SchemaVersion".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The wire-format version; only 1 exists.",
            "type": "integer",
            "const": 1
        })
    }
}

/// The position of the first of `ids` that repeats an earlier one. A short
/// list is compared pairwise; a long one through a hash set, so that a
/// request listing thousands of people costs linear time, not quadratic.
pub fn first_repeat<'a>(ids: impl ExactSizeIterator<Item = &'a str> + Clone) -> Option<usize> {
    if ids.len() <= 16 {
        ids.clone()
            .enumerate()
            .position(|(i, id)| ids.clone().take(i).any(|earlier| earlier == id))
    } else {
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        ids.enumerate()
            .find(|&(_, id)| !seen.insert(id))
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_repeat_finds_the_second_occurrence_in_short_and_long_lists() {
        for n in [3, 16, 17, 5_000] {
            let mut ids: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
            let ids_of = |ids: &[String]| first_repeat(ids.iter().map(String::as_str));
            assert_eq!(ids_of(&ids), None, "{n}");
            ids[n - 1] = "p1".into();
            assert_eq!(ids_of(&ids), Some(n - 1), "{n}");
            ids[2] = "p1".into();
            assert_eq!(ids_of(&ids), Some(2), "{n}");
        }
    }
}
