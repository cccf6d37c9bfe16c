//! An error in plain English, for the person who must put it right (issue 23).
//!
//! An [`Error`] is written for programs: a code such as `invalid_date` and a
//! JSON path such as `$.young_people[1].date_of_birth`. The office worker
//! whose form was refused needs to know which box is wrong and what belongs
//! in it: "the date of birth of young person 2" and "a date written as
//! 2026-03-06". [`Error::explain`] gives both, as an [`ErrorExplanation`],
//! with the code and the path kept as fields for programs.
//!
//! The words of a field come from two tables, one for requests and one for
//! the policy document, of wire field names (looked up within the field
//! that holds them, where a name means different things in different
//! places), with each list's items counted from 1 ("young person 1" for
//! index 0). A test walks the JSON Schemas of the requests and the shapes
//! of the policy and checks that every field name has its words, so a new
//! field without words fails the build's tests rather than reaching a
//! person as a raw name. What a field expects is written from its table
//! entry; a closed set of tokens is listed from the token type itself (its
//! `ALL`, underscores read as spaces), so a new token is listed with no edit
//! here. Every [`ErrorCode`] has its words by an exhaustive match: a new code
//! does not compile without them.
//!
//! Nothing the request said is ever quoted (SPEC §1.6): not the value that
//! was refused, not an unknown key (which may be a child's name), and not
//! the engine's own message, which may name tokens or paths. The words come
//! only from the code, the path and, for text that is not JSON or TOML,
//! the line and column.
//!
//! The module sits beside `explain.rs`: above the domains (it lists their
//! token sets) and below `json`, which answers a refused request with these
//! words ([`crate::json::explain`]).

use crate::civil::Period;
use crate::devices::{
    ActorRole, DeviceAction, DeviceKind, Effect, Exception, Location as Place, Owner,
    PermissionFrom, RoleMatch,
};
use crate::error::{Error, ErrorCode, Location};
use crate::escalation::{AfterHours, Category, ConcernAbout, Flag};
use crate::images::{
    CapturedOn, Channel, Check, Composition, ConsentValue, LeaverAction, MediaKind, NameLimit,
    Purpose, Restriction,
};
use crate::sexting::PartyRole;
use crate::vocab::{
    ActionToken, Condition, Deadline, Domain, OnBreach, Outcome, Referral, Token, Tri, Who,
};
use serde::Serialize;

/// What was being read when the error was found: it decides the headline
/// ("This request could not be checked") and which table names the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Input {
    /// A request to decide.
    Request,
    /// A policy document to load.
    Policy,
    /// An image file to inspect or strip.
    Image,
}

/// What an error means, in words (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorExplanation {
    /// The error's code (a token, for programs).
    pub code: &'static str,
    /// The JSON path of the offending value, where there is one (for
    /// programs; never in the words).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What was being read.
    pub input: Input,
    /// What failed, in one sentence ("This request could not be checked.").
    pub headline: String,
    /// The part of the input that is wrong, in words ("the date of birth of
    /// young person 1").
    pub field: String,
    /// What belongs there, in words ("a date written as 2026-03-06").
    pub expected: String,
    /// The whole explanation as one plain-text paragraph.
    pub text: String,
}

impl Error {
    /// This error in plain English, for the input the error itself points
    /// to ([`Error::input`]). Where the caller knows what it was reading,
    /// [`Error::explain_as`] says it exactly.
    pub fn explain(&self) -> ErrorExplanation {
        self.explain_as(self.input())
    }

    /// This error in plain English, found while reading `input`.
    pub fn explain_as(&self, input: Input) -> ErrorExplanation {
        explain_code(self.error_code(), self.location(), input)
    }

    /// What the error says was being read: the request or policy of an
    /// error that names it, an image for an image's error, a policy for an
    /// error only a policy has (TOML, the floor, a dotted path, a field
    /// placed by line alone), else a request. A JSON policy's error at a
    /// `$` path looks like a request's and is taken for one: a caller
    /// loading a policy says so with [`Error::explain_as`].
    pub fn input(&self) -> Input {
        match self {
            Error::InvalidJson { what, .. } | Error::InvalidUtf8 { what, .. } => {
                if what.starts_with("policy") {
                    Input::Policy
                } else {
                    Input::Request
                }
            }
            Error::TooLarge { message, .. } => input_named(message, self.path()),
            _ => input_of(self.error_code(), self.path()),
        }
    }
}

/// The input an error of `code` at `path` was found in, where the code or
/// the path tells: an image's error, a policy's, a dotted path (a policy's,
/// as TOML names it) or a field's error or an unknown policy without a path
/// (a TOML policy's, placed by line; a preset asked for by id); else a
/// request (an unknown policy at `$.policy` is the one a request names).
pub(crate) fn input_of(code: ErrorCode, path: Option<&str>) -> Input {
    match code {
        ErrorCode::InvalidImage | ErrorCode::UnsupportedImage => Input::Image,
        ErrorCode::InvalidToml | ErrorCode::FloorViolation | ErrorCode::TooComplex => Input::Policy,
        _ if path.is_some_and(|p| !p.starts_with('$')) => Input::Policy,
        // A request's field is always found by its path; a TOML policy's
        // may be placed by line and column alone, and a preset asked for
        // by its id has no place at all.
        ErrorCode::UnknownPolicy
        | ErrorCode::UnknownField
        | ErrorCode::MissingField
        | ErrorCode::DuplicateField
        | ErrorCode::InvalidValue
        | ErrorCode::InvalidDate
            if path.is_none() =>
        {
            Input::Policy
        }
        _ => Input::Request,
    }
}

/// The input a message of the engine's own names ("the policy is ...",
/// "the image is ..."), else as [`input_of`] for a `too_large` error.
pub(crate) fn input_named(message: &str, path: Option<&str>) -> Input {
    if message.contains("the image") {
        Input::Image
    } else if message.contains("the policy") {
        Input::Policy
    } else {
        input_of(ErrorCode::TooLarge, path)
    }
}

/// The explanation of an error of `code` found at `at` while reading
/// `input`: what [`Error::explain_as`] gives, and what
/// [`crate::json::explain_error`] gives for a wire error (a binding's own
/// codes included).
pub(crate) fn explain_code(
    code: ErrorCode,
    at: Option<&Location>,
    input: Input,
) -> ErrorExplanation {
    let path = at.and_then(|l| l.path.as_deref());
    let found = path.and_then(|p| words_at(input, p));
    let field = match (&found, path) {
        (Some(found), _) => found.field.clone(),
        // A path this engine has no words for (the tests keep every path
        // it writes in the tables): never the raw name.
        (None, Some(_)) => format!("a field of the {}", input_words(input).noun),
        (None, None) => input_words(input).whole.to_string(),
    };
    let value = found.as_ref().map(|f| f.value.clone());
    let (headline, problem, expected) = about(code, input, &field, value, path.is_some());
    let mut text = format!("{headline} {problem} What is expected: {expected}.");
    if let Some(line) = at.and_then(|l| l.line) {
        if path.is_none() || input == Input::Policy {
            text.push_str(&format!(" The problem is on line {line}"));
            if let Some(column) = at.and_then(|l| l.column).filter(|c| *c > 0) {
                text.push_str(&format!(", near column {column}"));
            }
            text.push('.');
        }
    }
    ErrorExplanation {
        code: code.as_str(),
        path: path.map(str::to_string),
        input,
        headline: headline.to_string(),
        field,
        expected,
        text,
    }
}

/// The headline, the sentence saying what is wrong with `field`, and what
/// is expected there, of an error of `code`; `value` is what the field's
/// table entry says belongs there, `has_path` whether the error has a path. An exhaustive match: a new code does not
/// compile without its words.
fn about(
    code: ErrorCode,
    input: Input,
    field: &str,
    value: Option<String>,
    has_path: bool,
) -> (&'static str, String, String) {
    let headline = input_words(input).headline;
    let field_cap = capitalised(field);
    let value = || {
        value
            .clone()
            .unwrap_or_else(|| input_words(input).expected.into())
    };
    let noun = input_words(input).noun;
    match code {
        ErrorCode::InvalidJson => (
            headline,
            format!("The {noun} is not written in JSON that can be read."),
            format!(
                "a {noun} written as JSON: one object in braces, every name and every \
                 piece of text in double quotes, and nothing after the closing brace"
            ),
        ),
        ErrorCode::InvalidToml => (
            headline,
            "The policy is not written in TOML that can be read.".into(),
            "a policy written as TOML, every piece of text in double quotes".into(),
        ),
        ErrorCode::InvalidUtf8 => (
            headline,
            format!("The {noun} holds bytes that are not text."),
            "text saved as UTF-8 (most editors offer it when saving)".into(),
        ),
        ErrorCode::UnknownField => (
            headline,
            format!("There is a field in {field} that the {noun} format does not have."),
            format!(
                "only the fields the {noun} format defines there: check the spelling \
                 of each field name (a name written in place of a field is never read)"
            ),
        ),
        ErrorCode::MissingField => (
            headline,
            format!("Nothing is given for {field}, and it is required."),
            value(),
        ),
        ErrorCode::DuplicateField => (
            headline,
            format!("A value for {field} is given twice."),
            format!("{}, given once", value()),
        ),
        ErrorCode::InvalidValue => (
            headline,
            format!("The value given for {field} cannot be used."),
            value(),
        ),
        ErrorCode::InvalidDate => (
            headline,
            format!(
                "The value given for {field} is not a real date or time, or is not \
                 written in the form expected."
            ),
            value(),
        ),
        ErrorCode::TooLarge => (
            headline,
            format!("{field_cap} is too large."),
            size_limit(input),
        ),
        ErrorCode::UnknownPolicy => (
            headline,
            match has_path {
                true => format!("{field_cap} is not a policy this engine has."),
                false => "The policy asked for is not one this engine has.".into(),
            },
            format!("one of the built-in policies: {}", preset_names()),
        ),
        ErrorCode::PolicyMismatch => (
            headline,
            format!("{field_cap} is not the policy this engine holds."),
            "the policy this engine holds, or no policy named at all".into(),
        ),
        ErrorCode::UnsupportedDomain => (
            headline,
            format!("{field_cap} is a kind of question this engine does not decide."),
            one_of(tokens::<Domain>()),
        ),
        ErrorCode::FloorViolation => (
            headline,
            format!(
                "In {field}, a rule that national guidance asks of every school is \
                 removed or weakened."
            ),
            "rules at least as strict as the national baseline: a school may add \
             rules or make them stricter, never remove or weaken one"
                .into(),
        ),
        ErrorCode::InvalidImage => (
            headline,
            "The file is damaged, cut short or not an image.".into(),
            image_formats(),
        ),
        ErrorCode::UnsupportedImage => (
            headline,
            "The file is in a format this engine cannot read.".into(),
            image_formats(),
        ),
        ErrorCode::TooComplex => (
            "This policy's devices rules could not be analysed.",
            "The rules divide the possible requests too finely to check within the \
             limit."
                .into(),
            "fewer devices rules, or rules that each cover more".into(),
        ),
        ErrorCode::Internal => (
            "The engine met a fault of its own.",
            "Nothing sent to it is known to be wrong.".into(),
            "nothing different: please report the fault, with what was sent".into(),
        ),
        ErrorCode::InvalidArgument => (
            "A call to the engine was refused.",
            "A value handed to the engine was of the wrong kind.".into(),
            "the kind of value the call takes, as its documentation says".into(),
        ),
        ErrorCode::NullArgument => (
            "A call to the engine was refused.",
            "A value the call needs was not given.".into(),
            "every value the call takes".into(),
        ),
        ErrorCode::Io => (
            "A file could not be read or written.",
            "The file is missing, cannot be opened, or the disk refused it.".into(),
            "a file that exists and may be read, or a place that may be written to".into(),
        ),
        ErrorCode::Usage => (
            "This command cannot do what was asked.",
            "The command line asks for something the command refuses.".into(),
            "a command line the command accepts, as its help describes".into(),
        ),
    }
}

/// The words of what was being read.
struct InputWords {
    /// The headline of an error in it.
    headline: &'static str,
    /// It as a noun ("request").
    noun: &'static str,
    /// It as a whole: the field of an error without a path.
    whole: &'static str,
    /// What it is expected to be as a whole.
    expected: &'static str,
}

/// The words of `input`.
fn input_words(input: Input) -> InputWords {
    match input {
        Input::Request => InputWords {
            headline: "This request could not be checked.",
            noun: "request",
            whole: "the request as a whole",
            expected: "a request: one JSON object with the fields its domain defines",
        },
        Input::Policy => InputWords {
            headline: "This policy could not be loaded.",
            noun: "policy",
            whole: "the policy as a whole",
            expected: "a policy document with its identity and its sections",
        },
        Input::Image => InputWords {
            headline: "This file could not be checked as an image.",
            noun: "image",
            whole: "the image file",
            expected: "an image file",
        },
    }
}

/// The size limit of `input`, in words.
fn size_limit(input: Input) -> String {
    const MB: usize = 1 << 20;
    match input {
        Input::Request => format!(
            "a request of at most {} MB, its objects and lists nested at most {} deep",
            crate::wire::input::MAX_REQUEST_BYTES / MB,
            crate::wire::input::MAX_DEPTH
        ),
        Input::Policy => format!(
            "a policy of at most {} MB, nested no deeper than a policy needs",
            crate::policy::load::MAX_POLICY_BYTES / MB
        ),
        Input::Image => format!(
            "an image file of at most {} MB",
            crate::images::metadata::DEFAULT_MAX_IMAGE_BYTES / MB
        ),
    }
}

/// The image formats the engine reads.
fn image_formats() -> String {
    "a complete JPEG, PNG, TIFF, WebP, HEIC or AVIF image".into()
}

/// The built-in policies, their ids read as words.
fn preset_names() -> String {
    let names: Vec<String> = crate::policy::presets::IDS
        .iter()
        .map(|id| id.replace('-', " "))
        .collect();
    list_with_or(&names)
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The wire tokens of `T`, in declaration order.
fn tokens<T: Token>() -> Vec<&'static str> {
    T::ALL.iter().map(|t| t.as_str()).collect()
}

/// `one of: a, b or c`, each token read as words (underscores as spaces).
fn one_of(tokens: Vec<&'static str>) -> String {
    let words: Vec<String> = tokens.iter().map(|t| t.replace('_', " ")).collect();
    format!("one of: {}", list_with_or(&words))
}

/// `a, b or c`.
fn list_with_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

// ---------------------------------------------------------------------------
// Fields in words

/// What a field holds, in words, or how to list it.
#[derive(Clone, Copy)]
enum Value {
    /// Written out.
    Words(&'static str),
    /// A token of a closed set, listed from its type.
    OneOf(fn() -> Vec<&'static str>),
    /// A list of tokens of a closed set, listed from its type.
    ListOf(fn() -> Vec<&'static str>),
    /// A calendar date.
    Date,
    /// A date and a time of day.
    DateTime,
    /// A time of day.
    Time,
    /// `true` or `false`.
    TrueFalse,
}

impl Value {
    fn words(self) -> String {
        match self {
            Value::Words(words) => words.into(),
            Value::OneOf(tokens) => one_of(tokens()),
            Value::ListOf(tokens) => format!("a list, each {}", one_of(tokens())),
            Value::Date => "a date that exists, written as 2026-03-06".into(),
            Value::DateTime => {
                "a date and a time of day, written as 2026-03-06T14:30 (a 24-hour clock)".into()
            }
            Value::Time => "a time of day, written as 08:45 (a 24-hour clock)".into(),
            Value::TrueFalse => "true or false".into(),
        }
    }
}

/// A field's words: `key` as found within the field `within` (`""` at the
/// top of the document, `"*"` anywhere not listed; a `key` of `"*"` is any
/// key of a table keyed by token, such as the policy's roles). The words
/// are said to be "of" the list item that holds the field ("the age of
/// young person 1"), or, where they hold `{}`, name it there ("whether
/// young person 1 has additional needs").
#[derive(Clone, Copy)]
struct Field {
    within: &'static str,
    key: &'static str,
    words: &'static str,
    value: Value,
    /// For a list: what one item is called ("young person"), counted from
    /// 1, and what it is expected to be.
    item: Option<(&'static str, &'static str)>,
    /// Whether the field names what it holds ("the sexting section"): then
    /// a field inside it is said to be "of" it.
    owner: bool,
}

impl Field {
    const fn new(
        within: &'static str,
        key: &'static str,
        words: &'static str,
        value: Value,
    ) -> Self {
        Field {
            within,
            key,
            words,
            value,
            item: None,
            owner: false,
        }
    }

    /// A list whose items are called `item`, each expected to be `value`.
    const fn items(mut self, item: &'static str, value: &'static str) -> Self {
        self.item = Some((item, value));
        self
    }

    /// What one item of this list is expected to be.
    fn item_value(&self) -> String {
        match (self.item, self.value) {
            (Some((_, value)), _) => value.into(),
            (None, ListOf(tokens)) => one_of(tokens()),
            (None, value) => value.words(),
        }
    }

    /// A field that names what it holds.
    const fn owner(mut self) -> Self {
        self.owner = true;
        self
    }
}

use Value::{Date, DateTime, ListOf, OneOf, Time, TrueFalse, Words};

const fn f(within: &'static str, key: &'static str, words: &'static str, value: Value) -> Field {
    Field::new(within, key, words, value)
}

/// The answer to a yes/no/unknown fact.
const TRI: Value = OneOf(tokens::<Tri>);

/// Every field of every request, by wire name (see [`Field`]).
#[rustfmt::skip]
const REQUEST: &[Field] = &[
    // The envelope.
    f("", "schema_version", "the request's format version", Words("the number 1, or nothing")),
    f("", "domain", "the request's domain", OneOf(tokens::<Domain>)),
    f("", "policy", "the policy the request names", Words("the id of the policy this engine holds, or nothing")),
    // Sexting.
    f("", "incident_date", "the date of the incident", Date),
    f("", "reported_at", "the time the concern was reported", DateTime),
    f("", "young_people", "the list of young people", Words("a list of the young people involved, each with an id, a role and an age or a date of birth")).items("young person", "a young person: a group with an id, a role and an age or a date of birth"),
    f("young_people", "id", "the id", Words("text that tells this young person apart, different from every other young person's id")),
    f("young_people", "age", "the age", Words("a whole number of years, from 0 to 120, that agrees with the date of birth where both are given")),
    f("young_people", "date_of_birth", "the date of birth", Words("a date that exists, written as 2026-03-06, no later than the incident")),
    f("young_people", "additional_needs", "the answer to whether {} has additional needs", TrueFalse),
    f("young_people", "role", "the role", OneOf(tokens::<PartyRole>)),
    f("", "facts", "the facts", Words("a group of facts, each answered yes, no or unknown")),
    f("facts", "adult_involved", "the answer to whether an adult is involved", TRI),
    f("facts", "ai_generated_or_manipulated", "the answer to whether the imagery was made or altered by a computer", TRI),
    f("facts", "capacity_to_consent_concern", "the answer to whether there is concern about a young person's capacity to consent", TRI),
    f("facts", "coercion_blackmail_or_grooming", "the answer to whether there was coercion, blackmail or grooming", TRI),
    f("facts", "content_atypical_for_development", "the answer to whether the content is unusual for the young person's development", TRI),
    f("facts", "content_sexual_acts", "the answer to whether the imagery shows sexual acts", TRI),
    f("facts", "content_violent", "the answer to whether the imagery is violent", TRI),
    f("facts", "financially_motivated_extortion", "the answer to whether money is being demanded", TRI),
    f("facts", "immediate_risk_of_harm", "the answer to whether a young person is at immediate risk of harm", TRI),
    f("facts", "parental_involvement_would_risk_child", "the answer to whether telling the parents would put the child at risk", TRI),
    f("facts", "previous_incidents", "the answer to whether there were earlier incidents", TRI),
    f("facts", "shared_widely", "the answer to whether the imagery has been shared widely", TRI),
    // Escalation.
    f("", "category", "the kind of concern", OneOf(tokens::<Category>)),
    f("", "concern_about", "who the concern is about", OneOf(tokens::<ConcernAbout>)),
    f("", "flags", "the facts of the concern", Words("a group of facts, each true or false")),
    f("flags", "criminal_offence_suspected", "the answer to whether a crime is suspected", TrueFalse),
    f("flags", "criminal_offence_unclear", "the answer to whether it is unclear if there was a crime", TrueFalse),
    f("flags", "illegal_material", "the answer to whether there is illegal material", TrueFalse),
    f("flags", "immediate_danger", "the answer to whether someone is in immediate danger", TrueFalse),
    f("flags", "low_level_concern", "the answer to whether this is a low-level concern about an adult", TrueFalse),
    f("flags", "on_school_systems", "the answer to whether it happened on school systems", TrueFalse),
    f("flags", "ongoing_or_repeated", "the answer to whether it is ongoing or repeated", TrueFalse),
    f("flags", "other_schools_involved", "the answer to whether other schools are involved", TrueFalse),
    f("flags", "outside_school", "the answer to whether it happened outside school", TrueFalse),
    f("flags", "parental_involvement_would_risk_child", "the answer to whether telling the parents would put the child at risk", TrueFalse),
    f("flags", "threat_to_life", "the answer to whether there is a threat to life", TrueFalse),
    // Devices.
    f("", "actor", "the person using the device", Words("a group saying who uses the device: their role and, for a pupil, the year group")),
    f("actor", "role", "the role of the person using the device", OneOf(tokens::<ActorRole>)),
    f("actor", "year_group", "the year group of the person using the device", Words("a whole number from 0 (Reception) to 13, given only for a pupil")),
    f("actor", "works_directly_with_children", "the answer to whether the person works directly with children", TrueFalse),
    f("", "device", "the device", Words("a group saying what kind of device it is and whose")),
    f("device", "kind", "the kind of device", OneOf(tokens::<DeviceKind>)),
    f("device", "owner", "whose the device is", OneOf(tokens::<Owner>)),
    f("", "action", "what the device is to be used for", OneOf(tokens::<DeviceAction>)),
    f("", "context", "the circumstances", Words("a group saying where and when the device is to be used, and the facts around it")),
    f("context", "location", "the place", OneOf(tokens::<Place>)),
    f("context", "period", "the part of the school day", OneOf(tokens::<Period>)),
    f("context", "at", "the date and time", DateTime),
    f("context", "children_present", "the answer to whether children are present", TrueFalse),
    f("context", "emergency", "the answer to whether it is an emergency", TrueFalse),
    f("context", "exception", "the exception that applies", OneOf(tokens::<Exception>)),
    f("context", "parental_request", "the answer to whether a parent asked for it", TrueFalse),
    f("context", "permission_from", "who gave permission", OneOf(tokens::<PermissionFrom>)),
    f("context", "school_device_available", "the answer to whether a school device is available", TrueFalse),
    f("context", "subjects_consent", "the answer to whether the people photographed agreed", TrueFalse),
    // Images.
    f("", "channel", "where the image is to be published", OneOf(tokens::<Channel>)),
    f("*", "media", "the photo or video", Words("a group describing the photo or video")),
    f("media", "kind", "whether it is a photo or a video", OneOf(tokens::<MediaKind>)),
    f("media", "captured_on", "the device the photo or video was taken on", OneOf(tokens::<CapturedOn>)),
    f("media", "composition", "whether the photo or video shows one pupil or a group", OneOf(tokens::<Composition>)),
    f("media", "caption", "the caption", Words("text, or nothing")),
    f("media", "credits", "the credits", Words("text, or nothing")),
    f("media", "filename", "the file name", Words("text, or nothing")),
    f("media", "has_geodata", "the answer to whether the file holds its location", TrueFalse),
    f("media", "tags", "the tags", Words("a list of pieces of text")).items("tag", "text"),
    f("media", "suitably_dressed", "the answer to whether everyone is suitably dressed", TrueFalse),
    f("", "pupils", "the list of pupils", Words("a list of the pupils in the image, each with an id, names and consents")).items("pupil", "a pupil: a group with an id, names and consents"),
    f("", "roster", "the roster", Words("a list of the pupils who may appear, each with an id, names and consents")).items("pupil", "a pupil: a group with an id, names and consents"),
    f("*", "id", "the id", Words("text, not empty, different from every other id in the list")),
    f("*", "first_name", "the first name", Words("text")),
    f("*", "last_name", "the last name", Words("text")),
    f("*", "consent", "the consents", Words("a group of consents, each yes, no, not asked or withdrawn")),
    f("consent", "display", "the consent for displays in school", OneOf(tokens::<ConsentValue>)),
    f("consent", "individual_use", "the consent for a photo of the pupil alone", OneOf(tokens::<ConsentValue>)),
    f("consent", "name_with_image", "the consent to be named with the image", OneOf(tokens::<ConsentValue>)),
    f("consent", "press", "the consent for the press", OneOf(tokens::<ConsentValue>)),
    f("consent", "prospectus", "the consent for the prospectus", OneOf(tokens::<ConsentValue>)),
    f("consent", "social_media", "the consent for social media", OneOf(tokens::<ConsentValue>)),
    f("consent", "website", "the consent for the website", OneOf(tokens::<ConsentValue>)),
    f("*", "restriction", "the restriction on photographing", OneOf(tokens::<Restriction>)),
    f("*", "on_roll", "the answer to whether {} is on roll", TrueFalse),
    f("*", "left_on", "the date {} left", Words("a date that exists, written as 2026-03-06, given only for a pupil no longer on roll")),
    f("", "images", "the list of images", Words("a list of the images, each with an id, the photo or video and the pupils in it")).items("image", "an image: a group with an id, the photo or video and the ids of the pupils in it"),
    f("images", "pupils", "the pupils in it", Words("a list of the ids of pupils on the roster")).items("pupil", "the id of a pupil on the roster"),
];

/// Every field of the policy document, by wire name (see [`Field`]).
#[rustfmt::skip]
const POLICY: &[Field] = &[
    // The document and its identity.
    f("", "policy", "the policy's identity", Words("a group with the policy's id, name, version and source")),
    f("policy", "id", "the policy's id", Words("lower-case letters, digits and hyphens, not the id of a built-in policy")),
    f("policy", "name", "the policy's name", Words("text")),
    f("policy", "version", "the policy's version", Words("text")),
    f("policy", "source", "the policy's source document", Words("text")),
    f("policy", "extends", "the policy this one builds on", Words("the id of a built-in policy")),
    f("", "remove", "the rules this policy removes", Words("the ids of rules this policy removes, none of them a rule national guidance asks of every school")).items("removed rule", "the id of a rule this policy removes"),
    // Contacts.
    f("", "roles", "the school's named roles", Words("a table of contacts, one for each role")),
    f("roles", "*", "a named role's contact", Words("a contact with a title and a way to reach them")).owner(),
    f("", "bodies", "the local bodies", Words("a table of contacts, one for each body")),
    f("bodies", "*", "a local body's contact", Words("a contact with a title and a way to reach it")).owner(),
    f("*", "title", "the title", Words("text")),
    f("*", "name", "the name", Words("text")),
    f("*", "phone", "the phone number", Words("a phone number that reaches a person")),
    f("*", "email", "the email address", Words("an email address")),
    f("*", "hours", "the hours", Words("the hours written as 08:00-18:00 on weekdays")),
    f("*", "out_of_hours", "the out-of-hours route", Words("a group with a title, a phone number that reaches a person and its hours")),
    f("*", "emergency_only", "the answer to whether the route is for emergencies only", TrueFalse),
    f("*", "cite", "the citation", Words("a group with the source document and its section")),
    f("*", "source", "the document cited", Words("text naming a document")),
    f("*", "section", "the section cited", Words("text naming a section of that document")),
    f("*", "staff_breach_cite", "the citation for staff breaches", Words("a group with the source document and its section")),
    f("*", "same_day_cite", "the citation for same-day deadlines", Words("a group with the source document and its section")),
    // The timetable.
    f("", "timetable", "the timetable", Words("a group with the start and end of the school day, its breaks and its terms")),
    f("timetable", "day_start", "the start of the school day", Time),
    f("timetable", "day_end", "the end of the school day", Time),
    f("timetable", "breaks", "the breaks", Words("a list of times, each with a start and an end")).items("break", "a time range with a start and an end"),
    f("timetable", "lunch", "the lunch break", Words("a start and an end")),
    f("timetable", "terms", "the terms", Words("a list of date ranges, each with a start and an end")).items("term", "a date range with a start and an end"),
    f("timetable", "closures", "the closure days", Words("a list of date ranges, each with a start and an end")).items("closure", "a date range with a start and an end"),
    f("*", "start", "the start", Words("a date written as 2026-03-06, or a time written as 08:45")),
    f("*", "end", "the end", Words("a date written as 2026-03-06, or a time written as 08:45, no earlier than the start")),
    // The sections.
    f("", "sexting", "the sexting section", Words("a group of rules, steps and review questions")).owner(),
    f("", "devices", "the devices section", Words("a group of rules")).owner(),
    f("", "images", "the images section", Words("a group of rules")).owner(),
    f("", "escalation", "the escalation section", Words("a group of rules")).owner(),
    f("*", "remove", "the rules removed", Words("the ids of rules this policy removes, none of them a rule national guidance asks of every school")).items("removed rule", "the id of a rule this policy removes"),
    f("*", "rules", "the rules", Words("a list of rules, each with an id, a summary and a citation")).items("rule", "a rule with an id, a summary and a citation"),
    f("sexting", "actions", "the steps", Words("a list of steps, each with an action, who takes it and a deadline")).items("step", "a step with an action, who takes it and a deadline"),
    f("*", "checklist", "the initial-review questions", Words("a list of questions, each with an id and its wording")).items("question", "a question with an id and its wording"),
    f("checklist", "item", "the question's id", Words("text")),
    f("checklist", "question", "the question's wording", Words("text that is not empty")),
    f("*", "staff_breach_disciplinary", "the answer to whether a staff breach is a disciplinary matter", TrueFalse),
    f("*", "same_day_after_hours", "what a same-day deadline means after hours", OneOf(tokens::<AfterHours>)),
    // A rule.
    f("*", "id", "the id", Words("text, different from every other rule's id")),
    f("*", "floor", "the answer to whether it is a rule national guidance asks of every school", TrueFalse),
    f("*", "summary", "the summary", Words("text in the policy's own words")),
    f("*", "effect", "the effect", OneOf(tokens::<Effect>)),
    f("rules", "roles", "the roles it covers", ListOf(tokens::<RoleMatch>)),
    f("*", "year_groups", "the year groups it covers", Words("two whole numbers from 0 (Reception) to 13: the first and the last")),
    f("*", "works_directly_with_children", "the answer to whether it covers people who work directly with children", TrueFalse),
    f("rules", "devices", "the devices it covers", ListOf(tokens::<DeviceKind>)),
    f("*", "owner", "whose devices it covers", OneOf(tokens::<Owner>)),
    f("rules", "actions", "the uses it covers", ListOf(tokens::<DeviceAction>)),
    f("*", "locations", "the places it covers", ListOf(tokens::<Place>)),
    f("*", "periods", "the parts of the school day it covers", ListOf(tokens::<Period>)),
    f("*", "children_present", "the answer to whether it covers times when children are present", TrueFalse),
    f("*", "emergency", "the answer to whether it covers emergencies", TrueFalse),
    f("*", "permission_from", "the permissions it covers", ListOf(tokens::<PermissionFrom>)),
    f("*", "parental_request", "the answer to whether it covers a parent's request", TrueFalse),
    f("*", "subjects_consent", "the answer to whether it covers the agreement of the people photographed", TrueFalse),
    f("*", "school_device_available", "the answer to whether it covers a school device being available", TrueFalse),
    f("*", "exception", "the exceptions it covers", ListOf(tokens::<Exception>)),
    f("*", "conditions", "the conditions", ListOf(tokens::<Condition>)),
    f("*", "on_breach", "what happens if the rule is broken", ListOf(tokens::<OnBreach>)),
    f("*", "categories", "the kinds of concern it covers", ListOf(tokens::<Category>)),
    f("*", "about", "who the concern may be about", ListOf(tokens::<ConcernAbout>)),
    f("*", "flags", "the facts that must all hold", ListOf(tokens::<Flag>)),
    f("*", "any_flags", "the facts of which one must hold", ListOf(tokens::<Flag>)),
    f("*", "unless", "the facts that rule it out", Words("a list of facts")),
    f("*", "steps", "the steps", Words("a list of steps, each with an action, who takes it and a deadline")).items("step", "a step with an action, who takes it and a deadline"),
    f("*", "action", "the action", OneOf(tokens::<ActionToken>)),
    f("*", "who", "who takes the step", OneOf(tokens::<Who>)),
    f("*", "deadline", "the deadline", OneOf(tokens::<Deadline>)),
    f("*", "detail", "the description", Words("text")),
    f("*", "check", "what the rule checks", OneOf(tokens::<Check>)),
    f("*", "channels", "the channels it covers", ListOf(tokens::<Channel>)),
    f("*", "purpose", "the consent it asks for", OneOf(tokens::<Purpose>)),
    f("*", "limit", "the limit on names", OneOf(tokens::<NameLimit>)),
    f("*", "leaver", "what it does for a pupil who has left", OneOf(tokens::<LeaverAction>)),
    f("*", "when", "when it applies", Words("a list of conditions the engine knows")),
    f("*", "outcome", "the outcome", OneOf(tokens::<Outcome>)),
    f("*", "referral_to", "the referrals", ListOf(tokens::<Referral>)),
];

/// A field found in a table, in words.
struct Found {
    field: String,
    value: String,
}

/// One step of a path: a field's name, or a list's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The steps of `path`: `$.a.b[0].c` (a JSON path) or `a.b` (a dotted
/// path, as a TOML policy's errors give). `None` for text that is no path.
fn segments(path: &str) -> Option<Vec<Segment<'_>>> {
    let rest = path.strip_prefix('$').unwrap_or(path);
    let mut out = Vec::new();
    for part in rest.split('.').filter(|p| !p.is_empty()) {
        let (key, mut indices) = match part.find('[') {
            Some(at) => part.split_at(at),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some(tail) = indices.strip_prefix('[') {
            let close = tail.find(']')?;
            out.push(Segment::Index(tail[..close].parse().ok()?));
            indices = &tail[close + 1..];
        }
        if !indices.is_empty() {
            return None;
        }
    }
    Some(out)
}

impl Input {
    /// The words of the field at `path` in this input ("the date of birth
    /// of young person 1" for `$.young_people[0].date_of_birth`), or `None`
    /// when a name on the path has no words, or the path is not one.
    pub fn field_words(self, path: &str) -> Option<String> {
        words_at(self, path).map(|found| found.field)
    }
}

/// The words and the expected value of the field at `path` in `input`.
fn words_at(input: Input, path: &str) -> Option<Found> {
    let table = match input {
        Input::Request => REQUEST,
        Input::Policy => POLICY,
        Input::Image => &[],
    };
    let steps = segments(path)?;
    // Each step's entry, looked up within the name of the field above it.
    let mut entries: Vec<Option<&Field>> = Vec::with_capacity(steps.len());
    let mut within = "";
    for step in &steps {
        match step {
            Segment::Key(key) => {
                let entry = lookup(table, within, key)?;
                entries.push(Some(entry));
                within = if entry.key == "*" { "*" } else { key };
            }
            Segment::Index(_) => entries.push(None),
        }
    }
    let last = match steps.len().checked_sub(1) {
        Some(last) => last,
        None => {
            return Some(Found {
                field: input_words(input).whole.into(),
                value: input_words(input).expected.into(),
            })
        }
    };
    let (mut field, value) = match (steps[last], entries[last]) {
        (Segment::Key(_), Some(entry)) => (entry.words.to_string(), entry.value.words()),
        (Segment::Index(i), _) => {
            let list = list_above(&entries, last)?;
            (item_name(list, i), list.item_value())
        }
        (Segment::Key(_), None) => return None,
    };
    // Each list item and owning field above the last step, innermost first:
    // the field is said to be "of" them, or they take its `{}`.
    let mut owners = Vec::new();
    for at in (0..last).rev() {
        match (steps[at], entries[at]) {
            (Segment::Index(i), _) => owners.push(item_name(list_above(&entries, at)?, i)),
            (Segment::Key(_), Some(entry)) if entry.owner => owners.push(entry.words.into()),
            _ => {}
        }
    }
    let owner = owners.join(" of ");
    if field.contains("{}") {
        let whose = if owner.is_empty() {
            "the person"
        } else {
            &owner
        };
        field = field.replace("{}", whose);
    } else if !owner.is_empty() {
        field = format!("{field} of {owner}");
    }
    Some(Found { field, value })
}

/// Item `index` (from 0) of `list`, counted from 1: "young person 1", or
/// "item 2 of the places it covers" for a list of tokens.
fn item_name(list: &Field, index: usize) -> String {
    match list.item {
        Some((item, _)) => format!("{item} {}", index + 1),
        None => format!("item {} of {}", index + 1, list.words),
    }
}

/// The entry of the list whose item is the step at `at`.
fn list_above<'t>(entries: &[Option<&'t Field>], at: usize) -> Option<&'t Field> {
    at.checked_sub(1).and_then(|above| entries[above])
}

/// The entry for `key` within `within`: its own, else one for any place.
fn lookup<'t>(table: &'t [Field], within: &str, key: &str) -> Option<&'t Field> {
    table
        .iter()
        .find(|f| f.within == within && (f.key == key || f.key == "*"))
        .or_else(|| table.iter().find(|f| f.within == "*" && f.key == key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_steps() {
        use Segment::{Index, Key};
        assert_eq!(
            segments("$.young_people[0].date_of_birth"),
            Some(vec![Key("young_people"), Index(0), Key("date_of_birth")])
        );
        assert_eq!(
            segments("bodies.police_999"),
            Some(vec![Key("bodies"), Key("police_999")])
        );
        assert_eq!(segments("$"), Some(vec![]));
        assert_eq!(segments("$.a[x]"), None);
        assert_eq!(segments("$.a[1"), None);
    }

    #[test]
    #[rustfmt::skip]
    fn fields_read_as_words() {
        let cases = [
            (Input::Request, "$.young_people[0].date_of_birth", "the date of birth of young person 1"),
            (Input::Request, "$.pupils[2].consent.website", "the consent for the website of pupil 3"),
            (Input::Request, "$.images[0].pupils[1]", "pupil 2 of image 1"),
            (Input::Request, "$.roster[1].left_on", "the date pupil 2 left"),
            (Input::Request, "$.domain", "the request's domain"),
            (Input::Request, "$", "the request as a whole"),
            (Input::Policy, "sexting.actions", "the steps of the sexting section"),
            (Input::Policy, "$.devices.rules[2].cite.source", "the document cited of rule 3 of the devices section"),
            (Input::Policy, "$.devices.rules[0].locations[1]", "item 2 of the places it covers of rule 1 of the devices section"),
            (Input::Policy, "roles.dsl.phone", "the phone number of a named role's contact"),
        ];
        for (input, path, words) in cases {
            assert_eq!(input.field_words(path).as_deref(), Some(words), "{path}");
        }
        // No words for a name the tables do not have: never the raw name.
        assert_eq!(Input::Request.field_words("$.no_such_field"), None);
        assert_eq!(Input::Policy.field_words("$.young_people"), None);
    }

    /// What was read is told from the error where the error tells it.
    #[test]
    fn the_input_is_told_from_the_error() {
        let unknown = |at| Error::UnknownPolicy { at };
        assert_eq!(unknown(Location::path("$.policy")).input(), Input::Request);
        assert_eq!(
            unknown(Location::path("policy.extends")).input(),
            Input::Policy
        );
        assert_eq!(unknown(Location::none()).input(), Input::Policy);
        let json = |what| Error::InvalidJson {
            at: Location::line_col(1, 1),
            what,
            message: String::new(),
        };
        assert_eq!(json("policy").input(), Input::Policy);
        assert_eq!(json("request").input(), Input::Request);
        let image = Error::TooLarge {
            at: Location::none(),
            message: "the image is 9 bytes, over the limit of 8 bytes".into(),
        };
        assert_eq!(image.input(), Input::Image);
        let toml_field = Error::MissingField {
            at: Location::line_col(3, 1),
            field: "id".into(),
        };
        assert_eq!(toml_field.input(), Input::Policy);
        let request_field = Error::MissingField {
            at: Location::path("$.domain"),
            field: "domain".into(),
        };
        assert_eq!(request_field.input(), Input::Request);
        assert_eq!(request_field.explain().field, "the request's domain");
    }

    #[test]
    fn lists_end_with_or() {
        assert_eq!(
            one_of(vec!["yes", "no", "not_asked"]),
            "one of: yes, no or not asked"
        );
        assert_eq!(capitalised("the date"), "The date");
    }
}
