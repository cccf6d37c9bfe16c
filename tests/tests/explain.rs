//! The engine's plain-English explanation (issue 23) is written for a
//! person: its text never shows a wire token of the decision, a rule id or
//! a JSON path.
//!
//! Every request of the scenario corpus (`scenarios/*/`) and of the public
//! examples (`examples/`) is decided under
//! the policy it names and under every preset, and each decision's
//! [`Explanation::to_text`] is searched for:
//! - every token of the decision that is not an ordinary English word:
//!   each string of the decision's JSON, outside its free-text fields, that
//!   holds `_`, `.` or `:` (an action `report_to_dsl`, an outcome
//!   `allow_with_conditions`, a `Who` `police_999`, a condition, a change,
//!   an unknown fact `context.period`, a blocked reason `no_consent:press`),
//!   and the part of it before a `:`. A one-word token (`allow`, `police`,
//!   `parents`) is an English word the text rightly uses, so it is not
//!   searched for;
//! - every rule id (`reasons[].rule`, `actions[].rule`, `blocked[].rule`);
//! - `$.`, the start of a JSON path, and `` ` ``, which marks a field name.
//!
//! A token spelled with spaces ("hand in to office", as the CLI printed
//! before issue 23) is not searched for: many read as the English they
//! name ("Hold the initial review meeting"). The engine gives every token
//! its words by an exhaustive match instead, so there is no fallback that
//! could print one.
//!
//! The same tokens stay available as the explanation's fields: each step
//! keeps its action, who and deadline, each question its fact, each rule
//! its id.

mod markdown;

use markdown::{markdown_text, markup};
use safeguard_engine::{
    evaluate_json_with, Criterion, Decision, Domain, Engine, Outcome, Referral,
};
use safeguard_tests::{
    json_files, load, scenario_dir, BLOCK_REASONS, CHANGES, CONSENT_PURPOSES, UNKNOWN_FACTS,
};
use serde_json::Value;

/// The decision's fields whose strings are free text or caller data, not
/// tokens: the policy's own words, citations, contacts, ids and versions.
const FREE_TEXT: &[&str] = &[
    "summary", "detail", "contact", "source", "section", "question", "digest", "engine", "version",
    "id", "due", "image", "pupil",
];

/// Every token of `value` (a decision's JSON) to look for in its text.
fn tokens(value: &Value, key: &str, out: &mut Vec<String>) {
    match value {
        Value::String(s) if !FREE_TEXT.contains(&key) => {
            let compound = |t: &str| t.contains(['_', '.', ':']);
            if compound(s) {
                out.push(s.clone());
            }
            if let Some((head, _)) = s.split_once(':') {
                if compound(head) {
                    out.push(head.to_string());
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| tokens(v, key, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| tokens(v, k, out)),
        _ => {}
    }
}

/// What the text of `decision`'s explanation shows that it should not.
fn leaks(decision: &Decision, text: &str) -> Vec<String> {
    let json: Value = serde_json::from_str(&decision.to_json()).expect("a decision is JSON");
    let mut found = Vec::new();
    let mut forbidden = Vec::new();
    tokens(&json, "", &mut forbidden);
    forbidden.push("$.".to_string());
    forbidden.push("`".to_string());
    // The digest is for an audit record; a policy id with a hyphen is a
    // token (a one-word id, `baseline`, is an English word).
    forbidden.push(decision.policy.digest.to_string());
    if decision.policy.id.contains('-') {
        forbidden.push(decision.policy.id.to_string());
    }
    for token in forbidden {
        if text.contains(&token) {
            found.push(token);
        }
    }
    found
}

/// `text` on one line: its words separated by single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ids the request gives (young people, pupils, images) that `text`
/// quotes though the decision does not name them: a person needs an id
/// only where the answer is about that one (which pupil to leave out,
/// whose age is unknown, which image).
fn caller_ids_not_needed(request: &Value, decision: &Decision, text: &str) -> Vec<String> {
    fn ids(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(id)) = map.get("id") {
                    out.push(id.clone());
                }
                map.values().for_each(|v| ids(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| ids(v, out)),
            _ => {}
        }
    }
    let mut given = Vec::new();
    ids(request, &mut given);
    let named = serde_json::to_string(&(
        &decision.blocked,
        &decision.changes,
        &decision.unknowns,
        &decision.gallery,
    ))
    .expect("JSON");
    given
        .into_iter()
        .filter(|id| text.contains(&format!("\"{id}\"")) && !named.contains(id.as_str()))
        .map(|id| format!("id not needed: {id}"))
        .collect()
}

/// Every scenario and example request, as (file, request).
fn requests() -> Vec<(String, Value)> {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let dirs = ["sexting", "devices", "images", "escalation"]
        .map(scenario_dir)
        .into_iter()
        .chain([examples]);
    let mut out = Vec::new();
    for path in dirs.flat_map(|dir| json_files(&dir, |_| true)) {
        let doc = load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Some(request) = doc.get("request") {
            out.push((path.display().to_string(), request.clone()));
        }
    }
    // A gallery (no scenario file has one): one image to publish with
    // changes, one to block.
    let gallery = serde_json::json!({ "domain": "images", "policy": "baseline",
        "channel": "website",
        "roster": [{ "id": "s1", "first_name": "Amy", "last_name": "Smith", "on_roll": true,
                     "consent": { "website": "yes" } },
                   { "id": "s2", "first_name": "Raj", "last_name": "Patel", "on_roll": true,
                     "consent": { "website": "no" } }],
        "images": [{ "id": "img-a", "pupils": ["s1"],
                     "media": { "kind": "photo", "composition": "group", "caption": "Amy Smith",
                                "has_geodata": true, "captured_on": "school_device",
                                "suitably_dressed": true } },
                   { "id": "img-b", "pupils": ["s2"],
                     "media": { "kind": "photo", "composition": "individual",
                                "has_geodata": false, "captured_on": "personal_device",
                                "suitably_dressed": true } }] });
    out.push(("a gallery".to_string(), gallery));
    // A gallery whose image asks for a step of its own: a pupil who has
    // left, under a policy that deletes leavers' images.
    let leaver = serde_json::json!({ "domain": "images", "policy": "lansbury-lawrence-primary",
        "channel": "website",
        "roster": [{ "id": "p1", "first_name": "Amy", "last_name": "Smith", "on_roll": false,
                     "left_on": "2024-07-19", "restriction": "none",
                     "consent": { "display": "yes", "website": "yes", "prospectus": "yes",
                                  "social_media": "yes", "press": "yes",
                                  "name_with_image": "yes", "individual_use": "yes" } }],
        "images": [{ "id": "img1", "pupils": ["p1"],
                     "media": { "kind": "photo", "composition": "group", "filename": "x.jpg",
                                "has_geodata": false, "captured_on": "school_device",
                                "suitably_dressed": true } }] });
    out.push(("a gallery with a leaver".to_string(), leaver));
    out
}

#[test]
fn no_explanation_shows_a_token_a_rule_id_or_a_path() {
    let mut explained = 0;
    let mut failures = Vec::new();
    for (file, request) in requests() {
        // Under its own policy, then under each preset in turn (a request
        // the corpus expects refused is refused under each: it is skipped).
        let mut decisions = Vec::new();
        for id in std::iter::once(None).chain(Engine::presets().iter().map(Some)) {
            let mut request = request.clone();
            if let (Some(id), Some(policy)) = (id, request.get_mut("policy")) {
                *policy = Value::from(*id);
            }
            decisions.push(evaluate_json_with(None, &request.to_string(), None));
        }
        for decision in decisions.into_iter().flatten() {
            let explanation = decision.explain();
            let text = explanation.to_text();
            let markdown = explanation.to_markdown();
            // What a reader of the Markdown sees: its text, markup parsed.
            let shown = markdown_text(&markdown);
            for (layout, text) in [("text", &text), ("markdown", &shown)] {
                let mut leaked = leaks(&decision, text);
                leaked.extend(caller_ids_not_needed(&request, &decision, text));
                let words = one_line(text);
                let missing = explanation
                    .steps
                    .iter()
                    .map(|s| s.title.as_str())
                    .chain(explanation.rules.iter().map(|r| &*r.summary))
                    .filter(|t| !words.contains(&one_line(t)));
                leaked.extend(missing.map(|t| format!("missing: {t}")));
                if !leaked.is_empty() {
                    failures.push(format!(
                        "{file} ({}, {layout}): {leaked:?}\n{text}",
                        decision.policy.id
                    ));
                }
            }
            // The tokens stay available as fields.
            let steps: Vec<_> = explanation
                .steps
                .iter()
                .map(|s| (s.action, s.who))
                .collect();
            // The decision's steps, then each gallery image's.
            let actions: Vec<_> = decision
                .actions
                .iter()
                .chain(decision.gallery.iter().flatten().flat_map(|i| &i.actions))
                .map(|a| (a.action, a.who))
                .collect();
            assert_eq!(steps, actions, "{file}");
            assert_eq!(
                explanation.gallery.len(),
                decision.gallery.as_ref().map_or(0, Vec::len),
                "{file}"
            );
            let rules: Vec<_> = explanation.rules.iter().map(|r| &r.rule).collect();
            let reasons: Vec<_> = decision.reasons.iter().map(|r| &r.rule).collect();
            assert_eq!(rules, reasons, "{file}");
            explained += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} explanations show tokens; the first:\n{}",
        failures.len(),
        failures[0]
    );
    println!("{explained} decisions explained");
    assert!(explained > 2500, "only {explained} decisions explained");
}

#[test]
fn the_check_finds_a_token_a_rule_id_and_a_path() {
    let (_, request) = requests()
        .into_iter()
        .find(|(file, _)| file.ends_with("sexting-under13-sexual-acts.json"))
        .expect("the public example");
    let decision = evaluate_json_with(None, &request.to_string(), None).expect("a decision");
    let text = decision.explain().to_text();
    assert!(leaks(&decision, &text).is_empty(), "{text}");
    let action = decision.actions[0].action.as_str();
    let rule = &*decision.reasons[0].rule;
    let digest = &*decision.policy.digest;
    for bad in [action, rule, "$.young_people[0]", digest] {
        let shown = format!("{text}\n{bad}\n");
        assert!(!leaks(&decision, &shown).is_empty(), "{bad} not found");
    }
    // A young person's id the decision does not name, quoted.
    let id = request["young_people"][0]["id"].as_str().expect("an id");
    assert!(caller_ids_not_needed(&request, &decision, &text).is_empty());
    let shown = format!("{text}\nYoung person \"{id}\"\n");
    assert!(!caller_ids_not_needed(&request, &decision, &shown).is_empty());
}

/// The decision of the gallery of [`requests`].
fn gallery() -> Decision {
    let (_, request) = requests()
        .into_iter()
        .find(|(file, _)| file == "a gallery")
        .expect("the gallery");
    evaluate_json_with(None, &request.to_string(), None).expect("a decision")
}

#[test]
fn a_gallery_is_explained_image_by_image() {
    let decision = gallery();
    let text = decision.explain().to_text();
    assert!(
        text.starts_with("NOT EVERY IMAGE MAY BE PUBLISHED: each image's answer is below."),
        "{text}"
    );
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Image \"img-b\": must not be published. The whole image: it was taken on a personal device."),
        "{text}"
    );
    assert!(
        words.contains("Pupil \"s2\": consent for the school website was refused."),
        "{text}"
    );
}

/// Where a decision leaves unknown whether a child is in immediate danger
/// or a life under threat, and its first step is not a 999 call, the
/// explanation says what to do if one is, before the steps; and it says
/// so nowhere else (a warning on every answer would be read as noise).
/// Over every scenario and example.
#[test]
fn an_unknown_danger_is_told_first_and_only_then() {
    const WARNING: &str = "call 999 now, before anything below";
    let danger = [
        "immediate_risk_of_harm",
        "flags.immediate_danger",
        "flags.threat_to_life",
    ];
    let (mut warned, mut failures) = (0, Vec::new());
    for (file, request) in requests() {
        let Ok(decision) = evaluate_json_with(None, &request.to_string(), None) else {
            continue;
        };
        let unknown = decision.unknowns.iter().any(|u| danger.contains(&&**u));
        let calls_999 = decision
            .actions
            .first()
            .is_some_and(|a| a.who == safeguard_engine::Who::Police999);
        let explanation = decision.explain();
        let text = explanation
            .to_text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let shown = text.find(WARNING);
        let steps = ["What to do now:", "The plan ("]
            .iter()
            .filter_map(|h| text.find(h))
            .min();
        let want = unknown && !calls_999;
        match (want, shown) {
            (true, Some(at)) if steps.is_none_or(|s| at < s) => warned += 1,
            (false, None) => {}
            _ => failures.push(format!(
                "{file}: unknown danger {want}, warning at {shown:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        warned > 0,
        "no scenario leaves danger unknown: the check checked nothing"
    );
}

/// `decision` with every string that comes from the policy or the request
/// (`FREE_TEXT` but the engine's own, and the id in a change or an unknown
/// fact) replaced by `with`.
fn replace_free_text(decision: &Decision, with: &str) -> Decision {
    fn walk(value: &mut Value, key: &str, with: &str) {
        match value {
            Value::String(s) => {
                let own = ["digest", "engine", "version", "id", "due"].contains(&key);
                if FREE_TEXT.contains(&key) && !own {
                    *s = with.to_string();
                } else if key == "changes" || key == "unknowns" {
                    if let Some((head, _)) = s.split_once(':') {
                        *s = format!("{head}:{with}");
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, key, with)),
            Value::Object(map) => map.iter_mut().for_each(|(k, v)| walk(v, k, with)),
            _ => {}
        }
    }
    let mut json: Value = serde_json::from_str(&decision.to_json()).expect("a decision is JSON");
    walk(&mut json, "", with);
    serde_json::from_value(json).expect("still a decision")
}

/// Text from the policy or the request cannot add markup to the
/// explanation's Markdown: with every such string (rule summaries and
/// citations, steps' descriptions and contacts, checklist questions,
/// pupils' and images' ids) replaced by a hostile one, the Markdown has
/// exactly the markup it has with a plain word there, and shows the
/// hostile string as written. Over every scenario and example, each
/// hostile string in turn (each begins differently: a line start is where
/// a list or a heading would begin).
#[test]
fn policy_and_request_text_cannot_add_markup_to_the_markdown() {
    const HOSTILE: &[&str] = &[
        "# Heading [click](https://evil.example/) ![x](https://evil.example/x.png)",
        "- item <script>alert(1)</script> <b>bold</b> &amp; &#60;i&#62;",
        "1. one `code` *em* _em_ **strong** ~~gone~~ <https://evil.example/>",
        "2) two\n=====\n> quote | a | b |\n|---|---|\n```\nfence\n```",
        "+ plus \\*not em\\* [ref]: https://evil.example/ [ref] {#id} \\",
        "    indented code\n\n* star\n***",
    ];
    let mut checked = 0;
    for (file, request) in requests() {
        let Ok(decision) = evaluate_json_with(None, &request.to_string(), None) else {
            continue;
        };
        let plain = replace_free_text(&decision, "plain")
            .explain()
            .to_markdown();
        for hostile in HOSTILE {
            let markdown = replace_free_text(&decision, hostile)
                .explain()
                .to_markdown();
            assert_eq!(
                markup(&markdown),
                markup(&plain),
                "{file}: {hostile:?} changed the markup:\n{markdown}"
            );
            if plain.contains("plain") {
                assert!(
                    markdown_text(&markdown).contains(&one_line(hostile)),
                    "{file}: {hostile:?} not shown as written:\n{markdown}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 400, "only {checked} decisions checked");
}

/// Each part of the markup the hostile strings try is one the check
/// sees: without escaping, each changes the markup.
#[test]
fn the_markup_check_sees_each_hostile_string() {
    let plain = markup("- Source: plain\n");
    for hostile in [
        "# h",
        "[a](b)",
        "![a](b)",
        "<script>x</script>",
        "`c`",
        "*e*",
        "_e_",
        "- i",
        "1. o",
        "~~s~~",
        "<https://x.example/>",
    ] {
        let raw = format!("- {hostile}\n");
        assert_ne!(markup(&raw), plain, "{hostile}");
    }
}

/// An answer that means acting now (a referral, child sexual abuse, an
/// escalation's plan) says what to do before why; any other says why
/// first. In the text and in the Markdown, over every scenario, example
/// and preset.
#[test]
fn what_to_do_comes_first_when_the_answer_means_acting_now() {
    let mut first = 0;
    for decision in all_decisions() {
        let explanation = decision.explain();
        let acting_now = decision.domain == Domain::Escalation
            || matches!(
                decision.outcome,
                Outcome::ReferImmediately | Outcome::ChildSexualAbuse
            );
        let (text, markdown) = (explanation.to_text(), explanation.to_markdown());
        for (text, heading) in [(text, "\nWhy:\n"), (markdown, "\n## Why\n")] {
            let why = text.find(heading).expect("a Why section");
            let Some(todo) = ["What to do now", "The plan ("]
                .iter()
                .filter_map(|h| text.find(h))
                .min()
            else {
                continue;
            };
            assert_eq!(todo < why, acting_now, "{:?}:\n{text}", decision.outcome);
            first += usize::from(acting_now);
        }
    }
    assert!(first > 0, "no answer means acting now: nothing was checked");
}

/// Every decision of every scenario and example, under its own policy and
/// under each preset.
fn all_decisions() -> Vec<Decision> {
    let mut out = Vec::new();
    for (_, request) in requests() {
        for id in std::iter::once(None).chain(Engine::presets().iter().map(Some)) {
            let mut request = request.clone();
            if let (Some(id), Some(policy)) = (id, request.get_mut("policy")) {
                *policy = Value::from(*id);
            }
            out.extend(evaluate_json_with(None, &request.to_string(), None));
        }
    }
    out
}

/// Every step an answer asks for is a step of its explanation, with its
/// title in the text: the decision's own and, in a gallery, each image's
/// (a leaver's image to delete), named by its image. Over every scenario
/// and example under every preset.
#[test]
fn every_step_the_answer_asks_for_is_told() {
    let (mut gallery_steps, mut failures) = (0, Vec::new());
    for decision in all_decisions() {
        let explanation = decision.explain();
        let items = decision.gallery.iter().flatten();
        let asked = decision.actions.len() + items.clone().map(|i| i.actions.len()).sum::<usize>();
        gallery_steps += items.map(|i| i.actions.len()).sum::<usize>();
        let text = one_line(&explanation.to_text());
        let untold: Vec<&str> = explanation
            .steps
            .iter()
            .filter(|s| {
                !text
                    .to_lowercase()
                    .contains(&one_line(&s.title).to_lowercase())
            })
            .map(|s| s.title.as_str())
            .collect();
        if explanation.steps.len() != asked || !untold.is_empty() {
            failures.push(format!(
                "{} steps asked, {} told, untold {untold:?}: {text}",
                asked,
                explanation.steps.len()
            ));
        }
        if decision.gallery.is_some() && asked > 0 && text.contains("nothing else is asked") {
            failures.push(format!(
                "a gallery with steps says nothing else is asked: {text}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        gallery_steps > 0,
        "no gallery image asked for a step: nothing was checked"
    );
}

/// An answer with no step says what is left to do in words that fit it:
/// a refusal says not to go ahead, never "No further steps".
#[test]
fn an_answer_without_steps_says_what_fits_it() {
    let (mut refused, mut failures) = (0, Vec::new());
    for decision in all_decisions().into_iter().filter(|d| d.actions.is_empty()) {
        let text = one_line(&decision.explain().to_text());
        let todo = text
            .split_once("What to do now:")
            .map_or("", |(_, after)| after);
        let fits = match decision.outcome {
            Outcome::Deny => todo.contains("may not be used"),
            Outcome::Block if decision.gallery.is_none() => todo.contains("Do not publish"),
            _ => true,
        };
        refused += usize::from(matches!(decision.outcome, Outcome::Deny | Outcome::Block));
        if !fits || text.contains("No further steps") {
            failures.push(text);
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(refused > 0, "no refusal without steps: nothing was checked");
}

/// Child sexual abuse says an adult is involved only where the decision's
/// criteria say so, and names each body the decision refers to: for every
/// such answer of the corpus, and for one whose rule gives it without an
/// adult.
#[test]
fn the_child_sexual_abuse_headline_says_what_the_decision_says() {
    let check = |decision: &Decision| {
        let headline = decision.explain().headline;
        let adult = decision
            .criteria
            .iter()
            .flatten()
            .any(|c| *c == Criterion::AdultInvolved);
        assert_eq!(
            headline.contains("an adult is involved"),
            adult,
            "{headline}"
        );
        let referrals = decision.referral_to.as_deref().unwrap_or(&[]);
        assert_eq!(
            headline.contains("Refer"),
            !referrals.is_empty(),
            "{headline}"
        );
        for r in referrals {
            let body = match r {
                Referral::Police => "the police",
                Referral::ChildrensSocialCare => "children's social care",
            };
            assert!(headline.contains(body), "{headline}");
        }
    };
    let abuse: Vec<Decision> = all_decisions()
        .into_iter()
        .filter(|d| d.outcome == Outcome::ChildSexualAbuse)
        .collect();
    assert!(!abuse.is_empty());
    abuse.iter().for_each(check);
    // A school's rule that treats another criterion as child sexual abuse,
    // with no referral named.
    let mut json: Value = serde_json::from_str(&abuse[0].to_json()).expect("JSON");
    json["criteria"] = serde_json::json!(["under_13_sexual_acts"]);
    json["referral_to"] = serde_json::json!([]);
    check(&serde_json::from_value(json).expect("a decision"));
}

/// The text names a built-in policy by its own name; a policy that only
/// borrows a built-in id (another digest) is not given that name.
#[test]
fn the_policy_is_named_in_words() {
    for id in Engine::presets() {
        let engine = Engine::from_preset(id).expect("a preset");
        let request = r#"{"domain":"escalation","category":"sexting","concern_about":"pupil","reported_at":"2026-01-05T10:00"}"#;
        let request = safeguard_engine::Request::from_json(request, None).expect("a request");
        let decision = engine.evaluate(&request).expect("a decision");
        let name = &engine.policy().policy.name;
        let text = one_line(&decision.explain().to_text());
        assert!(text.contains(&format!("\"{name}\"")), "{text}");
        let mut other = decision.clone();
        other.policy.digest = "0".repeat(64).into();
        let text = one_line(&other.explain().to_text());
        assert!(!text.contains(&format!("\"{name}\"")), "{text}");
        assert!(text.contains("the policy supplied to the engine"), "{text}");
    }
}

/// Where the names must come out of the caption altogether, "first names
/// only" would contradict it: only the stricter is said, in the changes
/// and in a gallery's image, while the tokens stay in the decision.
#[test]
fn contradictory_changes_say_only_the_stricter() {
    let decision = gallery();
    let mut json: Value = serde_json::from_str(&decision.to_json()).expect("JSON");
    let both = serde_json::json!([
        "caption_first_names_only",
        "remove_names",
        "remove_full_names_from_credits"
    ]);
    json["changes"] = both.clone();
    json["gallery"][0]["changes"] = both;
    let decision: Decision = serde_json::from_value(json).expect("a decision");
    let explanation = decision.explain();
    let alone = |token: &str| {
        let mut json: Value = serde_json::from_str(&decision.to_json()).expect("JSON");
        json["changes"] = serde_json::json!([token]);
        let d: Decision = serde_json::from_value(json).expect("a decision");
        d.explain().changes.remove(0)
    };
    assert_eq!(explanation.changes, [alone("remove_names")]);
    let first_names = alone("caption_first_names_only");
    let gallery = &explanation.gallery[0];
    let first_names = first_names.trim_end_matches('.');
    assert!(!gallery.contains(&first_names[1..]), "{gallery}");
    assert_eq!(decision.changes.len(), 3);
}

/// The images domain's changes and blocked reasons, and the unknown facts,
/// are strings on the wire, so their words are found by matching strings
/// with a general sentence for a string not known. No token the engine
/// gives, in any scenario, example or gallery under any preset, nor any of
/// the images domain's lists, falls back to it: each has its own words.
#[test]
fn every_string_token_the_engine_gives_has_its_own_words() {
    // The general sentences: what a token the explanation does not know
    // gets.
    let mut json: Value = serde_json::from_str(&gallery().to_json()).expect("JSON");
    json["changes"] = serde_json::json!(["not_a_change"]);
    json["unknowns"] = serde_json::json!(["not_a_fact"]);
    json["blocked"] = serde_json::json!([{ "reason": "not_a_reason", "rule": "r" }]);
    let unknown: Decision = serde_json::from_value(json).expect("a decision");
    let fallback = unknown.explain();
    let (change, question, blocked) = (
        &fallback.changes[0],
        &fallback.questions[0].question,
        &fallback.ruled_out[0],
    );
    // And every token of the images domain's lists, in a decision of its
    // own.
    let listed = |key: &str, token: Value| {
        let mut json: Value = serde_json::from_str(&gallery().to_json()).expect("JSON");
        json[key] = serde_json::json!([token]);
        serde_json::from_value::<Decision>(json).expect("a decision")
    };
    let purposes = CONSENT_PURPOSES.map(|p| format!("no_consent:{p}"));
    let reasons = BLOCK_REASONS.iter().map(|r| r.to_string()).chain(purposes);
    let refusals =
        reasons.map(|r| listed("blocked", serde_json::json!({ "reason": r, "rule": "r" })));
    let changes = CHANGES
        .iter()
        .chain(&["exclude_pupil:p1"])
        .map(|c| listed("changes", Value::from(*c)));
    let facts = UNKNOWN_FACTS
        .iter()
        .map(|u| listed("unknowns", Value::from(*u)));
    let mut seen = 0;
    for decision in all_decisions()
        .into_iter()
        .chain(refusals)
        .chain(changes)
        .chain(facts)
    {
        let explanation = decision.explain();
        for c in &explanation.changes {
            assert_ne!(c, change, "{:?}", decision.changes);
        }
        for q in &explanation.questions {
            assert_ne!(&q.question, question, "{}", q.fact);
        }
        for b in &explanation.ruled_out {
            assert_ne!(b, blocked, "{:?}", decision.blocked);
        }
        seen += explanation.changes.len() + explanation.questions.len();
        seen += explanation.ruled_out.len();
    }
    assert!(seen > 100, "only {seen} changes, questions and refusals");
}
