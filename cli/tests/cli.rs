//! End-to-end tests of the `safeguard` binary: real processes, real files,
//! real exit codes, as a shell script or a DSL at a terminal would see them.

mod common;

use common::{arg, example, json, root, run, stderr, stdout, succeeded};
use serde_json::Value;
use std::path::PathBuf;

/// A file under the temp dir, unique to this test process and `name`.
fn temp_file(name: &str, contents: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("safeguard-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("write temp file");
    path
}

const GOOD: &str = r#"{"schema_version": 1, "domain": "sexting", "policy": "baseline", "incident_date": "2025-01-20", "young_people": [{"id": "a", "age": 15, "role": "subject"}], "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"}}"#;

#[test]
fn eval_of_the_under_13_example_refers_immediately() {
    let path = example("sexting-under13-sexual-acts.json");
    let out = run(&["eval", arg(&path)], None);
    let text = succeeded(&out);
    assert_eq!(text.lines().count(), 1, "one line of JSON");
    let v = json(&text);
    assert_eq!(v["outcome"], "refer_immediately");
    assert_eq!(v["policy"]["id"], "squirrels-heath-junior");
    assert!(v["criteria"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c == "under_13_sexual_acts")));
}

#[test]
fn eval_reads_stdin_and_policy_flag_overrides_routing() {
    let out = run(&["eval", "-"], Some(GOOD.as_bytes()));
    succeeded(&out);
    assert_eq!(json(&stdout(&out))["outcome"], "refer_immediately");

    // No "policy" field: --policy supplies it.
    let request = GOOD.replace(r#""policy": "baseline", "#, "");
    let out = run(&["eval", "--policy", "baseline"], Some(request.as_bytes()));
    succeeded(&out);
    assert_eq!(json(&stdout(&out))["policy"]["id"], "baseline");

    // Neither: a missing_field error for $.policy.
    let out = run(&["--json-errors", "eval"], Some(request.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    let err = json(&stderr(&out));
    assert_eq!(err["error"]["code"], "missing_field");
    assert_eq!(err["error"]["path"], "$.policy");
}

#[test]
fn explain_gives_the_headline_first_then_what_to_do_then_why() {
    let path = example("sexting-under13-sexual-acts.json");
    let out = run(&["eval", "--explain", arg(&path)], None);
    let text = succeeded(&out);
    assert!(
        text.starts_with("REFER IMMEDIATELY to the police and children's social care."),
        "{text}"
    );
    // A referral is acted on first: what to do comes before why.
    let why = text.find("Why:").expect("a Why section");
    let todo = text.find("What to do now:").expect("a What to do section");
    assert!(todo < why, "{text}");
    // The rules by their words and their document, never by id.
    assert!(
        text.contains("The imagery involves sexual acts and a child in it is under 13"),
        "{text}"
    );
    assert!(text.contains("Source: KCSIE 2026, section"), "{text}");
    assert!(!text.contains("sexting.floor"), "no rule ids: {text}");
    assert!(text.contains("immediately"));
    assert!(text.contains("Is any young person at immediate risk?"));
    assert!(!text.contains('\x1b'), "no terminal escapes");
    // One plan (SPEC §1.8): the DSL once, immediately; each referral once,
    // saying which criterion required it; no second list of whom to tell.
    assert!(!text.contains("Who to tell"), "{text}");
    assert_eq!(text.matches("Report it to the DSL").count(), 1, "{text}");
    let dsl = &text[text.find("Report it to the DSL").expect("the DSL step")..];
    let when = dsl.lines().nth(1).unwrap_or_default();
    assert!(when.contains("When: immediately"), "{when}");
    assert_eq!(text.matches("Refer to the police").count(), 1, "{text}");
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        words
            .matches("Required by: The school's fourth referral test: the imagery")
            .count(),
        2,
        "the police and social-care referrals cite criterion 4: {text}"
    );
}

#[test]
fn explain_names_the_unknown_facts() {
    let path = example("sexting-unknown-coercion.json");
    let out = run(&["eval", "--explain", arg(&path)], None);
    let text = succeeded(&out);
    assert!(
        text.starts_with("MORE INFORMATION NEEDED before deciding."),
        "{text}"
    );
    // The unknown fact as the question to ask, not its token.
    assert!(
        text.contains("Was any young person pressured, blackmailed or groomed"),
        "{text}"
    );
    assert!(!text.contains("coercion_blackmail_or_grooming"), "{text}");
}

/// The `--explain` text of the request of scenario `file`.
fn explain_scenario(file: &str) -> String {
    let path = root().join("tests/scenarios").join(file);
    let doc = json(&std::fs::read_to_string(&path).expect("the scenario"));
    let request = doc["request"].to_string();
    let out = run(&["eval", "--explain", "-"], Some(request.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn explain_gives_devices_conditions_and_image_changes_as_sentences() {
    let text = explain_scenario("devices/501-y6-phone-handed-in-to-office.json");
    assert!(
        text.starts_with("ALLOWED, on the conditions below."),
        "{text}"
    );
    assert!(
        text.contains("  - The device is handed in to the school office."),
        "{text}"
    );
    assert!(!text.contains("hand in to office"), "{text}");
    assert!(
        text.contains("What to do now:\n  Keep to the conditions above; nothing else is asked.\n"),
        "{text}"
    );
    assert!(!text.contains("(no actions)"), "{text}");

    let text = explain_scenario("images/008-baseline-geodata-and-dress-omitted.json");
    assert!(text.starts_with("PUBLISH WITH CHANGES"), "{text}");
    assert!(
        text.contains("  - Remove the location the image records (its GPS data)."),
        "{text}"
    );
    assert!(
        text.contains("  - Does the image file record where it was taken?"),
        "{text}"
    );
    assert!(
        !text.contains("strip geodata") && !text.contains("media."),
        "{text}"
    );
}

#[test]
fn jsonl_keeps_lines_aligned_and_reports_bad_ones() {
    let input = format!("{GOOD}\n{{not json\n{GOOD}\n");
    let out = run(&["eval", "--jsonl"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(json(lines[0])["outcome"], "refer_immediately");
    assert_eq!(json(lines[1])["error"]["code"], "invalid_json");
    assert_eq!(json(lines[2])["outcome"], "refer_immediately");
}

#[test]
fn jsonl_blank_and_non_utf8_lines_get_error_lines() {
    let mut input = format!("{GOOD}\n\n").into_bytes();
    input.extend_from_slice(b"{\"policy\": \"\xff\"}\r\n");
    input.extend_from_slice(GOOD.as_bytes()); // no final newline
    let out = run(&["eval", "--jsonl", "-"], Some(&input));
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(json(lines[1])["error"]["code"], "invalid_json");
    assert_eq!(json(lines[2])["error"]["code"], "invalid_utf8");
    assert_eq!(json(lines[2])["error"]["column"], 13);
    assert_eq!(json(lines[3])["outcome"], "refer_immediately");
}

#[test]
fn jsonl_all_good_exits_zero() {
    let input = format!("{GOOD}\n{GOOD}\n");
    let out = run(&["eval", "--jsonl"], Some(input.as_bytes()));
    succeeded(&out);
    assert_eq!(stdout(&out).lines().count(), 2);
}

/// `--explain-json` prints the engine's explanation as one line of JSON:
/// the decision's outcome, and as `text` exactly what `--explain` prints,
/// for every example (each domain), from a file and from stdin.
#[test]
fn explain_json_is_the_explanation_whose_text_explain_prints() {
    let examples = std::fs::read_dir(root().join("examples")).expect("examples/");
    let mut seen = 0;
    for path in examples.flatten().map(|e| e.path()) {
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let out = run(&["eval", "--explain-json", arg(&path)], None);
        let line = succeeded(&out);
        assert_eq!(line.lines().count(), 1, "one line: {line}");
        let explanation = json(&line);
        let text = succeeded(&run(&["eval", "--explain", arg(&path)], None));
        assert!(!text.trim().is_empty());
        assert_eq!(explanation["text"], text, "{}", path.display());
        let decision = json(&succeeded(&run(&["eval", arg(&path)], None)));
        assert_eq!(explanation["outcome"], decision["outcome"]);
        let file = std::fs::read(&path).expect("read the example");
        let piped = run(&["eval", "--explain-json", "-"], Some(&file));
        assert_eq!(succeeded(&piped), line, "stdin and file agree");
        seen += 1;
    }
    assert!(seen >= 8, "{seen} examples");
}

/// With `--jsonl`, one explanation per line, each the line `--explain-json`
/// prints for that request alone; a bad line is explained as refused, its
/// `error` the error object plain `--jsonl` prints for it; plain `--jsonl`
/// still prints decisions.
#[test]
fn jsonl_explain_json_explains_each_line_in_place() {
    let input = format!("{GOOD}\n{{not json\n{GOOD}\n");
    let out = run(
        &["eval", "--jsonl", "--explain-json"],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let alone = succeeded(&run(&["eval", "--explain-json"], Some(GOOD.as_bytes())));
    assert_eq!(format!("{}\n", lines[0]), alone);
    assert_eq!(lines[2], lines[0]);
    assert!(json(lines[0])["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    let plain = stdout(&run(&["eval", "--jsonl"], Some(input.as_bytes())));
    let plain: Vec<&str> = plain.lines().collect();
    assert_eq!(json(lines[1])["kind"], "refused");
    assert_eq!(
        json(lines[1])["error"],
        json(plain[1])["error"],
        "the same error object"
    );
    assert_eq!(json(plain[0])["schema_version"], 1);
    assert!(
        json(plain[0]).get("text").is_none(),
        "plain --jsonl is unchanged"
    );
}

/// A request `eval` refuses, `--explain-json` refuses with the same error
/// and exit code: a bad request, one naming no policy when none is given,
/// and a scenario file's bad request (its path read inside the file); and
/// `--domain`, which the bindings' explain does not take, is a usage error.
#[test]
fn explain_json_explains_what_eval_refuses() {
    let unknown = GOOD.replace(r#""adult_involved""#, r#""adult_involvd""#);
    let no_policy = GOOD.replace(r#""policy": "baseline", "#, "");
    let scenario = temp_file(
        "explain-json-scenario.json",
        &format!(
            r#"{{"name": "x", "request": {}}}"#,
            GOOD.replace("2025-01-20", "2025-02-30")
        ),
    );
    let cases: [(&[&str], Option<&[u8]>); 3] = [
        (&["-"], Some(unknown.as_bytes())),
        (&["-"], Some(no_policy.as_bytes())),
        (&[arg(&scenario)], None),
    ];
    for (args, input) in cases {
        let eval = run(&[&["--json-errors", "eval"], args].concat(), input);
        let explain = run(
            &[&["--json-errors", "eval", "--explain-json"], args].concat(),
            input,
        );
        assert_eq!(eval.status.code(), Some(2), "{}", stderr(&eval));
        // The refusal is explained, as every binding explains it: the
        // error object exactly as eval gives it, and its words.
        assert_eq!(explain.status.code(), Some(0), "{}", stderr(&explain));
        let answer: serde_json::Value =
            serde_json::from_slice(&explain.stdout).expect("one JSON answer");
        let envelope: serde_json::Value =
            serde_json::from_str(stderr(&eval).trim()).expect("the error envelope");
        assert_eq!(answer["kind"], "refused");
        assert_eq!(answer["error"], envelope["error"]);
        assert!(answer["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
    let _ = std::fs::remove_file(&scenario);
    let out = run(
        &["eval", "--explain-json", "--domain", "devices"],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_field_exits_2_with_its_path() {
    let request = GOOD.replace(r#""adult_involved""#, r#""adult_involvd""#);

    let out = run(&["eval"], Some(request.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).starts_with("error[unknown_field]: "),
        "{}",
        stderr(&out)
    );

    let out = run(&["eval", "--json-errors"], Some(request.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    let err = json(&stderr(&out));
    assert_eq!(err["error"]["code"], "unknown_field");
    assert_eq!(err["error"]["path"], "$.facts");
}

#[test]
fn missing_file_is_an_io_error() {
    let out = run(&["--json-errors", "eval", "no/such/request.json"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&stderr(&out))["error"]["code"], "io");
}

#[test]
fn unknown_policy_id_exits_2() {
    let out = run(
        &["--json-errors", "eval", "--policy", "basline"],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&stderr(&out))["error"]["code"], "unknown_policy");

    let out = run(&["--json-errors", "policy", "show", "nope"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&stderr(&out))["error"]["code"], "unknown_policy");
}

#[test]
fn presets_lists_every_built_in_id_in_order() {
    let out = run(&["presets"], None);
    let text = succeeded(&out);
    let ids: Vec<&str> = text.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(ids, safeguard_engine::Engine::presets());
    assert_eq!(ids.first(), Some(&"baseline"));
    assert!(text.lines().all(|l| l.split('\t').count() == 3), "{text}");
}

#[test]
fn policy_show_baseline_passes_policy_check() {
    let out = run(&["policy", "show", "baseline"], None);
    let toml = succeeded(&out);
    assert!(toml.contains("[policy]"));
    let path = temp_file("baseline.toml", &toml);
    let out = run(&["policy", "check", arg(&path)], None);
    let _ = std::fs::remove_file(&path);
    let line = succeeded(&out);
    assert!(line.starts_with("ok: baseline 2026.11 digest "), "{line}");
}

#[test]
fn resolved_school_policy_passes_policy_check_with_the_same_digest() {
    let out = run(&["policy", "show", "--resolved", "hilldene-primary"], None);
    succeeded(&out);
    let path = temp_file("hilldene-resolved.toml", &stdout(&out));
    let out = run(&["policy", "check", arg(&path)], None);
    let _ = std::fs::remove_file(&path);
    succeeded(&out);

    let decision = run(
        &["eval", "--policy", "hilldene-primary"],
        Some(GOOD.replace("baseline", "hilldene-primary").as_bytes()),
    );
    let digest = json(&stdout(&decision))["policy"]["digest"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(!digest.is_empty());
    assert!(
        stdout(&out).trim_end().ends_with(&digest),
        "{}",
        stdout(&out)
    );
}

const EXTENDS_HEADER: &str = r#"[policy]
id = "x"
name = "x"
version = "1"
source = "test"
extends = "baseline"
"#;

#[test]
fn policy_check_rejects_a_later_floor_deadline() {
    let text = format!(
        r#"{EXTENDS_HEADER}
[[sexting.actions]]
id = "sexting.floor.action.report_to_dsl"
floor = true
action = "report_to_dsl"
who = "dsl"
deadline = "within_one_working_day"
when = ["always"]
detail = "Whoever learns of the incident tells the DSL the same day."
cite = {{ source = "UKCIS Sharing nudes and semi-nudes: how to respond to an incident (overview) (2020, updated 2024)", section = "What to do if an incident comes to your attention" }}
"#
    );
    let path = temp_file("later-deadline.toml", &text);
    let p = arg(&path);

    let out = run(&["policy", "check", p], None);
    assert_eq!(out.status.code(), Some(2));
    let human = stderr(&out);
    assert!(human.starts_with("error[floor_violation]: "), "{human}");
    assert!(
        human.contains("sexting.floor.action.report_to_dsl"),
        "{human}"
    );

    let out = run(&["--json-errors", "policy", "check", p], None);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    let err = json(&stderr(&out));
    assert_eq!(err["error"]["code"], "floor_violation");
    assert_eq!(err["error"]["rule"], "sexting.floor.action.report_to_dsl");
}

#[test]
fn policy_check_rejects_removing_a_floor_rule() {
    let text = format!(
        "{EXTENDS_HEADER}\n[sexting]\nremove = [\"sexting.floor.criterion.content_violent\"]\n"
    );
    let path = temp_file("remove-floor.toml", &text);
    let out = run(&["--json-errors", "policy", "check", arg(&path)], None);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    let err = json(&stderr(&out));
    assert_eq!(err["error"]["code"], "floor_violation");
    assert_eq!(
        err["error"]["rule"],
        "sexting.floor.criterion.content_violent"
    );
}

#[test]
fn a_floor_breaking_policy_is_refused_by_eval_too() {
    let text = format!(
        "{EXTENDS_HEADER}\n[sexting]\nremove = [\"sexting.floor.criterion.content_violent\"]\n"
    );
    let path = temp_file("remove-floor-eval.toml", &text);
    let out = run(&["eval", "--policy", arg(&path)], Some(GOOD.as_bytes()));
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
}

#[test]
fn json_policy_files_are_read_as_json() {
    let text = r#"{"policy": {"id": "j", "name": "j", "version": "1", "source": "test", "extends": "baseline"}}"#;
    let path = temp_file("policy.json", text);
    let out = run(&["policy", "check", arg(&path)], None);
    let _ = std::fs::remove_file(&path);
    succeeded(&out);
    assert!(stdout(&out).starts_with("ok: j 1 digest "));
}

#[test]
fn usage_errors_exit_2_and_can_be_json() {
    let out = run(&["--json-errors", "eval", "--no-such-flag"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&stderr(&out))["error"]["code"], "usage");
}

#[test]
fn explain_prints_the_escalation_plan_as_a_checklist() {
    let request = br#"{"domain":"escalation","policy":"stanford-junior-infant",
        "category":"online_sexual_abuse","concern_about":"external_adult",
        "flags":{"immediate_danger":true},"reported_at":"2026-03-06T17:30"}"#;
    let o = run(&["eval", "--explain", "-"], Some(request));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let plan = text.find("The plan (tick each step").expect("a plan");
    let why = text.find("\nWhy:\n").expect("a Why section");
    assert!(plan < why, "the plan comes before the reasons:\n{text}");
    // The 999 call is step 1, with the school's own police contact.
    let first = &text[plan..];
    assert!(first.contains("[ ] 1. Tell the police on 999"), "{text}");
    assert!(first.contains("Humberside Police"), "{text}");
    // By when, as an absolute time; why, with the rule and its source.
    assert!(
        first.contains("By: 17:30 on Friday 6 March 2026 (immediately)."),
        "{text}"
    );
    assert!(first.contains("Why: "), "{text}");
    assert!(first.contains("(KCSIE 2026, \"Part one"), "{text}");
    assert!(!first.contains("escalation.floor"), "no rule ids: {text}");
    // 17:30 is out of hours: children's social care by the emergency line
    // now, the FFAP when it opens (lines wrap, so compare the words).
    let words = first.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("Call now: Out of Hours Service"), "{text}");
    assert!(words.contains("01472 325555"), "{text}");
    assert!(words.contains("Monday 9 March 2026, 08:30"), "{text}");
}

#[test]
fn explain_says_a_step_put_off_waits_for_the_service_to_open() {
    // Friday 18:30, unsure whether it is a crime, nobody at risk: Stanford's
    // FFAP is closed and its out-of-hours line is for emergencies only.
    let request = br#"{"domain":"escalation","policy":"stanford-junior-infant",
        "category":"cyberbullying","concern_about":"pupil",
        "flags":{"criminal_offence_unclear":true},"reported_at":"2026-03-06T18:30"}"#;
    let o = run(&["eval", "--explain", "-"], Some(request));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("By: 08:30 on Monday 9 March 2026 (when the service opens)."),
        "{text}"
    );
    assert!(
        !words.contains("Monday 9 March 2026 (immediately)"),
        "{text}"
    );
}

#[test]
fn escalation_jsonl_answers_each_line_in_order() {
    let lines = concat!(
        r#"{"domain":"escalation","policy":"baseline","category":"cyberbullying","concern_about":"pupil","reported_at":"2026-03-06T10:00"}"#,
        "\n",
        r#"{"domain":"escalation","policy":"baseline","category":"cyberbullying","reported_at":"2026-03-06T10:00"}"#,
        "\n",
        r#"{"domain":"escalation","policy":"baseline","category":"staff_misuse","concern_about":"headteacher","reported_at":"2026-03-06T10:00"}"#,
        "\n"
    );
    let o = run(&["eval", "--jsonl", "-"], Some(lines.as_bytes()));
    let out = stdout(&o);
    let answers: Vec<Value> = out.lines().map(json).collect();
    assert_eq!(answers.len(), 3, "{out}");
    assert_eq!(answers[0]["outcome"], "notify");
    assert_eq!(answers[1]["error"]["code"], "missing_field");
    assert_eq!(answers[1]["error"]["path"], "$.concern_about");
    assert_eq!(answers[2]["outcome"], "notify");
    assert!(!answers[2].to_string().contains("\"headteacher\""));
}

/// Issue 21: text that is not UTF-8 has one code everywhere; the CLI gave
/// `invalid_json` where the C ABI gave `invalid_utf8`.
#[test]
fn a_request_that_is_not_utf8_is_invalid_utf8_with_its_place() {
    let mut input = b"{\"domain\": \"devices\",\n \"policy\": \"".to_vec();
    input.extend_from_slice(b"\xc3\x28\"}");
    let out = run(&["--json-errors", "eval", "-"], Some(&input));
    assert_eq!(out.status.code(), Some(2));
    let err = json(&stderr(&out));
    assert_eq!(err["error"]["code"], "invalid_utf8", "{err}");
    assert_eq!(err["error"]["line"], 2);
    assert_eq!(err["error"]["column"], 13);

    let policy =
        std::env::temp_dir().join(format!("safeguard-cli-{}-bad.toml", std::process::id()));
    std::fs::write(&policy, b"[policy]\nid = \"\xff\"\n").expect("write temp file");
    let out = run(
        &["--json-errors", "policy", "check", policy.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&stderr(&out))["error"]["code"], "invalid_utf8");
}

/// Issue 21: a scenario file's request was decided whatever followed it; a
/// NUL byte or a form feed after the request object is not JSON.
#[test]
fn a_scenario_file_with_a_nul_or_form_feed_is_invalid_json() {
    let scenario =
        format!(r#"{{"request": {GOOD}, "expect": {{"outcome": "refer_immediately"}}}}"#);
    let out = run(&["eval", "-"], Some(scenario.as_bytes()));
    succeeded(&out);
    let at = scenario.find(r#", "expect""#).expect("the expect key");
    for odd in ["\u{0}", "\u{c}"] {
        let bad = format!("{}{odd}{}", &scenario[..at], &scenario[at..]);
        let out = run(&["--json-errors", "eval", "-"], Some(bad.as_bytes()));
        assert_eq!(out.status.code(), Some(2), "{odd:?}: {}", stdout(&out));
        assert_eq!(
            json(&stderr(&out))["error"]["code"],
            "invalid_json",
            "{odd:?}"
        );
    }
}

/// Issue 21: `--domain` that disagrees with the request's own `domain` was
/// silently ignored; it is refused at `$.domain`. Where the request leaves
/// its domain out, `--domain` still supplies it.
#[test]
fn a_domain_flag_that_disagrees_with_the_request_is_an_error() {
    let out = run(
        &["--json-errors", "eval", "--domain", "devices", "-"],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = json(&stderr(&out));
    assert_eq!(err["error"]["code"], "invalid_value", "{err}");
    assert_eq!(err["error"]["path"], "$.domain");

    let out = run(&["eval", "--domain", "sexting", "-"], Some(GOOD.as_bytes()));
    succeeded(&out);

    let without = GOOD.replace(r#""domain": "sexting", "#, "");
    assert_ne!(without, GOOD);
    let out = run(
        &["eval", "--domain", "sexting", "-"],
        Some(without.as_bytes()),
    );
    succeeded(&out);
    let out = run(
        &[
            "--json-errors",
            "eval",
            "--jsonl",
            "--domain",
            "escalation",
            "-",
        ],
        Some(format!("{GOOD}\n").as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&stdout(&out))["error"]["path"], "$.domain");
}

/// `--explain` of a refused request says which field is wrong and what
/// belongs there, in words, on stdout; the error stays on stderr with its
/// code and path, and the exit code is still 2.
#[test]
fn explain_of_a_refused_request_names_the_field_in_words() {
    let request = GOOD.replace(r#""age": 15"#, r#""date_of_birth": "2011-02-30""#);
    let out = run(&["eval", "--explain", "-"], Some(request.as_bytes()));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("This request could not be checked."),
        "{text}"
    );
    assert!(text.contains("date of birth of young person 1"), "{text}");
    assert!(text.contains("written as 2026-03-06"), "{text}");
    assert!(!text.contains('$') && !text.contains('_'), "{text}");
    let err = stderr(&out);
    assert!(err.contains("error[invalid_date]"), "{err}");
    assert!(err.contains("$.young_people[0].date_of_birth"), "{err}");
    // Without --explain, nothing is printed on stdout.
    let out = run(&["eval", "-"], Some(request.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
}
