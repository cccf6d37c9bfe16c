//! The floor covers a step's meaning, not only its tokens (SPEC §1.3, §5,
//! §6; issue 21, point 4). Each test builds a hostile policy that extends
//! the baseline (or a preset), as an adversarial review did, and checks
//! that it is refused with `floor_violation` naming the rule, or, where the
//! policy may load (due times, names), that the answer stays safe.

use safeguard_engine::escalation::{Category, ConcernAbout};
use safeguard_engine::{Engine, Error, Who};
use serde_json::Value;

/// The identity of a school policy extending `parent`.
fn head(parent: &str) -> String {
    format!(
        r#"
[policy]
id = "test-school"
name = "Test School"
version = "1"
source = "test"
extends = "{parent}"
"#
    )
}

fn load(body: &str) -> Result<Engine, Error> {
    Engine::from_toml(&format!("{}{body}", head("baseline")))
}

/// Loading `text` fails with `floor_violation` naming `rule`, and the
/// message names the rule.
fn refused_text(text: &str, rule: &str) {
    match Engine::from_toml(text) {
        Ok(_) => panic!("policy loaded, but it should break floor rule {rule}"),
        Err(e) => {
            assert_eq!(e.code(), "floor_violation", "{e}");
            assert_eq!(e.rule(), Some(rule), "{e}");
            assert!(e.to_string().contains(rule), "message names the rule: {e}");
        }
    }
}

fn refused(body: &str, rule: &str) {
    refused_text(&format!("{}{body}", head("baseline")), rule);
}

/// A preset's text for the `[[table]]` block holding `id`.
fn block(preset: &str, id: &str) -> String {
    let text = safeguard_engine::policy::presets::source(preset).unwrap();
    let start = text
        .find(&format!("id = \"{id}\""))
        .unwrap_or_else(|| panic!("{id} is in {preset}"));
    let block_start = text[..start].rfind("[[").unwrap();
    let end = text[start..].find("\n\n").map_or(text.len(), |i| start + i);
    format!("\n{}\n", &text[block_start..end])
}

/// The preset that deletes leavers' images and asks consent for internal
/// assessment, and a school policy built on it.
const LANSBURY: &str = "lansbury-lawrence-primary";

fn on_lansbury(body: &str) -> String {
    format!("{}{body}", head(LANSBURY))
}

fn baseline_block(id: &str) -> String {
    block("baseline", id)
}

fn decide(engine: &Engine, request: &str) -> Value {
    let out = engine.evaluate_json(request).expect("decides");
    serde_json::from_str(&out).unwrap()
}

fn actions(answer: &Value) -> &Vec<Value> {
    answer["actions"].as_array().unwrap()
}

/// The step `action` for `who` in an answer.
fn step<'a>(answer: &'a Value, action: &str, who: &str) -> &'a Value {
    actions(answer)
        .iter()
        .find(|a| a["action"] == action && a["who"] == who)
        .unwrap_or_else(|| panic!("no {action} for {who} in {answer}"))
}

// ---------------------------------------------------------------------------
// Who carries out a floor step
// ---------------------------------------------------------------------------

#[test]
fn a_floor_action_handed_to_another_party_is_refused() {
    // The child told to refer themselves to the police.
    let id = "sexting.floor.action.refer_to_police";
    refused(
        &baseline_block(id).replace("who = \"police\"", "who = \"young_person\""),
        id,
    );
    // The instruction to staff given to the parents instead.
    let id = "sexting.floor.action.do_not_view_copy_share_delete";
    refused(
        &baseline_block(id).replace("who = \"all_staff\"", "who = \"parents\""),
        id,
    );
    // Restated as it is, with the school's own citation, it loads.
    let id = "sexting.floor.action.refer_to_police";
    let own = baseline_block(id).replace(
        "cite = { source = \"UKCIS",
        "cite = { source = \"Test School policy\", section = \"Sexting\" }\n# was: { source = \"UKCIS",
    );
    assert!(load(&own).is_ok());
}

// ---------------------------------------------------------------------------
// The emergency service
// ---------------------------------------------------------------------------

#[test]
fn the_emergency_number_cannot_be_changed() {
    let rule = "bodies.police_999";
    for bad in [
        // A voicemail number, another number, no number.
        "title = \"Police (emergency)\"\nphone = \"0300 123 4567 (voicemail)\"",
        "title = \"Police (emergency)\"\nphone = \"01234 567890\"",
        "title = \"Police (emergency)\"",
        // Hours, or an all-day \"leave a message\" route: 999 has no hours.
        "title = \"Police (emergency)\"\nphone = \"999\"\nhours = \"09:00-17:00\"",
        "title = \"Police (emergency)\"\nphone = \"999\"\nout_of_hours = { title = \"Leave a message\", phone = \"0300 123 4567\", hours = \"00:00-23:59\" }",
    ] {
        refused(&format!("[bodies.police_999]\n{bad}\n"), rule);
    }
    // The school may give it its own force's name.
    let e =
        load("[bodies.police_999]\ntitle = \"Humberside Police (emergency)\"\nphone = \"999\"\n")
            .expect("loads");
    let answer = decide(
        &e,
        r#"{"domain":"escalation","category":"cyberbullying","concern_about":"pupil",
            "flags":{"immediate_danger":true},"reported_at":"2026-03-07T11:00"}"#,
    );
    assert_eq!(
        actions(&answer)[0]["contact"],
        "Humberside Police (emergency), 999"
    );
}

// ---------------------------------------------------------------------------
// Out-of-hours routes of floor recipients
// ---------------------------------------------------------------------------

#[test]
fn a_floor_recipients_out_of_hours_route_must_reach_someone() {
    for (table, who) in [
        ("roles", "dsl"),
        ("roles", "headteacher"),
        ("bodies", "childrens_social_care"),
        ("bodies", "lado"),
    ] {
        let rule = format!("{table}.{who}");
        for route in [
            // Nobody: no number at all.
            "{ title = \"Nobody\", hours = \"17:00-08:00\" }",
            // A number that is not a number.
            "{ title = \"On call\", phone = \"leave a message at the office\", hours = \"17:00-08:00\" }",
            // A number marked as voicemail or message-only.
            "{ title = \"Voicemail\", phone = \"0300 123 4567\", hours = \"17:00-08:00\" }",
            "{ title = \"On call\", phone = \"0300 123 4567 (answerphone)\", hours = \"17:00-08:00\" }",
            // \"Out of hours\" all day, over the school day.
            "{ title = \"On call\", phone = \"0300 123 4567\", hours = \"00:00-23:59\" }",
            "{ title = \"On call\", phone = \"0300 123 4567\", hours = \"12:00-11:00\" }",
        ] {
            refused(
                &format!("[{table}.{who}]\ntitle = \"Someone\"\nout_of_hours = {route}\n"),
                &rule,
            );
        }
    }
    // A route with a number, outside the school day, loads, and a floor
    // step outside hours gives it.
    let e = load(
        "[roles.dsl]\ntitle = \"DSL\"\nphone = \"01234 567890\"\nout_of_hours = { title = \"DSL on call\", phone = \"07700 900123\", hours = \"18:00-08:00\" }\n",
    )
    .expect("loads");
    let answer = decide(
        &e,
        r#"{"domain":"escalation","category":"online_sexual_abuse","concern_about":"external_adult",
            "reported_at":"2026-03-10T21:00"}"#,
    );
    let dsl = step(&answer, "notify", "dsl");
    assert_eq!(dsl["due"], "2026-03-10T21:00");
    assert!(
        dsl["contact"]
            .as_str()
            .unwrap()
            .contains("DSL on call, 07700 900123"),
        "{dsl}"
    );
    // Outside the floor, a school's own route is its own business.
    assert!(load(
        "[roles.network_manager]\ntitle = \"IT\"\nout_of_hours = { title = \"Ticket queue\", hours = \"17:00-08:00\" }\n"
    )
    .is_ok());
}

// ---------------------------------------------------------------------------
// Due times of floor steps
// ---------------------------------------------------------------------------

/// A school whose timetable, term dates, closures and after-hours setting
/// would each make a floor deadline later than the baseline's.
const HOSTILE_CLOCK: &str = r#"
[timetable]
day_start = "08:45"
day_end = "23:30"
terms = [{ start = "2026-12-01", end = "2026-12-18" }]
closures = ["2026-03-11", "2026-03-12", "2026-03-13", "2026-03-16", "2026-03-17", "2026-03-18"]

[escalation]
same_day_after_hours = "next_school_day_start"
"#;

#[test]
fn a_timetable_or_term_dates_never_make_a_floor_step_later() {
    let e = load(HOSTILE_CLOCK).expect("a school may set its own calendar");
    // A Tuesday in March, outside the school's terms: the floor's "same
    // day" is the baseline's, not the first day of the December term.
    let answer = decide(
        &e,
        r#"{"domain":"escalation","category":"cyberbullying","concern_about":"pupil",
            "reported_at":"2026-03-10T10:00"}"#,
    );
    assert_eq!(step(&answer, "notify", "dsl")["due"], "2026-03-10T15:15");
    assert_eq!(
        step(&answer, "notify", "parents")["due"],
        "2026-03-10T15:15"
    );
    // A concern about staff: the LADO within one working day, Wednesday,
    // whatever closures the school lists.
    let answer = decide(
        &e,
        r#"{"domain":"escalation","category":"staff_misuse","concern_about":"staff",
            "reported_at":"2026-03-10T10:00"}"#,
    );
    assert_eq!(step(&answer, "notify", "lado")["due"], "2026-03-11T15:15");
    // After the school day, the floor's "same day" is that evening, not the
    // next school day.
    let answer = decide(
        &e,
        r#"{"domain":"escalation","category":"radicalisation","concern_about":"pupil",
            "reported_at":"2026-12-02T23:45"}"#,
    );
    assert_eq!(step(&answer, "notify", "dsl")["due"], "2026-12-02T23:59");
    // The sexting plan is routed the same way.
    let answer = decide(
        &e,
        r#"{"domain":"sexting","incident_date":"2026-03-10","reported_at":"2026-03-10T10:00",
            "young_people":[{"id":"a","age":14,"role":"subject"}],
            "facts":{"adult_involved":"no","coercion_blackmail_or_grooming":"no",
              "financially_motivated_extortion":"no","capacity_to_consent_concern":"no",
              "content_atypical_for_development":"no","content_violent":"no",
              "content_sexual_acts":"no","ai_generated_or_manipulated":"no",
              "immediate_risk_of_harm":"no","parental_involvement_would_risk_child":"no"}}"#,
    );
    assert_eq!(
        step(&answer, "initial_review_meeting", "dsl")["due"],
        "2026-03-10T15:15",
        "{answer}"
    );
}

#[test]
fn a_school_may_still_make_a_floor_step_earlier() {
    let e = load("[timetable]\nday_start = \"08:30\"\nday_end = \"14:00\"\n").unwrap();
    let answer = decide(
        &e,
        r#"{"domain":"escalation","category":"cyberbullying","concern_about":"pupil",
            "reported_at":"2026-03-10T10:00"}"#,
    );
    assert_eq!(step(&answer, "notify", "dsl")["due"], "2026-03-10T14:00");
}

// ---------------------------------------------------------------------------
// A concern never reaches the person it is about
// ---------------------------------------------------------------------------

#[test]
fn a_concern_never_reaches_its_subject_however_the_name_is_spelled() {
    for (head_name, chair_name) in [
        ("Mr Pat Head", "mr  pat head "),
        ("Dr. Pat Head", "PAT HEAD"),
        ("Mrs Pat Head-Smith", "Pat Head Smith"),
        ("Ms P\u{e1}t O'Head", "pat ohead"),
        ("Pat Head", "Ms Pat Head and Sam Other"),
        // Common spellings of one name (issue 21 review, second round).
        ("Pat Head", "Head, Pat"),
        ("Pat Head", "HEAD Pat"),
        ("Pat Head", "P. Head"),
        ("Pat Head", "Pat Head MBE"),
        ("Pat Head", "Pat Head BEd NPQH"),
        ("Pat Head", "Pat Head (Headteacher)"),
        ("Pat Head", "Cllr Pat Head"),
        ("Pat Head", "Fr Pat Head"),
        ("Pat Head", "Pat Head + Sam Smith"),
        ("Pat Head", "Pat Head|Sam Smith"),
        ("Pat Head", "Pat Head\\nSam Smith"),
        ("Pat Head", "P\u{430}t Head"),
        ("Pat Head", "Pat\u{200b}Head"),
    ] {
        let e = load(&format!(
            "[roles.headteacher]\ntitle = \"Headteacher\"\nname = \"{head_name}\"\n\n[roles.chair_of_governors]\ntitle = \"Chair\"\nname = \"{chair_name}\"\n"
        ))
        .unwrap();
        let answer = decide(
            &e,
            r#"{"domain":"escalation","category":"staff_misuse","concern_about":"headteacher",
                "reported_at":"2026-03-10T10:00"}"#,
        );
        for a in actions(&answer) {
            assert!(
                a["who"] != "headteacher" && a["who"] != "chair_of_governors",
                "{head_name} / {chair_name}: {a}"
            );
        }
    }
    // Different people stay different: the chair is told.
    let e = load(
        "[roles.headteacher]\ntitle = \"Headteacher\"\nname = \"Mr Pat Head\"\n\n[roles.chair_of_governors]\ntitle = \"Chair\"\nname = \"Mrs Pat Heads\"\n",
    )
    .unwrap();
    let answer = decide(
        &e,
        r#"{"domain":"escalation","category":"staff_misuse","concern_about":"headteacher",
            "reported_at":"2026-03-10T10:00"}"#,
    );
    step(&answer, "notify", "chair_of_governors");
}

/// The head "Pat Head", and a concern about the head: no step reaches the
/// head's roles, however `chair` gives the chair of governors.
fn head_request_reaches_neither(chair: &str) {
    let e = load(&format!(
        "[roles.headteacher]\ntitle = \"Headteacher\"\nname = \"Pat Head\"\n\n{chair}"
    ))
    .unwrap_or_else(|e| panic!("{chair}: {e}"));
    let answer = decide(&e, HEAD_REQUEST);
    for a in actions(&answer) {
        assert!(
            a["who"] != "headteacher" && a["who"] != "chair_of_governors",
            "{chair}: {a}"
        );
    }
}

const HEAD_REQUEST: &str = r#"{"schema_version":1,"domain":"escalation","category":"staff_misuse","concern_about":"headteacher","flags":{},"reported_at":"2026-03-11T10:15"}"#;

#[test]
fn a_holder_is_recognised_in_either_table_and_in_a_title() {
    // The chair given in `bodies` rather than `roles`.
    head_request_reaches_neither(
        "[bodies.chair_of_governors]\ntitle = \"Chair\"\nname = \"Mr Pat Head\"\n",
    );
    // The chair's name given only inside its title.
    head_request_reaches_neither(
        "[roles.chair_of_governors]\ntitle = \"Chair of Governors (Pat Head)\"\n",
    );
    head_request_reaches_neither(
        "[bodies.chair_of_governors]\ntitle = \"Chair of Governors: Pat Head\"\n",
    );
}

// ---------------------------------------------------------------------------
// A name never keeps a step from a body outside the school
// ---------------------------------------------------------------------------

/// The people in the school (`Who::is_person_in_school`): the only parties
/// a concern may be kept from by name.
const IN_SCHOOL: [&str; 9] = [
    "dsl",
    "deputy_dsl",
    "online_safety_lead",
    "headteacher",
    "deputy_head",
    "chair_of_governors",
    "safeguarding_governor",
    "network_manager",
    "data_protection_officer",
];

/// Contacts naming every party `who` gives in `table`, with `name`
/// (`police_999` keeps its number, as the floor requires).
fn everyone_named(table: &str, who: &[&str], name: &str) -> String {
    who.iter()
        .map(|w| {
            let phone = if *w == "police_999" {
                "phone = \"999\"\n"
            } else {
                ""
            };
            format!("\n[{table}.{w}]\ntitle = \"{w}\"\nname = \"{name}\"\n{phone}")
        })
        .collect()
}

fn escalation_request(category: &str, about: &str, flags: &str) -> String {
    format!(
        r#"{{"schema_version":1,"domain":"escalation","category":"{category}","concern_about":"{about}","flags":{{{flags}}},"reported_at":"2026-03-11T10:15"}}"#
    )
}

/// The (action, who) of each step in an answer.
fn steps_of(answer: &Value) -> Vec<(String, String)> {
    actions(answer)
        .iter()
        .map(|a| (a["action"].to_string(), a["who"].to_string()))
        .collect()
}

#[test]
fn a_name_shared_with_the_subject_never_drops_a_body_outside_the_school() {
    // The DSL and the 999 contact share a name: a concern about the DSL in
    // immediate danger still calls 999.
    let e = load(
        "[roles.dsl]\ntitle = \"DSL\"\nname = \"Sam Smith\"\n\n[roles.police_999]\ntitle = \"Police\"\nname = \"Sam Smith\"\nphone = \"999\"\n",
    )
    .unwrap();
    let answer = decide(
        &e,
        &escalation_request("online_sexual_abuse", "dsl", r#""immediate_danger":true"#),
    );
    assert!(
        actions(&answer).iter().any(|a| a["who"] == "police_999"),
        "{answer}"
    );
    // The same with children's social care.
    let baseline = Engine::from_preset("baseline").unwrap();
    let request = escalation_request("online_sexual_abuse", "dsl", r#""immediate_danger":true"#);
    let e = load(
        "[roles.dsl]\ntitle = \"DSL\"\nname = \"Sam Smith\"\n\n[bodies.childrens_social_care]\ntitle = \"MASH\"\nname = \"Sam Smith\"\n",
    )
    .unwrap();
    let csc = |answer: &Value| {
        actions(answer)
            .iter()
            .filter(|a| a["who"] == "childrens_social_care")
            .count()
    };
    assert!(csc(&decide(&baseline, &request)) > 0);
    assert_eq!(
        csc(&decide(&e, &request)),
        csc(&decide(&baseline, &request))
    );
    // A DSL "Mrs Smith" and a LADO "Mr Smith": a concern about the DSL
    // still goes to the LADO.
    let e = load(
        "[roles.dsl]\ntitle = \"DSL\"\nname = \"Mrs Smith\"\n\n[bodies.lado]\ntitle = \"LADO\"\nname = \"Mr Smith\"\n",
    )
    .unwrap();
    step(
        &decide(&e, &escalation_request("staff_misuse", "dsl", "")),
        "notify",
        "lado",
    );
}

#[test]
fn every_step_to_a_body_outside_the_school_survives_any_name_collision() {
    // Every category and subject the engine knows (its own lists).
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    let subjects: Vec<&str> = ConcernAbout::ALL.iter().map(|a| a.as_str()).collect();
    let flags = [
        "immediate_danger",
        "criminal_offence_suspected",
        "criminal_offence_unclear",
        "illegal_material",
        "on_school_systems",
        "outside_school",
        "other_schools_involved",
        "ongoing_or_repeated",
        "threat_to_life",
        "parental_involvement_would_risk_child",
        "low_level_concern",
    ];
    let mut flag_sets: Vec<String> = vec![String::new()];
    flag_sets.extend(flags.iter().map(|f| format!("\"{f}\":true")));
    flag_sets.push(
        flags
            .iter()
            .map(|f| format!("\"{f}\":true"))
            .collect::<Vec<_>>()
            .join(","),
    );
    // Every party a policy can name: the people in the school and every
    // body and group.
    let all_who: Vec<&str> = Who::ALL.iter().map(|w| w.as_str()).collect();
    let outside: Vec<&str> = all_who
        .iter()
        .copied()
        .filter(|w| !IN_SCHOOL.contains(w) && !["all_staff", "school_office"].contains(w))
        .collect();
    // Everyone one name, in either table; and surnames only ("Mrs Smith"
    // in the school, "Mr Smith" outside it).
    let hostile = [
        everyone_named("roles", &all_who, "Sam Smith"),
        everyone_named("bodies", &all_who, "Sam Smith"),
        everyone_named("roles", &IN_SCHOOL, "Mrs Smith")
            + &everyone_named("bodies", &outside, "Mr Smith"),
    ];
    for preset in Engine::presets() {
        let reference = Engine::from_preset(preset).unwrap();
        let engines: Vec<Engine> = hostile
            .iter()
            .map(|names| {
                Engine::from_toml(&format!("{}{names}", head(preset)))
                    .unwrap_or_else(|e| panic!("{preset}: {e}"))
            })
            .collect();
        for &category in &categories {
            for &about in &subjects {
                for flags in &flag_sets {
                    let request = escalation_request(category, about, flags);
                    let expected: Vec<(String, String)> = steps_of(&decide(&reference, &request))
                        .into_iter()
                        .filter(|(_, who)| outside.iter().any(|o| who == &format!("\"{o}\"")))
                        .collect();
                    for engine in &engines {
                        let got = steps_of(&decide(engine, &request));
                        for step in &expected {
                            assert!(
                                got.contains(step),
                                "{preset}: {request}: {step:?} lost, got {got:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Breach consequences of floor rules
// ---------------------------------------------------------------------------

#[test]
fn a_floor_rule_restated_without_its_breach_consequence_is_refused() {
    for id in [
        "devices.floor.no_personal_devices_in_private_areas",
        "devices.floor.staff_never_photograph_pupils_on_personal_devices",
    ] {
        let restated = baseline_block(id);
        let dropped: String = restated
            .lines()
            .filter(|l| !l.starts_with("on_breach"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_ne!(restated.trim(), dropped.trim(), "{id} has an on_breach");
        refused(&dropped, id);
        assert!(load(&restated).is_ok(), "{id} restated as it is");
    }
}

// ---------------------------------------------------------------------------
// Leavers, consent per channel, the initial-review checklist
// ---------------------------------------------------------------------------

const LEAVER_ON_WEBSITE: &str = r#"{"domain":"images","channel":"website",
  "media":{"kind":"photo","composition":"group","filename":"p.jpg","has_geodata":false,
    "captured_on":"school_device","suitably_dressed":true},
  "pupils":[{"id":"p1","first_name":"Amy","last_name":"Smith","on_roll":false,"left_on":"2025-07-18",
    "restriction":"none",
    "consent":{"display":"yes","website":"yes","prospectus":"yes","social_media":"yes","press":"yes",
      "name_with_image":"yes","individual_use":"yes"}}]}"#;

#[test]
fn leavers_stay_unpublished_and_deletion_stays_where_a_policy_has_it() {
    let id = "images.leaver";
    refused("[images]\nremove = [\"images.leaver\"]\n", id);
    // Restated on fewer channels, or off the floor.
    let leaver = baseline_block(id);
    refused(
        &leaver.replace(
            "leaver = \"block\"",
            "channels = [\"newsletter\"]\nleaver = \"block\"",
        ),
        id,
    );
    refused(&leaver.replace("floor = true\n", ""), id);
    // Tightened to deletion, it loads and deletes.
    let e = load(&leaver.replace("leaver = \"block\"", "leaver = \"delete\"")).unwrap();
    let answer = decide(&e, LEAVER_ON_WEBSITE);
    assert_eq!(answer["outcome"], "block");
    step(&answer, "delete", "school_office");
    // A policy that deletes leavers' images (Lansbury Lawrence) keeps that
    // for every policy built on it.
    let lansbury = block(LANSBURY, id);
    refused_text(
        &on_lansbury(&lansbury.replace("leaver = \"delete\"", "leaver = \"block\"")),
        id,
    );
    let e = Engine::from_toml(&on_lansbury(&lansbury)).expect("restating the deletion loads");
    step(&decide(&e, LEAVER_ON_WEBSITE), "delete", "school_office");
}

const WITHDRAWN_ON_WEBSITE: &str = r#"{"domain":"images","channel":"website",
  "media":{"kind":"photo","composition":"individual","filename":"p.jpg","has_geodata":false,
    "captured_on":"school_device","suitably_dressed":true},
  "pupils":[{"id":"p1","first_name":"Amy","last_name":"Smith","on_roll":true,"restriction":"none",
    "consent":{"display":"yes","website":"withdrawn","prospectus":"yes","social_media":"yes",
      "press":"yes","name_with_image":"yes","individual_use":"yes"}}]}"#;

#[test]
fn consent_for_a_channel_cannot_be_dropped_or_weakened() {
    let id = "images.consent.website";
    let website = baseline_block(id);
    // Restated with no purpose, or only display consent.
    refused(&website.replace("purpose = \"website\"\n", ""), id);
    refused(
        &website.replace("purpose = \"website\"", "purpose = \"display\""),
        id,
    );
    // ... or with another channel's purpose under the same id.
    refused(
        &website.replace("purpose = \"website\"", "purpose = \"press\""),
        id,
    );
    // Dropped and put back under another id without a purpose.
    refused(
        "[images]\nremove = [\"images.consent.website\"]\n\n[[images.rules]]\nid = \"images.school.website\"\ncheck = \"consent\"\nchannels = [\"website\"]\nsummary = \"Anything goes.\"\ncite = { source = \"test\", section = \"Images\" }\n",
        id,
    );
    // Dropping a channel's consent rule leaves the channel uncovered, which
    // blocks (as two presets do for social media).
    let e = load("[images]\nremove = [\"images.consent.website\"]\n").unwrap();
    assert_eq!(decide(&e, WITHDRAWN_ON_WEBSITE)["outcome"], "block");
    // Restated with its purpose on more channels, it loads and blocks.
    let e = load(&website.replace(
        "channels = [\"website\"]",
        "channels = [\"website\", \"newsletter\"]",
    ))
    .unwrap();
    assert_eq!(decide(&e, WITHDRAWN_ON_WEBSITE)["outcome"], "block");
}

#[test]
fn consent_a_school_policy_requires_stays_in_a_policy_built_on_it() {
    // Lansbury Lawrence asks for display consent for internal assessment,
    // where the baseline asks none; a policy built on it keeps that.
    let id = "images.consent.internal_assessment";
    let lansbury = block(LANSBURY, id);
    refused_text(
        &on_lansbury(&lansbury.replace("purpose = \"display\"\n", "")),
        id,
    );
    assert!(Engine::from_toml(&on_lansbury(&lansbury)).is_ok());
    // On the baseline, which asks none there, the same rule loads.
    assert!(load(&baseline_block(id)).is_ok());
}

#[test]
fn the_initial_review_checklist_cannot_be_emptied() {
    let rule = "sexting.checklist";
    let baseline = Engine::from_preset("baseline").unwrap();
    let items: Vec<String> = baseline
        .policy()
        .sexting
        .checklist
        .iter()
        .map(|c| format!("\"{}\"", c.item))
        .collect();
    assert!(items.len() >= 8);
    // Every question removed, or one of them.
    refused(
        &format!("[sexting]\nremove = [{}]\n", items.join(", ")),
        rule,
    );
    refused(&format!("[sexting]\nremove = [{}]\n", items[1]), rule);
    // A question emptied.
    refused(
        "[[sexting.checklist]]\nitem = \"why_shared\"\nquestion = \"  \"\n",
        rule,
    );
    // A complete document without a checklist.
    let text = safeguard_engine::policy::presets::source("baseline").unwrap();
    let cut_start = text.find("[[sexting.checklist]]").unwrap();
    let cut_end = text.find("[timetable]").unwrap();
    let without = format!("{}{}", &text[..cut_start], &text[cut_end..])
        .replace("id = \"baseline\"", "id = \"no-checklist\"");
    refused_text(&without, rule);
    // A school may reword a question or add its own.
    let e = load(
        "[[sexting.checklist]]\nitem = \"why_shared\"\nquestion = \"Why was it shared?\"\n\n[[sexting.checklist]]\nitem = \"school_extra\"\nquestion = \"Has the school's counsellor been told?\"\n",
    )
    .unwrap();
    assert_eq!(e.policy().sexting.checklist.len(), items.len() + 1);
}

// ---------------------------------------------------------------------------
// A school's policy cannot take a built-in policy's id
// ---------------------------------------------------------------------------

#[test]
fn a_school_policy_cannot_take_a_built_in_id() {
    for id in Engine::presets() {
        let text = format!("{}[roles.dsl]\ntitle = \"DSL\"\n", head("baseline"))
            .replace("id = \"test-school\"", &format!("id = \"{id}\""));
        let e = Engine::from_toml(&text).expect_err(id);
        assert_eq!(e.code(), "invalid_value", "{id}: {e}");
        assert_eq!(e.path(), Some("policy.id"), "{id}: {e}");
    }
    // A complete copy of the baseline under its own id, changed.
    let text = safeguard_engine::policy::presets::source("baseline")
        .unwrap()
        .replace(
            "title = \"Designated Safeguarding Lead\"",
            "title = \"Someone else\"",
        );
    assert_eq!(
        Engine::from_toml(&text).unwrap_err().code(),
        "invalid_value"
    );
    // A built-in policy written out and read back in is that policy, so
    // it keeps its id.
    for id in Engine::presets() {
        let engine = Engine::from_preset(id).unwrap();
        let again = Engine::from_toml(&engine.policy_toml().unwrap()).unwrap();
        assert_eq!(again.policy_ref(), engine.policy_ref());
    }
}

// ---------------------------------------------------------------------------
// A group that holds the subject
// ---------------------------------------------------------------------------

/// A school escalation rule about `about` that notifies `group`.
fn group_rule(about: &str, group: &str) -> String {
    format!(
        r#"
[[escalation.rules]]
id = "test.tell_everyone"
categories = ["staff_misuse"]
{about}
steps = [{{ action = "notify", who = "{group}", deadline = "same_day", detail = "Tell everyone." }}]
summary = "Everyone is told."
cite = {{ source = "Test School policy", section = "1" }}
"#
    )
}

#[test]
fn a_group_that_holds_the_subject_is_never_notified_of_the_concern() {
    for about in [
        r#"about = ["headteacher", "dsl"]"#,
        r#"about = ["staff"]"#,
        r#"about = ["governor"]"#,
        "",
    ] {
        for group in ["all_staff", "school_office"] {
            refused(&group_rule(about, group), "test.tell_everyone");
        }
    }
    // About pupils only, the group may be told; an instruction to staff
    // (not a notice) stays allowed on any subject.
    assert!(load(&group_rule(r#"about = ["pupil"]"#, "all_staff")).is_ok());
    let instruction = group_rule("", "all_staff").replace("\"notify\"", "\"no_blame\"");
    assert!(load(&instruction).is_ok());
}

#[test]
fn an_out_of_hours_route_is_read_as_a_person_reads_it() {
    let route = |title: &str, phone: &str| {
        format!(
            "[bodies.lado]\ntitle = \"LADO\"\nout_of_hours = {{ title = \"{title}\", phone = \"{phone}\", hours = \"17:00-08:00\" }}\n"
        )
    };
    // Numbers that are no number: one digit repeated, or too short.
    for phone in ["000", "0.0.0", "1 2 3", "0000 000000"] {
        refused(&route("On call", phone), "bodies.lado");
    }
    // Recordings, however the title is written.
    for title in [
        "Voice-mail",
        "Answer phone",
        "Mailbox",
        "Out of office",
        "\u{ff36}\u{ff4f}\u{ff49}\u{ff43}\u{ff45}\u{ff4d}\u{ff41}\u{ff49}\u{ff4c}",
    ] {
        refused(&route(title, "0300 123 4567"), "bodies.lado");
    }
    // A real duty line loads.
    assert!(load(&route("Emergency duty team", "0300 123 4567")).is_ok());
}

#[test]
fn a_channels_consent_cannot_be_swapped_for_another_channels() {
    let id = "images.consent.website";
    // The website's rule removed, and press consent asked for the website
    // instead: a pupil whose website consent is withdrawn would be
    // published on it.
    let swap = |purpose: &str| {
        format!(
            "[images]\nremove = [\"images.consent.website\"]\n\n[[images.rules]]\nid = \"images.school.website\"\ncheck = \"consent\"\nchannels = [\"website\"]\npurpose = \"{purpose}\"\nsummary = \"Press consent will do.\"\ncite = {{ source = \"test\", section = \"Images\" }}\n"
        )
    };
    for purpose in ["press", "social_media", "prospectus", "display"] {
        refused(&swap(purpose), id);
    }
    // The website's own consent under a new id loads, and blocks.
    let e = load(&swap("website")).unwrap();
    assert_eq!(decide(&e, WITHDRAWN_ON_WEBSITE)["outcome"], "block");
    // A preset's own mapping stays allowed in a policy built on it:
    // Hilldene's website question covers its online prospectus.
    assert!(Engine::from_toml(&format!("{}\n", head("hilldene-primary"))).is_ok());
}

// ---------------------------------------------------------------------------
// The words of a floor step
// ---------------------------------------------------------------------------

/// The text of the first `detail = "..."` in a policy block.
fn detail_in(block: &str) -> String {
    let start = block.find("detail = \"").unwrap() + "detail = \"".len();
    let end = start + block[start..].find('"').unwrap();
    block[start..end].to_string()
}

/// The 999 call `engine` plans for an adult abusing a child online who is in
/// immediate danger.
fn the_999_call(engine: &Engine) -> Value {
    let answer = decide(
        engine,
        &escalation_request(
            "online_sexual_abuse",
            "external_adult",
            r#""immediate_danger":true"#,
        ),
    );
    actions(&answer)
        .iter()
        .find(|a| a["who"] == "police_999")
        .expect("999 is called")
        .clone()
}

#[test]
fn a_floor_steps_words_cannot_contradict_it() {
    let contradiction = "Do not call 999 yourself; wait for the head to decide.";
    // An escalation floor rule restated with its tokens and other words.
    let block = baseline_block("escalation.floor.immediate_danger");
    let base_detail = detail_in(&block);
    let e = load(&block.replace(&base_detail, contradiction)).unwrap();
    let call = the_999_call(&e);
    let detail = call["detail"].as_str().unwrap();
    assert!(detail.starts_with(&base_detail), "{detail}");
    // A floor sexting action restated with other words.
    let block = baseline_block("sexting.floor.action.refer_to_police");
    let base_detail = detail_in(&block);
    let e = load(&block.replace(&base_detail, "Do not refer to the police.")).unwrap();
    let answer = decide(&e, SEXTING_REFERRAL);
    let refer = actions(&answer)
        .iter()
        .find(|a| a["action"] == "refer_to_police")
        .expect("referred to the police");
    assert!(
        refer["detail"].as_str().unwrap().starts_with(&base_detail),
        "{refer}"
    );
    // The emergency service's title says what it is.
    let e = load(
        "[bodies.police_999]\ntitle = \"Do not call: e-mail the office instead\"\nphone = \"999\"\n",
    )
    .unwrap();
    let call = the_999_call(&e);
    assert!(
        call["contact"]
            .as_str()
            .unwrap()
            .starts_with("Police (emergency) (the school adds:"),
        "{call}"
    );
}

/// A sexting report with an adult involved: referred to the police now.
const SEXTING_REFERRAL: &str = r#"{"domain":"sexting","incident_date":"2026-03-10","reported_at":"2026-03-10T10:00",
    "young_people":[{"id":"a","age":14,"role":"subject"}],
    "facts":{"adult_involved":"yes","coercion_blackmail_or_grooming":"no",
      "financially_motivated_extortion":"no","capacity_to_consent_concern":"no",
      "content_atypical_for_development":"no","content_violent":"no",
      "content_sexual_acts":"no","ai_generated_or_manipulated":"no",
      "immediate_risk_of_harm":"no","parental_involvement_would_risk_child":"no"}}"#;

#[test]
fn a_checklist_question_of_no_words_counts_as_empty() {
    for question in ["\\u200B", "-", "\\u200B\\u00AD ", "?!", "0"] {
        refused(
            &format!("[[sexting.checklist]]\nitem = \"why_shared\"\nquestion = \"{question}\"\n"),
            "sexting.checklist",
        );
    }
    assert!(load("[[sexting.checklist]]\nitem = \"why_shared\"\nquestion = \"Why?\"\n").is_ok());
}
