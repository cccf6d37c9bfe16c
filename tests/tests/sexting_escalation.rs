//! A sexting response carries the escalation plan for its outcome, computed
//! by the escalation domain (SPEC §6): referrals the outcome requires are
//! notifications due immediately, routed and timed like any other step.

use safeguard_core::evaluate_json_with;
use serde_json::{json, Value};

/// A plan step as (action, who, deadline, due).
type Step = (String, String, String, Option<String>);

fn plan(edit: impl FnOnce(&mut Value)) -> (Value, Vec<Step>) {
    let mut v = json!({
        "schema_version": 1, "domain": "sexting", "policy": "stanford-junior-infant",
        "incident_date": "2026-03-06",
        "young_people": [ { "id": "a", "age": 14, "role": "subject" },
                          { "id": "b", "age": 14, "role": "recipient" } ],
        "facts": { "adult_involved": "no", "coercion_blackmail_or_grooming": "no",
                   "capacity_to_consent_concern": "no", "content_atypical_for_development": "no",
                   "content_violent": "no", "content_sexual_acts": "no",
                   "immediate_risk_of_harm": "no", "parental_involvement_would_risk_child": "no" },
        "reported_at": "2026-03-06T17:30"
    });
    edit(&mut v);
    let d = evaluate_json_with(None, &v.to_string(), None).unwrap();
    let d: Value = serde_json::from_str(&d.to_json()).unwrap();
    let steps = d["escalation"]["actions"]
        .as_array()
        .expect("a sexting response has an escalation plan")
        .iter()
        .map(|s| {
            let t = |k: &str| s[k].as_str().unwrap_or_default().to_string();
            (
                t("action"),
                t("who"),
                t("deadline"),
                s["due"].as_str().map(str::to_string),
            )
        })
        .collect();
    (d, steps)
}

fn notified(steps: &[Step], who: &str) -> Option<String> {
    steps
        .iter()
        .find(|s| s.0 == "notify" && s.1 == who)
        .map(|s| s.2.clone())
}

#[test]
fn managed_in_school_is_a_dsl_led_plan_without_referrals() {
    let (d, steps) = plan(|_| {});
    assert_eq!(d["outcome"], "dsl_may_manage_in_school");
    assert_eq!(notified(&steps, "dsl").as_deref(), Some("immediately"));
    for who in ["police_999", "police_101", "childrens_social_care"] {
        assert_eq!(notified(&steps, who), None, "{who}: {steps:?}");
    }
    assert!(steps.iter().any(|s| s.0 == "do_not_view_imagery"));
    // Due times come from reported_at.
    assert!(steps
        .iter()
        .all(|s| s.2 == "when_facts_established" || s.3.is_some()));
}

#[test]
fn refer_immediately_adds_the_referrals_of_the_decision() {
    let (d, steps) = plan(|v| v["facts"]["coercion_blackmail_or_grooming"] = "yes".into());
    assert_eq!(d["outcome"], "refer_immediately");
    let referrals: Vec<&str> = d["referral_to"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if referrals.contains(&"police") {
        assert_eq!(
            notified(&steps, "police_101").as_deref(),
            Some("immediately")
        );
    }
    if referrals.contains(&"childrens_social_care") {
        assert_eq!(
            notified(&steps, "childrens_social_care").as_deref(),
            Some("immediately")
        );
    }
    assert!(!referrals.is_empty());
    // The referral steps cite the sexting rule among the plan's reasons.
    let reasons = d["escalation"]["reasons"].to_string();
    assert!(reasons.contains("\"sexting."), "{reasons}");
}

#[test]
fn child_sexual_abuse_goes_to_the_police_at_once() {
    let (d, steps) = plan(|v| v["young_people"][1]["age"] = 19.into());
    assert_eq!(d["outcome"], "child_sexual_abuse");
    assert_eq!(
        notified(&steps, "police_101").as_deref(),
        Some("immediately")
    );
    let due = steps
        .iter()
        .find(|s| s.1 == "police_101")
        .unwrap()
        .3
        .clone();
    assert_eq!(due.as_deref(), Some("2026-03-06T17:30"));
}

#[test]
fn immediate_risk_puts_999_first() {
    let (_, steps) = plan(|v| v["facts"]["immediate_risk_of_harm"] = "yes".into());
    assert_eq!(steps[0].1, "police_999", "{steps:?}");
    assert_eq!(notified(&steps, "police_101"), None, "{steps:?}");
}

#[test]
fn parents_at_risk_are_not_told_and_the_decision_is_recorded() {
    let (_, steps) = plan(|v| v["facts"]["parental_involvement_would_risk_child"] = "yes".into());
    assert_eq!(notified(&steps, "parents"), None, "{steps:?}");
    assert!(steps
        .iter()
        .any(|s| s.0 == "record_decision_not_to_inform_parents"));
}

#[test]
fn without_a_report_time_the_plan_has_deadlines_only() {
    let (_, steps) = plan(|v| {
        v.as_object_mut().unwrap().remove("reported_at");
    });
    assert!(!steps.is_empty());
    assert!(steps.iter().all(|s| s.3.is_none()), "{steps:?}");
}
