//! Property tests of the images decision, under every preset, over random
//! wire requests (1-30 pupils with random consents, restrictions and
//! departures; every channel; random media flags; captions, file names, tags
//! and credits built from the roster's names, in many spellings, or from
//! none):
//!
//! - withdrawing any one consent of any pupil never makes the outcome more
//!   permissive (publish > publish_with_changes > block);
//! - removing the caption, file name, tags or credits, or saying the file
//!   has no location data, never makes it less permissive;
//! - the response is deterministic (byte-identical JSON);
//! - a block always has at least one `blocked` entry, publish has no
//!   changes, and publish_with_changes has at least one.

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config as ProptestConfig;
use safeguard_engine::{evaluate_json_with, Engine};
use safeguard_tests::CONSENT_PURPOSES;
use serde_json::{json, Map, Value};

/// A named edit of a request's JSON.
type Edit = (&'static str, fn(&mut Value));

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 600,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const CHANNELS: [&str; 10] = [
    "internal_display",
    "learning_platform",
    "website",
    "online_prospectus",
    "printed_prospectus",
    "social_media",
    "newsletter",
    "press",
    "external_presentation",
    "internal_assessment",
];

const CONSENT_VALUES: [&str; 4] = ["yes", "no", "not_asked", "withdrawn"];

const RESTRICTIONS: [&str; 4] = ["none", "looked_after", "court_order", "do_not_photograph"];

/// First names, including accented ones, several-part ones and ordinary
/// English words.
const FIRST: [&str; 16] = [
    "Amy",
    "Raj",
    "Zoë",
    "Liam",
    "Ella",
    "Rose",
    "Hope",
    "Leo",
    "Maya",
    "Noah",
    "Mary Ann",
    "Anne-Marie",
    "Tom",
    "Will",
    "Grace",
    "Søren",
];

const LAST: [&str; 14] = [
    "Smith",
    "Patel",
    "Ferreira",
    "O'Neil",
    "Smith-Jones",
    "Taylor",
    "Adeyemi",
    "Brown",
    "Khan",
    "Green",
    "Smithson",
    "de la Cruz",
    "Nowak",
    "Okafor",
];

/// How a generated text mentions a pupil.
#[derive(Debug, Clone, Copy)]
enum Form {
    First,
    Full,
    SurnameFirst,
    Lower,
    Upper,
    Underscored,
    RunTogether,
    Surname,
}

const FORMS: [Form; 8] = [
    Form::First,
    Form::Full,
    Form::SurnameFirst,
    Form::Lower,
    Form::Upper,
    Form::Underscored,
    Form::RunTogether,
    Form::Surname,
];

fn mention(first: &str, last: &str, form: Form) -> String {
    match form {
        Form::First => first.to_owned(),
        Form::Full => format!("{first} {last}"),
        Form::SurnameFirst => format!("{last}, {first}"),
        Form::Lower => format!("{first} {last}").to_lowercase(),
        Form::Upper => format!("{first} {last}").to_uppercase(),
        Form::Underscored => format!("{first}_{last}").replace(' ', "_"),
        Form::RunTogether => format!("{first}{last}")
            .replace([' ', '-', '\''], "")
            .to_lowercase(),
        Form::Surname => last.to_owned(),
    }
}

/// One text field: fixed words, optionally mentioning some pupils (by index
/// into the roster, taken modulo its length).
#[derive(Debug, Clone)]
struct Text {
    lead: &'static str,
    mentions: Vec<(usize, Form)>,
    tail: &'static str,
}

fn text_strategy(
    leads: &'static [&'static str],
    tails: &'static [&'static str],
) -> impl Strategy<Value = Text> {
    (
        select(leads),
        prop::collection::vec((0usize..30, select(&FORMS[..])), 0..3),
        select(tails),
    )
        .prop_map(|(lead, mentions, tail)| Text {
            lead,
            mentions,
            tail,
        })
}

fn render(t: &Text, pupils: &[Value], joiner: &str) -> String {
    let mut parts = vec![t.lead.to_owned()];
    for &(i, form) in &t.mentions {
        let p = &pupils[i % pupils.len()];
        let first = p["first_name"].as_str().unwrap_or_default();
        let last = p["last_name"].as_str().unwrap_or_default();
        parts.push(mention(first, last, form));
    }
    parts.push(t.tail.to_owned());
    parts.retain(|s| !s.is_empty());
    parts.join(joiner)
}

const CAPTION_LEADS: [&str; 6] = [
    "Well done to",
    "Sports day:",
    "We picked roses with",
    "Hope you enjoyed the show,",
    "",
    "Our class trip with",
];
const CAPTION_TAILS: [&str; 4] = ["", "on the field.", "at the May fair!", "and friends"];
const FILE_LEADS: [&str; 4] = ["IMG", "sports-day", "", "trip"];
const FILE_TAILS: [&str; 4] = ["2.jpg", ".png", "final.heic", "clip.mp4"];
const CREDIT_LEADS: [&str; 3] = ["Directed by", "Cast:", "Filmed by"];
const CREDIT_TAILS: [&str; 2] = ["", "and Year 6"];

fn pupil_strategy() -> impl Strategy<Value = Value> {
    (
        select(&FIRST[..]),
        select(&LAST[..]),
        prop::bool::weighted(0.85),
        prop::option::of((2015i32..2026, 1u32..13, 1u32..29)),
        prop::collection::vec(prop::option::of(select(&CONSENT_VALUES[..])), 7),
        prop::option::weighted(0.2, select(&RESTRICTIONS[..])),
    )
        .prop_map(|(first, last, on_roll, left, consents, restriction)| {
            let mut consent = Map::new();
            for (purpose, value) in CONSENT_PURPOSES.iter().zip(consents) {
                if let Some(v) = value {
                    consent.insert((*purpose).into(), v.into());
                }
            }
            let mut p = json!({
                "id": "",
                "first_name": first,
                "last_name": last,
                "on_roll": on_roll,
                "consent": consent,
            });
            if let (false, Some((y, m, d))) = (on_roll, left) {
                p["left_on"] = format!("{y:04}-{m:02}-{d:02}").into();
            }
            if let Some(r) = restriction {
                p["restriction"] = r.into();
            }
            p
        })
}

/// A random request under a random preset, as wire JSON.
fn request_strategy() -> impl Strategy<Value = Value> {
    let media_flags = (
        select(&["photo", "video"][..]),
        select(&["individual", "group"][..]),
        prop::option::of(any::<bool>()),
        prop::bool::weighted(0.85),
        prop::option::of(prop::bool::weighted(0.85)),
    );
    let texts = (
        prop::option::of(text_strategy(&CAPTION_LEADS, &CAPTION_TAILS)),
        prop::option::of(text_strategy(&FILE_LEADS, &FILE_TAILS)),
        prop::option::of(prop::collection::vec(
            text_strategy(&["", "art week", "year 5"], &["", "winners"]),
            0..4,
        )),
        prop::option::of(text_strategy(&CREDIT_LEADS, &CREDIT_TAILS)),
    );
    (
        select(Engine::presets()),
        select(&CHANNELS[..]),
        prop::collection::vec(pupil_strategy(), 1..=30),
        media_flags,
        texts,
    )
        .prop_map(
            |(policy, channel, mut pupils, flags, (caption, filename, tags, credits))| {
                for (i, p) in pupils.iter_mut().enumerate() {
                    p["id"] = format!("p{i}").into();
                }
                let (kind, composition, has_geodata, school_device, dressed) = flags;
                let mut media = json!({
                    "kind": kind,
                    "composition": composition,
                    "captured_on": if school_device { "school_device" } else { "personal_device" },
                });
                if let Some(c) = caption {
                    media["caption"] = render(&c, &pupils, " ").into();
                }
                if let Some(f) = filename {
                    media["filename"] = render(&f, &pupils, "_").into();
                }
                if let Some(tags) = tags {
                    let tags: Vec<Value> = tags
                        .iter()
                        .map(|t| render(t, &pupils, " ").into())
                        .collect();
                    media["tags"] = tags.into();
                }
                if let Some(c) = credits {
                    media["credits"] = render(&c, &pupils, " ").into();
                }
                if let Some(g) = has_geodata {
                    media["has_geodata"] = g.into();
                }
                if let Some(d) = dressed {
                    media["suitably_dressed"] = d.into();
                }
                json!({
                    "schema_version": 1,
                    "domain": "images",
                    "policy": policy,
                    "channel": channel,
                    "media": media,
                    "pupils": pupils,
                })
            },
        )
}

/// The response to `request` as JSON text and value; panics on an error,
/// since every generated request is valid.
fn decide(request: &Value) -> (String, Value) {
    let text = request.to_string();
    let decision = evaluate_json_with(None, &text, None)
        .unwrap_or_else(|e| panic!("a valid request was refused: {e}\n{text}"));
    let json = decision.to_json();
    let value = serde_json::from_str(&json).expect("the response is JSON");
    (json, value)
}

/// publish = 2 > publish_with_changes = 1 > block = 0.
fn rank(response: &Value) -> u8 {
    match response["outcome"].as_str() {
        Some("publish") => 2,
        Some("publish_with_changes") => 1,
        Some("block") => 0,
        other => panic!("not an images outcome: {other:?}"),
    }
}

fn list_len(response: &Value, key: &str) -> usize {
    response[key].as_array().map_or(0, Vec::len)
}

fn check_shape(response: &Value, json: &str) -> Result<(), TestCaseError> {
    match response["outcome"].as_str() {
        Some("block") => prop_assert!(
            list_len(response, "blocked") > 0,
            "block without a blocked entry: {json}"
        ),
        Some("publish") => prop_assert!(
            list_len(response, "changes") == 0,
            "publish with changes: {json}"
        ),
        Some("publish_with_changes") => prop_assert!(
            list_len(response, "changes") > 0,
            "publish_with_changes without changes: {json}"
        ),
        other => prop_assert!(false, "not an images outcome {other:?}: {json}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn deterministic_and_well_shaped(request in request_strategy()) {
        // The first run builds the roster's name index and keeps it for the
        // thread (images::names::KeptIndex); the later runs use the kept
        // one, and must answer alike.
        let (first, response) = decide(&request);
        let (second, _) = decide(&request);
        let (third, _) = decide(&request);
        prop_assert_eq!(&first, &second, "two runs differ for {}", request);
        prop_assert_eq!(&first, &third, "a third run differs for {}", request);
        check_shape(&response, &first)?;
    }

    #[test]
    fn withdrawing_a_consent_is_never_more_permissive(
        request in request_strategy(),
        who in 0usize..30,
        purpose in select(&CONSENT_PURPOSES[..]),
    ) {
        let (before_json, before) = decide(&request);
        let mut withdrawn = request.clone();
        let n = withdrawn["pupils"].as_array().map_or(1, Vec::len);
        withdrawn["pupils"][who % n]["consent"][purpose] = "withdrawn".into();
        let (after_json, after) = decide(&withdrawn);
        check_shape(&after, &after_json)?;
        prop_assert!(
            rank(&after) <= rank(&before),
            "withdrawing pupil {}'s {} consent made it more permissive:\n  before: {}\n  after:  {}\n  request: {}",
            who % n, purpose, before_json, after_json, withdrawn
        );
    }

    #[test]
    fn less_text_or_no_location_is_never_less_permissive(request in request_strategy()) {
        let (before_json, before) = decide(&request);
        let edits: [Edit; 6] = [
            ("no caption", |m| { m.as_object_mut().map(|o| o.remove("caption")); }),
            ("no filename", |m| { m.as_object_mut().map(|o| o.remove("filename")); }),
            ("no tags", |m| { m.as_object_mut().map(|o| o.remove("tags")); }),
            ("no credits", |m| { m.as_object_mut().map(|o| o.remove("credits")); }),
            ("has_geodata false", |m| { m["has_geodata"] = false.into(); }),
            ("all of them", |m| {
                if let Some(o) = m.as_object_mut() {
                    for k in ["caption", "filename", "tags", "credits"] {
                        o.remove(k);
                    }
                }
                m["has_geodata"] = false.into();
            }),
        ];
        for (what, edit) in edits {
            let mut changed = request.clone();
            edit(&mut changed["media"]);
            let (after_json, after) = decide(&changed);
            check_shape(&after, &after_json)?;
            prop_assert!(
                rank(&after) >= rank(&before),
                "{} made it less permissive:\n  before: {}\n  after:  {}\n  request: {}",
                what, before_json, after_json, request
            );
        }
    }
}
