//! When the policy the builder writes from a school's answers would not
//! load (`json::build_policy`), the error points at the answers file, the
//! only text the school wrote, and quotes nothing of it (SPEC §1.5 and
//! §1.6; issue 24).
//!
//! Each case is an answers file whose custom rule (or answer) makes the
//! built policy fail to load: a rule that weakens the floor in three ways,
//! and a malformed rule. Each error must keep the load's code, sit at the
//! answers file's own JSON path (`$.custom.devices[1].effect`, never a
//! line of the generated TOML, which the school never saw), and its JSON
//! must hold no string value of the answers file (a rule id, a summary, a
//! token the school typed), but for the id of a national floor rule,
//! which the floor's errors name by design (SPEC §1.3).

use safeguard_engine::{json, Format};
use std::collections::BTreeSet;

const SCHOOL: &str = r#"
[school]
id = "zz-school"
name = "Zedland Academy"
version = "2026-09"
source = "Zedland Academy, Online Safety Policy, September 2026"
"#;

/// A custom device rule that loads, so that the one that fails is not the
/// first of its list.
const FINE_RULE: &str = r#"
[[custom.devices]]
id = "devices.zz.harmless_forbid"
effect = "forbid"
roles = ["visitor"]
actions = ["bluetooth_transfer"]
summary = "Visitors of Quuxbridge do not use Bluetooth."
cite = { source = "Zedland Academy, Online Safety Policy, September 2026", section = "Quuxbridge section" }
"#;

/// Every string value of an answers file, at every level.
fn strings(value: &toml::Value, out: &mut BTreeSet<String>) {
    match value {
        toml::Value::String(s) => {
            out.insert(s.clone());
        }
        toml::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        toml::Value::Table(table) => table.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// `text` holds `word` on its own, not as part of a longer word (the
/// message's "exception" does not quote the token `except`).
fn holds_word(text: &str, word: &str) -> bool {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(at, _)| {
        !part(text[..at].chars().next_back()) && !part(text[at + word.len()..].chars().next())
    })
}

/// Builds `answers`, which must fail, and checks its error: `code`, at
/// `path`, with no line or column, quoting no string of `answers` but
/// `floor_rule` (the national floor rule the error may name), each as a
/// word of its own. Returns the error's JSON.
fn refused(answers: &str, code: &str, path: &str, floor_rule: Option<&str>) -> serde_json::Value {
    let error = match json::build_policy(answers, Format::Toml) {
        Ok(_) => panic!("the answers built a policy:\n{answers}"),
        Err(e) => e,
    };
    let wire: serde_json::Value = serde_json::from_str(&error.to_json()).expect("JSON");
    let e = &wire["error"];
    assert_eq!(e["code"], code, "{wire}");
    assert_eq!(e["path"], path, "{wire}");
    assert!(
        e.get("line").is_none() && e.get("column").is_none(),
        "{wire}"
    );
    let document: toml::Value = toml::from_str(answers).expect("the answers are TOML");
    let mut written = BTreeSet::new();
    strings(&document, &mut written);
    let mut text = wire.to_string();
    if let Some(floor_rule) = floor_rule {
        text = text.replace(floor_rule, " ");
    }
    let quoted: Vec<&String> = written.iter().filter(|s| holds_word(&text, s)).collect();
    assert!(quoted.is_empty(), "the error quotes {quoted:?}: {wire}");
    wire
}

/// A school's own floor exception (`effect = "except"` lifts every forbid,
/// the floor's included): refused at that rule's `effect`.
#[test]
fn a_custom_exception_to_the_floor_is_refused_at_its_answer() {
    let answers = format!(
        r#"{SCHOOL}{FINE_RULE}
[[custom.devices]]
id = "devices.zz.our_own_exception"
effect = "except"
roles = ["teacher"]
owner = "personal"
actions = ["photograph_pupils"]
summary = "Teachers at Quuxbridge may photograph pupils on their phones."
cite = {{ source = "Zedland Academy, Online Safety Policy, September 2026", section = "Quuxbridge photos" }}
"#
    );
    let wire = refused(
        &answers,
        "floor_violation",
        "$.custom.devices[1].effect",
        None,
    );
    // No floor rule is weakened: the rule named is the school's, by its place.
    assert_eq!(wire["error"]["rule"], "$.custom.devices[1]", "{wire}");
}

/// A custom rule that takes a floor rule's id and loosens it: refused at
/// that rule, naming the national floor rule.
#[test]
fn a_custom_rule_replacing_a_floor_rule_is_refused_at_its_answer() {
    let floor = "devices.floor.no_personal_devices_in_private_areas";
    let answers = format!(
        r#"{SCHOOL}{FINE_RULE}
[[custom.devices]]
id = "{floor}"
effect = "allow"
roles = ["staff"]
owner = "personal"
actions = ["keep_on_person"]
summary = "Staff of Quuxbridge keep their phones anywhere."
cite = {{ source = "Zedland Academy, Online Safety Policy, September 2026", section = "Quuxbridge phones" }}
"#
    );
    let wire = refused(
        &answers,
        "floor_violation",
        "$.custom.devices[1]",
        Some(floor),
    );
    assert_eq!(wire["error"]["rule"], floor, "{wire}");
}

/// A custom escalation rule that would tell all staff of a concern that
/// may be about one of them: refused at that rule.
#[test]
fn a_custom_escalation_rule_against_the_floor_is_refused_at_its_answer() {
    let answers = format!(
        r#"{SCHOOL}
[[custom.escalation.rules]]
id = "escalation.zz.tell_everyone"
about = ["staff"]
steps = [
  {{ action = "notify", who = "all_staff", deadline = "same_day", detail = "Everyone at Quuxbridge hears of it." }},
]
summary = "All staff of Quuxbridge are told."
cite = {{ source = "Zedland Academy, Online Safety Policy, September 2026", section = "Quuxbridge concerns" }}
"#
    );
    refused(
        &answers,
        "floor_violation",
        "$.custom.escalation.rules[0]",
        None,
    );
}

/// A malformed custom rule (year groups out of order): refused at its
/// field, quoting neither its id nor its values.
#[test]
fn a_malformed_custom_rule_is_refused_at_its_field() {
    let answers = format!(
        r#"{SCHOOL}{FINE_RULE}
[[custom.devices]]
id = "devices.zz.backwards_years"
effect = "forbid"
roles = ["pupil"]
year_groups = [9, 3]
actions = ["bring_on_site"]
summary = "Pupils of Quuxbridge leave phones at home."
cite = {{ source = "Zedland Academy, Online Safety Policy, September 2026", section = "Quuxbridge years" }}
"#
    );
    refused(
        &answers,
        "invalid_value",
        "$.custom.devices[1].year_groups",
        None,
    );
}
