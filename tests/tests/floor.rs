//! The floor (SPEC §1.3): a policy may tighten national guidance, never drop
//! or weaken it. Each case loads a small policy document and checks that it
//! fails with `floor_violation` naming the rule, or loads when it tightens.

use safeguard_engine::{Engine, Error};

const HEAD: &str = r#"
[policy]
id = "test-school"
name = "Test School"
version = "1"
source = "test"
extends = "baseline"
"#;

fn load(body: &str) -> Result<Engine, Error> {
    Engine::from_toml(&format!("{HEAD}{body}"))
}

fn floor_violation(body: &str, rule: &str) {
    match load(body) {
        Ok(_) => panic!("policy loaded, but it should break floor rule {rule}"),
        Err(e) => {
            assert_eq!(e.code(), "floor_violation", "{e}");
            assert_eq!(e.rule(), Some(rule), "{e}");
            assert!(e.to_string().contains(rule), "message names the rule: {e}");
        }
    }
}

/// The baseline's text for one `[[sexting.*]]` block, by id.
fn baseline_block(id: &str) -> String {
    let text = safeguard_engine::policy::presets::source("baseline").unwrap();
    let start = text
        .find(&format!("id = \"{id}\""))
        .expect("rule exists in the baseline");
    let block_start = text[..start].rfind("[[sexting.").unwrap();
    let end = text[start..].find("\n\n").map_or(text.len(), |i| start + i);
    text[block_start..end].to_string()
}

#[test]
fn extending_the_baseline_unchanged_loads() {
    let e = load("").unwrap();
    assert_eq!(e.policy().policy.id, "test-school");
}

#[test]
fn removing_a_floor_criterion_is_a_violation() {
    floor_violation(
        "[sexting]\nremove = [\"sexting.floor.criterion.content_violent\"]\n",
        "sexting.floor.criterion.content_violent",
    );
}

#[test]
fn removing_a_floor_action_is_a_violation() {
    floor_violation(
        "[sexting]\nremove = [\"sexting.floor.action.secure_device\"]\n",
        "sexting.floor.action.secure_device",
    );
}

#[test]
fn a_complete_policy_that_drops_a_floor_rule_is_a_violation() {
    // The baseline as a complete document, less one floor rule.
    let text = safeguard_engine::policy::presets::source("baseline").unwrap();
    let block = baseline_block("sexting.floor.criterion.under_13_sexual_acts");
    let dropped = text
        .replace(&block, "")
        .replace("id = \"baseline\"", "id = \"no-criterion-four\"");
    let e = Engine::from_toml(&dropped).unwrap_err();
    assert_eq!(e.code(), "floor_violation", "{e}");
    assert_eq!(
        e.rule(),
        Some("sexting.floor.criterion.under_13_sexual_acts")
    );
}

#[test]
fn the_baseline_as_a_complete_document_loads_under_another_id() {
    let text = safeguard_engine::policy::presets::source("baseline").unwrap();
    let copy = text.replace("id = \"baseline\"", "id = \"copy\"");
    assert!(Engine::from_toml(&copy).is_ok());
}

/// Each row weakens one baseline sexting floor rule, restated in a school's
/// policy, by replacing some of its text: the policy breaks that rule.
#[test]
fn a_weakened_sexting_floor_rule_is_a_violation() {
    let rows = [
        (
            "a later deadline for a floor action",
            "sexting.floor.action.report_to_dsl",
            "deadline = \"same_day\"",
            "deadline = \"within_one_working_day\"",
        ),
        (
            "a weaker outcome",
            "sexting.floor.criterion.immediate_risk_of_harm",
            "outcome = \"refer_immediately\"",
            "outcome = \"need_more_information\"",
        ),
        (
            "dropping a referral",
            "sexting.floor.criterion.content_violent",
            "referral_to = [\"police\", \"childrens_social_care\"]",
            "referral_to = [\"childrens_social_care\"]",
        ),
        (
            "unmarking floor",
            "sexting.floor.criterion.content_violent",
            "floor = true\n",
            "",
        ),
        (
            "dropping the parental-risk exception",
            "sexting.floor.action.inform_parents",
            "unless = \"parental_involvement_would_risk_child\"\n",
            "",
        ),
        (
            "narrowing when an action applies",
            "sexting.floor.action.support_victim",
            "when = [\"financially_motivated_extortion\", \"ai_generated_or_manipulated\"]",
            "when = [\"financially_motivated_extortion\"]",
        ),
    ];
    for (case, id, from, to) in rows {
        let block = baseline_block(id);
        assert!(block.contains(from), "{case}: `{from}` is not in {id}");
        eprintln!("case: {case}");
        floor_violation(&block.replace(from, to), id);
    }
}

#[test]
fn an_earlier_deadline_tightens_and_loads() {
    let block = baseline_block("sexting.floor.action.report_to_dsl")
        .replace("deadline = \"same_day\"", "deadline = \"immediately\"");
    let engine = load(&block).unwrap();
    let action = engine
        .policy()
        .sexting
        .actions
        .iter()
        .find(|a| a.id == "sexting.floor.action.report_to_dsl")
        .unwrap();
    assert_eq!(action.deadline.as_str(), "immediately");
}

/// The walk of the floor checks the mark of every table's restated rule
/// (the domains' own tests need not): the first floor rule of each table
/// of the baseline (but a devices exception), restated without
/// `floor = true`, is refused as no longer marked.
#[test]
fn unmarking_floor_is_a_violation_in_every_table() {
    let text = safeguard_engine::policy::presets::source("baseline").unwrap();
    let blocks: Vec<&str> = text.split("\n\n").collect();
    for table in [
        "sexting.rules",
        "sexting.actions",
        "devices.rules",
        "images.rules",
        "escalation.rules",
    ] {
        let header = format!("[[{table}]]");
        let block = blocks
            .iter()
            .filter(|b| b.lines().any(|l| l == header) && b.contains("\nfloor = true\n"))
            // An exception unmarked is refused as an exception first.
            .find(|b| !b.contains("effect = \"except\""))
            .unwrap_or_else(|| panic!("{table}: a floor rule in the baseline"));
        let id = block
            .lines()
            .find_map(|l| l.strip_prefix("id = \""))
            .and_then(|l| l.strip_suffix('"'))
            .unwrap_or_else(|| panic!("{table}: the rule's id"));
        let unmarked = block.replace("\nfloor = true\n", "\n");
        floor_violation(&format!("{unmarked}\n"), id);
        let e = load(&unmarked).err().unwrap();
        assert!(
            e.to_string().contains("no longer marked `floor = true`"),
            "{table}: {e}"
        );
    }
}

#[test]
fn a_school_citation_for_a_floor_rule_is_allowed() {
    let block = baseline_block("sexting.floor.criterion.content_violent").replace(
        "cite = { source = \"UKCIS Sharing nudes and semi-nudes (2020, updated 2024)\", section = \"Initial review meeting: immediate referral, criterion 3 (section title not verified)\" }",
        "cite = { source = \"test.txt\", section = \"Sexting\" }",
    );
    let engine = load(&block).unwrap();
    let rule = engine
        .policy()
        .sexting
        .rules
        .iter()
        .find(|r| r.id == "sexting.floor.criterion.content_violent")
        .unwrap();
    assert_eq!(&*rule.cite.source, "test.txt");
}

#[test]
fn every_preset_passes_the_floor_and_keeps_every_floor_rule() {
    let baseline = Engine::from_preset("baseline").unwrap();
    let floor_ids: Vec<&str> = baseline
        .policy()
        .sexting
        .rules
        .iter()
        .filter(|r| r.floor)
        .map(|r| r.id.as_str())
        .chain(
            baseline
                .policy()
                .sexting
                .actions
                .iter()
                .filter(|a| a.floor)
                .map(|a| a.id.as_str()),
        )
        .collect();
    assert!(floor_ids.len() >= 20, "the floor has its sexting rules");
    for id in Engine::presets() {
        let engine = Engine::from_preset(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        let p = engine.policy();
        for floor_id in &floor_ids {
            let present = p.sexting.rules.iter().any(|r| r.id == *floor_id)
                || p.sexting.actions.iter().any(|a| a.id == *floor_id);
            assert!(present, "{id} keeps {floor_id}");
        }
    }
}

#[test]
fn unknown_keys_in_a_policy_point_at_line_and_column() {
    let e = load("\n[sexting]\nrulez = []\n").unwrap_err();
    assert_eq!(e.code(), "unknown_field", "{e}");
    let at = e.location().unwrap();
    // HEAD has 7 lines; the body adds a blank line and `[sexting]`.
    assert_eq!(at.line, Some(HEAD.lines().count() + 3), "{e}");
    assert!(at.column.is_some());
}

#[test]
fn unknown_tokens_in_a_policy_are_invalid_values_with_a_line() {
    let block = baseline_block("sexting.floor.action.report_to_dsl")
        .replace("deadline = \"same_day\"", "deadline = \"soonish\"");
    let e = load(&block).unwrap_err();
    assert_eq!(e.code(), "invalid_value", "{e}");
    assert!(e.location().unwrap().line.is_some());
}

#[test]
fn toml_syntax_errors_have_their_own_code() {
    let e = Engine::from_toml("[policy\nid = 1").unwrap_err();
    assert_eq!(e.code(), "invalid_toml", "{e}");
    assert_eq!(e.location().unwrap().line, Some(1));
}

#[test]
fn extending_an_unknown_policy_fails() {
    let e = Engine::from_toml(&HEAD.replace("extends = \"baseline\"", "extends = \"nowhere\""))
        .unwrap_err();
    assert_eq!(e.code(), "unknown_policy", "{e}");
}

#[test]
fn json_policies_are_the_same_model() {
    let toml_engine = Engine::from_preset("stanford-junior-infant").unwrap();
    let json = serde_json::to_string(toml_engine.policy()).unwrap();
    let json_engine = Engine::from_json(&json).unwrap();
    assert_eq!(json_engine.policy(), toml_engine.policy());
    assert_eq!(json_engine.policy_ref(), toml_engine.policy_ref());
}

#[test]
fn resolved_toml_round_trips_with_the_same_digest() {
    for id in Engine::presets() {
        let engine = Engine::from_preset(id).unwrap();
        let text = engine.policy_toml().unwrap();
        let again = Engine::from_toml(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(again.policy_ref(), engine.policy_ref(), "{id}");
    }
}

#[test]
fn digests_differ_between_presets_and_are_hex_sha256() {
    let mut seen = std::collections::BTreeSet::new();
    for id in Engine::presets() {
        let d = Engine::from_preset(id).unwrap().policy_ref().digest.clone();
        assert_eq!(d.len(), 64);
        assert!(d
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert!(seen.insert(d), "{id} has a distinct digest");
    }
}

/// A school's hours never put off a floor step or a 999 call: a body's
/// out-of-hours route changes which line the plan gives, never the time a
/// floor step is due or where 999 goes. (A route given to the 999 call
/// itself is refused: `floor_meaning.rs`.)
#[test]
fn hours_never_put_off_a_floor_step_or_redirect_999() {
    let engine = load(
        r#"
[bodies.childrens_social_care]
title = "Front door"
phone = "0100"
out_of_hours = { title = "Emergency duty team", phone = "0200 123 4567", hours = "17:00-08:30", emergency_only = true }
"#,
    )
    .expect("loads");
    // Grooming on a Saturday, nobody in immediate danger: the floor's
    // referral to children's social care is due at once, by the duty team.
    let plan = engine
        .evaluate_json(
            r#"{"domain":"escalation","category":"online_sexual_abuse",
            "concern_about":"external_adult","reported_at":"2026-03-07T11:00"}"#,
        )
        .expect("decides");
    let v: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let csc = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["who"] == "childrens_social_care" && a["action"] == "notify")
        .expect("a referral");
    assert_eq!(csc["due"], "2026-03-07T11:00", "{plan}");
    let contact = csc["contact"].as_str().unwrap();
    assert!(
        contact.starts_with("Call now: Emergency duty team, 0200 123 4567"),
        "{contact}"
    );
    assert!(contact.contains("Monday 9 March 2026, 08:30"), "{contact}");
    // Immediate danger: 999 first, due now, on 999 whatever its "route".
    let plan = engine
        .evaluate_json(
            r#"{"domain":"escalation","category":"online_sexual_abuse",
            "concern_about":"external_adult","flags":{"immediate_danger":true},
            "reported_at":"2026-03-07T11:00"}"#,
        )
        .expect("decides");
    let v: serde_json::Value = serde_json::from_str(&plan).unwrap();
    let first = &v["actions"][0];
    assert_eq!(first["who"], "police_999", "{plan}");
    assert_eq!(first["due"], "2026-03-07T11:00", "{plan}");
    assert_eq!(first["contact"], "Police (emergency), 999", "{plan}");
}

/// The baseline's floor exception for medical and SEND needs, restated with
/// `changes` (TOML lines) added after its matchers.
fn need_exception(changes: &str) -> String {
    format!(
        r#"
[[devices.rules]]
id = "devices.floor.medical_or_send_need"
floor = true
effect = "except"
roles = ["pupil"]
devices = ["mobile_phone", "smartwatch", "tablet"]
actions = ["bring_on_site", "keep_on_person", "use_calls_messages"]
exception = ["medical", "send_adjustment"]
conditions = ["headteacher_permission", "personal_use_only"]
{changes}
summary = "Restated by the school."
cite = {{ source = "test", section = "Phones" }}
"#
    )
}

#[test]
fn removing_a_floor_exception_is_a_violation() {
    for id in [
        "devices.floor.emergency_call_from_anywhere",
        "devices.floor.medical_or_send_need",
    ] {
        floor_violation(&format!("[devices]\nremove = [\"{id}\"]\n"), id);
    }
}

#[test]
fn restating_a_floor_exception_as_it_is_loads() {
    let e = load(&need_exception("")).unwrap();
    assert!(e
        .policy()
        .devices
        .rules
        .iter()
        .any(|r| r.id == "devices.floor.medical_or_send_need"));
}

#[test]
fn narrowing_a_floor_exception_is_a_violation() {
    let id = "devices.floor.medical_or_send_need";
    // Fewer places, fewer times, fewer year groups, a flag more.
    for narrower in [
        "locations = [\"classroom\"]",
        "periods = [\"break\", \"lunch\"]",
        "year_groups = [5, 6]",
        "parental_request = true",
    ] {
        floor_violation(&need_exception(narrower), id);
    }
    // Fewer devices.
    floor_violation(
        &need_exception("").replace(
            "devices = [\"mobile_phone\", \"smartwatch\", \"tablet\"]",
            "devices = [\"mobile_phone\"]",
        ),
        id,
    );
}

#[test]
fn a_condition_or_breach_consequence_on_a_floor_exception_is_a_violation() {
    let id = "devices.floor.medical_or_send_need";
    const CONDITIONS: &str = "conditions = [\"headteacher_permission\", \"personal_use_only\"]";
    let text = need_exception("").replace(
        CONDITIONS,
        "conditions = [\"headteacher_permission\", \"personal_use_only\", \"in_presence_of_staff\"]",
    );
    floor_violation(&text, id);
    floor_violation(
        &need_exception("on_breach = [\"confiscate_to_office\"]"),
        id,
    );
    // Dropping its condition, or its need, widens it: also refused.
    floor_violation(
        &need_exception("").replace(&format!("{CONDITIONS}\n"), ""),
        id,
    );
    floor_violation(
        &need_exception("").replace(
            "exception = [\"medical\", \"send_adjustment\"]",
            "exception = [\"medical\", \"send_adjustment\", \"none\"]",
        ),
        id,
    );
}

#[test]
fn narrowing_the_emergency_exception_is_a_violation() {
    let id = "devices.floor.emergency_call_from_anywhere";
    floor_violation(
        &format!(
            r#"
[[devices.rules]]
id = "{id}"
floor = true
effect = "except"
actions = ["call_emergency_services"]
permission_from = ["senior_leadership", "headteacher"]
summary = "Only with leadership permission."
cite = {{ source = "test", section = "Phones" }}
"#
        ),
        id,
    );
}

#[test]
fn a_school_may_not_declare_an_exception_of_its_own() {
    let id = "devices.school.phones_whenever";
    let rule = format!(
        r#"
[[devices.rules]]
id = "{id}"
effect = "except"
roles = ["pupil"]
summary = "Pupils may always use phones."
cite = {{ source = "test", section = "Phones" }}
"#
    );
    floor_violation(&rule, id);
    // Marking it `floor = true` does not make it the baseline's.
    floor_violation(&rule.replace("effect =", "floor = true\neffect ="), id);
}

#[test]
fn the_staff_disciplinary_setting_needs_its_citation() {
    let e = load("[devices]\nstaff_breach_disciplinary = true\n").unwrap_err();
    assert_eq!(e.code(), "invalid_value", "{e}");
    assert!(e.to_string().contains("staff_breach_cite"), "{e}");
    let e = load(
        "[devices]\nstaff_breach_disciplinary = true\nstaff_breach_cite = { source = \"test\", section = \"Staff\" }\n",
    )
    .unwrap();
    assert_eq!(e.policy().devices.staff_breach_disciplinary, Some(true));
}

/// The baseline's `images.floor.name_with_image` rule restated with `edit`
/// applied to its text.
fn name_with_image_rule(edit: impl Fn(String) -> String) -> String {
    let text = safeguard_engine::policy::presets::source("baseline").unwrap();
    let start = text
        .find("id = \"images.floor.name_with_image\"")
        .expect("rule exists in the baseline");
    let block_start = text[..start].rfind("[[images.rules]]").unwrap();
    let end = text[start..].find("\n\n").map_or(text.len(), |i| start + i);
    edit(text[block_start..end].to_string())
}

/// `block` with its line starting `start` replaced by `line`.
fn replace_line(block: &str, start: &str, line: &str) -> String {
    let old = block.lines().find(|l| l.starts_with(start)).unwrap();
    block.replace(old, line)
}

#[test]
fn removing_the_name_with_image_consent_rule_is_a_violation() {
    floor_violation(
        "[images]\nremove = [\"images.floor.name_with_image\"]\n",
        "images.floor.name_with_image",
    );
}

#[test]
fn weakening_the_name_with_image_consent_rule_is_a_violation() {
    // Fewer channels, another check, or no longer floor: each is refused.
    let narrowed =
        name_with_image_rule(|b| replace_line(&b, "channels = ", "channels = [\"press\"]"));
    let other_check = name_with_image_rule(|b| {
        b.replace(
            "check = \"name_with_image\"",
            "check = \"caption_names\"\nlimit = \"first_names_only\"",
        )
    });
    let unmarked = name_with_image_rule(|b| b.replace("floor = true\n", ""));
    for block in [narrowed, other_check, unmarked] {
        assert!(block.contains("images.floor.name_with_image"));
        floor_violation(&block, "images.floor.name_with_image");
    }
}

#[test]
fn restating_the_name_with_image_rule_in_a_school_s_words_loads() {
    let block = name_with_image_rule(|b| {
        replace_line(
            &b,
            "cite = ",
            "cite = { source = \"test.txt\", section = \"Images\" }",
        )
    });
    load(&block).unwrap();
}

#[test]
fn every_preset_keeps_the_name_with_image_consent_rule() {
    for id in Engine::presets() {
        let engine = Engine::from_preset(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        let kept = engine
            .policy()
            .images
            .rules
            .iter()
            .any(|r| r.id == "images.floor.name_with_image" && r.floor);
        assert!(kept, "{id} keeps images.floor.name_with_image");
    }
}

#[test]
fn a_floor_forbid_restated_to_require_yes_no_facts_names_the_first_in_request_order() {
    // `children_present` comes after `actor.works_directly_with_children`
    // in a request, so the message names the latter.
    let body = r#"
[[devices.rules]]
id = "devices.floor.staff_never_photograph_pupils_on_personal_devices"
floor = true
effect = "forbid"
roles = ["staff", "volunteer"]
owner = "personal"
actions = ["photograph_pupils"]
on_breach = ["staff_disciplinary"]
children_present = true
works_directly_with_children = true
summary = "Narrowed."
cite = { source = "test", section = "test" }
"#;
    let rule = "devices.floor.staff_never_photograph_pupils_on_personal_devices";
    floor_violation(body, rule);
    let e = load(body).unwrap_err().to_string();
    assert!(
        e.ends_with("it adds or changes the condition `works_directly_with_children`"),
        "{e}"
    );
    let one = body.replace("works_directly_with_children = true\n", "");
    let e = load(&one).unwrap_err().to_string();
    assert!(
        e.ends_with("it adds or changes the condition `children_present`"),
        "{e}"
    );
}
