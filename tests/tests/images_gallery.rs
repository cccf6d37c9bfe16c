//! Galleries (issue 4, batch): many images against one roster. Each image
//! gets the same answer as the equivalent single-image request, and the
//! overall outcome is the most restrictive one.

use safeguard_engine::{evaluate_json_with, Decision};
use serde_json::{json, Value};

fn roster() -> Value {
    json!([
        { "id": "s1", "first_name": "Amy", "last_name": "Smith", "on_roll": true,
          "consent": { "display": "yes", "website": "yes", "prospectus": "yes" } },
        { "id": "s2", "first_name": "Raj", "last_name": "Patel", "on_roll": true,
          "consent": { "display": "yes", "website": "no" } },
        { "id": "s3", "first_name": "Zoë", "last_name": "O'Neil", "on_roll": true,
          "consent": { "display": "yes", "website": "yes", "individual_use": "yes" } }
    ])
}

fn images() -> Value {
    json!([
        { "id": "img-a", "pupils": ["s1", "s2"],
          "media": { "kind": "photo", "composition": "group", "caption": "Amy Smith and Raj",
                     "has_geodata": true, "captured_on": "school_device", "suitably_dressed": true } },
        { "id": "img-b", "pupils": ["s3"],
          "media": { "kind": "photo", "composition": "individual", "filename": "zoe_oneil.jpg",
                     "has_geodata": false, "captured_on": "school_device", "suitably_dressed": true } },
        { "id": "img-c", "pupils": ["s1"],
          "media": { "kind": "photo", "composition": "group",
                     "has_geodata": false, "captured_on": "personal_device", "suitably_dressed": true } }
    ])
}

fn decide(v: &Value) -> Decision {
    evaluate_json_with(None, &v.to_string(), None).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn each_image_matches_its_single_request_and_overall_is_most_restrictive() {
    for policy in safeguard_engine::Engine::presets() {
        let gallery = json!({ "schema_version": 1, "domain": "images", "policy": policy,
                              "channel": "website", "roster": roster(), "images": images() });
        let d = decide(&gallery);
        let items = d.gallery.as_ref().expect("a gallery answer");
        assert_eq!(items.len(), 3);
        let roster = roster();
        let mut worst = 2;
        for (item, image) in items.iter().zip(images().as_array().unwrap()) {
            let pupils: Vec<Value> = image["pupils"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| {
                    roster
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|p| p["id"] == *id)
                        .unwrap()
                        .clone()
                })
                .collect();
            let single = json!({ "schema_version": 1, "domain": "images", "policy": policy,
                                 "channel": "website", "media": image["media"], "pupils": pupils });
            let s = decide(&single);
            assert_eq!(item.outcome, s.outcome, "{policy} {}", item.image);
            assert_eq!(item.changes, s.changes, "{policy} {}", item.image);
            assert_eq!(
                Some(&item.blocked),
                s.blocked.as_ref(),
                "{policy} {}",
                item.image
            );
            let rank = match s.outcome.as_str() {
                "block" => 0,
                "publish_with_changes" => 1,
                _ => 2,
            };
            worst = worst.min(rank);
        }
        let expected = ["block", "publish_with_changes", "publish"][worst];
        assert_eq!(d.outcome.as_str(), expected, "{policy}");
        // The personal-device photo blocks under every policy (floor).
        assert_eq!(items[2].outcome.as_str(), "block", "{policy}");
    }
}

#[test]
fn a_depicted_pupil_must_be_on_the_roster() {
    let mut imgs = images();
    imgs[0]["pupils"] = json!(["s1", "nobody"]);
    let gallery = json!({ "domain": "images", "policy": "baseline", "channel": "website",
                          "roster": roster(), "images": imgs });
    let e = evaluate_json_with(None, &gallery.to_string(), None).unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    assert_eq!(e.path(), Some("$.images[0].pupils[1]"));
}

#[test]
fn duplicate_roster_ids_are_rejected() {
    let mut r = roster();
    r[2]["id"] = json!("s1");
    let gallery = json!({ "domain": "images", "policy": "baseline", "channel": "website",
                          "roster": r, "images": images() });
    let e = evaluate_json_with(None, &gallery.to_string(), None).unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    assert_eq!(e.path(), Some("$.roster[2].id"));
}

#[test]
fn galleries_never_echo_names() {
    let gallery = json!({ "domain": "images", "policy": "hilldene-primary", "channel": "website",
                          "roster": roster(), "images": images() });
    let text = decide(&gallery).to_json();
    for name in ["Amy", "Smith", "Patel", "Zoë", "Neil"] {
        assert!(!text.contains(name), "{name} leaked: {text}");
    }
}
