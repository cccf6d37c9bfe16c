//! What one images token covers, told apart (issue 23): `rename_file` is
//! the change for a pupil's name in the file name *and* in the tags, and
//! `no_consent:<purpose>` blocks a refused, a withdrawn and a never-asked
//! consent alike. The tokens stay as they are (SPEC §5); the decision says
//! which case it is in two additive fields, `named_in` (the media fields
//! whose names call for a change) and a `no_consent` block's `consent` (the
//! answer recorded), and the explanation words each case for itself, so
//! staff are not told to rename a file whose name is fine, nor that
//! consent was "not recorded" when the roster records a refusal.
//!
//! Both fields are left out where they have nothing to say, so every other
//! decision is byte-for-byte what it was: checked over the scenario corpus.

use safeguard_engine::{evaluate_json_with, Decision};
use safeguard_tests::{json_files, load, scenario_dir};
use serde_json::{json, Value};

/// A website photo of Amy Smith (`s1`), consenting to everything, under the
/// baseline, with `media` merged over a clean school-device photo.
fn photo(media: Value) -> Value {
    let mut m = json!({ "kind": "photo", "composition": "group", "has_geodata": false,
                        "captured_on": "school_device", "suitably_dressed": true });
    if let (Some(m), Some(extra)) = (m.as_object_mut(), media.as_object()) {
        m.extend(extra.clone());
    }
    json!({ "domain": "images", "policy": "baseline", "channel": "website", "media": m,
            "pupils": [{ "id": "s1", "first_name": "Amy", "last_name": "Smith", "on_roll": true,
                         "restriction": "none",
                         "consent": { "website": "yes", "name_with_image": "yes",
                                      "individual_use": "yes" } }] })
}

fn decide(request: &Value) -> Decision {
    evaluate_json_with(None, &request.to_string(), None).expect("a decision")
}

/// The decision's JSON, as every binding gives it.
fn wire(d: &Decision) -> Value {
    serde_json::from_str(&d.to_json()).expect("JSON")
}

#[test]
fn a_name_only_in_the_tags_is_not_a_file_to_rename() {
    let d = decide(&photo(json!({ "filename": "sports-day.jpg",
                                  "tags": ["sports day", "Amy Smith"] })));
    assert_eq!(
        d.changes.iter().map(|c| &**c).collect::<Vec<_>>(),
        ["rename_file"]
    );
    assert_eq!(wire(&d)["named_in"], json!(["tags"]));
    let changes = d.explain().changes;
    assert_eq!(changes, ["Take pupils' names out of the image's tags."]);
    assert!(!d.explain().to_text().contains("Rename"));
}

#[test]
fn a_name_only_in_the_file_name_is_a_file_to_rename() {
    let d = decide(&photo(
        json!({ "filename": "Amy_SMITH-2.jpg", "tags": ["sports day"] }),
    ));
    assert_eq!(wire(&d)["named_in"], json!(["filename"]));
    assert_eq!(
        d.explain().changes,
        ["Rename the file so that it holds no pupil's name."]
    );
}

#[test]
fn names_in_both_are_two_changes() {
    let d = decide(&photo(
        json!({ "filename": "amy smith.jpg", "tags": ["Amy Smith"],
                                  "caption": "Amy Smith wins" }),
    ));
    let named: Vec<String> = d.named_in.iter().flatten().map(|f| f.to_string()).collect();
    assert_eq!(named, ["caption", "filename", "tags"]);
    let changes = d.explain().changes;
    assert!(
        changes.contains(&"Rename the file so that it holds no pupil's name.".to_string())
            && changes.contains(&"Take pupils' names out of the image's tags.".to_string()),
        "{changes:?}"
    );
}

#[test]
fn a_gallery_image_names_its_own_fields() {
    let tagged = photo(json!({ "filename": "day.jpg", "tags": ["Amy Smith"] }));
    let request = json!({ "domain": "images", "policy": "baseline", "channel": "website",
        "roster": tagged["pupils"],
        "images": [{ "id": "img-a", "pupils": ["s1"], "media": tagged["media"] }] });
    let d = decide(&request);
    let gallery = d.gallery.as_ref().expect("a gallery");
    let named: Vec<&str> = gallery[0].named_in.iter().map(|f| &**f).collect();
    assert_eq!(named, ["tags"]);
    assert!(
        d.named_in.is_none(),
        "the gallery's own answer has no media"
    );
    let text = &d.explain().gallery[0];
    assert!(
        text.contains("take pupils' names out of the image's tags"),
        "{text}"
    );
    assert!(!text.contains("ename"), "{text}");
}

#[test]
fn refused_withdrawn_and_unasked_consent_read_differently() {
    let cases = [
        ("no", "consent for the school website was refused"),
        (
            "withdrawn",
            "consent for the school website has been withdrawn",
        ),
        (
            "not_asked",
            "no answer on consent for the school website is recorded",
        ),
    ];
    for (answer, words) in cases {
        let mut request = photo(json!({ "composition": "individual" }));
        request["pupils"][0]["consent"]["website"] = json!(answer);
        let d = decide(&request);
        let blocked = &wire(&d)["blocked"];
        let consent_block = blocked
            .as_array()
            .into_iter()
            .flatten()
            .find(|b| b["reason"] == "no_consent:website")
            .unwrap_or_else(|| panic!("{answer}: no consent block in {blocked}"));
        assert_eq!(consent_block["consent"], json!(answer));
        let ruled_out = d.explain().ruled_out;
        assert!(
            ruled_out.iter().any(|r| r.contains(words)),
            "{answer}: {ruled_out:?}"
        );
        let others: Vec<&str> = cases.iter().map(|c| c.1).filter(|w| *w != words).collect();
        assert!(
            !ruled_out
                .iter()
                .any(|r| others.iter().any(|o| r.contains(o))),
            "{answer}: {ruled_out:?}"
        );
    }
    // An omitted answer is not asked.
    let mut request = photo(json!({}));
    request["pupils"][0]["consent"] = json!({});
    let d = decide(&request);
    assert!(wire(&d)["blocked"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|b| b["reason"] == "no_consent:website" && b["consent"] == "not_asked"));
}

/// The new fields appear only where they tell something apart: `named_in`
/// with a change, never empty; `consent` on `no_consent` blocks only. Every
/// other decision of the corpus is written exactly as before.
#[test]
fn the_fields_are_absent_where_they_have_nothing_to_say() {
    let (mut named, mut consents, mut decided) = (0, 0, 0);
    for path in json_files(&scenario_dir("images"), |_| true) {
        let doc = load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let Some(request) = doc.get("request") else {
            continue;
        };
        let Ok(d) = evaluate_json_with(None, &request.to_string(), None) else {
            continue;
        };
        decided += 1;
        let v = wire(&d);
        let file = path.display();
        match v.get("named_in") {
            Some(fields) => {
                named += 1;
                let fields = fields.as_array().expect("a list");
                assert!(!fields.is_empty(), "{file}: empty named_in");
                assert!(!d.changes.is_empty(), "{file}: named_in without changes");
            }
            None => assert!(
                !d.changes.iter().any(|c| &**c == "rename_file"),
                "{file}: rename_file without named_in"
            ),
        }
        for b in v["blocked"].as_array().into_iter().flatten() {
            let no_consent = b["reason"]
                .as_str()
                .is_some_and(|r| r.starts_with("no_consent:"));
            assert_eq!(b.get("consent").is_some(), no_consent, "{file}: {b}");
            consents += usize::from(no_consent);
        }
    }
    assert!(decided > 50, "{decided}");
    assert!(
        named > 5 && consents > 5,
        "named {named}, consents {consents}"
    );
}
