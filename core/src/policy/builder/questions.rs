//! The question model: the decision points where school policies differ,
//! as data.
//!
//! The model's content (every question, every choice and what it
//! produces) lives in `questions.toml` beside this file, in the project's
//! policy language, so that a DSL or a vendor can read and review it
//! without reading Rust. `core/build.rs` checks the file's shape and
//! compiles it into [`QUESTIONS`]: nothing is parsed, and no state is
//! kept, at run time, and a file of the wrong shape stops the build. This
//! file holds the types, their meaning and the look-ups; the unit tests in
//! `tests.rs` check what the shape cannot (each default among its
//! question's choices, every rule template reading as its domain's
//! rules, the floor untouched).
//!
//! Each [`Question`] is one choice a school's policy makes, with a prompt
//! and help text for the person answering (a DSL or an office worker, not
//! a rule writer), its [`Choice`]s, and which of them is the national
//! default, the one the baseline already makes. Each choice says what it
//! [`Produces`]: baseline rules it drops, rules it adds (written in
//! the data file as a policy writes them, with a placeholder citation that the school's
//! own citation replaces) and the section settings it turns on. The
//! national default produces nothing: the policy extends the baseline and
//! so already says it.
//!
//! The floor is never a question: no choice drops, restates or weakens a
//! floor rule (a test holds every choice to it), and the policy written
//! from any answers is still checked against the floor when it loads.
//!
//! Every question also takes the answer [`CUSTOM`]: the school's rule on
//! that point is not one the model offers, and the answers file carries it
//! in its custom rules instead. The model grows by turning the custom
//! rules schools keep writing into choices.
//!
//! A school whose policy states a national rule in its own words (a floor
//! rule among them) answers no question for it: its answers file lists
//! the rule under `restate`, with its section, and the builder writes the
//! baseline's rule citing the school (see `super::Restated`).
//!
//! The model covers the devices domain, part of images (social media,
//! the consent for outside presentations, names, records of learning,
//! group photos, photos of one pupil) and part of escalation (what "the
//! same day" means after hours, how soon a clearly urgent concern reaches
//! the DSL, whether the online-safety lead hears of every concern, how
//! soon a concern about staff reaches the headteacher, who is told of
//! illegal material, whether parents hear of every incident). The rest of
//! images (the channels a consent form leaves out; leavers, whose rule is
//! on the floor), the rest of escalation and sexting are a school's
//! restated national rules or its custom rules (issue 24). The school's
//! named people, local bodies (with their hours and out-of-hours routes)
//! and timetable are sections of the answers file, not questions.

use crate::escalation::AfterHours;
use crate::vocab::Domain;

/// The answer every question takes for a rule the model cannot express:
/// the answers file's custom rules say it instead.
pub const CUSTOM: &str = "custom";

/// One decision point of a school's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// Stable id, `<domain>.<name>`, as an answers file names it.
    pub id: &'static str,
    /// The domain whose rules it sets.
    pub domain: Domain,
    /// The question, in plain words.
    pub prompt: &'static str,
    /// Help for the person answering: what national guidance says and
    /// when to choose otherwise.
    pub help: &'static str,
    /// The answers it allows (besides [`CUSTOM`]).
    pub choices: &'static [Choice],
    /// The choice the national baseline makes.
    pub default: &'static str,
    /// For a question whose non-default choices take a range of year
    /// groups (`years = [5, 6]` in the answers file): the question whose
    /// rules those years narrow, which must then be answered with a
    /// choice that produces rules.
    pub narrows: Option<&'static str>,
}

/// One allowed answer to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Stable id, as an answers file names it.
    pub id: &'static str,
    /// The answer, in plain words.
    pub label: &'static str,
    /// What choosing it produces in the policy.
    pub produces: Produces,
}

/// What a choice adds to, or takes from, the baseline, in its question's
/// domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Produces {
    /// Ids of baseline rules it drops (never a floor rule).
    pub remove: &'static [&'static str],
    /// The rules it adds, as the TOML of its domain's section (`[[rules]]`
    /// entries, written by `core/build.rs` from the data file's
    /// `[[questions.choices.rules]]`), each citing
    /// [`PLACEHOLDER_SOURCE`] until the answer's citation replaces it.
    pub rules: &'static str,
    /// Whether it makes every breach by staff carry disciplinary action
    /// (devices only).
    pub staff_breach_disciplinary: bool,
    /// The reading of "the same day" after hours it sets (escalation
    /// only), which moves every same-day step but the floor's (the
    /// baseline's other steps included): a floor step is never due later
    /// than the baseline's reading makes it.
    pub same_day_after_hours: Option<AfterHours>,
}

/// The source every rule template cites until the school's citation
/// replaces it.
pub const PLACEHOLDER_SOURCE: &str = "the school's policy";

/// Every question of the model, in the order a person is asked them: the
/// content of `questions.toml` beside this file, which `core/build.rs`
/// compiles into this constant (so there is no parsing, and no state, at
/// run time).
pub const QUESTIONS: &[Question] = include!(concat!(env!("OUT_DIR"), "/questions.rs"));

/// The question with this id.
pub fn question(id: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.id == id)
}

impl Question {
    /// The choice with this id.
    pub fn choice(&self, id: &str) -> Option<&'static Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}
