//! `safeguard policy new` asked in a real pseudo-terminal, as a person at a
//! keyboard answers it: some answers typed, others left at the national
//! default, one skipped, `?` for help once and one wrong answer put right.
//! The school's DSL, its day and its LADO (phone, hours and an
//! out-of-hours route) are typed too, one time refused and typed again.
//! The policy it writes must load and lint without contradictions, name
//! what was typed, and the answers it saves must build the same policy
//! again. Without a terminal
//! the command must refuse at once rather than wait.
#![cfg(unix)]

mod common;

use common::{arg, run, stderr, succeeded, BIN};
use rexpect::process::WaitStatus;
use rexpect::reader::{ReadUntil, Regex};
use safeguard_engine::policy::builder::questions::{question, Question};
use safeguard_engine::{Engine, Format, Who};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Long enough for a loaded machine; a hung prompt fails the test, never
/// the run.
const TIMEOUT_MS: u64 = 30_000;

/// A fresh directory under the temp dir, unique to this process and `name`.
fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("safeguard-terminal-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The model's question `id`.
fn model(id: &str) -> &'static Question {
    question(id).unwrap_or_else(|| panic!("the model has no question {id}"))
}

/// Waits for `who` in the list the terminal offers, in the engine's words,
/// and gives the number shown for it.
fn offered(p: &mut rexpect::session::PtySession, who: Who) -> String {
    let words = who.in_words().trim_start_matches("the ");
    // Its first letter is a capital in the list: matched from the second.
    let before = p.exp_string(&words[1..]).unwrap();
    // The number is the digits just before its ". ".
    let head = &before[..before.rfind(". ").unwrap()];
    let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    head[head.len() - digits..].to_string()
}

/// The number the terminal shows for choice `choice` of `q`.
fn number(q: &Question, choice: &str) -> String {
    let i = q.choices.iter().position(|c| c.id == choice).unwrap();
    (i + 1).to_string()
}

#[test]
fn a_session_in_a_terminal_writes_a_policy_that_loads_and_lints_clean() {
    let dir = temp_dir("session");
    let answers = dir.join("answers.toml");
    let policy = dir.join("policy.toml");
    let mut command = Command::new(BIN);
    command.args([
        "policy",
        "new",
        "--save-answers",
        arg(&answers),
        "-o",
        arg(&policy),
    ]);
    let mut p = rexpect::session::spawn_command(command, Some(TIMEOUT_MS)).unwrap();

    // Where pupils' phones go: help once, a wrong answer, then handed in at
    // the gate, with the school's section.
    let phones = model("devices.pupil_phones");
    p.exp_string(phones.prompt).unwrap();
    p.send_line("?").unwrap();
    let help: String = phones.help.chars().take(60).collect();
    p.exp_string(&help).unwrap();
    p.send_line("in a drawer").unwrap();
    p.exp_string("That will not do").unwrap();
    p.send_line(&number(phones, "hand_in_at_gate")).unwrap();
    p.exp_string("which section of your policy says so")
        .unwrap();
    p.send_line("Mobile phones").unwrap();

    // Only Years 5 and 6 (asked because pupils may now bring a phone).
    let years = model("devices.pupil_phone_years");
    p.exp_string(years.prompt).unwrap();
    p.send_line(&number(years, "some_years")).unwrap();
    p.exp_string("Which year groups?").unwrap();
    p.send_line("5-6").unwrap();
    p.exp_string("which section of your policy says so")
        .unwrap();
    p.send_line("Mobile phones").unwrap();

    // Staff breaches may lead to disciplinary action.
    let staff = model("devices.staff_breach_disciplinary");
    p.exp_string(staff.prompt).unwrap();
    p.send_line(&number(staff, "yes")).unwrap();
    p.exp_string("which section of your policy says so")
        .unwrap();
    p.send_line("Staff code of conduct").unwrap();

    // The emergency route is skipped; every other question keeps its
    // national default, however many the model asks.
    let emergency = model("devices.emergency_contact");
    p.exp_string(emergency.prompt).unwrap();
    p.send_line("-").unwrap();
    p.exp_string("Skipped").unwrap();
    let answer = Regex::new(r"Your answer \(1-\d+\) \[\d+\]: ").unwrap();
    loop {
        let (_, found) = p
            .exp_any(vec![
                ReadUntil::Regex(answer.clone()),
                ReadUntil::String("The school's name".into()),
            ])
            .unwrap();
        if found.starts_with("The school's name") {
            break;
        }
        p.send_line("").unwrap();
    }
    p.send_line("Test Primary School").unwrap();
    p.exp_string("[test-primary-school]").unwrap();
    p.send_line("").unwrap();
    p.exp_string("version").unwrap();
    p.send_line("2026-09").unwrap();
    p.exp_string("by title and date").unwrap();
    p.send_line("").unwrap();

    // The DSL by name, offered in the engine's words.
    p.exp_string("== Your school's named people ==").unwrap();
    p.send_line("").unwrap();
    let dsl = offered(&mut p, Who::Dsl);
    p.send_line(&dsl).unwrap();
    p.exp_string("The title your policy uses").unwrap();
    p.send_line("").unwrap();
    p.exp_string("The person's name").unwrap();
    p.send_line("Jane Doe").unwrap();
    for _ in ["phone", "e-mail", "finished"] {
        p.send_line("").unwrap();
    }
    p.exp_string("Which section of your policy gives these")
        .unwrap();
    p.send_line("Key contacts").unwrap();

    // The school day: a time the engine refuses is refused at once and
    // asked again; no breaks, lunch or terms.
    p.exp_string("== Your school day and year ==").unwrap();
    p.send_line("").unwrap();
    p.exp_string("The school day starts at").unwrap();
    p.send_line("25:00").unwrap();
    p.exp_string("That will not do: not a real time of day")
        .unwrap();
    p.exp_string("The school day starts at").unwrap();
    p.send_line("08:40").unwrap();
    p.exp_string("It ends at").unwrap();
    p.send_line("15:20").unwrap();
    for _ in ["break", "lunch", "term", "closure", "section"] {
        p.send_line("").unwrap();
    }

    // The LADO, with its phone, its hours and its out-of-hours route.
    p.exp_string("== Your local bodies ==").unwrap();
    p.send_line("").unwrap();
    let lado = offered(&mut p, Who::Lado);
    p.send_line(&lado).unwrap();
    p.exp_string("The title your policy uses").unwrap();
    p.send_line("Oakshire LADO").unwrap();
    p.exp_string("Telephone").unwrap();
    p.send_line("01234 567890").unwrap();
    p.exp_string("E-mail").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Opening hours").unwrap();
    p.send_line("09:00-17:00").unwrap();
    p.exp_string("A route outside those hours").unwrap();
    p.send_line("Emergency duty team").unwrap();
    p.exp_string("Its telephone").unwrap();
    p.send_line("01234 000111").unwrap();
    p.exp_string("When it applies").unwrap();
    p.send_line("17:00-08:30").unwrap();
    p.exp_string("immediate risk").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Whose details?").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Which section of your policy gives these")
        .unwrap();
    p.send_line("").unwrap();
    p.exp_string("Your policy is in").unwrap();
    p.exp_eof().unwrap();
    let status = p.process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");

    // The answers file says what was typed, and not the skipped question.
    let saved = std::fs::read_to_string(&answers).unwrap();
    assert!(saved.contains("choice = \"hand_in_at_gate\""), "{saved}");
    assert!(saved.contains("years = [5, 6]"), "{saved}");
    assert!(
        saved.contains("section = \"Staff code of conduct\""),
        "{saved}"
    );
    assert!(!saved.contains(emergency.id), "{saved}");
    for typed in ["Jane Doe", "01234 000111", "day_start = \"08:40\""] {
        assert!(saved.contains(typed), "{saved}");
    }

    // The policy loads, lints without contradictions, and is the one the
    // saved answers build.
    let written = std::fs::read_to_string(&policy).unwrap();
    assert!(written.contains("year_groups = [5, 6]"), "{written}");
    assert!(
        written.contains("staff_breach_disciplinary = true"),
        "{written}"
    );
    let check = run(&["policy", "check", arg(&policy)], None);
    assert!(succeeded(&check).starts_with("ok: test-primary-school "));
    let lint = run(&["lint", arg(&policy), "--json"], None);
    let report = common::json(&succeeded(&lint));
    assert_eq!(report["counts"]["contradiction"], 0, "{report}");
    // The policy loaded by the engine names the DSL, the LADO's numbers
    // and hours, and keeps the school day typed.
    let engine = Engine::from_text(&written, Format::Toml).unwrap();
    let named = engine.policy();
    assert_eq!(named.roles[&Who::Dsl].name.as_deref(), Some("Jane Doe"));
    let lado = &named.bodies[&Who::Lado];
    assert_eq!(
        lado.one_line(),
        "Oakshire LADO, 01234 567890 (09:00-17:00); out of hours: Emergency duty team, \
         01234 000111 (17:00-08:30)"
    );
    let day = named.timetable.as_ref().unwrap();
    assert_eq!(
        (day.day_start.to_string(), day.day_end.to_string()),
        ("08:40".into(), "15:20".into())
    );
    let again = run(&["policy", "new", "--answers", arg(&answers)], None);
    assert_eq!(succeeded(&again), written);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Standard input a pipe that stays open, and no `--answers`: the command
/// refuses with exit 2 and a way forward, rather than waiting for answers.
#[test]
fn without_a_terminal_or_answers_it_refuses_at_once() {
    let mut child = Command::new(BIN)
        .args(["policy", "new"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_millis(TIMEOUT_MS) {
            let _ = child.kill();
            panic!("`policy new` waited on a pipe instead of refusing");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = child.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(2));
    assert!(stderr(&out).contains("--answers FILE"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}
