//! One answer, one plan (SPEC §1.8), over the whole scenario corpus.
//!
//! Every scenario request of every domain is evaluated under its own policy
//! and under every built-in policy. Every answer (and every image of a
//! gallery answer) must:
//!
//! - list each step once: no `(action, who)` twice, and no step twice under
//!   two names (telling the DSL is `report_to_dsl` or `notify dsl`, telling
//!   the parents `inform_parents` or `notify parents`, a police referral
//!   `refer_to_police` or `notify police_101`/`police_999`, and so on);
//! - give each step one deadline;
//! - have every referral step (police, children's social care, LADO, CEOP,
//!   IWF, Prevent, the local authority) cite a rule that is among the
//!   answer's `reasons`; a sexting rule cited for a police or social-care
//!   referral must be one that requires that referral.
//!
//! The check reads the wire JSON only; its notion of "the same step" is its
//! own, not the engine's. Steps are gathered from `actions` and from any
//! other list of steps the answer carries (an embedded `escalation` plan, as
//! answers once had), so a second list cannot hide a repeat.
//!
//! A request that its own policy refuses is skipped; one that only another
//! policy refuses (a time its timetable does not know, ...) is counted and
//! skipped.

use safeguard_engine::escalation::{Category, ConcernAbout, Flag};
use safeguard_engine::{evaluate_json_with, Engine};
use safeguard_tests::{scenario_dir, scenario_files};
use serde_json::Value;
use std::collections::BTreeMap;

const DOMAINS: [&str; 4] = ["sexting", "devices", "images", "escalation"];

/// Recipients outside the school: a step to one of them is a referral.
const REFERRAL_BODIES: [&str; 9] = [
    "police",
    "police_999",
    "police_101",
    "childrens_social_care",
    "lado",
    "ceop",
    "iwf",
    "prevent",
    "local_authority",
];

/// Actions that are referrals whoever carries them out.
const REFERRAL_ACTIONS: [&str; 4] = [
    "refer_to_police",
    "refer_to_childrens_social_care",
    "report_to_ceop",
    "report_url_to_iwf",
];

/// A step as the reader of a plan sees it: what is done, and to or by whom.
/// Telling someone is one step however it is spelt.
fn step_key(action: &str, who: &str) -> StepKey {
    let tell = |who: &str| ("tell".to_string(), who.to_string());
    match action {
        "notify" | "report_to_dsl" | "inform_parents" | "report_to_ceop" => tell(who),
        "refer_to_police" => tell("police"),
        "refer_to_childrens_social_care" => tell("childrens_social_care"),
        "do_not_view_copy_share_delete" => ("do_not_view_imagery".into(), who.into()),
        "secure_device" => ("quarantine_device".into(), who.into()),
        _ => (action.to_string(), who.to_string()),
    }
}

/// Leaving the imagery alone and securing the device are each one step
/// whoever a table names for them: the same step under the sexting and the
/// escalation token twice is a repeat, though two people asked to secure a
/// device in the escalation tokens alone may be two steps.
fn same_under_two_tokens(tokens: &[&str]) -> bool {
    let has = |t: &str| tokens.contains(&t);
    (has("do_not_view_copy_share_delete") && has("do_not_view_imagery"))
        || (has("secure_device") && has("quarantine_device"))
}

/// The police are one recipient, whichever number is rung.
fn recipient(who: &str) -> &str {
    match who {
        "police_999" | "police_101" => "police",
        w => w,
    }
}

fn is_referral(action: &str, who: &str) -> bool {
    REFERRAL_ACTIONS.contains(&action) || REFERRAL_BODIES.contains(&who)
}

/// The sexting referral (`police` / `childrens_social_care`) a step makes.
fn sexting_referral(action: &str, who: &str) -> Option<&'static str> {
    match (action, recipient(who)) {
        ("refer_to_police", _) | ("notify", "police") => Some("police"),
        ("refer_to_childrens_social_care", _) | ("notify", "childrens_social_care") => {
            Some("childrens_social_care")
        }
        _ => None,
    }
}

/// A step as the check compares it: what is done, to or by whom.
type StepKey = (String, String);
/// A step as listed: action, who, deadline.
type Entry = (String, String, String);

#[derive(Debug, Default)]
struct Counts {
    answers: usize,
    skipped_own_error: usize,
    skipped_swap_error: usize,
    repeated_steps: usize,
    two_deadlines: usize,
    uncited_referrals: usize,
    answers_failing: usize,
}

/// The problems of one answer (a gallery's images are answers too).
fn check_answer(answer: &Value, policy: &Engine, c: &mut Counts, out: &mut Vec<String>) {
    if let Some(items) = answer.get("gallery").and_then(Value::as_array) {
        for item in items {
            let decision = item.get("decision").unwrap_or(item);
            check_answer(decision, policy, c, out);
        }
    }
    let mut steps: Vec<&Value> = Vec::new();
    let mut reasons: Vec<&str> = Vec::new();
    for holder in [answer, &answer["escalation"]] {
        if let Some(a) = holder.get("actions").and_then(Value::as_array) {
            steps.extend(a);
        }
        if let Some(r) = holder.get("reasons").and_then(Value::as_array) {
            reasons.extend(r.iter().filter_map(|r| r["rule"].as_str()));
        }
    }
    let criteria: Vec<&str> = answer["criteria"]
        .as_array()
        .map(|c| c.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let before = out.len();

    // One entry per step, one deadline per step.
    let mut seen: BTreeMap<StepKey, Vec<Entry>> = BTreeMap::new();
    for s in &steps {
        let (action, who) = (
            s["action"].as_str().unwrap_or(""),
            s["who"].as_str().unwrap_or(""),
        );
        let deadline = s["deadline"].as_str().unwrap_or("").to_string();
        let mut key = step_key(action, who);
        key.1 = recipient(&key.1).to_string();
        seen.entry(key)
            .or_default()
            .push((action.into(), who.into(), deadline));
    }
    let mut by_action: BTreeMap<&str, Vec<(&str, &str, &str)>> = BTreeMap::new();
    for s in &steps {
        let action = s["action"].as_str().unwrap_or("");
        let class = match action {
            "do_not_view_copy_share_delete" | "do_not_view_imagery" => "do_not_view_imagery",
            "secure_device" | "quarantine_device" => "quarantine_device",
            _ => continue,
        };
        by_action.entry(class).or_default().push((
            action,
            s["who"].as_str().unwrap_or(""),
            s["deadline"].as_str().unwrap_or(""),
        ));
    }
    for (class, entries) in &by_action {
        let tokens: Vec<&str> = entries.iter().map(|e| e.0).collect();
        if same_under_two_tokens(&tokens) {
            c.repeated_steps += 1;
            out.push(format!(
                "step `{class}` is listed under two tokens: {entries:?}"
            ));
        }
    }
    for ((what, whom), entries) in &seen {
        if entries.len() > 1 {
            c.repeated_steps += 1;
            out.push(format!(
                "step `{what}` ({whom}) is listed {} times: {entries:?}",
                entries.len()
            ));
            let mut deadlines: Vec<&String> = entries.iter().map(|e| &e.2).collect();
            deadlines.sort();
            deadlines.dedup();
            if deadlines.len() > 1 {
                c.two_deadlines += 1;
                out.push(format!(
                    "step `{what}` ({whom}) has deadlines {deadlines:?}"
                ));
            }
        }
    }

    // Every referral cites a rule of the answer that requires it.
    for s in &steps {
        let (action, who) = (
            s["action"].as_str().unwrap_or(""),
            s["who"].as_str().unwrap_or(""),
        );
        if !is_referral(action, who) {
            continue;
        }
        let rule = s["rule"].as_str().unwrap_or("");
        let cited = !rule.is_empty() && (reasons.contains(&rule) || criteria.contains(&rule));
        if !cited {
            c.uncited_referrals += 1;
            out.push(format!(
                "referral `{action}` to `{who}` cites `{rule}`, which is not among the reasons {reasons:?}"
            ));
            continue;
        }
        if let Some(body) = sexting_referral(action, who) {
            let sexting_rule = policy.policy().sexting.rules.iter().find(|r| r.id == rule);
            if let Some(r) = sexting_rule {
                if !r.referral_to.iter().any(|x| x.as_str() == body) {
                    c.uncited_referrals += 1;
                    out.push(format!(
                        "referral `{action}` to `{who}` cites `{rule}`, which does not require a referral to {body}"
                    ));
                }
            }
        }
    }
    if out.len() > before {
        c.answers_failing += 1;
    }
}

#[test]
fn every_answer_is_one_plan() {
    let engines: BTreeMap<&str, Engine> = Engine::presets()
        .iter()
        .map(|p| (*p, Engine::from_preset(p).expect("preset loads")))
        .collect();
    let mut c = Counts::default();
    let mut failures: Vec<String> = Vec::new();
    for domain in DOMAINS {
        for (name, doc) in scenario_files(&scenario_dir(domain), |_| true) {
            let doc = doc.unwrap_or_else(|e| panic!("{domain}/{name}: {e}"));
            let Some(request) = doc.get("request") else {
                continue;
            };
            let own = request["policy"].as_str().unwrap_or("baseline").to_string();
            if evaluate_json_with(None, &request.to_string(), None).is_err() {
                c.skipped_own_error += 1;
                continue;
            }
            let mut policies = vec![own.clone()];
            policies.extend(
                Engine::presets()
                    .iter()
                    .map(|p| p.to_string())
                    .filter(|p| *p != own),
            );
            for policy in policies {
                let mut request = request.clone();
                request["policy"] = Value::from(policy.as_str());
                let answer = match evaluate_json_with(None, &request.to_string(), None) {
                    Ok(d) => d,
                    Err(_) => {
                        c.skipped_swap_error += 1;
                        continue;
                    }
                };
                c.answers += 1;
                let answer: Value = serde_json::from_str(&answer.to_json()).expect("JSON");
                let mut out = Vec::new();
                check_answer(&answer, &engines[policy.as_str()], &mut c, &mut out);
                failures.extend(
                    out.into_iter()
                        .map(|e| format!("{domain}/{name} under {policy}: {e}")),
                );
            }
        }
    }
    eprintln!("coherence: {c:?}");
    assert!(c.answers > 1000, "only {} answers checked", c.answers);
    assert!(
        failures.is_empty(),
        "{} problem(s) in {} of {} answers ({c:?}):\n{}",
        failures.len(),
        c.answers_failing,
        c.answers,
        failures.join("\n")
    );
}

/// Beyond the corpus: every escalation category, subject and pair of flags,
/// and every combination of the sexting facts that shape a plan, under each
/// preset, with and without a report time.
#[test]
fn generated_answers_are_one_plan() {
    // Every token of each: a new category, subject or flag is covered
    // without editing this test.
    let categories = Category::ALL.iter().map(|c| c.as_str());
    let abouts: Vec<&str> = ConcernAbout::ALL.iter().map(|a| a.as_str()).collect();
    let flags: Vec<&str> = Flag::ALL.iter().map(|f| f.as_str()).collect();
    let mut flag_sets: Vec<Vec<&str>> = vec![vec![]];
    for (i, a) in flags.iter().enumerate() {
        flag_sets.push(vec![a]);
        for b in &flags[i + 1..] {
            flag_sets.push(vec![a, b]);
        }
    }
    let mut requests: Vec<Value> = Vec::new();
    for category in categories {
        for &about in &abouts {
            for set in &flag_sets {
                let set: serde_json::Map<String, Value> = set
                    .iter()
                    .map(|f| (f.to_string(), Value::Bool(true)))
                    .collect();
                requests.push(serde_json::json!({
                    "domain": "escalation", "category": category, "concern_about": about,
                    "flags": set, "reported_at": "2026-03-04T10:15"
                }));
            }
        }
    }
    let tri = ["yes", "no", "unknown"];
    for adult in tri {
        for coercion in tri {
            for extortion in tri {
                for danger in tri {
                    for parents in tri {
                        for ai in tri {
                            for reported_at in [None, Some("2026-03-06T17:30")] {
                                let mut r = serde_json::json!({
                                    "domain": "sexting", "incident_date": "2026-03-06",
                                    "young_people": [ { "id": "a", "age": 14, "role": "subject" } ],
                                    "facts": {
                                        "adult_involved": adult,
                                        "coercion_blackmail_or_grooming": coercion,
                                        "financially_motivated_extortion": extortion,
                                        "immediate_risk_of_harm": danger,
                                        "parental_involvement_would_risk_child": parents,
                                        "ai_generated_or_manipulated": ai
                                    }
                                });
                                if let Some(at) = reported_at {
                                    r["reported_at"] = at.into();
                                }
                                requests.push(r);
                            }
                        }
                    }
                }
            }
        }
    }
    let mut c = Counts::default();
    let mut failures: Vec<String> = Vec::new();
    for &policy in Engine::presets() {
        let engine = Engine::from_preset(policy).expect("preset loads");
        for request in &requests {
            let answer = match engine.evaluate_json(&request.to_string()) {
                Ok(json) => json,
                Err(_) => {
                    c.skipped_swap_error += 1;
                    continue;
                }
            };
            c.answers += 1;
            let answer: Value = serde_json::from_str(&answer).expect("JSON");
            let mut out = Vec::new();
            check_answer(&answer, &engine, &mut c, &mut out);
            // One example of each kind of problem is enough to read.
            if let Some(first) = out.first() {
                if failures.len() < 40 {
                    failures.push(format!("{request} under {policy}: {first}"));
                }
            }
        }
    }
    eprintln!("coherence (generated): {c:?}");
    assert_eq!(c.skipped_swap_error, 0, "a generated request was refused");
    assert!(
        c.answers_failing == 0,
        "{} of {} answers are not one plan ({c:?}); the first:\n{}",
        c.answers_failing,
        c.answers,
        failures.join("\n")
    );
}
