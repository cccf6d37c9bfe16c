//! The committed JSON Schemas in `schema/` must match the ones generated from
//! the Rust types, and the Python TypedDicts (`scripts/gen-python-types`)
//! follow them. Regenerate both with `UPDATE_SCHEMA=1 cargo test -p safeguard-tests --test schema`.

use std::path::PathBuf;

/// The schema generated for `T`, as the committed file holds it.
fn pretty<T: schemars::JsonSchema>() -> String {
    serde_json::to_string_pretty(&schemars::schema_for!(T)).unwrap() + "\n"
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
        ("response.schema.json", pretty::<Decision>()),
        (
            "answers.schema.json",
            pretty::<safeguard_engine::policy::builder::Answers>(),
        ),
    ]
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
