//! The readers of a policy's types that are not declared with
//! `wire_struct!` where they live. The sections, rules and contacts are
//! (each domain's `rules.rs`, `contacts.rs`, `policy/mod.rs`). The shapes
//! of `civil` and `vocab` (a citation, the timetable) sit below the reader
//! ([`crate::wire::json_in`]), which they may not import, so their readers are
//! declared here, with `read_struct!`, and their serde derives there. A
//! field missing from a list here does not compile (the reader builds the
//! struct), and `tests/tests/json_in.rs` reads every preset and mutated
//! preset both ways. Below them, the leaf types a policy names that are
//! not tokens (`Text`, `ClockTime`, a year-group range) and the table of
//! named roles keyed by `Who` (tokens themselves are read by the one
//! generic reader of every `vocab::Token` in [`crate::wire::json_in`]).
//! TOML is read the same way, after [`crate::wire::toml_json`] has written
//! it out as JSON.

use crate::civil::{ClockTime, DateSpan, TimeSpan, Timetable};
use crate::vocab::{Cite, Text, Who};
use crate::wire::json_in::{read_struct, Fault, ReadJson, Reader};
use std::collections::BTreeMap;

read_struct!(Cite {
    source: required,
    section: required,
});

read_struct!(Timetable {
    day_start: required,
    day_end: required,
    breaks: default,
    lunch: default,
    terms: default,
    closures: default,
    cite: default,
});

read_struct!(TimeSpan {
    start: required,
    end: required,
});

read_struct!(DateSpan {
    start: required,
    end: required,
});

/// The named roles and bodies: a table keyed by role token.
impl<V: ReadJson> ReadJson for BTreeMap<Who, V> {
    fn read(r: &mut Reader<'_>) -> Result<Self, Fault> {
        let mut map = BTreeMap::new();
        r.begin_object("a map")?;
        let mut first = true;
        while let Some(key) = r.next_key(&mut first)? {
            let who = r.key_token(&key, Who::ALL, Who::as_str)?;
            let value = V::read(r).map_err(|f| f.in_field(who.as_str()))?;
            map.insert(who, value);
        }
        Ok(map)
    }
}

impl ReadJson for Text {
    fn read(r: &mut Reader<'_>) -> Result<Self, Fault> {
        r.string().map(|s| Text::from(&*s))
    }
}

impl ReadJson for ClockTime {
    fn read(r: &mut Reader<'_>) -> Result<Self, Fault> {
        crate::wire::json_in::read_parsed(r, ClockTime::parse)
    }
}

/// A year-group range: exactly two numbers.
impl ReadJson for [u8; 2] {
    fn read(r: &mut Reader<'_>) -> Result<Self, Fault> {
        let items = Vec::<u8>::read(r)?;
        <[u8; 2]>::try_from(items.as_slice()).map_err(|_| {
            r.invalid(format!(
                "invalid length {}, expected an array of length 2",
                items.len()
            ))
        })
    }
}
