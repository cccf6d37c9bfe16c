//! The lint and the diff of a policy's devices rules, in words for the
//! people who write and adopt policies (`safeguard lint` and `safeguard
//! diff` without `--json`).
//!
//! The reports themselves ([`LintReport`], [`DiffReport`]) are for
//! programs: their JSON, and their `Display`, speak the vocabulary's tokens
//! and rule ids, the wire contract. A DSL reads the same findings here in
//! plain English: each part of the request space by [`words::scope`], each
//! rule by its own summary (rule ids in it turned to words, as the review
//! does), each policy by its name. Rule ids appear on one kind of line
//! only, labelled `Rule ids:` for the technical reader who edits the
//! policy; nothing else names a token, an id or a field.
//!
//! A finding's sentence is the review's own ([`finding_sentence`]), so the
//! governors' report and the DSL's lint never say the same thing two ways.

use super::words::{self, Names};
use crate::devices::diff::{DiffReport, Difference, Side};
use crate::devices::lint::{thousands, Finding, FindingKind, FlagScope, LintReport, Scope, Tally};
use crate::devices::{DeviceRule, DevicesRequest, FLAGS, NOT_COVERED};
use crate::engine::Engine;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;

/// The label of the one line that names rule ids, for the technical reader.
pub const RULE_IDS: &str = "Rule ids: ";

/// A finding as one sentence, with each rule's summary as `summary` words
/// it (`None` when the finding names no such rule).
pub(crate) fn finding_sentence(f: &Finding, summary: &dyn Fn(Option<&String>) -> String) -> String {
    match f.kind {
        FindingKind::Contradiction => format!(
            "Two rules disagree: {} and {}. Where both apply the stricter one is followed; the policy's words should say which the school means.",
            summary(f.rules.first()),
            summary(f.rules.get(1)),
        ),
        FindingKind::ShadowedRule if f.shadowed_by.is_empty() => format!(
            "A rule never applies, because no request can meet everything it asks for: {}.",
            summary(f.rules.first()),
        ),
        FindingKind::ShadowedRule => format!(
            "A rule never applies, because a stricter rule always comes first: {}.",
            summary(f.rules.first()),
        ),
        FindingKind::Uncovered => format!(
            "The policy says nothing about {}: such a request is refused and the headteacher decides.",
            f.scope
                .as_ref()
                .map_or_else(|| "some requests".to_string(), words::scope),
        ),
        FindingKind::LoosensFloor => format!(
            "{} allows something national rules forbid for every school ({}); the national rule still applies.",
            summary(f.rules.get(1)),
            summary(f.rules.first()),
        ),
    }
}

/// One policy's devices rules, by id, and its words for rule ids.
struct Rules<'a> {
    by_id: HashMap<&'a str, &'a DeviceRule>,
    names: Names<'a>,
}

impl<'a> Rules<'a> {
    fn of(engine: &'a Engine) -> Rules<'a> {
        let policy = engine.policy();
        Rules {
            by_id: policy
                .devices
                .rules
                .iter()
                .map(|r| (r.id.as_str(), r))
                .collect(),
            names: Names::of(&[policy]),
        }
    }

    /// The rule's summary, quoted, in plain words; "a rule" when the
    /// policy has no rule of that id.
    fn quoted(&self, id: Option<&String>) -> String {
        id.and_then(|id| self.by_id.get(id.as_str())).map_or_else(
            || "a rule".to_string(),
            |r| format!("“{}”", self.names.plain(&r.summary)),
        )
    }
}

/// "1 request", "1,234 requests".
fn requests(t: Tally) -> String {
    let unit = if t.requests == 1 {
        "request"
    } else {
        "requests"
    };
    format!("{} {unit}", thousands(t.requests))
}

/// The example request of a finding in words: who, device, action, place
/// and time, and the circumstances one of `rules` tests.
fn example(request: &DevicesRequest, rules: &[&DeviceRule]) -> String {
    fn one_if<T>(tested: bool, value: Option<T>) -> Vec<T> {
        value.into_iter().filter(|_| tested).collect()
    }
    let exception = rules.iter().any(|r| !r.exception.is_empty());
    let permission = rules.iter().any(|r| !r.permission_from.is_empty());
    let context = &request.context;
    let scope = Scope {
        roles: vec![request.actor.role],
        year_groups: request.actor.year_group.into_iter().collect(),
        devices: vec![request.device.kind],
        owner: vec![request.device.owner],
        actions: vec![request.action],
        locations: vec![context.location],
        periods: context.period.into_iter().collect(),
        exception: one_if(exception, context.exception),
        permission_from: one_if(permission, context.permission_from),
        flags: FlagScope(std::array::from_fn(|i| {
            FLAGS.get(i).map_or_else(Vec::new, |flag| {
                let tested = rules.iter().any(|r| flag.wanted(r).is_some());
                one_if(tested, flag.given(request))
            })
        })),
    };
    words::scope(&scope)
}

/// A `Rule ids:` line, indented, or nothing when `ids` is empty.
fn rule_ids<'s>(out: &mut String, ids: impl Iterator<Item = &'s String>) {
    let ids: Vec<&str> = ids
        .map(String::as_str)
        .filter(|id| *id != NOT_COVERED)
        .collect();
    if !ids.is_empty() {
        let _ = writeln!(out, "    {RULE_IDS}{}", ids.join(", "));
    }
}

/// The heading of a kind of finding.
fn heading(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Contradiction => "Rules that contradict each other",
        FindingKind::ShadowedRule => "Rules that never apply",
        FindingKind::Uncovered => "Requests no rule covers",
        FindingKind::LoosensFloor => "Rules that allow what national rules forbid for every school",
    }
}

/// `report`, the lint of `engine`'s policy, in words (see the module
/// documentation).
pub fn lint_text(engine: &Engine, report: &LintReport) -> String {
    let rules = Rules::of(engine);
    let policy = &engine.policy().policy;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Lint of “{}” (version {}): its {} rules about devices, checked against all {} possible requests.",
        policy.name,
        policy.version,
        report.rules,
        thousands(report.space.requests),
    );
    if report.staff_breach_disciplinary {
        out.push_str(
            "A member of staff who breaks any of its rules about devices faces the staff disciplinary procedure.\n",
        );
    }
    for kind in FindingKind::ALL {
        let found: Vec<&Finding> = report.of_kind(kind).collect();
        let _ = match (kind, found.len()) {
            (_, 0) => writeln!(out, "{}: none.", heading(kind)),
            (FindingKind::Uncovered, n) => writeln!(
                out,
                "{}: {} in {n} groups, each refused as not covered until the headteacher decides.",
                heading(kind),
                requests(report.uncovered),
            ),
            (_, n) => writeln!(out, "{}: {n}.", heading(kind)),
        };
        for finding in found {
            let _ = writeln!(out, "  - {}", finding_line(&rules, finding));
            rule_ids(&mut out, finding.rules.iter().chain(&finding.shadowed_by));
        }
    }
    out
}

/// A finding of the lint as [`lint_text`] lists it: its sentence, the
/// example request of a contradiction or of an allow reaching into the
/// floor, and how many requests it stands for.
fn finding_line(rules: &Rules<'_>, finding: &Finding) -> String {
    let mut line = finding_sentence(finding, &|id| rules.quoted(id));
    if let (Some(request), FindingKind::Contradiction | FindingKind::LoosensFloor) =
        (&finding.example, finding.kind)
    {
        let pair: Vec<&DeviceRule> = finding
            .rules
            .iter()
            .filter_map(|id| rules.by_id.get(id.as_str()).copied())
            .collect();
        let _ = write!(line, " For example: {}.", example(request, &pair));
    }
    if let Some(count) = finding.count {
        let _ = write!(line, " ({})", requests(count));
    }
    line
}

/// `report`, the diff of `policy`'s devices rules against `other`'s, in
/// words (see the module documentation).
pub fn diff_text(policy: &Engine, other: &Engine, report: &DiffReport) -> String {
    let (ours, theirs) = (Rules::of(policy), Rules::of(other));
    let name = |engine: &Engine| format!("“{}”", engine.policy().policy.name);
    let (mut a, mut b) = (name(policy), name(other));
    if a == b {
        a.push_str(" (the first)");
        b.push_str(" (the second)");
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Differences between {a} (version {}) and {b} (version {}) about devices, over all {} possible requests.",
        policy.policy().policy.version,
        other.policy().policy.version,
        thousands(report.space.requests),
    );
    if report.is_empty() {
        out.push_str("No differences: both allow exactly the same requests.\n");
        return out;
    }
    for (side, yes, no, total, (allowing, refusing)) in [
        (
            Side::Policy,
            &a,
            &b,
            report.only_policy_allows,
            (&ours, &theirs),
        ),
        (
            Side::Other,
            &b,
            &a,
            report.only_other_allows,
            (&theirs, &ours),
        ),
    ] {
        if total.classes == 0 {
            let _ = writeln!(out, "Allowed by {yes} and refused by {no}: none.");
            continue;
        }
        let _ = writeln!(
            out,
            "Allowed by {yes} and refused by {no}: {}.",
            requests(total)
        );
        for d in report.differences.iter().filter(|d| d.side == side) {
            let (requests, rules) = difference_lines(d, allowing, refusing);
            let _ = writeln!(out, "  - {requests}\n    {rules}");
            rule_ids(&mut out, d.allow_rules.iter().chain(&d.deny_rules));
        }
    }
    if report.conditions_differ.classes > 0 {
        let _ = writeln!(
            out,
            "Both allow, on different conditions: {}.",
            requests(report.conditions_differ)
        );
    }
    out
}

/// A difference as [`diff_text`] lists it, in two sentences: the requests
/// (who, device, action, place and time, and how many), then the rules of
/// each policy that decide them.
fn difference_lines(
    d: &Difference,
    allowing: &Rules<'_>,
    refusing: &Rules<'_>,
) -> (String, String) {
    let allowed: Vec<String> = d
        .allow_rules
        .iter()
        .map(|id| allowing.quoted(Some(id)))
        .collect();
    let mut refused: Vec<String> = d
        .deny_rules
        .iter()
        .filter(|id| *id != NOT_COVERED)
        .map(|id| refusing.quoted(Some(id)))
        .collect();
    if d.deny_rules.iter().any(|id| id == NOT_COVERED) {
        refused.push("no rule, where none covers the request".to_string());
    }
    (
        format!("{} ({}).", words::scope(&d.scope), requests(d.count)),
        format!(
            "Allowed by {}; refused by {}.",
            allowed.join(", "),
            refused.join(", ")
        ),
    )
}

/// A lint finding in words, as [`lint_text`] lists it but without its
/// rule ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FindingWords {
    /// What kind of finding it is.
    pub kind: FindingKind,
    /// The finding in plain English.
    pub text: String,
}

/// A difference between two policies' devices rules in words, as
/// [`diff_text`] lists it but without its rule ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DifferenceWords {
    /// Which policy allows these requests: [`Side::Policy`], the policy
    /// checked, or [`Side::Other`], the one it is compared with.
    pub side: Side,
    /// The requests and the rules that decide them, in plain English.
    pub text: String,
}

/// The lint of a policy's devices rules and their diff against another
/// policy's, line by line in plain English with no rule id, token or field
/// name: what a page shows as a policy is written (the builder's preview),
/// where [`lint_text`] and [`diff_text`] are whole reports for a terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Checks {
    /// The lint's findings, in the order [`lint_text`] lists them.
    pub findings: Vec<FindingWords>,
    /// The differences, in the order [`diff_text`] lists them.
    pub differences: Vec<DifferenceWords>,
}

/// [`Checks`] of `policy`, whose lint is `lint`, against `other`, the diff
/// of the two being `diff`.
pub fn checks(policy: &Engine, other: &Engine, lint: &LintReport, diff: &DiffReport) -> Checks {
    let (ours, theirs) = (Rules::of(policy), Rules::of(other));
    let findings = FindingKind::ALL
        .into_iter()
        .flat_map(|kind| lint.of_kind(kind))
        .map(|finding| FindingWords {
            kind: finding.kind,
            text: finding_line(&ours, finding),
        })
        .collect();
    let differences = [Side::Policy, Side::Other]
        .into_iter()
        .flat_map(|side| diff.differences.iter().filter(move |d| d.side == side))
        .map(|d| {
            let (allowing, refusing) = match d.side {
                Side::Policy => (&ours, &theirs),
                Side::Other => (&theirs, &ours),
            };
            let (requests, rules) = difference_lines(d, allowing, refusing);
            DifferenceWords {
                side: d.side,
                text: format!("{requests} {rules}"),
            }
        })
        .collect();
    Checks {
        findings,
        differences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::presets;

    /// The items (`  - `) of a report, each with its continuation lines
    /// but for `Rule ids:`, joined by spaces; and every rule id named.
    fn items(text: &str) -> (Vec<String>, Vec<String>) {
        let (mut items, mut ids) = (Vec::<String>::new(), Vec::new());
        for line in text.lines() {
            if let Some(item) = line.strip_prefix("  - ") {
                items.push(item.to_string());
            } else if let Some(named) = line.trim_start().strip_prefix(RULE_IDS) {
                ids.extend(named.split(", ").map(str::to_string));
            } else if let (Some(more), Some(last)) = (line.strip_prefix("    "), items.last_mut()) {
                last.push(' ');
                last.push_str(more);
            }
        }
        (items, ids)
    }

    #[test]
    fn checks_are_the_reports_lines_without_rule_ids() {
        let national = Engine::from_preset("baseline").unwrap();
        let mut differences = 0;
        for id in presets::IDS {
            let engine = Engine::from_preset(id).unwrap();
            let lint = engine.lint().unwrap();
            let diff = engine.diff(&national).unwrap();
            let words = checks(&engine, &national, &lint, &diff);
            let (lint_items, lint_ids) = items(&lint_text(&engine, &lint));
            let (diff_items, diff_ids) = items(&diff_text(&engine, &national, &diff));
            let found: Vec<&String> = words.findings.iter().map(|f| &f.text).collect();
            let differ: Vec<&String> = words.differences.iter().map(|d| &d.text).collect();
            assert_eq!(found, lint_items.iter().collect::<Vec<_>>(), "{id}");
            assert_eq!(differ, diff_items.iter().collect::<Vec<_>>(), "{id}");
            let kinds: Vec<FindingKind> = lint.findings.iter().map(|f| f.kind).collect();
            let mut ours: Vec<FindingKind> = words.findings.iter().map(|f| f.kind).collect();
            ours.sort();
            let mut theirs = kinds.clone();
            theirs.sort();
            assert_eq!(ours, theirs, "{id}");
            differences += words.differences.len();
            for text in found.iter().chain(&differ) {
                for rule in lint_ids.iter().chain(&diff_ids) {
                    assert!(!text.contains(rule.as_str()), "{id}: {rule} in {text}");
                }
                assert!(!text.contains('`') && !text.contains('_'), "{id}: {text}");
            }
        }
        assert!(differences > 0, "some preset differs from the baseline");
    }
}
