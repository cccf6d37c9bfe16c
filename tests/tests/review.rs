//! The annual review report (issue 24, point 5): what national guidance
//! has changed since a policy's date that its own text does not address,
//! in words a governor reads, that nothing a policy says can turn into
//! markup.
//!
//! The expectations are worked out here from the data, independently of
//! the review's code: the table of changes (`review::CHANGES`), each
//! preset's own version and its rules as loaded. The oracle for "the
//! policy's own text covers it" is looser than the review's (a plain
//! substring, not whole words), so a change it finds uncovered must be
//! listed as not addressed.

mod markdown;

use markdown::{markdown_text, markup};
use safeguard_engine::review::{Review, CHANGES};
use safeguard_engine::{AnalysisLimits, Engine, ErrorCode};

/// The first date a preset's version (`YYYY-MM`, `YYYY.MM` or `YYYY-YY`)
/// can mean, as `YYYY-MM-DD`: an academic year from 1 January.
fn version_date(version: &str) -> String {
    let year = &version[..4];
    let rest: String = version[5..].chars().take(2).collect();
    match rest.parse::<u32>() {
        Ok(m) if (1..=12).contains(&m) => format!("{year}-{m:02}-01"),
        _ => format!("{year}-01-01"),
    }
}

/// A change's date as `YYYY-MM-DD` (a month alone from its first day).
fn change_date(took_effect: &str) -> String {
    if took_effect.len() == 7 {
        format!("{took_effect}-01")
    } else {
        took_effect.to_string()
    }
}

/// Every rule of a policy as (id, summary and section and details in lower
/// case, cited source), over the four areas, as JSON reads them.
fn rules(engine: &Engine) -> Vec<(String, String, String)> {
    let policy = serde_json::to_value(engine.policy()).expect("the policy serialises");
    let mut out = Vec::new();
    for (area, tables) in [
        ("sexting", &["rules", "actions"][..]),
        ("devices", &["rules"][..]),
        ("images", &["rules"][..]),
        ("escalation", &["rules"][..]),
    ] {
        for table in tables {
            for r in policy[area][table].as_array().into_iter().flatten() {
                let mut text = String::new();
                for field in ["summary", "detail"] {
                    text.push_str(r[field].as_str().unwrap_or(""));
                    text.push(' ');
                }
                text.push_str(r["cite"]["section"].as_str().unwrap_or(""));
                for step in r["steps"].as_array().into_iter().flatten() {
                    text.push(' ');
                    text.push_str(step["detail"].as_str().unwrap_or(""));
                }
                let source = r["cite"]["source"].as_str().unwrap_or("").to_string();
                out.push((
                    r["id"].as_str().unwrap_or("").to_string(),
                    text.to_lowercase(),
                    source,
                ));
                let _ = r;
            }
        }
    }
    out
}

#[test]
fn every_preset_lists_the_changes_since_its_date_its_own_text_does_not_cover() {
    let baseline = Engine::from_preset("baseline").expect("the baseline loads");
    let national = rules(&baseline);
    for id in Engine::presets() {
        let engine = Engine::from_preset(id).expect("the preset loads");
        let review = engine.review().expect("the preset is reviewed");
        let since = version_date(&engine.policy_ref().version);
        // The policy's own text: rules that are not the baseline's own,
        // citing a document the baseline does not cite.
        let own: Vec<(String, String, String)> = rules(&engine)
            .into_iter()
            .filter(|r| !national.contains(r))
            .filter(|(_, _, source)| !national.iter().any(|(_, _, s)| s == source))
            .collect();
        let mut expected_open = 0;
        for change in CHANGES {
            let listed = review.guidance.iter().find(|g| g.change.id == change.id);
            if change_date(change.took_effect) < since {
                assert!(listed.is_none(), "{id}: {} predates the policy", change.id);
                continue;
            }
            let Some(note) = listed else {
                panic!(
                    "{id}: {} took effect after the policy but is not listed",
                    change.id
                )
            };
            let covered = own.iter().any(|(rule, text, _)| {
                change.carried_by.contains(&rule.as_str())
                    || change.phrases.iter().any(|p| text.contains(p))
            });
            if !covered {
                expected_open += 1;
                assert!(
                    !note.addressed,
                    "{id}: {} is not covered by its text",
                    change.id
                );
                let md = review.to_markdown();
                assert!(
                    md.contains(&format!("### {} (took effect", change.title)),
                    "{md}"
                );
            }
        }
        let open = review.guidance.iter().filter(|g| !g.addressed).count();
        assert!(open >= expected_open, "{id}");
    }
}

/// The case the issue names: a 2017 policy says nothing of AI-generated
/// imagery or sextortion, both national guidance since March 2024.
#[test]
fn a_2017_policy_is_told_about_ai_imagery_and_sextortion() {
    let engine = Engine::from_preset("squirrels-heath-junior").expect("the preset loads");
    let review = engine.review().expect("the preset is reviewed");
    assert_eq!(review.dated.as_deref(), Some("September 2017"));
    for id in ["ukcis-2024-ai-imagery", "ukcis-2024-sextortion"] {
        let note = review
            .guidance
            .iter()
            .find(|g| g.change.id == id)
            .unwrap_or_else(|| panic!("{id} is not listed"));
        assert!(!note.addressed, "{id}");
        assert_eq!(note.took_effect, "11 March 2024");
    }
    let md = review.to_markdown();
    let ai = md
        .find("### AI-generated and altered nude images (took effect 11 March 2024)")
        .expect("the AI change has its heading");
    let after = &md[ai..];
    let next = after[4..].find("### ").map_or(after.len(), |i| i + 4);
    assert!(
        after[..next]
            .contains("Not addressed: none of the policy's own rules speaks to this topic."),
        "{}",
        &after[..next]
    );
    // The national baseline, dated after every change, is told of none.
    let baseline = Engine::from_preset("baseline").expect("the baseline loads");
    assert!(baseline.review().expect("reviewed").guidance.is_empty());
}

/// A school policy dated 2017 (its version).
fn school(extra: &str) -> String {
    format!(
        "[policy]\nid = \"toy-school\"\nname = \"Toy School\"\nversion = \"2017-09\"\nsource = \"Toy School, Online Safety Policy, September 2017\"\nextends = \"baseline\"\n{extra}"
    )
}

const DEEPFAKE_RULE: &str = r#"
[[escalation.rules]]
id = "escalation.toy.deepfakes"
categories = ["sexting"]
steps = [
  { action = "notify", who = "dsl", deadline = "immediately", detail = "Tell the DSL at once." },
]
summary = "A deepfake nude image of a pupil is handled as any other nude image."
cite = { source = "CITED", section = "Deepfakes and altered images" }
"#;

/// A school's own rule about deepfakes addresses the AI change, citing
/// its section; the same rule citing national guidance is not the
/// school's text, and without it the change is open again.
#[test]
fn a_rule_of_its_own_addresses_a_change_and_a_national_citation_does_not() {
    let note = |text: &str| {
        let engine = Engine::from_toml(text).expect("the policy loads");
        let review = engine.review().expect("reviewed");
        review
            .guidance
            .into_iter()
            .find(|g| g.change.id == "ukcis-2024-ai-imagery")
            .expect("listed")
    };
    let own = note(&school(
        &DEEPFAKE_RULE.replace("CITED", "Toy School, Online Safety Policy, September 2017"),
    ));
    assert!(own.addressed);
    assert_eq!(own.addressed_in, ["Deepfakes and altered images"]);
    let national = note(&school(&DEEPFAKE_RULE.replace(
        "CITED",
        "UKCIS Sharing nudes and semi-nudes (2020, updated 2024)",
    )));
    assert!(!national.addressed);
    let none = note(&school(""));
    assert!(!none.addressed);
    assert!(!none.set_aside);
}

/// Text a governor reads names no rule, token or JSON path: every rule id
/// of the policy and the baseline, every word with an underscore, and
/// the digest appear at most in the closing "about" line.
#[test]
fn the_report_names_no_rule_id_or_token_outside_its_about_line() {
    let baseline = Engine::from_preset("baseline").expect("the baseline loads");
    for id in Engine::presets() {
        let engine = Engine::from_preset(id).expect("the preset loads");
        let review = engine.review().expect("reviewed");
        for (layout, text) in [
            ("markdown", review.to_markdown()),
            ("html", review.to_html()),
        ] {
            let body = text
                .split("About this report")
                .next()
                .expect("a body before the about line");
            let ids: Vec<String> = rules(&engine)
                .into_iter()
                .chain(rules(&baseline))
                .map(|(id, _, _)| id)
                .collect();
            for rule in &ids {
                assert!(!body.contains(rule.as_str()), "{id} {layout}: names {rule}");
            }
            for word in body.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
                assert!(!word.contains('_'), "{id} {layout}: token {word}");
            }
            assert!(!body.contains("$."), "{id} {layout}");
            assert!(
                !body.contains(&*engine.policy_ref().digest),
                "{id} {layout}"
            );
            // Its id (where its name does not hold the same word).
            if !engine
                .policy()
                .policy
                .name
                .contains(&*engine.policy_ref().id)
            {
                assert!(
                    !body.contains(&*engine.policy_ref().id),
                    "{id} {layout}: names its id"
                );
            }
            assert!(
                text.contains(&*engine.policy_ref().digest),
                "{id} {layout}: about line"
            );
        }
    }
}

const HOSTILE: &[&str] = &[
    "# Heading [click](https://evil.example/) ![x](https://evil.example/x.png)",
    "- item <script>alert(1)</script> <b>bold</b> &amp; &#60;i&#62;",
    "1. one `code` *em* _em_ **strong** ~~gone~~ <https://evil.example/>",
    "> quote | table | \\ backslash {braces} \" ' <img src=x onerror=alert(1)>",
];

/// A policy whose name, source, summary and section are `text`.
fn hostile_policy(text: &str) -> Review {
    let s = toml::Value::String(text.to_string()).to_string();
    let policy = format!(
        r#"[policy]
id = "toy-school"
name = {s}
version = "2017-09"
source = {s}
extends = "baseline"

[[devices.rules]]
id = "devices.toy.years_5_6_bring_phones"
effect = "allow"
roles = ["pupil"]
year_groups = [5, 6]
devices = ["mobile_phone"]
owner = "personal"
actions = ["bring_on_site"]
conditions = ["hand_in_to_office"]
summary = {s}
cite = {{ source = {s}, section = {s} }}
"#
    );
    Engine::from_toml(&policy)
        .expect("the policy loads")
        .review()
        .expect("reviewed")
}

/// The tags of an HTML page, in order, without their attributes.
fn html_tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|t| {
            t.split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// Nothing a policy says becomes markup: with its name, source, a rule's
/// summary and section each hostile, the Markdown has exactly the
/// structure it has with a plain word there and shows the hostile text as
/// written; the HTML has exactly the same tags, and the text escaped.
#[test]
fn policy_text_cannot_add_markup_to_the_report() {
    let plain = hostile_policy("Plain");
    let plain_md = markup(&plain.to_markdown());
    let plain_tags = html_tags(&plain.to_html());
    assert!(!plain_tags
        .iter()
        .any(|t| t == "script" || t == "a" || t == "img"));
    for text in HOSTILE {
        let review = hostile_policy(text);
        let md = review.to_markdown();
        assert_eq!(markup(&md), plain_md, "{text}\n{md}");
        let shown = markdown_text(&md);
        let words: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            shown.contains(&words),
            "{text} is not shown as written:\n{shown}"
        );
        let html = review.to_html();
        assert_eq!(html_tags(&html), plain_tags, "{text}\n{html}");
        let escaped = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            !html.contains("<script>") && !html.contains("<img"),
            "{html}"
        );
        assert!(
            html.contains(
                &escaped
                    .replace('"', "&quot;")
                    .replace('\'', "&#x27;")
                    .replace('/', "&#x2F;")
            ),
            "{text} is not escaped in the HTML"
        );
    }
}

/// The HTML is one self-contained page for print: no script, nothing
/// loaded from elsewhere, print rules.
#[test]
fn the_html_is_a_self_contained_printable_page() {
    let engine = Engine::from_preset("hilldene-primary").expect("the preset loads");
    let html = engine.review().expect("reviewed").to_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@media print"));
    assert!(html.contains("default-src 'none'"));
    for banned in ["<script", "<link", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(banned), "{banned}");
    }
}

/// The work is bounded: within a memory limit too small for the analysis
/// the review is refused with `too_complex`, as lint and diff are; and
/// each list stops at the limit, counting the rest.
#[test]
fn the_review_is_bounded() {
    let engine = Engine::from_preset("squirrels-heath-junior").expect("the preset loads");
    let err = engine
        .review_within(&AnalysisLimits::with_memory(1 << 10))
        .expect_err("too little memory");
    assert_eq!(err.error_code(), ErrorCode::TooComplex);
    let review = engine.review().expect("reviewed");
    let lint = engine.lint().expect("linted");
    assert_eq!(
        review.findings.lines.len() + review.findings.more,
        lint.findings.len()
    );
    assert!(review.findings.lines.len() <= safeguard_engine::review::MAX_LINES);
}

/// `json::review` gives the typed report, its Markdown and its HTML.
#[test]
fn the_json_review_carries_the_report_and_both_layouts() {
    let engine = Engine::from_preset("west-hill-primary").expect("the preset loads");
    let json = safeguard_engine::json::review(
        &engine,
        &AnalysisLimits::default(),
        safeguard_engine::json::Layout::Compact,
    )
    .expect("reviewed");
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let review = engine.review().expect("reviewed");
    assert_eq!(value["markdown"], review.to_markdown());
    assert_eq!(value["html"], review.to_html());
    assert_eq!(
        value["guidance"].as_array().map(Vec::len),
        Some(review.guidance.len())
    );
    assert!(value["guidance"][0]["change"]["carried_by"].is_array());
    assert!(value["guidance"][0]["change"].get("phrases").is_none());
}
