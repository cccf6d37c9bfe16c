//! The text `safeguard lint`, `safeguard diff` and `safeguard review` print
//! for people reads as plain English: no wire token, rule id or field name
//! (issue 24, SPEC §1's plain words).
//!
//! Over every preset (`safeguard presets`): its lint, its diff against the
//! baseline both ways round, and its review (Markdown and HTML), as the
//! binary prints them without `--json`. What must not appear, derived from
//! the engine's own declarations rather than listed here:
//! - every token of the vocabulary that is not an ordinary English word:
//!   each `enum` value of every JSON Schema in `schema/` (generated from
//!   the engine's `tokens!` declarations) that holds `_` (`mobile_phone`,
//!   `bring_on_site`, `hand_in_to_office`, `childrens_social_care`,
//!   `loosens_floor`), and each property name that holds `_` (a yes/no
//!   fact, `children_present`; `permission_from`);
//! - every rule id of the policy and of the baseline (the `id` of every
//!   rule of the resolved policies), and a built-in policy's id where it is
//!   not one English word (`squirrels-heath-junior`);
//! - a field's marks: `` ` `` and `$.`.
//!
//! Two kinds of line are meant for the technical reader: a line labelled
//! `Rule ids:` may hold rule ids and nothing else (each item one of the
//! policies' own rule ids), and the review's closing line, labelled `About
//! this report:`, names the policy by its id, version and digest (and no
//! token or rule id).

mod common;

use common::{run, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;

/// The label of the one line that may name rule ids.
const RULE_IDS: &str = "Rule ids: ";

/// The label of the review's line that may name the policy's id.
const ABOUT: &str = "About this report: policy ";

/// Every preset id, as `safeguard presets` lists them.
fn presets() -> Vec<String> {
    let o = run(&["presets"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .filter_map(|line| line.split('\t').next())
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every `enum` value and property name holding `_` in `node`.
fn schema_tokens(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                if key == "enum" {
                    for token in value.as_array().into_iter().flatten() {
                        if let Some(t) = token.as_str().filter(|t| t.contains('_')) {
                            out.insert(t.to_string());
                        }
                    }
                }
                if key == "properties" {
                    for name in value.as_object().into_iter().flatten().map(|(k, _)| k) {
                        if name.contains('_') && name != "schema_version" {
                            out.insert(name.clone());
                        }
                    }
                }
                schema_tokens(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| schema_tokens(v, out)),
        _ => {}
    }
}

/// The vocabulary's tokens that are not English words, from `schema/`.
fn vocabulary() -> BTreeSet<String> {
    let mut tokens = BTreeSet::new();
    let dir = common::root().join("schema");
    for entry in std::fs::read_dir(&dir).expect("schema/") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("a schema");
            let schema: Value = serde_json::from_str(&text).expect("a schema is JSON");
            schema_tokens(&schema, &mut tokens);
        }
    }
    for token in [
        "mobile_phone",
        "bring_on_site",
        "hand_in_to_office",
        "loosens_floor",
    ] {
        assert!(tokens.contains(token), "the schemas lost {token}");
    }
    tokens
}

/// Every rule id of the resolved policy `id`.
fn rule_ids(id: &str) -> BTreeSet<String> {
    fn walk(value: &toml::Value, out: &mut BTreeSet<String>) {
        match value {
            toml::Value::Table(table) => {
                if let Some(toml::Value::String(id)) = table.get("id") {
                    if id.contains('.') {
                        out.insert(id.clone());
                    }
                }
                table.values().for_each(|v| walk(v, out));
            }
            toml::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let o = run(&["policy", "show", "--resolved", id], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let policy: toml::Value = toml::from_str(&stdout(&o)).expect("the resolved policy is TOML");
    let mut ids = BTreeSet::new();
    walk(&policy, &mut ids);
    assert!(ids.len() > 20, "{id} has only {} rules", ids.len());
    ids
}

/// What `text` shows a person that it should not, `forbidden` and `ids`
/// being the tokens and the rule ids; a `Rule ids:` line may hold ids
/// and nothing else.
fn leaks(text: &str, forbidden: &BTreeSet<String>, ids: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        if let Some(listed) = line.trim_start().strip_prefix(RULE_IDS) {
            for item in listed.split(", ") {
                if !ids.contains(item.trim_end_matches('.')) {
                    found.push(format!("not a rule id in a `Rule ids:` line: {item}"));
                }
            }
            continue;
        }
        let about = line.contains(ABOUT);
        for token in forbidden.iter().chain(ids) {
            if about && !token.contains('_') && !token.contains('.') {
                continue; // the policy's id
            }
            // A token counts where it stands as a whole word.
            let whole = line.match_indices(token.as_str()).any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + token.len()..].chars().next();
                let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !part(before) && !part(after)
            });
            if whole {
                found.push(format!("{token} in: {line}"));
            }
        }
        for mark in ["`", "$."] {
            if line.contains(mark) {
                found.push(format!("{mark} in: {line}"));
            }
        }
    }
    found
}

/// The binary's stdout for `args`, which must succeed.
fn printed(args: &[&str]) -> String {
    let o = run(args, None);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn lint_diff_and_review_of_every_preset_show_no_tokens() {
    let vocabulary = vocabulary();
    let baseline_ids = rule_ids("baseline");
    let mut problems = Vec::new();
    let presets = presets();
    assert!(presets.len() >= 6, "{presets:?}");
    for preset in &presets {
        let mut forbidden = vocabulary.clone();
        if preset.contains('-') {
            forbidden.insert(preset.clone());
        }
        let mut ids = rule_ids(preset);
        ids.extend(baseline_ids.iter().cloned());
        let p = preset.as_str();
        for args in [
            vec!["lint", p],
            vec!["diff", p, "baseline"],
            vec!["diff", "baseline", p],
            vec!["review", p],
            vec!["review", "--html", p],
        ] {
            for leak in leaks(&printed(&args), &forbidden, &ids) {
                problems.push(format!("{args:?}: {leak}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} tokens shown to people; the first 20:\n{}",
        problems.len(),
        problems[..problems.len().min(20)].join("\n")
    );
}

/// The check above finds what it looks for: a token, a rule id, a policy
/// id and a field's marks, and a `Rule ids:` line holding anything else.
#[test]
fn the_check_finds_each_kind_of_leak() {
    let forbidden: BTreeSet<String> =
        ["mobile_phone".to_string(), "west-hill-primary".into()].into();
    let ids: BTreeSet<String> = ["devices.toy.rule".to_string()].into();
    for text in [
        "a personal mobile_phone",
        "see devices.toy.rule.",
        "under west-hill-primary",
        "the field `x`",
        "at $.x",
        "Rule ids: devices.toy.rule, mobile phones",
        "About this report: policy west-hill-primary, mobile_phone",
    ] {
        assert!(!leaks(text, &forbidden, &ids).is_empty(), "{text}");
    }
    for text in [
        "their own mobile phones",
        "Rule ids: devices.toy.rule",
        "  Rule ids: devices.toy.rule.",
        "a mobile_phones_x word",
        "<p>About this report: policy west-hill-primary, version 1</p>",
    ] {
        assert!(leaks(text, &forbidden, &ids).is_empty(), "{text}");
    }
}
