//! Where a school's policy is silent the baseline's national defaults apply
//! (SPEC §4), but a default restored under a school preset must not take
//! away what the school's own text grants. These are the grants a restored
//! "no personal phone use in front of pupils" rule could have broken; each
//! request names the section of the school's policy that grants it.

use safeguard_engine::{Engine, Outcome, Request};
use serde_json::{json, Value};

fn decide(request: &Value) -> Value {
    let policy = request["policy"].as_str().unwrap_or_default();
    let engine = Engine::from_preset(policy).unwrap_or_else(|e| panic!("{policy}: {e}"));
    let request = Request::from_json(&request.to_string(), None).expect("a valid request");
    let decision = engine.evaluate(&request).expect("decides");
    serde_json::from_str(&decision.to_json()).expect("JSON")
}

fn request(policy: &str, role: &str, kind: &str, action: &str, context: Value) -> Value {
    json!({
        "schema_version": 1,
        "domain": "devices",
        "policy": policy,
        "actor": { "role": role },
        "device": { "kind": kind, "owner": "personal" },
        "action": action,
        "context": context,
    })
}

/// (request, outcome, the school rule that must decide, why)
fn grants() -> Vec<(Value, Outcome, &'static str, &'static str)> {
    vec![
        (
            request(
                "west-hill-primary",
                "teacher",
                "mobile_phone",
                "use_calls_messages",
                json!({ "location": "staff_room", "period": "break", "children_present": false,
                        "emergency": false, "permission_from": "none" }),
            ),
            Outcome::AllowWithConditions,
            "devices.whp.staff.break_time_use",
            "Personal mobile phones and mobile devices: staff use phones at break times",
        ),
        (
            request(
                "west-hill-primary",
                "parent",
                "mobile_phone",
                "take_photo_video",
                json!({ "location": "hall", "period": "school_event", "children_present": true,
                        "emergency": false, "permission_from": "headteacher",
                        "subjects_consent": true }),
            ),
            Outcome::Allow,
            "devices.whp.phone_recording_agreed_by_headteacher",
            "Personal mobile phones and mobile devices: recording the headteacher agreed to",
        ),
        (
            request(
                "squirrels-heath-junior",
                "parent",
                "camera",
                "take_photo_video",
                json!({ "location": "hall", "period": "school_event", "children_present": true,
                        "emergency": false, "permission_from": "none",
                        "subjects_consent": true }),
            ),
            Outcome::AllowWithConditions,
            "devices.shj.parents.event_photos_not_shared_online",
            "the parents' agreement form: filming school events for personal use",
        ),
        (
            request(
                "lansbury-lawrence-primary",
                "parent",
                "mobile_phone",
                "take_photo_video",
                json!({ "location": "hall", "period": "school_event", "children_present": true,
                        "emergency": false, "permission_from": "none",
                        "subjects_consent": true }),
            ),
            Outcome::AllowWithConditions,
            "devices.llp.parents.event_photos_personal_use_only",
            "3.5.6 Photographic and video images: parents at school events",
        ),
        (
            request(
                "hilldene-primary",
                "parent",
                "mobile_phone",
                "take_photo_video",
                json!({ "location": "corridor", "period": "lunch", "children_present": true,
                        "emergency": false, "permission_from": "teacher" }),
            ),
            Outcome::Allow,
            "devices.hp.parents.photos_with_permission",
            "Personal devices and bring your own device (BYOD) policy: parents' photos with permission",
        ),
    ]
}

#[test]
fn restored_defaults_leave_the_schools_own_grants_standing() {
    for (req, outcome, rule, why) in grants() {
        let d = decide(&req);
        let got = d["outcome"].as_str().unwrap_or_default();
        let want = serde_json::to_value(outcome).expect("token");
        assert_eq!(Some(got), want.as_str(), "{why}: {d}");
        let rules: Vec<&str> = d["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["rule"].as_str())
            .collect();
        assert!(rules.contains(&rule), "{why}: {d}");
    }
}

#[test]
fn no_school_preset_removes_a_baseline_rule_it_restates() {
    // A preset either inherits a baseline rule, restates it under its id, or
    // removes it; the removals left are the ones each school's text says
    // otherwise about (see the comments beside each `remove`).
    let baseline = Engine::from_preset("baseline").expect("baseline");
    for &id in Engine::presets() {
        if id == "baseline" {
            continue;
        }
        let e = Engine::from_preset(id).expect("preset");
        let missing: Vec<&str> = baseline
            .policy()
            .devices
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .filter(|r| !e.policy().devices.rules.iter().any(|x| x.id == *r))
            .collect();
        assert!(
            missing
                .iter()
                .all(|r| *r == "devices.pupils.phone_free_school_day"),
            "{id} removes {missing:?}: only the phone-free day may be replaced, by a school's own pupil rules"
        );
    }
}
