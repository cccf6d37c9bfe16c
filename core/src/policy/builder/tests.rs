use super::questions::{Question, CUSTOM, QUESTIONS};
use super::*;
use crate::vocab::Domain;

const SCHOOL: &str = r#"
[school]
id = "a-school"
name = "A School"
version = "2026-09"
source = "A School, Online Safety Policy, September 2026"
"#;

fn answers(extra: &str) -> Result<Answers> {
    Answers::from_text(&format!("{SCHOOL}{extra}"), Format::Toml)
}

fn built(extra: &str) -> Result<String> {
    build(&answers(extra)?)
}

const CITE: &str = r#"cite = { source = "A School, Online Safety Policy, September 2026", section = "Mobile phones" }"#;

/// Every question is well formed: a unique id in its domain, its default
/// among its choices and producing nothing, choice ids unique and never
/// `custom`, and every template reads.
#[test]
fn the_question_model_is_well_formed() {
    let mut ids: Vec<&str> = QUESTIONS.iter().map(|q| q.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), QUESTIONS.len());
    for q in QUESTIONS {
        assert!(
            q.id.starts_with(&format!("{}.", q.domain.as_str())),
            "{}",
            q.id
        );
        let default = q.choice(q.default).expect(q.id);
        assert!(default.produces.remove.is_empty() && default.produces.rules.is_empty());
        assert!(!default.produces.staff_breach_disciplinary);
        assert_eq!(default.produces.same_day_after_hours, None);
        assert!(!q.prompt.is_empty() && !q.help.is_empty());
        if let Some(narrowed) = q.narrows {
            let position = |id: &str| QUESTIONS.iter().position(|other| other.id == id);
            assert!(
                position(narrowed) < position(q.id) && position(narrowed).is_some(),
                "{} narrows {narrowed}, which is not asked before it",
                q.id
            );
        }
        let mut choices: Vec<&str> = q.choices.iter().map(|c| c.id).collect();
        choices.sort_unstable();
        choices.dedup();
        assert_eq!(choices.len(), q.choices.len(), "{}", q.id);
        assert!(!choices.contains(&CUSTOM));
        for c in q.choices {
            let ids = template_ids(q, c.produces.rules);
            assert_eq!(
                ids.is_empty(),
                c.produces.rules.trim().is_empty(),
                "{} {}",
                q.id,
                c.id
            );
            assert!(!c.produces.staff_breach_disciplinary || q.domain == Domain::Devices);
            assert!(c.produces.same_day_after_hours.is_none() || q.domain == Domain::Escalation);
        }
    }
}

/// The ids and floor marks of a template's rules, read as its domain's section.
fn template_ids(q: &Question, text: &str) -> Vec<(String, bool)> {
    fn read<S: ReadJson>(q: &Question, text: &str) -> S {
        parse_as(text, Format::Toml, "policy").unwrap_or_else(|e| panic!("{}: {e}", q.id))
    }
    match q.domain {
        Domain::Devices => (read::<DevicesSection>(q, text).rules.into_iter())
            .map(|r| (r.id, r.floor))
            .collect(),
        Domain::Images => (read::<ImagesSection>(q, text).rules.into_iter())
            .map(|r| (r.id, r.floor))
            .collect(),
        Domain::Escalation => (read::<EscalationSection>(q, text).rules.into_iter())
            .map(|r| (r.id, r.floor))
            .collect(),
        other => panic!("{}: no builder for {other}", q.id),
    }
}

/// The floor is never a question: no choice drops a floor rule (of any
/// domain: devices, images, escalation, sexting rules and steps),
/// restates one, or writes a rule marked floor; and the escalation
/// questions are among those held to it.
#[test]
fn no_choice_touches_the_floor() {
    let baseline = crate::policy::presets::source("baseline").unwrap();
    let baseline = crate::policy::load::parse(baseline, Format::Toml).unwrap();
    let b = &baseline;
    let marked: Vec<(&str, bool)> = [
        b.devices
            .rules
            .iter()
            .map(|r| (&*r.id, r.floor))
            .collect::<Vec<_>>(),
        b.images.rules.iter().map(|r| (&*r.id, r.floor)).collect(),
        b.escalation
            .rules
            .iter()
            .map(|r| (&*r.id, r.floor))
            .collect(),
        b.sexting.rules.iter().map(|r| (&*r.id, r.floor)).collect(),
        b.sexting
            .actions
            .iter()
            .map(|r| (&*r.id, r.floor))
            .collect(),
    ]
    .concat();
    let floor: Vec<&str> = marked
        .into_iter()
        .filter_map(|(id, floor)| floor.then_some(id))
        .collect();
    assert!(floor.len() >= 50);
    assert!(floor.contains(&"escalation.floor.report_to_dsl"));
    let mut escalation_choices = 0;
    for q in QUESTIONS {
        for c in q.choices {
            for id in c.produces.remove {
                assert!(!floor.contains(id), "{} {} drops {id}", q.id, c.id);
            }
            for (id, is_floor) in template_ids(q, c.produces.rules) {
                assert!(!is_floor, "{id}");
                assert!(!floor.contains(&id.as_str()), "{id}");
                assert!(!id.contains(".floor."), "{id}");
            }
            if q.domain == Domain::Escalation && c.id != q.default {
                escalation_choices += 1;
            }
        }
    }
    assert!(escalation_choices >= 6, "{escalation_choices}");
}

/// An escalation answer writes its rules citing the school, after the
/// section's settings, and they read back as the school's (never floor);
/// the reading of "the same day" after hours is an answer's setting with
/// its citation, and the custom rules may not give it too.
#[test]
fn escalation_answers_write_their_rules_and_settings() {
    let answer =
        |q: &str, c: &str| format!("[[answers]]\nquestion = \"{q}\"\nchoice = \"{c}\"\n{CITE}\n");
    let text = built(&format!(
        "{}{}{}[[restate]]\nrule = \"escalation.floor.report_to_dsl\"\n{CITE}\n",
        answer("escalation.same_day_after_hours", "next_school_day_start"),
        answer("escalation.clearly_urgent", "end_of_lesson"),
        answer("escalation.online_safety_lead", "first"),
    ))
    .unwrap();
    let policy = crate::policy::load::parse(&text, Format::Toml).unwrap();
    let escalation = &policy.escalation;
    assert_eq!(
        escalation.same_day_after_hours,
        Some(crate::escalation::AfterHours::NextSchoolDayStart)
    );
    assert_eq!(
        escalation.same_day_cite.as_ref().map(|c| &*c.section),
        Some("Mobile phones")
    );
    let ids: Vec<&str> = escalation.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "escalation.answer.clearly_urgent.end_of_lesson",
            "escalation.answer.online_safety_lead.first",
            "escalation.floor.report_to_dsl",
        ]
    );
    for rule in &escalation.rules[..2] {
        assert!(!rule.floor);
        assert_eq!(&*rule.cite.section, "Mobile phones");
    }
    assert!(text.contains("# Answer: By the end of the lesson under way"));

    let err = built(&format!(
        "{}[custom.escalation]\nsame_day_after_hours = \"end_of_calendar_day\"\n",
        answer("escalation.same_day_after_hours", "next_school_day_start"),
    ))
    .unwrap_err();
    assert_eq!(err.path(), Some("custom.escalation.same_day_after_hours"));
    let err = built(&format!(
        "{}[[custom.escalation.rules]]\nid = \"escalation.answer.about_staff.at_once\"\n\
         steps = [{{ action = \"notify\", who = \"dsl\", deadline = \"immediately\", detail = \"d\" }}]\n\
         summary = \"s\"\n{CITE}\n",
        answer("escalation.about_staff", "at_once"),
    ))
    .unwrap_err();
    assert_eq!(err.path(), Some("custom.escalation.rules[0].id"));
}

/// No answers: a policy that extends the baseline and adds no rule.
#[test]
fn no_answers_is_the_baseline() {
    let text = built("").unwrap();
    assert!(text.contains("extends = \"baseline\""));
    assert!(!text.contains("[[devices.rules]]"));
    assert!(!text.contains("remove ="));
}

/// A departing answer writes its rules, citing the school, under a
/// comment naming the answer; the baseline's phone-free day is dropped.
#[test]
fn an_answer_writes_its_rules_with_the_schools_citation() {
    let text = built(&format!(
        "[[answers]]\nquestion = \"devices.pupil_phones\"\nchoice = \"hand_in_at_gate\"\n{CITE}\n"
    ))
    .unwrap();
    assert!(text.contains("remove = [\"devices.pupils.phone_free_school_day\"]"));
    let at = text
        .find("id = \"devices.answer.pupil_phones.hand_in_at_gate\"")
        .unwrap();
    let comment = text[..at]
        .rfind("(devices.pupil_phones = hand_in_at_gate)")
        .unwrap();
    assert!(comment < at);
    assert!(text[at..].contains("section = \"Mobile phones\""), "{text}");
    assert!(!text.contains(questions::PLACEHOLDER_SOURCE));
}

/// Year groups narrow the pupil-phone rules and forbid the other years.
#[test]
fn year_groups_narrow_and_forbid_the_rest() {
    let text = built(&format!(
        "[[answers]]\nquestion = \"devices.pupil_phones\"\nchoice = \"hand_in_to_office\"\n{CITE}\n\
         [[answers]]\nquestion = \"devices.pupil_phone_years\"\nchoice = \"some_years\"\nyears = [5, 6]\n{CITE}\n"
    ))
    .unwrap();
    assert!(text.contains("year_groups = [5, 6]"));
    assert!(text.contains("year_groups = [0, 4]"));
    assert!(text.contains("year_groups = [7, 13]"));
    assert_eq!(text.matches("hand_in_to_office\"\n").count(), 1, "{text}");
}

/// The answers' errors, each at its path.
#[test]
fn bad_answers_are_errors_at_their_path() {
    let answer = |question: &str, choice: &str, rest: &str| {
        format!("[[answers]]\nquestion = \"{question}\"\nchoice = \"{choice}\"\n{rest}\n")
    };
    let years = format!("years = [5, 6]\n{CITE}");
    let phones = answer("devices.pupil_phones", "hand_in_to_office", CITE);
    let custom_rule = "[custom]\ndevices_remove = [\"devices.pupils.phone_free_school_day\"]\n";
    let cases = [
        (
            answer("devices.nonsense", "x", CITE),
            "answers[0].question",
            "invalid_value",
        ),
        (
            answer("devices.pupil_phones", "x", CITE),
            "answers[0].choice",
            "invalid_value",
        ),
        // A choice that departs from national guidance cites the school.
        (
            answer("devices.pupil_phones", "hand_in_at_gate", ""),
            "answers[0]",
            "missing_field",
        ),
        (
            format!(
                "{}{custom_rule}",
                answer("devices.pupil_phones", "custom", "")
            ),
            "answers[0]",
            "missing_field",
        ),
        // `custom` with no custom rules says nothing.
        (
            answer("devices.pupil_phones", "custom", CITE),
            "answers[0].choice",
            "invalid_value",
        ),
        // Year groups: in order, within Reception to Year 13, only where
        // taken, never missing where taken, and only over phones allowed.
        (
            format!(
                "{phones}{}",
                answer(
                    "devices.pupil_phone_years",
                    "some_years",
                    &format!("years = [6, 5]\n{CITE}")
                )
            ),
            "answers[1].years",
            "invalid_value",
        ),
        (
            format!(
                "{phones}{}",
                answer(
                    "devices.pupil_phone_years",
                    "some_years",
                    &format!("years = [5, 14]\n{CITE}")
                )
            ),
            "answers[1].years",
            "invalid_value",
        ),
        (
            format!(
                "{phones}{}",
                answer("devices.pupil_phone_years", "some_years", CITE)
            ),
            "answers[1]",
            "missing_field",
        ),
        (
            answer("devices.pupil_phone_years", "some_years", &years),
            "answers[0].choice",
            "invalid_value",
        ),
        (
            answer("devices.emergency_contact", "no_route", "years = [5, 6]"),
            "answers[0].years",
            "invalid_value",
        ),
        (
            answer("devices.pupil_phones", "hand_in_to_office", &years),
            "answers[0].years",
            "invalid_value",
        ),
    ];
    for (text, path, code) in cases {
        let err = built(&text).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            (code, Some(path)),
            "{text}: {err}"
        );
    }
    // A question answered twice.
    let twice = answer("devices.emergency_contact", "no_route", "");
    let err = built(&format!("{twice}{twice}")).unwrap_err();
    assert_eq!(err.path(), Some("answers[1].question"));
    // The same answers, well formed, build.
    assert!(built(&format!(
        "{phones}{}",
        answer("devices.pupil_phone_years", "some_years", &years)
    ))
    .is_ok());
}

/// Whatever an answers file holds, nothing it says escapes the comments
/// it is quoted in: a citation with a line break stays one comment line.
#[test]
fn text_from_the_answers_stays_in_its_comment() {
    let cite = "cite = { source = \"A\\n[[devices.rules]]\", section = \"B\\rC\" }";
    let text = built(&format!(
        "[[answers]]\nquestion = \"devices.pupil_phones\"\nchoice = \"hand_in_at_gate\"\n{cite}\n"
    ))
    .unwrap();
    for line in text.lines() {
        assert!(
            line.is_empty() || line.starts_with('#') || !line.starts_with(' '),
            "{line}"
        );
    }
    assert_eq!(text.matches("\n[[devices.rules]]").count(), 1, "{text}");
}

/// What the writer writes reads back as the same rule, for every device
/// rule of every preset: no field is dropped or changed on the way.
#[test]
fn every_preset_rule_reads_back_as_written() {
    let mut count = 0;
    for id in crate::policy::presets::IDS {
        let text = crate::policy::presets::source(id).unwrap();
        let policy = crate::policy::load::parse(text, Format::Toml).unwrap();
        let mut out = String::new();
        for rule in &policy.devices.rules {
            out.push_str("[[rules]]\n");
            write_rule(&mut out, rule);
            count += 1;
        }
        let back: DevicesSection = parse_as(&out, Format::Toml, "policy").unwrap();
        assert_eq!(back.rules, policy.devices.rules, "{id}");
        let mut out = String::new();
        for rule in &policy.images.rules {
            out.push_str("[[rules]]\n");
            write_image_rule(&mut out, rule);
            count += 1;
        }
        let back: ImagesSection = parse_as(&out, Format::Toml, "policy").unwrap();
        assert_eq!(back.rules, policy.images.rules, "{id}");
    }
    assert!(count > 100);
}

/// A quoted string reads back as itself, whatever it holds.
#[test]
fn quoted_strings_read_back() {
    for s in [
        "a\"b",
        "c\\d",
        "e\nf\r\tg",
        "\u{7f}\u{1}\u{9f}",
        "é ☃ 🦔",
        "''' \"\"\"",
    ] {
        let table: toml::Table = toml::from_str(&format!("x = {}", quoted(s))).unwrap();
        assert_eq!(table["x"].as_str(), Some(s));
        assert!(!quoted(s).contains('\n'));
    }
}

/// An images answer writes the images section: its removal, and its
/// rules citing the school; without one, no images section at all.
#[test]
fn images_answers_write_the_images_section() {
    assert!(!built("").unwrap().contains("[images]"));
    let text = built(&format!(
        "[[answers]]\nquestion = \"images.social_media\"\nchoice = \"never\"\n{CITE}\n\
         [[answers]]\nquestion = \"images.names_online\"\nchoice = \"no_names\"\n{CITE}\n"
    ))
    .unwrap();
    let images = &text[text.find("[images]\n").unwrap()..];
    assert!(images.contains("remove = [\"images.consent.social_media\"]"));
    assert_eq!(images.matches("[[images.rules]]").count(), 2, "{text}");
    assert!(images.contains("limit = \"no_names\""));
    assert!(!text.contains(questions::PLACEHOLDER_SOURCE));
}

/// A custom rule with the id of a rule an answer writes is refused at its
/// path, rather than left for the loader to find twice.
#[test]
fn a_custom_rule_may_not_take_an_answers_rule_id() {
    let err = built(&format!(
        "[[answers]]\nquestion = \"devices.bluetooth\"\nchoice = \"never\"\n{CITE}\n\
         [[custom.devices]]\nid = \"devices.answer.bluetooth.never\"\neffect = \"allow\"\n\
         summary = \"s\"\n{CITE}\n"
    ))
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("invalid_value", Some("custom.devices[0].id"))
    );
}

/// Every preset's named people and bodies read back as written.
#[test]
fn every_preset_contact_reads_back_as_written() {
    for id in crate::policy::presets::IDS {
        let text = crate::policy::presets::source(id).unwrap();
        let policy = crate::policy::load::parse(text, Format::Toml).unwrap();
        let mut answers = answers("").unwrap();
        answers.roles = policy.roles.clone();
        answers.bodies = policy.bodies.clone();
        let mut out = String::new();
        write_contacts(&mut out, &answers);
        let back: toml::Table = toml::from_str(&out).unwrap_or_else(|e| panic!("{id}: {e}"));
        let json = serde_json::to_string(&back).unwrap();
        let back: Answers = crate::wire::json_in::from_json_raw(&format!(
            "{{\"school\": {{\"id\": \"a\", \"name\": \"a\", \"version\": \"1\", \"source\": \"a\"}}, {}",
            &json[1..]
        ))
        .unwrap_or_else(|_| panic!("{id}"));
        assert_eq!(back.roles, policy.roles, "{id}");
        assert_eq!(back.bodies, policy.bodies, "{id}");
    }
}

/// A timetable in the answers is the built policy's own, term dates and
/// closures included.
#[test]
fn a_timetable_is_written_as_given() {
    let timetable = "[timetable]\nday_start = \"08:40\"\nday_end = \"15:20\"\n\
        breaks = [{ start = \"10:20\", end = \"10:35\" }, { start = \"14:00\", end = \"14:10\" }]\n\
        lunch = { start = \"11:50\", end = \"12:50\" }\n\
        terms = [{ start = \"2026-09-03\", end = \"2026-12-18\" }]\n\
        closures = [\"2026-10-23\"]\n\
        cite = { source = \"A School, Online Safety Policy, 2026\", section = \"The school day\" }\n";
    let given = answers(timetable).unwrap();
    let text = build(&given).unwrap();
    let policy = crate::policy::load::parse(&text, Format::Toml).unwrap();
    assert_eq!(policy.timetable, given.timetable);
    assert!(policy.timetable.is_some());
    assert!(!build(&answers("").unwrap())
        .unwrap()
        .contains("[timetable]"));
}

/// A restated national rule is the baseline's, word for word, citing the
/// school; a floor rule may be restated (the integration tests load
/// such policies: tests/tests/builder.rs).
#[test]
fn a_restated_rule_is_the_baselines_citing_the_school() {
    let text = built(&format!(
        "[[restate]]\nrule = \"images.floor.personal_device\"\n{CITE}\n\
         [[restate]]\nrule = \"devices.staff.bring_and_keep_on_silent\"\n{CITE}\n"
    ))
    .unwrap();
    let policy = crate::policy::load::parse(&text, Format::Toml).unwrap();
    let baseline = crate::policy::presets::source("baseline").unwrap();
    let baseline = crate::policy::load::parse(baseline, Format::Toml).unwrap();
    let image = |p: &crate::policy::Policy| {
        p.images
            .rules
            .iter()
            .find(|r| r.id == "images.floor.personal_device")
            .cloned()
            .unwrap()
    };
    let (mine, national) = (image(&policy), image(&baseline));
    assert!(mine.floor);
    assert_eq!(&*mine.cite.section, "Mobile phones");
    assert_eq!(
        ImageRule {
            cite: national.cite.clone(),
            ..mine
        },
        national
    );
    let device = policy
        .devices
        .rules
        .iter()
        .find(|r| r.id == "devices.staff.bring_and_keep_on_silent")
        .unwrap();
    assert_eq!(&*device.cite.section, "Mobile phones");
}

/// What may not be restated is refused at its path, the entry's index
/// included: a rule the baseline does not hold, one restated twice, one
/// the answers drop, one an answer writes, one the custom rules hold too
/// (an entry after others, so a path without its index would not do).
#[test]
fn a_restatement_that_cannot_be_is_an_error_at_its_path() {
    let restate = |rule: &str| format!("[[restate]]\nrule = \"{rule}\"\n{CITE}\n");
    let cases = [
        (restate("images.nonsense"), "restate[0].rule"),
        (
            format!(
                "{}{}",
                restate("images.consent.press"),
                restate("images.consent.press")
            ),
            "restate[1].rule",
        ),
        (
            format!(
                "[[answers]]\nquestion = \"images.social_media\"\nchoice = \"never\"\n{CITE}\n{}",
                restate("images.consent.social_media")
            ),
            "restate[0].rule",
        ),
        (
            format!(
                "[[answers]]\nquestion = \"images.file_and_tag_names\"\nchoice = \"no_names\"\n{CITE}\n{}{}",
                restate("images.consent.press"),
                restate("images.file_names")
            ),
            "restate[1].rule",
        ),
        (
            format!(
                "{}{}{}{}[[custom.sexting.actions]]\nid = \"sexting.floor.action.record_incident\"\n\
                 action = \"record_incident\"\nwho = \"dsl\"\ndeadline = \"same_day\"\n\
                 when = [\"always\"]\ndetail = \"Record it.\"\n{CITE}\n",
                restate("images.consent.press"),
                restate("sexting.floor.criterion.adult_involved"),
                restate("escalation.floor.report_to_dsl"),
                restate("sexting.floor.action.record_incident"),
            ),
            "restate[3].rule",
        ),
        (
            format!(
                "{}{}[[custom.escalation.rules]]\nid = \"escalation.sexting\"\n\
                 steps = [{{ action = \"notify\", who = \"dsl\", deadline = \"immediately\", detail = \"Tell the DSL.\" }}]\n\
                 summary = \"s\"\n{CITE}\n",
                restate("sexting.floor.criterion.adult_involved"),
                restate("escalation.sexting"),
            ),
            "restate[1].rule",
        ),
    ];
    for (text, path) in cases {
        let err = built(&text).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_value", Some(path)),
            "{text}: {err}"
        );
        // As `safeguard policy new` reports it: from the document's root.
        let rooted = format!("$.{path}");
        assert_eq!(validate::rooted(err).path(), Some(rooted.as_str()));
    }
}

/// Two answers that would each restate the same national rule their own
/// way are refused at the second, rather than written twice: parents
/// filming at events and calls-only in front of pupils both restate the
/// ban on adults' phone use in front of pupils.
#[test]
fn two_answers_may_not_write_the_same_rule() {
    let err = built(&format!(
        "[[answers]]\nquestion = \"devices.parents_filming\"\nchoice = \"personal_use_only\"\n{CITE}\n\
         [[answers]]\nquestion = \"devices.adults_in_front_of_pupils\"\nchoice = \"calls_and_messages\"\n{CITE}\n"
    ))
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("invalid_value", Some("answers[1].choice"))
    );
}

/// Sexting and escalation: a restated floor rule is the baseline's citing
/// the school, and the custom sections' own rules and settings are the
/// built policy's, after it; an empty checklist is not written (it would
/// say nothing).
#[test]
fn sexting_and_escalation_are_restated_and_carried() {
    let text = built(&format!(
        "[[restate]]\nrule = \"sexting.floor.criterion.adult_involved\"\n{CITE}\n\
         [custom.escalation]\nsame_day_after_hours = \"next_school_day_start\"\n{}\n\
         [[custom.escalation.rules]]\nid = \"escalation.school.filtering\"\n\
         flags = [\"on_school_systems\"]\n\
         steps = [{{ action = \"notify\", who = \"network_manager\", deadline = \"same_day\", detail = \"Tell the network manager.\" }}]\n\
         summary = \"s\"\n{CITE}\n",
        CITE.replace("cite =", "same_day_cite =")
    ))
    .unwrap();
    assert!(!text.contains("checklist"), "{text}");
    let policy = crate::policy::load::parse(&text, Format::Toml).unwrap();
    let rule = policy
        .sexting
        .rules
        .iter()
        .find(|r| r.id == "sexting.floor.criterion.adult_involved")
        .unwrap();
    assert!(rule.floor);
    assert_eq!(&*rule.cite.section, "Mobile phones");
    let escalation = &policy.escalation;
    assert_eq!(
        escalation.same_day_after_hours,
        Some(crate::escalation::AfterHours::NextSchoolDayStart)
    );
    assert_eq!(escalation.rules.len(), 1);
    assert_eq!(escalation.rules[0].id, "escalation.school.filtering");
}
