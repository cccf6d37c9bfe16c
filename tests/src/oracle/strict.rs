//! A deserializer layer that refuses a sequence where a struct is expected.
//!
//! # Why
//!
//! Serde's derived `Deserialize` for a struct accepts two shapes: a map of
//! named fields and a sequence of values in declaration order. So
//! `"flags": [true, false]` reads as `{"immediate_danger": true, ...}`, and a
//! whole request written as an array is decided. Nobody writes a request
//! that way on purpose; it is what a bug in a caller's serialiser, or a
//! confused hand edit, looks like. Deciding it would mean guessing what the
//! caller meant, and a guess can be permissive. The engine's reader
//! (`json_in`) refuses it; the oracle ([`super::from_json`]) reads through
//! this layer to apply the same rule, so a struct only ever comes from an
//! object and anything else is a wrong-type error at its path.
//!
//! # How
//!
//! [`Strict`] wraps a deserializer and wraps in turn everything it hands on
//! (visitors, seeds, map, sequence and enum access), so the rule holds at
//! every depth. In `deserialize_struct` the visitor is marked struct-only;
//! a struct-only visitor answers `visit_seq` with `invalid type: sequence`.
//! Every other call is passed straight through.
//!
//! # Where an error is
//!
//! The same layer also finds the JSON path of the value at fault, when asked
//! ([`deserialize_tracked`]): map keys are captured as they are read, each
//! map value and sequence element pushes its segment while it is read, and
//! the innermost failure records the path. The fast path ([`deserialize`])
//! does none of this; only a document that fails is read again, tracked.
//! Tracking is a flag on the same wrappers rather than another wrapper
//! type, so every `Deserialize` impl is compiled once for both passes, not
//! twice (this mattered for the size of the WebAssembly build when the
//! engine read with serde). The path is
//! kept in a thread-local, so the wrappers need no lifetimes; a tracked
//! read saves and restores it, so reads may nest.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use std::cell::RefCell;
use std::fmt::{self, Write as _};

/// Deserialize `T` from `d`, with structs accepted only from maps.
pub(crate) fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de>,
{
    T::deserialize(Strict::new(d, false))
}

/// As [`deserialize`]; a failure also gives the path of the value at fault,
/// written `young_people[0].age` (`.` is the root, `?` a key that could not
/// be read).
pub(crate) fn deserialize_tracked<'de, T, D>(d: D) -> Result<T, (Failure, D::Error)>
where
    T: de::Deserialize<'de>,
    D: Deserializer<'de>,
{
    let saved = TRACKER.with(|t| t.replace(Tracker::new()));
    let result = T::deserialize(Strict::new(d, true));
    let tracker = TRACKER.with(|t| t.replace(saved));
    result.map_err(|e| (tracker.error.unwrap_or_default(), e))
}

/// Where a tracked read failed.
#[derive(Debug, Default)]
pub(crate) struct Failure {
    /// The path of the value (or key) at fault; empty for the root.
    pub segments: Vec<Segment>,
    /// The last segment is a key at fault (an unknown field), not a value.
    pub at_key: bool,
}

impl Failure {
    /// `young_people[0].age`; `.` for the root. A key at fault is request
    /// text, so for one the path is its object's (SPEC §1.6).
    pub fn path(&self) -> String {
        let owner = self.segments.len() - usize::from(self.at_key);
        render(self.segments[..owner].iter())
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    /// A map key or an enum variant.
    Key(String),
    /// A sequence index.
    Index(usize),
    /// A key that could not be read as text.
    Unknown,
}

/// The state of a tracked read: where it is, the key just read, and the
/// path of the first (innermost) failure.
struct Tracker {
    stack: Vec<Segment>,
    key: Option<String>,
    error: Option<Failure>,
}

impl Tracker {
    const fn new() -> Tracker {
        Tracker {
            stack: Vec::new(),
            key: None,
            error: None,
        }
    }
}

thread_local! {
    static TRACKER: RefCell<Tracker> = const { RefCell::new(Tracker::new()) };
}

/// Records the current path, with the key `at_key` appended, unless a
/// deeper failure has already been recorded.
#[inline(never)]
fn record(at_key: Option<Segment>) {
    TRACKER.with(|t| {
        let mut t = t.borrow_mut();
        if t.error.is_none() {
            let mut segments = t.stack.clone();
            let key = at_key.is_some();
            segments.extend(at_key);
            t.error = Some(Failure {
                segments,
                at_key: key,
            });
        }
    });
}

/// `a.b[0].c`; `.` for the root.
fn render<'a>(segments: impl Iterator<Item = &'a Segment>) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

#[inline(never)]
fn capture_key(key: &str) {
    TRACKER.with(|t| t.borrow_mut().key = Some(key.to_owned()));
}

#[inline(never)]
fn push(segment: Segment) {
    TRACKER.with(|t| t.borrow_mut().stack.push(segment));
}

/// Leaves the value last pushed; if it `failed`, records the path of the
/// value around it (unless a deeper path is recorded already).
#[inline(never)]
fn leave(failed: bool) {
    pop();
    if failed {
        record(None);
    }
}

fn pop() -> Option<Segment> {
    TRACKER.with(|t| t.borrow_mut().stack.pop())
}

#[inline(never)]
fn clear_key() {
    TRACKER.with(|t| t.borrow_mut().key = None);
}

#[inline(never)]
fn take_key() -> Segment {
    TRACKER
        .with(|t| t.borrow_mut().key.take())
        .map_or(Segment::Unknown, Segment::Key)
}

/// A deserializer (and map and enum access) whose structs come only from
/// maps. `track`: a tracked read; `key`: this value is a map key or enum
/// variant, to be captured.
pub(crate) struct Strict<D> {
    inner: D,
    track: bool,
    key: bool,
}

impl<D> Strict<D> {
    fn new(inner: D, track: bool) -> Strict<D> {
        Strict {
            inner,
            track,
            key: false,
        }
    }
}

/// Sequence access, counting elements for the path.
struct StrictSeq<A> {
    inner: A,
    track: bool,
    index: usize,
}

/// Variant access, with the variant's name for the path (tracked only).
pub(crate) struct StrictVariant<A> {
    inner: A,
    name: Option<Segment>,
}

/// A visitor passed on through [`Strict`]; `struct_only` refuses sequences;
/// `key` captures the value read as the current key.
struct Wrap<V> {
    inner: V,
    struct_only: bool,
    track: bool,
    key: bool,
}

/// A seed passed on through [`Strict`]; a tracked value seed records the
/// path when what it reads fails.
struct Seed<S> {
    inner: S,
    track: bool,
    key: bool,
}

/// The `Deserializer` methods that pass their visitor on, wrapped, with
/// their other arguments as they came: every method but
/// `deserialize_struct`, whose visitor alone checks for unknown fields.
macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                let visitor = self.wrap(visitor, false);
                self.inner.$method($($arg,)* visitor)
            }
        )*
    };
}

impl<D> Strict<D> {
    fn wrap<V>(&self, inner: V, struct_only: bool) -> Wrap<V> {
        Wrap {
            inner,
            struct_only,
            track: self.track,
            key: self.key,
        }
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any(),
        deserialize_bool(),
        deserialize_i8(),
        deserialize_i16(),
        deserialize_i32(),
        deserialize_i64(),
        deserialize_i128(),
        deserialize_u8(),
        deserialize_u16(),
        deserialize_u32(),
        deserialize_u64(),
        deserialize_u128(),
        deserialize_f32(),
        deserialize_f64(),
        deserialize_char(),
        deserialize_str(),
        deserialize_string(),
        deserialize_bytes(),
        deserialize_byte_buf(),
        deserialize_option(),
        deserialize_unit(),
        deserialize_seq(),
        deserialize_map(),
        deserialize_identifier(),
        deserialize_ignored_any(),
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    );

    // The one visitor that checks a struct's fields.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = self.wrap(visitor, true);
        self.inner.deserialize_struct(name, fields, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        let strict = Strict {
            inner: d,
            track: self.track,
            key: self.key,
        };
        let result = self.inner.deserialize(strict);
        // A key's failure is recorded by the map, with the key captured.
        if result.is_err() && self.track && !self.key {
            record(None);
        }
        result
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
                self.inner.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>),
    );

    // Keys are captured as text, as JSON and TOML write them; a key of
    // another type (none in our wire types) would show as `?`. The capture
    // is one out-of-line call, so the code compiled per visitor stays small.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        if self.key {
            capture_key(v);
        }
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        if self.key {
            capture_key(v);
        }
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        if self.key {
            capture_key(&v);
        }
        self.inner.visit_string(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Strict::new(d, self.track))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        // A newtype key (`struct RoleId(String)`) is still a key.
        self.inner.visit_newtype_struct(Strict {
            inner: d,
            track: self.track,
            key: self.key,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        if self.struct_only {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        self.inner.visit_seq(StrictSeq {
            inner: seq,
            track: self.track,
            index: 0,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(Strict::new(map, self.track))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        // An enum read as a map key (a token) is still the key.
        self.inner.visit_enum(Strict {
            inner: data,
            track: self.track,
            key: self.key,
        })
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for StrictSeq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let seed = Seed {
            inner: seed,
            track: self.track,
            key: false,
        };
        // One call to the inner access on both paths: it is inlined, and a
        // second call would compile the element's reader twice.
        if self.track {
            push(Segment::Index(self.index));
            self.index += 1;
        }
        let result = self.inner.next_element_seed(seed);
        if self.track {
            leave(result.is_err());
        }
        result
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Strict<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let seed = Seed {
            inner: seed,
            track: self.track,
            key: self.track,
        };
        if self.track {
            clear_key();
        }
        let result = self.inner.next_key_seed(seed);
        if self.track && result.is_err() {
            // The key as far as it was read (an unknown field's name).
            record(Some(take_key()));
        }
        result
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let seed = Seed {
            inner: seed,
            track: self.track,
            key: false,
        };
        if self.track {
            push(take_key());
        }
        let result = self.inner.next_value_seed(seed);
        if self.track {
            leave(result.is_err());
        }
        result
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Strict<A> {
    type Error = A::Error;
    type Variant = StrictVariant<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let track = self.track;
        // The variant of an enum that is itself a map key stays the map's
        // key; any other variant is a step of the path.
        let own_name = track && !self.key;
        let seed = Seed {
            inner: seed,
            track,
            key: track,
        };
        if own_name {
            clear_key();
        }
        match self.inner.variant_seed(seed) {
            Ok((value, variant)) => {
                let name = own_name.then(take_key);
                Ok((
                    value,
                    StrictVariant {
                        inner: variant,
                        name,
                    },
                ))
            }
            Err(e) => {
                if own_name {
                    record(None);
                }
                Err(e)
            }
        }
    }
}

impl<A> StrictVariant<A> {
    /// Runs `read` with the variant's name on the path (tracked only).
    fn within<T, E>(self, read: impl FnOnce(A, bool) -> Result<T, E>) -> Result<T, E> {
        let Some(name) = self.name else {
            return read(self.inner, false);
        };
        push(name);
        let result = read(self.inner, true);
        if result.is_err() {
            record(None);
        }
        pop();
        result
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for StrictVariant<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.within(|inner, _| inner.unit_variant())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.within(|inner, track| {
            inner.newtype_variant_seed(Seed {
                inner: seed,
                track,
                key: false,
            })
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.within(|inner, track| {
            inner.tuple_variant(
                len,
                Wrap {
                    inner: visitor,
                    struct_only: false,
                    track,
                    key: false,
                },
            )
        })
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.within(|inner, track| {
            inner.struct_variant(
                fields,
                Wrap {
                    inner: visitor,
                    struct_only: true,
                    track,
                    key: false,
                },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        a: bool,
        b: u32,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        inner: Inner,
        list: Vec<Inner>,
        maybe: Option<Inner>,
    }

    fn parse(text: &str) -> Result<Outer, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        deserialize(&mut de)
    }

    #[test]
    fn objects_are_read_as_before() {
        let text =
            r#"{"inner":{"a":true,"b":1},"list":[{"a":false,"b":2}],"maybe":{"a":true,"b":3}}"#;
        assert_eq!(parse(text).unwrap(), serde_json::from_str(text).unwrap());
    }

    #[test]
    fn a_struct_written_as_an_array_is_refused_at_any_depth() {
        for text in [
            r#"[{"a":true,"b":1},[],null]"#,
            r#"{"inner":[true,1],"list":[],"maybe":null}"#,
            r#"{"inner":{"a":true,"b":1},"list":[[false,2]],"maybe":null}"#,
            r#"{"inner":{"a":true,"b":1},"list":[],"maybe":[true,3]}"#,
        ] {
            // Plain serde reads each of these by field order.
            assert!(serde_json::from_str::<Outer>(text).is_ok(), "{text}");
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains("invalid type: sequence"), "{text}: {err}");
        }
    }

    #[derive(Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
    #[serde(rename_all = "snake_case")]
    enum Token {
        First,
        Second,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Tight {
        by_token: std::collections::BTreeMap<Token, Inner>,
        list: Vec<Vec<Inner>>,
    }

    fn path_of<'a, T: Deserialize<'a> + fmt::Debug>(text: &'a str) -> String {
        let mut de = serde_json::Deserializer::from_str(text);
        let (failure, _) = deserialize_tracked::<T, _>(&mut de).unwrap_err();
        failure.path()
    }

    #[test]
    fn a_tracked_read_finds_the_value_at_fault() {
        let cases = [
            (
                r#"{"inner":{"a":true,"b":"x"},"list":[],"maybe":null}"#,
                "inner.b",
            ),
            (
                r#"{"inner":{"a":true,"b":1},"list":[{"a":false,"b":2},{"a":1,"b":2}],"maybe":null}"#,
                "list[1].a",
            ),
            (r#"{"inner":{"a":true},"list":[],"maybe":null}"#, "inner"),
            (
                r#"{"inner":{"a":true,"b":1},"list":[],"maybe":{"a":true,"b":-1}}"#,
                "maybe.b",
            ),
            (
                r#"{"inner":{"a":true,"b":1},"list":[],"maybe":[true,1]}"#,
                "maybe",
            ),
            (r#"[1]"#, "."),
            (
                r#"{"inner":{"a":true,"b":1},"list":[7],"maybe":null}"#,
                "list[0]",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(path_of::<Outer>(text), want, "{text}");
        }
        let cases = [
            (
                r#"{"by_token":{"second":{"a":true,"b":null}},"list":[]}"#,
                "by_token.second.b",
            ),
            (
                r#"{"by_token":{"third":{"a":true,"b":1}},"list":[]}"#,
                "by_token",
            ),
            (
                r#"{"by_token":{},"list":[[],[{"a":true,"b":1},{"a":true,"b":true}]]}"#,
                "list[1][1].b",
            ),
            (r#"{"by_token":{},"list":[],"extra":1}"#, "."),
        ];
        for (text, want) in cases {
            assert_eq!(path_of::<Tight>(text), want, "{text}");
        }
    }

    #[test]
    fn a_tracked_read_reads_what_an_untracked_one_does() {
        let text = r#"{"by_token":{"first":{"a":true,"b":1}},"list":[[{"a":false,"b":2}]]}"#;
        let mut de = serde_json::Deserializer::from_str(text);
        let tracked: Tight = deserialize_tracked(&mut de).unwrap();
        let mut de = serde_json::Deserializer::from_str(text);
        let plain: Tight = deserialize(&mut de).unwrap();
        assert_eq!(tracked, plain);
        assert_eq!(tracked.by_token[&Token::First], Inner { a: true, b: 1 });
    }
}
