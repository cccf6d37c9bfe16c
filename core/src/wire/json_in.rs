//! Reading requests and policies from JSON text, without serde.
//!
//! # Why
//!
//! A request has a small, fixed shape, and reading it is most of what a
//! JSON decision costs: through serde's derived visitors, parsing was 174k
//! of the 210k instructions of a 30-pupil images request, and every type
//! compiled its own set of visitor functions into the WebAssembly build
//! (a fifth of the `.wasm`). This reader knows the shapes (each declared
//! once, where its type lives, with [`wire_struct!`], which gives the
//! struct, its serde derive and its reader) and reads each field straight
//! from the bytes: a key is matched against the field names, its value
//! read by the field's type, and nothing is built that the document does
//! not keep. Strings without
//! escapes are borrowed until a field keeps them. A TOML policy is read
//! too, after `toml_json` has written it out as JSON; its errors
//! are placed in the TOML by the failure's path.
//!
//! The serde path it replaced is kept in the tests crate
//! (`tests/src/oracle/`): it is the reference this reader is tested
//! against.
//!
//! # The same answers as serde
//!
//! The rules are the ones the serde path applied, and the same codes come
//! out at the same JSON paths: a struct only from an object, unknown fields
//! refused at the key, a repeated field refused, the first missing required
//! field (in declaration order) reported at the end of its object, a wrong
//! JSON type at the value, text that is not JSON as `invalid_json` with its
//! line and column. Lines and columns are counted as serde_json counts them
//! (the column in bytes, at the last byte read): exactly the same for an
//! error about a field, within two bytes for a wrong value (serde_json's
//! own place depends on which of its layers noticed). `tests/tests/json_in.rs`
//! reads every scenario, every malformed case, about 100,000 mutated
//! requests, the presets and mutated presets both ways and compares.
//!
//! # Where an error is
//!
//! The path is built as a failure returns: each object field and array
//! element adds its segment on the way out, so reading a good request does
//! no path bookkeeping at all.

use crate::error::{Error, Location, Result};
use crate::wire::json_out::{first_special, plain_end};

use crate::vocab::Token;
use crate::wire::toml_json::DATETIME_KEY;
use std::borrow::Cow;
use std::sync::atomic::{AtomicU8, Ordering};

/// Deepest nesting read before giving up (as serde_json does, at 128); the
/// caller turns anything over the request limit into `too_large`.
const MAX_NESTING: u32 = 128;

/// A type read from JSON by [`Reader`].
pub(crate) trait ReadJson: Sized {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault>;

    /// Reads one value onto the end of `items` (an array's element).
    /// Structs override it natively ([`read_struct!`]) to build the value in
    /// place: returned through a `Result` and then moved, a freshly written
    /// struct is read back while its bytes are still in the store buffer,
    /// in words of other sizes, which stalls the CPU.
    fn read_onto(r: &mut Reader<'_>, items: &mut Vec<Self>) -> std::result::Result<(), Fault> {
        items.push(Self::read(r)?);
        Ok(())
    }
}

/// Reads the whole of `text` as one `T`; trailing non-whitespace is an error.
pub(crate) fn from_json<T: ReadJson>(text: &str) -> Result<T> {
    from_json_raw(text).map_err(|fault| fault.into_error(text, "request"))
}

/// As [`from_json`], with a failure given as it is, for JSON the engine
/// wrote itself (from a TOML policy), whose errors belong at a place in
/// another text.
pub(crate) fn from_json_raw<T: ReadJson>(text: &str) -> std::result::Result<T, Fault> {
    let mut r = Reader::new(text);
    T::read(&mut r).and_then(|value| r.end().map(|()| value))
}

/// Whether `text` is one JSON value, with nothing but whitespace after it;
/// else the `invalid_json` error of a request.
pub(crate) fn check_syntax(text: &str) -> Result<()> {
    let mut r = Reader::new(text);
    r.skip_value()
        .and_then(|()| r.end())
        .map_err(|fault| fault.into_error(text, "request"))
}

/// A position in JSON text.
pub(crate) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
    /// Where the last key read ends (after its closing quote): errors about
    /// the key are placed there, as serde_json places them.
    key_end: usize,
}

/// Why a read failed, where, and (once it has returned through them) the
/// fields and elements it was inside. Boxed: a `Result` carrying it stays
/// one word wide on the good path.
pub(crate) struct Fault(Box<FaultAt>);

struct FaultAt {
    kind: Kind,
    /// Byte offset in the text.
    pos: usize,
    /// Innermost segment first.
    path: Vec<Segment>,
    /// The failure is in the last segment's key (an unknown field or
    /// table key), not its value. Such a key is request text, so the
    /// error's path stops at the object that holds it.
    at_key: bool,
}

enum Kind {
    /// Not JSON.
    Syntax(String),
    /// JSON, but not a value the field takes.
    Invalid(String),
    /// A malformed or impossible date or time.
    Date(String),
    /// A key that is no field; kept to place the error in a TOML policy,
    /// never put in the error itself.
    UnknownField(String),
    MissingField(&'static str),
    DuplicateField(&'static str),
}

enum Segment {
    Key(Cow<'static, str>),
    Index(usize),
}

impl Fault {
    fn new(kind: Kind, pos: usize) -> Fault {
        let at_key = matches!(kind, Kind::UnknownField(_));
        Fault(Box::new(FaultAt {
            kind,
            pos,
            path: Vec::new(),
            at_key,
        }))
    }

    /// A wrong value, placed at `pos` instead (text that is not JSON keeps
    /// its own place).
    #[cold]
    fn placed_at(mut self, pos: usize) -> Fault {
        if !matches!(self.0.kind, Kind::Syntax(_)) {
            self.0.pos = pos;
        }
        self
    }

    /// The failure happened in the value of field `name`.
    #[cold]
    pub(crate) fn in_field(mut self, name: &'static str) -> Fault {
        self.0.path.push(Segment::Key(Cow::Borrowed(name)));
        self
    }

    /// The failure happened in element `index` of an array.
    #[cold]
    fn in_element(mut self, index: usize) -> Fault {
        self.0.path.push(Segment::Index(index));
        self
    }

    /// The path of the value (or key) at fault, outermost first: a key, or
    /// an array index.
    pub(crate) fn steps(&self) -> impl Iterator<Item = Result<&str, usize>> {
        let unknown = match &self.0.kind {
            Kind::UnknownField(field) => Some(Ok(field.as_str())),
            _ => None,
        };
        self.0
            .path
            .iter()
            .rev()
            .map(|segment| match segment {
                Segment::Key(k) => Ok(&**k),
                Segment::Index(i) => Err(*i),
            })
            .chain(unknown)
    }

    /// The failure is in the last step's key, not its value.
    pub(crate) fn at_key(&self) -> bool {
        self.0.at_key
    }

    /// The error, placed at `at` (a place in the TOML text the JSON was
    /// written from). Text that is not JSON cannot come from there; if it
    /// did, it is reported as not TOML.
    #[cold]
    pub(crate) fn into_error_at(self, at: Location) -> Error {
        self.0
            .kind
            .into_error(at, |at, message| Error::InvalidToml { at, message })
    }

    /// The error, placed by its JSON path and its line and column in `text`,
    /// which is the `what` (`"request"`, `"policy"`).
    #[cold]
    pub(crate) fn into_error(self, text: &str, what: &'static str) -> Error {
        let FaultAt {
            kind,
            pos,
            path,
            at_key,
        } = *self.0;
        // A key at fault is request text: the path ends at its object. (An
        // unknown field's key is not among the segments; a table key read
        // as a token is the innermost one.)
        let key_segment = usize::from(at_key && !matches!(kind, Kind::UnknownField(_)));
        let mut at_path = String::from("$");
        for segment in path.iter().skip(key_segment).rev() {
            match segment {
                Segment::Key(k) => {
                    at_path.push('.');
                    at_path.push_str(k);
                }
                Segment::Index(i) => {
                    at_path.push('[');
                    at_path.push_str(&i.to_string());
                    at_path.push(']');
                }
            }
        }
        // serde_json's line and column: the column counts the bytes read on
        // the line (so it is the 1-based column of the last byte read). Kept
        // so that positions did not move when requests stopped going through
        // serde.
        let before = &text.as_bytes()[..pos.min(text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.len()
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        let mut at = Location::path(at_path);
        at.line = Some(line);
        at.column = Some(column);
        kind.into_error(at, |at, message| Error::InvalidJson {
            at: Location::line_col(at.line.unwrap_or(1), at.column.unwrap_or(0)),
            what,
            message,
        })
    }
}

impl Kind {
    /// The error at `at`; a field of the vocabulary that the error names
    /// (missing or repeated) is added to the path, an unknown key is not.
    fn into_error(self, mut at: Location, syntax: impl FnOnce(Location, String) -> Error) -> Error {
        let mut at_field = |field: &str| {
            if let Some(p) = at.path.as_mut() {
                p.push('.');
                p.push_str(field);
            }
            at.clone()
        };
        match self {
            Kind::Syntax(message) => syntax(at, message),
            Kind::Invalid(message) => Error::InvalidValue { at, message },
            Kind::Date(message) => Error::InvalidDate { at, message },
            Kind::UnknownField(_) => Error::UnknownField { at },
            Kind::MissingField(field) => Error::MissingField {
                at: at_field(field),
                field: field.into(),
            },
            Kind::DuplicateField(field) => Error::DuplicateField {
                at: at_field(field),
                field: field.into(),
            },
        }
    }
}

/// The kinds of JSON value, as a wrong-type message names them.
fn kind_of(first: u8) -> &'static str {
    match first {
        b'"' => "string",
        b'{' => "map",
        b'[' => "sequence",
        b't' | b'f' => "boolean",
        b'n' => "null",
        _ => "number",
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            pos: 0,
            depth: 0,
            key_end: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte after any whitespace, not consumed. (Its own loop,
    /// not [`after_space`]: it keeps the byte it stops at, and `peek` runs
    /// before every value; through `after_space` an images request took
    /// 0.7% more instructions.)
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.bytes();
        let mut pos = self.pos;
        while let Some(&b) = bytes.get(pos) {
            if !is_space(b) {
                self.pos = pos;
                return Some(b);
            }
            pos += 1;
        }
        self.pos = pos;
        None
    }

    /// Text that is not JSON, at the byte in hand (counted as read).
    #[cold]
    fn syntax(&self, message: &str) -> Fault {
        Fault::new(Kind::Syntax(message.into()), self.one_on())
    }

    /// A value the field does not take; the reader stands after it.
    #[cold]
    pub(crate) fn invalid(&self, message: String) -> Fault {
        Fault::new(Kind::Invalid(message), self.pos)
    }

    #[cold]
    pub(crate) fn invalid_date(&self, message: String) -> Fault {
        Fault::new(Kind::Date(message), self.pos)
    }

    fn one_on(&self) -> usize {
        (self.pos + 1).min(self.text.len())
    }

    /// The key just read is no field of this object.
    #[cold]
    pub(crate) fn unknown_field(&self, field: &str) -> Fault {
        Fault::new(Kind::UnknownField(field.into()), self.key_end)
    }

    /// The key just read was given before in this object.
    #[cold]
    pub(crate) fn duplicate_field(&self, field: &'static str) -> Fault {
        Fault::new(Kind::DuplicateField(field), self.key_end)
    }

    #[cold]
    pub(crate) fn missing_field(&self, field: &'static str) -> Fault {
        Fault::new(Kind::MissingField(field), self.pos)
    }

    /// The value here is not of the `expected` type. A literal, number or
    /// string is read first, so that text which is not JSON at all is
    /// reported as such, as a JSON parser would.
    #[cold]
    fn wrong_type(&mut self, expected: &str) -> Fault {
        let Some(first) = self.peek() else {
            return self.syntax("EOF while parsing a value");
        };
        let start = self.pos;
        let checked = match first {
            b'{' | b'[' => Ok(()),
            b'"' => self.string().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            _ => Err(self.syntax("expected value")),
        };
        if matches!(first, b'{' | b'[') {
            // Not read, but for its bracket.
            self.pos = start + 1;
        }
        // A TOML date-time, as `toml_json` writes it.
        let datetime = format!("{{\"{}\"", DATETIME_KEY);
        let kind = match first {
            b'{' if self.text[start..].starts_with(&datetime) => "date-time",
            _ => kind_of(first),
        };
        match checked {
            Ok(()) => self.invalid(format!("invalid type: {kind}, expected {expected}")),
            Err(fault) => fault,
        }
    }

    /// After the top-level value: only whitespace may follow.
    fn end(&mut self) -> std::result::Result<(), Fault> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax("trailing characters")),
        }
    }

    fn literal(&mut self, word: &[u8]) -> std::result::Result<(), Fault> {
        let end = self.pos + word.len();
        if self.bytes().get(self.pos..end) == Some(word) {
            self.pos = end;
            return Ok(());
        }
        // Up to the byte that differs, as a JSON parser reads it.
        let bytes = self.bytes();
        for &expected in word {
            match bytes.get(self.pos) {
                Some(&b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.syntax("expected ident")),
                None => return Err(self.syntax("EOF while parsing a value")),
            }
        }
        Err(self.syntax("expected ident"))
    }

    fn enter(&mut self) -> std::result::Result<(), Fault> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.syntax("recursion limit exceeded"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Opens an object; anything else is a wrong-type error.
    pub(crate) fn begin_object(&mut self, expected: &str) -> std::result::Result<(), Fault> {
        match self.peek() {
            Some(b'{') => self.enter(),
            _ => Err(self.wrong_type(expected)),
        }
    }

    /// The next key of the object opened by [`Reader::begin_object`], with
    /// the reader placed at its value; `None` at the closing brace. `first`
    /// is true before the first key and set false here.
    pub(crate) fn next_key(
        &mut self,
        first: &mut bool,
    ) -> std::result::Result<Option<Cow<'a, str>>, Fault> {
        let mut next = self.peek();
        if next == Some(b'}') {
            self.close();
            return Ok(None);
        }
        if !*first {
            if next != Some(b',') {
                return Err(self.object_syntax(next, "expected `,` or `}`"));
            }
            self.pos += 1;
            next = self.peek();
            if next == Some(b'}') {
                return Err(self.syntax("trailing comma"));
            }
        }
        *first = false;
        if next != Some(b'"') {
            return Err(self.object_syntax(next, "key must be a string"));
        }
        let key = self.string_here()?;
        self.key_end = self.pos;
        // Usually the colon follows the key directly.
        if self.bytes().get(self.pos) == Some(&b':') {
            self.pos += 1;
            return Ok(Some(key));
        }
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                Ok(Some(key))
            }
            next => Err(self.object_syntax(next, "expected `:`")),
        }
    }

    /// [`Reader::next_key`] for an object whose fields are `keys`, trying
    /// `keys[guess]` first. Most keys are the guessed field, written
    /// plainly after the comma (`,"name":`, perhaps on a new line): that is
    /// recognised by comparing two words, inline, as is a closing brace
    /// right after a value. Anything else goes to
    /// [`Reader::next_field_slow`].
    ///
    /// Inlined into each struct's reader natively; in the WebAssembly
    /// build, whose size is budgeted, it (like [`Reader::string`] and
    /// [`Reader::token_string`]) is left to the optimiser, which keeps one
    /// copy: forcing all three inline there cost 37 KB.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn next_field(
        &mut self,
        first: &mut bool,
        keys: &[Pattern],
        guess: usize,
    ) -> std::result::Result<Option<Key<'a>>, Fault> {
        let bytes = self.bytes();
        let mut at = self.pos;
        if bytes.get(at) == Some(&b'}') {
            self.close();
            return Ok(None);
        }
        if *first || bytes.get(at) == Some(&b',') {
            // Pretty-printed: a newline and an indent before each key.
            at = after_space(bytes, at + usize::from(!*first));
            if let Some(key) = keys.get(guess) {
                if key.is_at(bytes, at) {
                    *first = false;
                    // After the closing quote, where serde_json places an
                    // error about the key.
                    self.key_end = at + key.len() - 1;
                    self.pos = at + key.len();
                    return Ok(Some(Key::Field(guess)));
                }
            }
        }
        self.next_field_slow(first, keys)
    }

    /// [`Reader::next_field`] where the key is not the guessed one written
    /// plainly: the end of the object, whitespace, another field, a field
    /// name written with escapes, an unknown key or text that is not JSON.
    #[inline(never)]
    fn next_field_slow(
        &mut self,
        first: &mut bool,
        keys: &[Pattern],
    ) -> std::result::Result<Option<Key<'a>>, Fault> {
        Ok(self
            .next_key(first)?
            .map(|key| match keys.iter().position(|k| k.name == key) {
                Some(index) => Key::Field(index),
                None => Key::Other(key),
            }))
    }

    #[cold]
    fn object_syntax(&self, next: Option<u8>, message: &str) -> Fault {
        match next {
            None => self.syntax("EOF while parsing an object"),
            Some(_) => self.syntax(message),
        }
    }

    fn close(&mut self) {
        self.pos += 1;
        self.depth -= 1;
    }

    /// Opens an array; anything else is a wrong-type error.
    fn begin_array(&mut self, expected: &str) -> std::result::Result<(), Fault> {
        match self.peek() {
            Some(b'[') => self.enter(),
            _ => Err(self.wrong_type(expected)),
        }
    }

    /// Whether another element follows in the array opened by
    /// [`Reader::begin_array`] (the reader then stands at it).
    fn next_element(&mut self, first: &mut bool) -> std::result::Result<bool, Fault> {
        let next = self.peek();
        if next == Some(b']') {
            self.close();
            return Ok(false);
        }
        if !*first {
            if next != Some(b',') {
                return Err(match next {
                    None => self.syntax("EOF while parsing a list"),
                    Some(_) => self.syntax("expected `,` or `]`"),
                });
            }
            self.pos += 1;
            if self.peek() == Some(b']') {
                return Err(self.syntax("trailing comma"));
            }
        } else if next.is_none() {
            return Err(self.syntax("EOF while parsing a list"));
        }
        *first = false;
        Ok(true)
    }

    /// A JSON string, borrowed from the text unless it has escapes.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn string(&mut self) -> std::result::Result<Cow<'a, str>, Fault> {
        if self.peek() != Some(b'"') {
            return Err(self.wrong_type("a string"));
        }
        self.string_here()
    }

    /// [`Reader::string`], standing at its opening quote. Most strings in
    /// a request (keys, tokens, ids, names) are short and plain: two word
    /// reads find their closing quote, inline.
    #[inline(always)]
    fn string_here(&mut self) -> std::result::Result<Cow<'a, str>, Fault> {
        let bytes = self.bytes();
        let start = self.pos + 1;
        if let Some(words) = bytes.get(start..).and_then(<[u8]>::first_chunk::<16>) {
            let (low, high) = words.split_at(8);
            let end = match first_special(low) {
                Some(i) => start + i,
                // Past the window when neither word has one.
                None => start + 8 + first_special(high).unwrap_or(8),
            };
            if bytes.get(end) == Some(&b'"') {
                self.pos = end + 1;
                // Both ends are at ASCII bytes, so on char boundaries.
                return Ok(Cow::Borrowed(&self.text[start..end]));
            }
        }
        self.long_string()
    }

    /// [`Reader::string_here`] for a string that is long, escaped, broken
    /// or near the end of the text.
    #[inline(never)]
    fn long_string(&mut self) -> std::result::Result<Cow<'a, str>, Fault> {
        let bytes = self.bytes();
        let start = self.pos + 1;
        let end = plain_end(bytes, start);
        self.pos = end;
        match bytes.get(end) {
            Some(b'"') => {
                self.pos = end + 1;
                // Both ends are at ASCII bytes, so on char boundaries.
                Ok(Cow::Borrowed(&self.text[start..end]))
            }
            Some(b'\\') => {
                let mut owned = String::from(&self.text[start..self.pos]);
                self.escaped_rest(&mut owned)?;
                Ok(Cow::Owned(owned))
            }
            Some(_) => Err(self.syntax(CONTROL_IN_STRING)),
            None => Err(self.syntax("EOF while parsing a string")),
        }
    }

    /// The rest of a string from a backslash on, appended to `out`.
    #[inline(never)]
    fn escaped_rest(&mut self, out: &mut String) -> std::result::Result<(), Fault> {
        let bytes = self.bytes();
        loop {
            let start = self.pos;
            self.pos = plain_end(bytes, start);
            out.push_str(&self.text[start..self.pos]);
            match bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let Some(&e) = bytes.get(self.pos) else {
                        return Err(self.syntax("EOF while parsing a string"));
                    };
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => {
                            self.pos -= 1;
                            return Err(self.syntax("invalid escape"));
                        }
                    };
                    out.push(c);
                }
                Some(_) => return Err(self.syntax(CONTROL_IN_STRING)),
                None => return Err(self.syntax("EOF while parsing a string")),
            }
        }
    }

    /// After `\u`: four hex digits, and for a leading surrogate the
    /// `\uXXXX` of its trailing half. A lone surrogate is well-formed JSON
    /// but no text: a wrong value, as serde_json reports it.
    fn unicode_escape(&mut self) -> std::result::Result<char, Fault> {
        let lone = |r: &Reader<'_>| r.invalid("lone surrogate in hex escape".into());
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes().get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(lone(self));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(lone(self));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(lone(self)),
            other => other,
        };
        char::from_u32(code).ok_or_else(|| self.syntax("invalid unicode code point"))
    }

    fn hex4(&mut self) -> std::result::Result<u32, Fault> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(&b) = self.bytes().get(self.pos) else {
                return Err(self.syntax("EOF while parsing a string"));
            };
            let digit = char::from(b)
                .to_digit(16)
                .ok_or_else(|| self.syntax("invalid escape"))?;
            n = n * 16 + digit;
            self.pos += 1;
        }
        Ok(n)
    }

    /// A JSON number, checked against the grammar.
    fn number(&mut self) -> std::result::Result<Number, Fault> {
        let bytes = self.bytes();
        let negative = bytes.get(self.pos) == Some(&b'-');
        if negative {
            self.pos += 1;
        }
        let digits = |r: &mut Reader<'_>| {
            let from = r.pos;
            while bytes.get(r.pos).is_some_and(u8::is_ascii_digit) {
                r.pos += 1;
            }
            r.pos - from
        };
        let int_start = self.pos;
        let int_digits = digits(self);
        if int_digits == 0 || (int_digits > 1 && bytes[int_start] == b'0') {
            return Err(self.syntax("invalid number"));
        }
        let int_end = self.pos;
        let mut fraction = false;
        if bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.syntax("invalid number"));
            }
            fraction = true;
        }
        if matches!(bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.syntax("invalid number"));
            }
            fraction = true;
        }
        let value = bytes[int_start..int_end].iter().try_fold(0u64, |n, d| {
            n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        });
        Ok(match value {
            // `-0` is a float to serde_json, which keeps its sign.
            Some(n) if !(fraction || negative && n == 0) => Number::Integer { negative, n },
            _ => Number::Float,
        })
    }

    /// A non-negative integer no greater than `max`; `expected` names the
    /// type in messages (`u32`).
    pub(crate) fn unsigned(&mut self, max: u64, expected: &str) -> std::result::Result<u64, Fault> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {}
            _ => return Err(self.wrong_type(expected)),
        }
        let number = self.number()?;
        // The number itself is not quoted (it may be an age).
        match number {
            Number::Integer { n, negative: false } if n <= max => Ok(n),
            Number::Integer { .. } => Err(self.invalid(out_of_range(expected))),
            Number::Float => Err(self.invalid(not_an_integer(expected))),
        }
    }

    /// `true` or `false`.
    #[inline]
    fn boolean(&mut self) -> std::result::Result<bool, Fault> {
        // Usually written plainly, right here.
        let bytes = self.bytes();
        if bytes.get(self.pos..self.pos + 4) == Some(b"true") {
            self.pos += 4;
            return Ok(true);
        }
        if bytes.get(self.pos..self.pos + 5) == Some(b"false") {
            self.pos += 5;
            return Ok(false);
        }
        self.boolean_slow()
    }

    #[inline(never)]
    fn boolean_slow(&mut self) -> std::result::Result<bool, Fault> {
        match self.peek() {
            Some(b't') if self.literal(b"true").is_ok() => Ok(true),
            Some(b'f') if self.literal(b"false").is_ok() => Ok(false),
            _ => Err(self.wrong_type("a boolean")),
        }
    }

    /// `null`, consumed; any other value is left for the caller.
    fn null(&mut self) -> std::result::Result<bool, Fault> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// A string that must be one of `all`'s tokens.
    pub(crate) fn token<T: Copy>(
        &mut self,
        all: &[T],
        token_of: fn(T) -> &'static str,
    ) -> std::result::Result<T, Fault> {
        let s = self.token_string()?;
        match all.iter().find(|t| token_of(**t) == s) {
            Some(t) => Ok(*t),
            None => Err(self.unknown_token(all, token_of)),
        }
    }

    /// The index of the token of `patterns` written plainly at the next
    /// value, which is then consumed; `None` (nothing consumed) for
    /// anything else, which the caller reads as a string. Most tokens in a
    /// request are found here by a few word comparisons, without reading
    /// them as strings first.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn token_at(&mut self, patterns: &[Pattern]) -> Option<usize> {
        let bytes = self.bytes();
        let at = after_space(bytes, self.pos);
        let window = Window::of(bytes.get(at..)?.first_chunk::<16>()?);
        let index = patterns.iter().position(|p| p.is_in(window, bytes, at))?;
        self.pos = at + patterns[index].len();
        Some(index)
    }

    /// The string where a token belongs, to be matched by the caller.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn token_string(&mut self) -> std::result::Result<Cow<'a, str>, Fault> {
        if self.peek() != Some(b'"') {
            // serde_json stops at the first byte of a value that cannot
            // start a token.
            let start = self.pos;
            let fault = self.wrong_type("a string token");
            return Err(fault.placed_at(start + 1));
        }
        self.string_here()
    }

    /// The string just read is none of `all`'s tokens.
    #[cold]
    pub(crate) fn unknown_token<T: Copy>(
        &self,
        all: &[T],
        token_of: fn(T) -> &'static str,
    ) -> Fault {
        self.invalid(unknown_variant(all, token_of))
    }

    /// The key just read, which must be one of `all`'s tokens (a table
    /// keyed by token).
    pub(crate) fn key_token<T: Copy>(
        &self,
        key: &str,
        all: &[T],
        token_of: fn(T) -> &'static str,
    ) -> std::result::Result<T, Fault> {
        match all.iter().find(|t| token_of(**t) == key) {
            Some(t) => Ok(*t),
            None => {
                let mut fault =
                    Fault::new(Kind::Invalid(unknown_variant(all, token_of)), self.key_end);
                fault.0.path.push(Segment::Key(Cow::Owned(key.into())));
                fault.0.at_key = true;
                Err(fault)
            }
        }
    }

    /// Reads a value of field `name` into `slot`, refusing a repeated field.
    pub(crate) fn field<T: ReadJson>(
        &mut self,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> std::result::Result<(), Fault> {
        if slot.is_some() {
            return Err(self.duplicate_field(name));
        }
        *slot = Some(T::read(self).map_err(|f| f.in_field(name))?);
        Ok(())
    }

    /// Moves past one value of any shape, checking it is JSON.
    pub(crate) fn skip_value(&mut self) -> std::result::Result<(), Fault> {
        match self.peek() {
            Some(b'{') => {
                self.enter()?;
                let mut first = true;
                while self.next_key(&mut first)?.is_some() {
                    self.skip_value()?;
                }
                Ok(())
            }
            Some(b'[') => {
                self.enter()?;
                let mut first = true;
                while self.next_element(&mut first)? {
                    self.skip_value()?;
                }
                Ok(())
            }
            Some(b'"') => self.string().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(_) => Err(self.syntax("expected value")),
            None => Err(self.syntax("EOF while parsing a value")),
        }
    }

    /// Whether the whole text is one JSON value (for messages only).
    pub(crate) fn is_json(text: &str) -> bool {
        let mut r = Reader::new(text);
        r.skip_value().and_then(|()| r.end()).is_ok()
    }
}

/// The message for text that is none of `all`'s tokens: the tokens it may
/// be, not the text (SPEC §1.6).
#[cold]
fn unknown_variant<T: Copy>(all: &[T], token_of: fn(T) -> &'static str) -> String {
    crate::error::not_one_of(all.iter().map(|t| token_of(*t)))
}

/// The message for an integer outside the range of `expected` (`u32`).
pub(crate) fn out_of_range(expected: &str) -> String {
    format!("invalid value: an integer out of range, expected {expected}")
}

/// The message for a number with a fraction or exponent where `expected`
/// (`u32`) is wanted.
pub(crate) fn not_an_integer(expected: &str) -> String {
    format!("invalid type: floating point, expected {expected}")
}

const CONTROL_IN_STRING: &str = "control character (\\u0000-\\u001F) found while parsing a string";

/// Whitespace between JSON tokens.
#[inline(always)]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// The first position from `at` on that is not whitespace (or the end).
#[inline(always)]
fn after_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|&b| is_space(b)) {
        at += 1;
    }
    at
}

/// A key read by [`Reader::next_field`].
pub(crate) enum Key<'a> {
    /// A field, by its index.
    Field(usize),
    /// A key that is no field.
    Other(Cow<'a, str>),
}

/// A name as it is usually written in a request, for matching without
/// reading it as a string: a field's key, `"name":` (for
/// [`Reader::next_field`]), or a token, `"name"` (for
/// [`Reader::token_at`]). Its first 16 bytes are kept as two words, with
/// the masks of the bytes that matter.
#[derive(Clone, Copy)]
pub(crate) struct Pattern {
    name: &'static str,
    /// Whether a colon follows the closing quote (a key).
    colon: bool,
    words: [u64; 2],
    masks: [u64; 2],
}

impl Pattern {
    /// The key `"name":`.
    pub(crate) const fn key(name: &'static str) -> Pattern {
        Pattern::new(name, true)
    }

    /// The string tokens `"name"` of each of `names`.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    const fn tokens<const N: usize>(names: [&'static str; N]) -> [Pattern; N] {
        let mut patterns = [Pattern::new("", false); N];
        let mut i = 0;
        while i < N {
            patterns[i] = Pattern::new(names[i], false);
            i += 1;
        }
        patterns
    }

    const fn new(name: &'static str, colon: bool) -> Pattern {
        let len = name.len() + 2 + colon as usize;
        let mut bytes = [0u8; 16];
        let mut mask = [0u8; 16];
        let mut i = 0;
        while i < len && i < 16 {
            bytes[i] = match i {
                0 => b'"',
                _ if i <= name.len() => name.as_bytes()[i - 1],
                _ if i == name.len() + 1 => b'"',
                _ => b':',
            };
            mask[i] = 0xff;
            i += 1;
        }
        let [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15] = bytes;
        let [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15] = mask;
        Pattern {
            name,
            colon,
            words: [
                u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
                u64::from_le_bytes([b8, b9, b10, b11, b12, b13, b14, b15]),
            ],
            masks: [
                u64::from_le_bytes([m0, m1, m2, m3, m4, m5, m6, m7]),
                u64::from_le_bytes([m8, m9, m10, m11, m12, m13, m14, m15]),
            ],
        }
    }

    /// Whether `bytes` has this pattern at `at`. A name has no quote,
    /// backslash or control byte, so only the JSON string that is exactly
    /// the name (and, for a key, its colon) matches.
    #[inline(always)]
    fn is_at(&self, bytes: &[u8], at: usize) -> bool {
        match bytes.get(at..).and_then(<[u8]>::first_chunk::<16>) {
            Some(window) => self.is_in(Window::of(window), bytes, at),
            None => false,
        }
    }

    /// [`Pattern::is_at`] with the 16 bytes at `at` already loaded.
    #[inline(always)]
    fn is_in(&self, window: Window, bytes: &[u8], at: usize) -> bool {
        let head = ((window.0[0] ^ self.words[0]) & self.masks[0])
            | ((window.0[1] ^ self.words[1]) & self.masks[1])
            == 0;
        head && (self.len() <= 16 || self.tail_is_at(bytes, at))
    }

    /// Bytes in `"name":` or `"name"`.
    #[inline(always)]
    fn len(&self) -> usize {
        self.name.len() + 2 + usize::from(self.colon)
    }

    /// For a pattern longer than the words: the rest of it after its first
    /// 16 bytes.
    fn tail_is_at(&self, bytes: &[u8], at: usize) -> bool {
        let name = self.name.as_bytes();
        // The closing quote; the words held the name's first 15 bytes.
        let end = at + 1 + name.len();
        let rest = match name.get(15..) {
            Some(rest) => bytes.get(at + 16..end) == Some(rest),
            None => true,
        };
        let after: &[u8] = if self.colon { b"\":" } else { b"\"" };
        rest && bytes.get(end..end + after.len()) == Some(after)
    }
}

/// 16 bytes of the text as two little-endian words.
#[derive(Clone, Copy)]
struct Window([u64; 2]);

impl Window {
    #[inline(always)]
    fn of(bytes: &[u8; 16]) -> Window {
        let (low, high) = bytes.split_at(8);
        let word = |half: &[u8]| {
            let mut w = [0; 8];
            w.copy_from_slice(half);
            u64::from_le_bytes(w)
        };
        Window([word(low), word(high)])
    }
}

/// The order in which the fields of one struct type were last seen, so that
/// [`Reader::next_field`] can guess each key: entry `i` is the field that
/// followed field `i`, the last entry the field that came first. Requests
/// written by one program list their fields in one order, so after the
/// first object every guess holds. A wrong guess costs one comparison and
/// is never wrong about what the key is; threads that race on an entry only
/// make each other guess worse. Field indices fit a byte: a struct has at
/// most a few dozen fields.
///
/// Hidden state kept on purpose (issue 22): guessing declaration order
/// instead, the benches' 30 pupils (keys not in declaration order) cost
/// 56k more instructions to read, and `images/json_30_pupils` about
/// 10.4 µs against SPEC §9's guard of 10 µs (BENCHMARKS.md, "Issue 22:
/// plain code"). It can change no answer: a guess is checked.
pub(crate) struct KeyOrder<const N: usize>([AtomicU8; N]);

impl<const N: usize> KeyOrder<N> {
    /// Declaration order: field `i + 1` after field `i`, field 0 first.
    #[allow(clippy::new_without_default)]
    pub(crate) const fn new() -> KeyOrder<N> {
        let mut order = [const { AtomicU8::new(0) }; N];
        let mut i = 0;
        while i + 1 < N {
            order[i] = AtomicU8::new((i + 1) as u8);
            i += 1;
        }
        KeyOrder(order)
    }

    /// The field guessed to follow `after` (`N - 1`: the first field).
    #[inline]
    pub(crate) fn after(&self, after: usize) -> usize {
        self.0[after].load(Ordering::Relaxed) as usize
    }

    /// Field `next` followed `after`.
    #[cold]
    pub(crate) fn learn(&self, after: usize, next: usize) {
        self.0[after].store(next as u8, Ordering::Relaxed);
    }
}

/// The most elements [`Vec`]'s reader makes room for at once, from the
/// width of the elements read so far (it still at least doubles).
const MAX_GUESSED_LENGTH: usize = 64;

enum Number {
    Integer {
        negative: bool,
        n: u64,
    },
    /// A fraction, an exponent, or an integer too large for `u64`.
    Float,
}

impl ReadJson for bool {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        r.boolean()
    }
}

impl ReadJson for u8 {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        r.unsigned(u64::from(u8::MAX), "u8").map(|n| n as u8)
    }
}

impl ReadJson for u32 {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        r.unsigned(u64::from(u32::MAX), "u32").map(|n| n as u32)
    }
}

impl ReadJson for String {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        r.string().map(Cow::into_owned)
    }
}

/// The longest text a `SmolStr` holds inline. Names this short are built
/// with `SmolStr::new_inline`: `SmolStr::new` copies them with a `memcpy`
/// call and then reads the buffer back in words that straddle the bytes
/// just written, which the CPU cannot forward from its store buffer (perf:
/// 13% of the cycles of a 30-pupil images request were in that function,
/// though callgrind counted it small).
const INLINE_NAME: usize = 23;

impl ReadJson for smol_str::SmolStr {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        let s = r.string()?;
        Ok(if s.len() <= INLINE_NAME {
            smol_str::SmolStr::new_inline(&s)
        } else {
            smol_str::SmolStr::new(s)
        })
    }
}

impl<T: ReadJson> ReadJson for Option<T> {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        if r.null()? {
            return Ok(None);
        }
        T::read(r).map(Some)
    }
}

impl<T: ReadJson> ReadJson for Vec<T> {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        r.begin_array("a sequence")?;
        let begin = r.pos;
        let mut items = Vec::new();
        let mut first = true;
        while r.next_element(&mut first)? {
            let index = items.len();
            if index == items.capacity() && index > 0 {
                // Full: room for as many more elements of the length read
                // so far as the rest of the text could hold, up to a
                // limit, so that a roster is not copied at each doubling.
                let width = ((r.pos - begin) / index).max(1);
                items.reserve(((r.text.len() - r.pos) / width).min(MAX_GUESSED_LENGTH));
            }
            T::read_onto(r, &mut items).map_err(|f| f.in_element(index))?;
        }
        Ok(items)
    }
}

/// Every closed set of tokens (declared with `tokens!`, a [`Token`]) is
/// read the same way. The usual case, a token written plainly, is matched
/// as words ([`Pattern`]: the type's patterns are built from its spellings
/// when the program is compiled) and inlined into the struct's reader
/// natively. The WebAssembly build, whose size is budgeted, reads every
/// token as a string (the patterns and a second reader per token type cost
/// it 19 KB).
impl<T, const N: usize> ReadJson for T
where
    T: Token<Spellings = [&'static str; N]>,
{
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let patterns: &[Pattern; N] = const { &Pattern::tokens(T::SPELLINGS) };
            if let Some(index) = r.token_at(patterns) {
                return Ok(T::ALL[index]);
            }
        }
        read_token_as_string(r)
    }
}

/// A token written with escapes or whitespace, or something that is no
/// token (in the WebAssembly build, any token).
#[cfg_attr(not(target_arch = "wasm32"), inline(never))]
fn read_token_as_string<T: Token>(r: &mut Reader<'_>) -> std::result::Result<T, Fault> {
    r.token(T::ALL, T::as_str)
}

/// A value read from a JSON string by a parser that reports its own
/// message: dates and times (`invalid_date`).
pub(crate) fn read_parsed<T>(
    r: &mut Reader<'_>,
    parse: fn(&str) -> std::result::Result<T, String>,
) -> std::result::Result<T, Fault> {
    let s = r.string()?;
    parse(&s).map_err(|m| r.invalid_date(m))
}

impl ReadJson for crate::civil::Date {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        read_parsed(r, crate::civil::Date::parse)
    }
}

impl ReadJson for crate::civil::LocalDateTime {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        read_parsed(r, crate::civil::LocalDateTime::parse)
    }
}

/// Only the version this engine speaks.
impl ReadJson for crate::wire::envelope::SchemaVersion {
    fn read(r: &mut Reader<'_>) -> std::result::Result<Self, Fault> {
        match r.unsigned(u64::MAX, "u64")? {
            v if v == u64::from(crate::SCHEMA_VERSION) => Ok(crate::wire::envelope::SchemaVersion),
            _ => Err(r.invalid(crate::wire::envelope::UNSUPPORTED_VERSION.into())),
        }
    }
}

/// Declares a wire shape once: the struct, its serde derive, and its
/// reader for [`Reader`].
///
/// ```text
/// wire_struct! {
///     /// A young person involved in the incident.
///     #[derive(Debug, Clone, PartialEq)]
///     #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
///     pub struct YoungPerson {
///         /// The caller's id.
///         required id: String,
///         /// Age in whole years on the incident date.
///         optional age: Option<u32>,
///         /// Their part in the incident.
///         required role: PartyRole,
///     }
/// }
/// ```
///
/// The struct's own attributes (its docs, its other derives, the schema's
/// derive) and each field's (its docs) are kept as written; the macro adds
/// `Serialize` and `Deserialize` and refuses unknown fields
/// (`deny_unknown_fields`), as every wire shape does. Every field is
/// public. Each field says how present it must be, which gives both its
/// serde attributes and how the reader treats it when it is missing:
///
/// | presence | when left out | when written | serde |
/// |---|---|---|---|
/// | `required` | `missing_field` | always | (none) |
/// | `optional` | `None` | only when `Some` | `default, skip_serializing_if = "Option::is_none"` |
/// | `default` | `Default::default()` | always | `default` |
/// | `list` | empty | only when not empty | `default, skip_serializing_if = "Vec::is_empty"` |
/// | `flag` | `false` | only when `true` | `default, skip_serializing_if = "std::ops::Not::not"` |
///
/// Fields are kept in the order written: it is the order they are written
/// out in, and the first required field missing is the one reported.
///
/// A request begins with `envelope(DomainToken, "domain"),` instead of a
/// field: the three fields every request has, `schema_version`, `domain`
/// (of the given one-token type, documented by its token) and `policy`,
/// written here once for the five request types.
macro_rules! wire_struct {
    // A request: the envelope's three fields, then its own.
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            envelope($domain:ty, $token:literal),
            $($fields:tt)*
        }
    ) => {
        $crate::wire::json_in::wire_struct! {
            $(#[$attr])*
            pub struct $name {
                /// Wire-format version; omitted means 1.
                default schema_version: $crate::wire::envelope::SchemaVersion,
                #[doc = concat!("`", $token, "`; may be omitted.")]
                optional domain: Option<$domain>,
                /// The policy to decide under; may be omitted when the engine holds one.
                optional policy: Option<String>,
                $($fields)*
            }
        }
    };
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $( $(#[$field_attr:meta])* $presence:ident $field:ident : $ty:ty ),+ $(,)?
        }
    ) => {
        $crate::wire::json_in::wire_struct! {
            @fields [[$(#[$attr])*] $name []]
            $( [$(#[$field_attr])*] $presence $field : $ty; )+
        }
        $crate::wire::json_in::read_struct!($name { $( $field: $presence ),+ });
    };

    // One field at a time: its presence gives its serde attributes (the
    // table below), which go before the field.
    (@fields $state:tt
        [$($field_attr:tt)*] $presence:ident $field:ident : $ty:ty; $($rest:tt)*) => {
        $crate::wire::json_in::wire_struct! {
            @serde $presence ($state [$($field_attr)*] $field : $ty) $($rest)*
        }
    };
    (@field [$($serde:tt)*] ([$attrs:tt $name:ident [$($done:tt)*]] [$($field_attr:tt)*]
        $field:ident : $ty:ty) $($rest:tt)*) => {
        $crate::wire::json_in::wire_struct! {
            @fields [$attrs $name [$($done)* $($field_attr)* $($serde)* pub $field: $ty,]] $($rest)*
        }
    };
    // Every field written: the struct.
    (@fields [[$($attr:tt)*] $name:ident [$($done:tt)*]]) => {
        $($attr)*
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name { $($done)* }
    };

    // Each presence's serde attributes.
    (@serde required $($next:tt)*) => {
        $crate::wire::json_in::wire_struct! { @field [] $($next)* }
    };
    (@serde optional $($next:tt)*) => {
        $crate::wire::json_in::wire_struct! {
            @field [#[serde(default, skip_serializing_if = "Option::is_none")]] $($next)*
        }
    };
    (@serde default $($next:tt)*) => {
        $crate::wire::json_in::wire_struct! { @field [#[serde(default)]] $($next)* }
    };
    (@serde list $($next:tt)*) => {
        $crate::wire::json_in::wire_struct! {
            @field [#[serde(default, skip_serializing_if = "Vec::is_empty")]] $($next)*
        }
    };
    (@serde flag $($next:tt)*) => {
        $crate::wire::json_in::wire_struct! {
            @field [#[serde(default, skip_serializing_if = "std::ops::Not::not")]] $($next)*
        }
    };
}

pub(crate) use wire_struct;

/// The reader part of [`wire_struct!`]: how a struct is read, each field by
/// its presence (`required`; any other, when absent, is `Default::default()`),
/// in declaration order (the first missing required field is the one
/// reported). Unknown fields are refused. Used on its own for the shapes
/// of `civil` and `vocab`, which sit below this reader (`wire/base_types.rs`).
macro_rules! read_struct {
    ($ty:ident { $( $field:ident : $presence:ident ),+ $(,)? }) => {
        impl $crate::wire::json_in::ReadJson for $ty {
            fn read(
                r: &mut $crate::wire::json_in::Reader<'_>,
            ) -> std::result::Result<Self, $crate::wire::json_in::Fault> {
                Self::read_then(r, |value| value)
            }

            // Natively, an array's structs are built in their place; the
            // WebAssembly build, whose size is budgeted, moves them.
            #[cfg(not(target_arch = "wasm32"))]
            fn read_onto(
                r: &mut $crate::wire::json_in::Reader<'_>,
                items: &mut Vec<Self>,
            ) -> std::result::Result<(), $crate::wire::json_in::Fault> {
                Self::read_then(r, |value| items.push(value))
            }
        }

        impl $ty {
            /// Reads the struct and hands it to `then`.
            #[inline(always)]
            fn read_then<R>(
                r: &mut $crate::wire::json_in::Reader<'_>,
                then: impl FnOnce($ty) -> R,
            ) -> std::result::Result<R, $crate::wire::json_in::Fault> {
                #[allow(non_camel_case_types)]
                #[derive(Clone, Copy)]
                enum Field { $( $field, )+ }
                const FIELDS: &[Field] = &[$( Field::$field, )+];
                const KEYS: &[$crate::wire::json_in::Pattern] =
                    &[$( $crate::wire::json_in::Pattern::key(stringify!($field)), )+];
                // One entry per field, and one for the first key.
                static ORDER: $crate::wire::json_in::KeyOrder<{ KEYS.len() + 1 }> =
                    $crate::wire::json_in::KeyOrder::new();
                $( let mut $field = None; )+
                r.begin_object(concat!("struct ", stringify!($ty)))?;
                let mut first = true;
                let mut last = KEYS.len();
                loop {
                    let guess = ORDER.after(last);
                    let Some(key) = r.next_field(&mut first, KEYS, guess)? else {
                        break;
                    };
                    let index = match key {
                        $crate::wire::json_in::Key::Field(index) => index,
                        $crate::wire::json_in::Key::Other(key) => return Err(r.unknown_field(&key)),
                    };
                    if index != guess {
                        ORDER.learn(last, index);
                    }
                    match FIELDS[index] {
                        $( Field::$field => r.field(&mut $field, stringify!($field))?, )+
                    }
                    last = index;
                }
                Ok(then($ty {
                    $( $field: $crate::wire::json_in::read_struct!(@finish r, $field, $presence), )+
                }))
            }
        }
    };
    (@finish $r:ident, $field:ident, required) => {
        match $field {
            Some(value) => value,
            None => return Err($r.missing_field(stringify!($field))),
        }
    };
    (@finish $r:ident, $field:ident, default) => {
        $field.unwrap_or_default()
    };
    (@finish $r:ident, $field:ident, optional) => {
        $field.unwrap_or_default()
    };
    (@finish $r:ident, $field:ident, list) => {
        $field.unwrap_or_default()
    };
    (@finish $r:ident, $field:ident, flag) => {
        $field.unwrap_or_default()
    };
}

pub(crate) use read_struct;

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: ReadJson>(text: &str) -> Result<T> {
        from_json(text)
    }

    #[test]
    fn strings_unescape_as_json_defines() {
        let s: String = read(r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(s, "a\"b\\c/d\u{8}\u{c}\n\r\t\u{e9}\u{1f600}");
        let long: String = read(r#""0123456789abcdef0123\n456789""#).unwrap();
        assert_eq!(long, "0123456789abcdef0123\n456789");
        for lone in [
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83dx""#,
            r#""\ud83d\u0041""#,
        ] {
            assert_eq!(
                read::<String>(lone).unwrap_err().code(),
                "invalid_value",
                "{lone}"
            );
        }
        for bad in [r#""\x""#, r#""\u12""#, "\"a\u{1}b\"", r#""abc"#] {
            assert_eq!(
                read::<String>(bad).unwrap_err().code(),
                "invalid_json",
                "{bad}"
            );
        }
    }

    #[test]
    fn integers_are_checked_against_the_grammar_and_the_type() {
        assert_eq!(read::<u32>(" 15 ").unwrap(), 15);
        assert_eq!(read::<u8>("255").unwrap(), 255);
        for (text, code) in [
            ("256", "invalid_value"),
            ("-1", "invalid_value"),
            ("-0", "invalid_value"),
            ("1.5", "invalid_value"),
            ("1e400", "invalid_value"),
            ("18446744073709551616", "invalid_value"),
            ("01", "invalid_json"),
            ("1.", "invalid_json"),
            ("-", "invalid_json"),
            ("1e", "invalid_json"),
            ("\"1\"", "invalid_value"),
            ("tru", "invalid_json"),
            ("1 2", "invalid_json"),
        ] {
            assert_eq!(read::<u8>(text).unwrap_err().code(), code, "{text}");
        }
    }

    #[test]
    fn arrays_and_options_and_their_paths() {
        assert_eq!(
            read::<Vec<Option<bool>>>("[true, null ,false]").unwrap(),
            [Some(true), None, Some(false)]
        );
        assert_eq!(read::<Vec<bool>>("[]").unwrap(), Vec::<bool>::new());
        let e = read::<Vec<bool>>("[true, 1]").unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_value", Some("$[1]")));
        for bad in ["[true,]", "[true", "[true false]", "[,]"] {
            assert_eq!(
                read::<Vec<bool>>(bad).unwrap_err().code(),
                "invalid_json",
                "{bad}"
            );
        }
    }

    /// A struct with field names around and over the 16 bytes a
    /// [`Pattern`] compares at once (`"name":` is 3 bytes longer).
    #[derive(Debug, PartialEq)]
    struct Probe {
        a: bool,
        a_field_name_longer_than_a_pattern: Option<bool>,
        b: u8,
        thirteen_char: Option<bool>,
        fourteen_chars: Option<bool>,
        fifteen_chars_x: Option<bool>,
    }

    read_struct!(Probe {
        a: required,
        a_field_name_longer_than_a_pattern: default,
        b: required,
        thirteen_char: default,
        fourteen_chars: default,
        fifteen_chars_x: default,
    });

    #[test]
    fn keys_read_the_same_in_any_order_whatever_was_guessed() {
        let probe = |a, long, b| Probe {
            a,
            a_field_name_longer_than_a_pattern: long,
            b,
            thirteen_char: None,
            fourteen_chars: None,
            fifteen_chars_x: None,
        };
        let sized = |n: Option<bool>| Probe {
            thirteen_char: n,
            fourteen_chars: n.map(|b| !b),
            fifteen_chars_x: n,
            ..probe(true, None, 5)
        };
        // Each order teaches the guesses something the next one breaks.
        for _ in 0..3 {
            for (text, expected) in [
                (r#"{"a":true,"b":7}"#, probe(true, None, 7)),
                (r#"{"b":7,"a":false}"#, probe(false, None, 7)),
                (
                    r#"{"a_field_name_longer_than_a_pattern":true,"b":1,"a":true}"#,
                    probe(true, Some(true), 1),
                ),
                (
                    r#"{ "b" : 2 , "a_field_name_longer_than_a_pattern" : null, "a" :true }"#,
                    probe(true, None, 2),
                ),
                // A field name written with an escape is still that field.
                (r#"{"\u0061":true,"b":3}"#, probe(true, None, 3)),
                (r#"{"a":false,"\u0062":4}"#, probe(false, None, 4)),
                (
                    r#"{"a":true,"b":5,"thirteen_char":true,"fourteen_chars":false,"fifteen_chars_x":true}"#,
                    sized(Some(true)),
                ),
                (
                    r#"{"fifteen_chars_x":false,"fourteen_chars":true,"thirteen_char":false,"b":5,"a":true}"#,
                    sized(Some(false)),
                ),
                (
                    "{\"a\":true,\n \"b\":5,\n \"thirteen_char\" :null,\n \"fourteen_chars\"\t:null}",
                    sized(None),
                ),
            ] {
                assert_eq!(read::<Probe>(text).unwrap(), expected, "{text}");
            }
        }
        for (text, code, path) in [
            // Repeated: once where it was guessed, once where it was not.
            (r#"{"a":true,"a":true,"b":1}"#, "duplicate_field", "$.a"),
            (r#"{"b":1,"a":true,"b":1}"#, "duplicate_field", "$.b"),
            // An unknown key is not quoted: the path is its object's.
            (r#"{"a":true,"ab":1,"b":1}"#, "unknown_field", "$"),
            (r#"{"a":true,"b":1,"a_":1}"#, "unknown_field", "$"),
            (
                r#"{"a":true,"b":1,"fourteen_chars":1}"#,
                "invalid_value",
                "$.fourteen_chars",
            ),
            (r#"{"a":true}"#, "missing_field", "$.b"),
            (r#"{"a":1,"b":1}"#, "invalid_value", "$.a"),
        ] {
            let e = read::<Probe>(text).unwrap_err();
            assert_eq!((e.code(), e.path()), (code, Some(path)), "{text}");
        }
        // Keys that begin with a field's whole name, or its first 16 bytes.
        for key in [
            "bb",
            "fourteen_charsX",
            "fifteen_chars_xy",
            "a_field_name_longer_than_a_patterns",
        ] {
            let e = read::<Probe>(&format!(r#"{{"a":true,"b":1,"{key}":1}}"#)).unwrap_err();
            assert_eq!((e.code(), e.path()), ("unknown_field", Some("$")));
        }
        for bad in [
            r#"{"a" true,"b":1}"#,
            r#"{"a":true,"b"1}"#,
            r#"{"a":true,"b":1"#,
        ] {
            assert_eq!(
                read::<Probe>(bad).unwrap_err().code(),
                "invalid_json",
                "{bad}"
            );
        }
    }

    wire_struct! {
        /// One field of each presence.
        #[derive(Debug, PartialEq)]
        pub struct Presences {
            /// Must be given.
            required name: String,
            /// `None` when left out, and then not written.
            optional age: Option<u8>,
            /// 0 when left out, and written always.
            default count: u32,
            /// Empty when left out, and then not written.
            list tags: Vec<String>,
            /// False when left out, and then not written.
            flag floor: bool,
        }
    }

    /// Each presence reads as its table in `wire_struct!` says, the same
    /// through this reader and through serde's derive, and is written back as the
    /// table says, in declaration order.
    #[test]
    fn each_presence_reads_and_writes_as_declared() {
        let least = r#"{"name":"a"}"#;
        let ours: Presences = read(least).unwrap();
        assert_eq!(
            ours,
            Presences {
                name: "a".into(),
                age: None,
                count: 0,
                tags: Vec::new(),
                floor: false,
            }
        );
        assert_eq!(serde_json::from_str::<Presences>(least).unwrap(), ours);
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            r#"{"name":"a","count":0}"#
        );
        let most = r#"{"name":"a","age":3,"count":2,"tags":["t"],"floor":true}"#;
        let ours: Presences = read(most).unwrap();
        assert_eq!(serde_json::from_str::<Presences>(most).unwrap(), ours);
        assert_eq!(serde_json::to_string(&ours).unwrap(), most);
        for (text, code, path) in [
            (r#"{"age":3}"#, "missing_field", "$.name"),
            (r#"{"name":"a","floor":true,"x":1}"#, "unknown_field", "$"),
            (r#"{"name":"a","floor":null}"#, "invalid_value", "$.floor"),
        ] {
            // serde's errors carry no code; the oracle in `tests/` compares
            // them on every request shape.
            assert!(serde_json::from_str::<Presences>(text).is_err(), "{text}");
            let e = read::<Presences>(text).unwrap_err();
            assert_eq!((e.code(), e.path()), (code, Some(path)), "{text}");
        }
    }

    #[test]
    fn nesting_is_bounded_without_recursing_without_limit() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(!Reader::is_json(&deep));
        let shallow = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(Reader::is_json(&shallow));
    }

    /// Every token of the token sets that had readers of their own before
    /// `tokens!` declared them reads back as itself, written plainly (the
    /// words) and with its first letter escaped (the string path); the
    /// deadline the engine only writes is refused, with the message that
    /// names the five a policy may use.
    #[test]
    fn every_token_reads_back_and_a_never_read_one_is_refused() {
        use crate::vocab::{ActionToken, Criterion, Deadline, Outcome, Who};
        fn each<T: Token + ReadJson + PartialEq + std::fmt::Debug>() {
            for &token in T::ALL {
                let word = token.as_str();
                assert_eq!(read::<T>(&format!("\"{word}\"")).unwrap(), token);
                let escaped = format!("\"\\u{:04x}{}\"", word.as_bytes()[0], &word[1..]);
                assert_eq!(read::<T>(&escaped).unwrap(), token, "{escaped}");
            }
        }
        each::<Who>();
        each::<Outcome>();
        each::<Deadline>();
        each::<Criterion>();
        each::<ActionToken>();
        assert_eq!(Deadline::ALL.len(), 5);
        assert!(!Deadline::ALL.contains(&Deadline::WhenServiceOpens));
        for written in ["\"when_service_opens\"", "\"when_service_\\u006fpens\""] {
            let error = read::<Deadline>(written).unwrap_err();
            assert_eq!(error.code(), "invalid_value", "{written}");
            assert!(
                error.to_string().contains(
                    "not one of: immediately, end_of_lesson, same_day, \
                     within_one_working_day, when_facts_established"
                ),
                "{written}: {error}"
            );
        }
    }

    /// Names are kept inline up to 23 bytes and on the heap beyond; both
    /// read back as written, escapes and multi-byte letters included.
    #[test]
    fn names_of_any_length_read_back_as_written() {
        for name in [
            "",
            "Zoë",
            "a".repeat(22).as_str(),
            "a".repeat(23).as_str(),
            "a".repeat(24).as_str(),
            "Ωmega-Ωmega-Ωmega-Ωmega-Ωmega",
        ] {
            let text = serde_json::to_string(name).unwrap();
            assert_eq!(read::<smol_str::SmolStr>(&text).unwrap(), name);
        }
        let escaped: smol_str::SmolStr = read(r#""O\u0027Neil""#).unwrap();
        assert_eq!(escaped, "O'Neil");
    }
}
