//! A sexting answer is one plan (SPEC §1.8, §3): the steps of its sexting
//! table and the notifications the escalation rules give a sexting incident
//! (SPEC §6) are one ordered list, `actions`, each step once with its
//! strictest deadline, routed and timed like an escalation plan. Referrals
//! cite the rule that required them. There is no second, embedded plan.

use safeguard_engine::evaluate_json_with;
use serde_json::{json, Value};

/// A plan step as (action, who, deadline, due, rule).
type Step = (String, String, String, Option<String>, String);

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
    assert!(d.get("escalation").is_none(), "no second plan: {d}");
    let steps = d["actions"]
        .as_array()
        .expect("a sexting response has actions")
        .iter()
        .map(|s| {
            let t = |k: &str| s[k].as_str().unwrap_or_default().to_string();
            (
                t("action"),
                t("who"),
                t("deadline"),
                s["due"].as_str().map(str::to_string),
                t("rule"),
            )
        })
        .collect();
    (d, steps)
}

/// The steps whose action is `action`.
fn all<'a>(steps: &'a [Step], action: &str) -> Vec<&'a Step> {
    steps.iter().filter(|s| s.0 == action).collect()
}

/// The deadline of the one step `action` to `who`; `None` when absent.
fn deadline(steps: &[Step], action: &str, who: &str) -> Option<String> {
    let found: Vec<&Step> = steps
        .iter()
        .filter(|s| s.0 == action && s.1 == who)
        .collect();
    assert!(found.len() <= 1, "{action} to {who} twice: {steps:?}");
    found.first().map(|s| s.2.clone())
}

fn reasons(d: &Value) -> Vec<String> {
    d["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["rule"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn managed_in_school_tells_the_dsl_once_immediately_without_referrals() {
    let (d, steps) = plan(|_| {});
    assert_eq!(d["outcome"], "dsl_may_manage_in_school");
    assert_eq!(
        deadline(&steps, "report_to_dsl", "dsl").as_deref(),
        Some("immediately")
    );
    assert!(
        all(&steps, "notify").iter().all(|s| s.1 != "dsl"),
        "{steps:?}"
    );
    for who in [
        "police_999",
        "police_101",
        "police",
        "childrens_social_care",
    ] {
        assert!(steps.iter().all(|s| s.1 != who), "{who}: {steps:?}");
    }
    // The escalation rules' "do not view" and "secure the device" are the
    // sexting table's steps, not more of them.
    assert_eq!(all(&steps, "do_not_view_copy_share_delete").len(), 1);
    assert_eq!(all(&steps, "secure_device").len(), 1);
    assert!(all(&steps, "do_not_view_imagery").is_empty(), "{steps:?}");
    assert!(all(&steps, "quarantine_device").is_empty(), "{steps:?}");
    // Due times come from reported_at.
    assert!(steps
        .iter()
        .all(|s| s.2 == "when_facts_established" || s.3.is_some()));
}

#[test]
fn parents_are_one_step_with_the_strictest_deadline() {
    let (_, steps) = plan(|_| {});
    let parents: Vec<&Step> = steps.iter().filter(|s| s.1 == "parents").collect();
    assert_eq!(parents.len(), 1, "{steps:?}");
    assert_eq!(parents[0].0, "inform_parents");
    assert_eq!(parents[0].2, "same_day");
}

#[test]
fn refer_immediately_refers_once_each_citing_the_criterion() {
    let (d, steps) = plan(|v| v["facts"]["coercion_blackmail_or_grooming"] = "yes".into());
    assert_eq!(d["outcome"], "refer_immediately");
    let rule = "sexting.floor.criterion.coercion_blackmail_or_grooming";
    let police = all(&steps, "refer_to_police");
    assert_eq!(police.len(), 1, "{steps:?}");
    assert_eq!(police[0].1, "police_101");
    assert_eq!(police[0].2, "immediately");
    assert_eq!(police[0].4, rule);
    let care = all(&steps, "refer_to_childrens_social_care");
    assert_eq!(care.len(), 1, "{steps:?}");
    assert_eq!(care[0].2, "immediately");
    assert_eq!(care[0].4, rule);
    assert!(reasons(&d).contains(&rule.to_string()));
    assert!(all(&steps, "notify")
        .iter()
        .all(|s| !s.1.starts_with("police") && s.1 != "childrens_social_care"));
}

#[test]
fn child_sexual_abuse_goes_to_the_police_at_once() {
    let (d, steps) = plan(|v| v["young_people"][1]["age"] = 19.into());
    assert_eq!(d["outcome"], "child_sexual_abuse");
    let police = all(&steps, "refer_to_police");
    assert_eq!(police.len(), 1, "{steps:?}");
    assert_eq!(police[0].1, "police_101");
    assert_eq!(police[0].2, "immediately");
    assert_eq!(police[0].3.as_deref(), Some("2026-03-06T17:30"));
    assert_eq!(
        police[0].4,
        "sexting.floor.adult_party_is_child_sexual_abuse"
    );
}

#[test]
fn immediate_risk_puts_999_first_citing_criterion_5() {
    let (_, steps) = plan(|v| {
        v["facts"]["immediate_risk_of_harm"] = "yes".into();
        v["facts"]["coercion_blackmail_or_grooming"] = "yes".into();
    });
    assert_eq!(steps[0].0, "refer_to_police", "{steps:?}");
    assert_eq!(steps[0].1, "police_999", "{steps:?}");
    assert_eq!(steps[0].4, "sexting.floor.criterion.immediate_risk_of_harm");
    assert!(steps.iter().all(|s| s.1 != "police_101"), "{steps:?}");
    assert_eq!(all(&steps, "refer_to_police").len(), 1, "{steps:?}");
}

#[test]
fn parents_at_risk_are_not_told_and_the_decision_is_recorded_once() {
    let (_, steps) = plan(|v| v["facts"]["parental_involvement_would_risk_child"] = "yes".into());
    assert!(steps.iter().all(|s| s.1 != "parents"), "{steps:?}");
    assert_eq!(
        all(&steps, "record_decision_not_to_inform_parents").len(),
        1,
        "{steps:?}"
    );
}

#[test]
fn without_a_report_time_the_plan_has_deadlines_only() {
    let (_, steps) = plan(|v| {
        v.as_object_mut().unwrap().remove("reported_at");
    });
    assert!(!steps.is_empty());
    assert!(steps.iter().all(|s| s.3.is_none()), "{steps:?}");
}
