//! The committed JSON Schemas in `schema/` must match the ones generated from
//! the Rust types, and the Python TypedDicts (`scripts/gen-python-types`)
//! follow them. Regenerate both with `UPDATE_SCHEMA=1 cargo test -p safeguard-tests --test schema`.

use std::path::PathBuf;

/// The schema generated for `T`, as the committed file holds it: what
/// `T` accepts (the requests, the answers file).
fn pretty<T: schemars::JsonSchema>() -> String {
    serde_json::to_string_pretty(&schemars::schema_for!(T)).unwrap() + "\n"
}

/// The schema of what `T` serialises to (the response): a field always
/// written is required, one written only when it holds something is
/// optional, so a typed client (the npm package's types, generated from
/// these files) need not guard against an absence that never happens.
///
/// A field written only when it holds something is never written as
/// `null` (every such `Option` field is `skip_serializing_if =
/// "Option::is_none"`), so its schema does not admit `null` either.
///
/// The lint report is the exception (`nulls_in_optional_fields`): its
/// example is a devices request, whose schema stays the request
/// schema's, so that the npm package's generated types have one
/// `DevicesRequest`.
fn pretty_serialized<T: schemars::JsonSchema>() -> String {
    written::<T>(false)
}

/// [`pretty_serialized`] keeping `null` in the optional fields.
fn nulls_in_optional_fields<T: schemars::JsonSchema>() -> String {
    written::<T>(true)
}

fn written<T: schemars::JsonSchema>(keep_null: bool) -> String {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut value = schema.to_value();
    if !keep_null {
        drop_null_from_optional_fields(&mut value);
    }
    // Back to a schema, which writes its keywords in their usual order.
    let schema = schemars::Schema::try_from(value).unwrap();
    serde_json::to_string_pretty(&schema).unwrap() + "\n"
}

/// In every object schema under `v`, a property that is not required
/// loses its `null`: from its `type` list, or its `anyOf` branch.
fn drop_null_from_optional_fields(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let required: Vec<String> = map
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|f| f.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                for (name, property) in properties.iter_mut() {
                    if !required.contains(name) {
                        drop_null(property);
                    }
                }
            }
            map.values_mut().for_each(drop_null_from_optional_fields);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_from_optional_fields),
        _ => {}
    }
}

/// `{"type": ["T", "null"]}` to `{"type": "T"}`; `{"anyOf": [S, {"type":
/// "null"}]}` to S (keeping the property's own description).
fn drop_null(property: &mut serde_json::Value) {
    use serde_json::Value;
    let Some(map) = property.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = map.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types[0].clone();
            map.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
        branches.retain(|b| b.get("type").and_then(Value::as_str) != Some("null"));
        if branches.len() == 1 {
            let only = branches.remove(0);
            map.remove("anyOf");
            if let Value::Object(branch) = only {
                for (k, v) in branch {
                    map.entry(k).or_insert(v);
                }
            }
        }
    }
}

// The engine's own wrapper is private: the test below checks that an
// error's JSON has exactly this one's fields.
/// The one error envelope, `{"schema_version":1,"error":{...}}`: what every
/// failure is written as.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)] // only its schema is used
struct ErrorResponse {
    /// The wire-format version, 1.
    schema_version: safeguard_engine::SchemaVersion,
    /// The error: a code, a message for people that quotes nothing from
    /// the request, and where it was found.
    error: safeguard_engine::WireError<'static>,
}

// Private to the engine too: the test below checks an explanation's JSON
// against this one's fields.
/// A decision explained, as `explain` gives it (C's `sg_explain`, Python's
/// `explain_json`, JavaScript's `explain`): the explanation's fields, its
/// whole text and its Markdown.
#[derive(schemars::JsonSchema)]
#[schemars(rename = "Explanation")]
#[allow(dead_code)] // only its schema is used
struct ExplainedDecision {
    /// Wire-format version, as on every answer.
    schema_version: safeguard_engine::SchemaVersion,
    /// Always `decision` (a refused request is explained as `error`).
    kind: DecisionKind,
    /// The explanation.
    #[serde(flatten)]
    explanation: safeguard_engine::Explanation,
    /// The whole explanation as plain text, wrapped to 78 columns.
    text: String,
    /// The whole explanation as Markdown.
    markdown: String,
}

/// The `kind` of an explained decision.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
enum DecisionKind {
    /// A decision (not an error).
    Decision,
}

// The engine's wrapper is private too: the test below checks a review's
// JSON against this one's fields.
/// An annual review of a policy, as `json::review` gives it (C's
/// `sg_review` in JSON, Python's `Engine.review`): the typed report, its
/// whole text as Markdown and as one printable HTML page.
#[derive(schemars::JsonSchema)]
#[schemars(rename = "Review", deny_unknown_fields)]
#[allow(dead_code)] // only its schema is used
struct ReviewReport {
    /// The report.
    #[serde(flatten)]
    review: safeguard_engine::review::Review,
    /// The whole report as Markdown, what `safeguard review` prints.
    markdown: String,
    /// The whole report as one self-contained printable HTML page, what
    /// `safeguard review --html` prints.
    html: String,
}

fn schemas() -> Vec<(&'static str, String)> {
    use safeguard_engine::{devices, escalation, images, sexting, Decision};
    vec![
        (
            "request.sexting.schema.json",
            pretty::<sexting::SextingRequest>(),
        ),
        (
            "request.devices.schema.json",
            pretty::<devices::DevicesRequest>(),
        ),
        (
            "request.images.schema.json",
            pretty::<images::ImagesRequest>(),
        ),
        (
            "request.images_gallery.schema.json",
            pretty::<images::GalleryRequest>(),
        ),
        (
            "request.escalation.schema.json",
            pretty::<escalation::EscalationRequest>(),
        ),
        ("response.schema.json", pretty_serialized::<Decision>()),
        (
            "answers.schema.json",
            pretty::<safeguard_engine::policy::builder::Answers>(),
        ),
        (
            "image_info.schema.json",
            pretty_serialized::<images::metadata::ImageInfo>(),
        ),
        ("error.schema.json", pretty_serialized::<ErrorResponse>()),
        (
            "lint.schema.json",
            nulls_in_optional_fields::<devices::lint::LintReport>(),
        ),
        (
            "explanation.schema.json",
            pretty_serialized::<ExplainedDecision>(),
        ),
        ("review.schema.json", pretty_serialized::<ReviewReport>()),
    ]
}

/// The schema generated under `name`, parsed.
fn generated(name: &str) -> serde_json::Value {
    let (_, text) = schemas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no schema {name}"));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn committed_schemas_match_the_rust_types() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema");
    let update = std::env::var_os("UPDATE_SCHEMA").is_some();
    let mut stale = Vec::new();
    for (name, generated) in schemas() {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != generated {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "schema files out of date: {stale:?}; run UPDATE_SCHEMA=1 cargo test -p safeguard-tests --test schema"
    );
    // The Python package's TypedDicts are generated from these schemas: a
    // schema change that leaves them stale fails here, not only in the
    // Python step, and `UPDATE_SCHEMA=1` brings them up to date too.
    let generator = dir.join("../scripts/gen-python-types");
    let mut command = std::process::Command::new("python3");
    command.arg(&generator);
    if !update {
        command.arg("--check");
    }
    let out = command.output().expect("python3 runs");
    assert!(
        out.status.success(),
        "{}{}; run UPDATE_SCHEMA=1 cargo test -p safeguard-tests --test schema",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_request_schema_forbids_unknown_fields_and_has_no_imagery() {
    let (_, text) = &schemas()[0];
    assert!(schemas()[0].0.contains("sexting"));
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(v["additionalProperties"], false);
    let props = v["properties"].as_object().unwrap();
    assert!(props.contains_key("incident_date"));
    assert!(!props.keys().any(|k| k.contains("image")));
}

/// The response schema describes what a decision serialises to: the lists
/// every decision writes are required (a typed client reads them without a
/// guard), the ones written only when they hold something are optional
/// and not `null`, and `schema_version` is the constant 1, not any number.
#[test]
fn the_response_schema_requires_what_every_decision_writes() {
    let v = generated("response.schema.json");
    let required: Vec<&str> = v["required"]
        .as_array()
        .expect("the response schema has a required list")
        .iter()
        .filter_map(|r| r.as_str())
        .collect();
    for field in ["conditions", "changes", "unknowns", "actions", "outcome"] {
        assert!(required.contains(&field), "{field} is not required");
    }
    for field in ["criteria", "blocked", "gallery", "named_in"] {
        assert!(!required.contains(&field), "{field} is required");
        // Left out when empty, never written as null.
        assert_eq!(v["properties"][field]["type"], "array", "{field}");
    }
    assert_eq!(v["$defs"]["SchemaVersion"]["const"], 1);
    assert_eq!(
        v["properties"]["schema_version"]["$ref"],
        "#/$defs/SchemaVersion"
    );
}

/// The `anyOf` of a token def: the words it lists and the prefix its
/// pattern admits.
fn words_and_prefix(def: &serde_json::Value) -> (Vec<String>, String) {
    let words = def["anyOf"][0]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("no word list in {def}"))
        .iter()
        .filter_map(|w| w.as_str().map(String::from))
        .collect();
    let prefix = def["anyOf"][1]["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("no pattern in {def}"))
        .trim_start_matches('^')
        .to_string();
    (words, prefix)
}

/// The images tokens the envelope carries as text are listed in the
/// response schema: exactly the test crate's lists, which the images
/// scenario corpus checks every answer against (a change or block reason
/// the engine adds fails there until listed, then here until the schema
/// lists it too).
#[test]
fn the_response_schema_lists_every_images_token() {
    use safeguard_tests::{BLOCK_REASONS, CHANGES};
    let v = generated("response.schema.json");
    let defs = &v["$defs"];
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let (changes, prefix) = words_and_prefix(&defs["Change"]);
    assert_eq!(
        sorted(changes),
        sorted(CHANGES.iter().map(|s| s.to_string()).collect())
    );
    assert_eq!(prefix, "exclude_pupil:");
    let (reasons, prefix) = words_and_prefix(&defs["BlockReason"]);
    assert_eq!(
        sorted(reasons),
        sorted(BLOCK_REASONS.iter().map(|s| s.to_string()).collect())
    );
    assert_eq!(prefix, "no_consent:");
    assert_eq!(
        v["properties"]["changes"]["items"]["$ref"],
        "#/$defs/Change"
    );
    assert_eq!(
        defs["Blocked"]["properties"]["reason"]["$ref"],
        "#/$defs/BlockReason"
    );
}

/// The error schema describes what the engine writes: an error's JSON has
/// the envelope's two fields, and its `error` only fields the schema
/// names, with a code the schema lists.
#[test]
fn the_error_schema_describes_an_error_as_written() {
    let schema = generated("error.schema.json");
    let engine = safeguard_engine::Engine::from_preset("baseline").unwrap();
    let err = engine
        .evaluate_json(r#"{"domain":"devices","colour":"red"}"#)
        .unwrap_err();
    let written: serde_json::Value = serde_json::from_str(&err.to_json()).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&written), keys(&schema["properties"]));
    let error_def = &schema["$defs"]["WireError"]["properties"];
    for key in keys(&written["error"]) {
        assert!(error_def.get(&key).is_some(), "{key} is not in the schema");
    }
    let codes = schema["$defs"]["ErrorCode"]["enum"].as_array().unwrap();
    assert!(codes.contains(&written["error"]["code"]));
}

/// The explanation schema describes what `explain` writes: exactly its
/// fields, each required one present.
#[test]
fn the_explanation_schema_describes_an_explanation_as_written() {
    let schema = generated("explanation.schema.json");
    let engine = safeguard_engine::Engine::from_preset("baseline").unwrap();
    let request = r#"{"domain":"escalation","category":"cyberbullying","concern_about":"pupil","reported_at":"2025-01-20T10:15"}"#;
    let written: serde_json::Value =
        serde_json::from_str(&safeguard_engine::json::explain(&engine, request).unwrap()).unwrap();
    let properties = schema["properties"].as_object().unwrap();
    for key in written.as_object().unwrap().keys() {
        assert!(properties.contains_key(key), "{key} is not in the schema");
    }
    for key in schema["required"].as_array().unwrap() {
        assert!(
            written.get(key.as_str().unwrap()).is_some(),
            "{key} is missing"
        );
    }
    assert_eq!(written["kind"], "decision");
}

/// The review schema describes what `json::review` writes, for a policy
/// with its own rules, national changes and findings: every key of the
/// report and of each of its notes is in the schema, and each required
/// one is present.
#[test]
fn the_review_schema_describes_a_review_as_written() {
    let schema = generated("review.schema.json");
    let engine = safeguard_engine::Engine::from_preset("hilldene-primary").unwrap();
    let written: serde_json::Value = serde_json::from_str(
        &safeguard_engine::json::review(
            &engine,
            &safeguard_engine::AnalysisLimits::default(),
            safeguard_engine::json::Layout::Compact,
        )
        .unwrap(),
    )
    .unwrap();
    /// `value` has only the keys of `object_schema`, and all it requires.
    fn fits(value: &serde_json::Value, object_schema: &serde_json::Value, at: &str) {
        let properties = object_schema["properties"].as_object().unwrap();
        for key in value.as_object().unwrap().keys() {
            assert!(
                properties.contains_key(key),
                "{at}.{key} is not in the schema"
            );
        }
        for key in object_schema["required"].as_array().unwrap() {
            let key = key.as_str().unwrap();
            assert!(value.get(key).is_some(), "{at}.{key} is missing");
        }
        assert_eq!(object_schema["additionalProperties"], false, "{at}");
    }
    fits(&written, &schema, "$");
    let note = |name: &str| &schema["$defs"][name];
    let first = |key: &str| written[key].as_array().and_then(|a| a.first()).cloned();
    let guidance = first("guidance").expect("a 2018 policy has national changes since");
    fits(&guidance, note("GuidanceNote"), "$.guidance[0]");
    fits(
        &guidance["change"],
        note("GuidanceChange"),
        "$.guidance[0].change",
    );
    let own = first("own_rules").expect("a school's policy has rules of its own");
    fits(&own, note("RuleNote"), "$.own_rules[0]");
    for key in ["stricter", "allows_more"] {
        if let Some(line) = written[key]["lines"].as_array().and_then(|a| a.first()) {
            fits(line, note("DevicesNote"), &format!("$.{key}.lines[0]"));
        }
    }
}
