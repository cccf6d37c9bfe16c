//! Policy diff: what one policy allows that another denies (SPEC §7).
//!
//! The question a governing body asks of its own policy is rarely "which
//! rules changed?" but "what do we now let people do that the national
//! baseline would not?", and the answer to that is not in the rule text: a
//! new forbid can take away what an old allow gave, an extended list can
//! quietly let in a role nobody meant. So the diff, like the [linter], asks
//! both policies about every devices request and compares the answers.
//!
//! It walks the same finite request space, cut into equivalence classes by
//! the rules of *both* policies together: two requests that no rule of
//! either policy tells apart get the same answer from each, so one
//! representative decides them all. Each policy's own `verdict` decides
//! the representative, once per distinct set of matching rules. A request
//! counts as *allowed* when the outcome is `allow` or
//! `allow_with_conditions`; everything else, including a request no rule
//! covers, is denied. Differences are gathered into lines by who, device
//! and action, the way a person would read them out, each with the rules
//! that decided on either side. Each line's `message` speaks the
//! vocabulary's tokens ("hilldene-primary allows pupil (Years 5-6) with a
//! personal mobile_phone: bring_on_site; baseline denies"), for programs;
//! `review::diff_text` words the same lines for people.
//! A floor exception allows under both policies alike (every policy keeps
//! the floor's exceptions as they are), so it never makes a difference.
//! `conditions_differ` compares each class's representative, whose
//! recorded permission may meet a condition the others of its class must
//! still satisfy (see the linter's note).
//!
//! [linter]: super::lint

use super::budget::{block, map_entry, rule_set, vec_element, AnalysisLimits, Budget};
use super::lint::{
    classes, members, request_bytes, thousands, verdict_bytes, Groups, Scope, Space, Tally,
};
use super::{verdict, CompiledRule, Verdict, NOT_COVERED};
use crate::error::Result;
use crate::vocab::{Outcome, PolicyRef};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// Which of the two policies of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The policy diffed (`self` of [`Engine::diff`](crate::Engine::diff)).
    Policy,
    /// The policy it is diffed against.
    Other,
}

/// One line of differences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// Which policy allows these requests (the two ids may be equal).
    pub side: Side,
    /// The policy that allows these requests.
    pub allowed_by: String,
    /// The policy that denies them.
    pub denied_by: String,
    /// The requests of the line (empty lists mean any).
    pub scope: Scope,
    /// How many equivalence classes and requests the line stands for.
    pub count: Tally,
    /// The rules of `allowed_by` that allow them.
    pub allow_rules: Vec<String>,
    /// The rules of `denied_by` that deny them (`devices.not_covered` when
    /// no rule covers some of them).
    pub deny_rules: Vec<String>,
    /// One of the requests, with every fact given.
    pub example: super::DevicesRequest,
    /// The line in words.
    pub message: String,
}

/// What `policy` allows that `other` denies, and the reverse.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffReport {
    /// The policy diffed, by id, version and digest.
    pub policy: PolicyRef,
    /// The policy it is diffed against, by id, version and digest.
    pub other: PolicyRef,
    /// The equivalence classes enumerated (over both policies' rules) and
    /// the requests they stand for.
    pub space: Tally,
    /// Allowed by `policy`, denied by `other`.
    pub only_policy_allows: Tally,
    /// Allowed by `other`, denied by `policy`.
    pub only_other_allows: Tally,
    /// Allowed by both, but on different conditions.
    pub conditions_differ: Tally,
    /// The differences as lines: `policy`'s allowances first.
    pub differences: Vec<Difference>,
}

impl DiffReport {
    /// True when both policies allow exactly the same requests.
    pub fn is_empty(&self) -> bool {
        self.differences.is_empty()
    }
}

fn allows(v: &Verdict) -> bool {
    matches!(v.outcome, Outcome::Allow | Outcome::AllowWithConditions)
}

/// The rules that decided on each side of a line.
#[derive(Debug, Clone, Default)]
struct Deciders {
    allow: BTreeSet<usize>,
    deny: BTreeSet<usize>,
    not_covered: bool,
}

impl Deciders {
    /// Adds the rules that decided one side's verdict, charging each rule
    /// not yet in the line to `budget` first.
    fn add(&mut self, yes: &Verdict, no: &Verdict, budget: &mut Budget) -> Result<()> {
        for (rules, set) in [(&yes.rules, &mut self.allow), (&no.rules, &mut self.deny)] {
            for &r in rules {
                if !set.contains(&r) {
                    budget.allocate(map_entry::<usize, ()>())?;
                    set.insert(r);
                }
            }
        }
        self.not_covered |= no.rules.is_empty();
        Ok(())
    }

    fn merge(&mut self, other: Deciders) {
        self.allow.extend(other.allow);
        self.deny.extend(other.deny);
        self.not_covered |= other.not_covered;
    }
}

/// Compares the verdicts of two rule lists over every request, within
/// `limits`: [`Error::TooComplex`](crate::Error::TooComplex) when the space
/// the two cut together is too fine.
pub(crate) fn diff(
    (a, a_staff): (&[CompiledRule], bool),
    a_ref: &PolicyRef,
    (b, b_staff): (&[CompiledRule], bool),
    b_ref: &PolicyRef,
    limits: &AnalysisLimits,
) -> Result<DiffReport> {
    let mut budget = Budget::new(limits);
    let refs: Vec<&CompiledRule> = a.iter().chain(b).collect();
    let space = Space::new(&refs);
    // Per distinct set of matching rules: each side's verdict.
    let mut seen: HashMap<Vec<u64>, (Verdict, Verdict)> = HashMap::new();
    let seen_entry = |matched: &[u64]| {
        map_entry::<Vec<u64>, (Verdict, Verdict)>()
            + rule_set(matched.len())
            + 2 * verdict_bytes(members(matched).count())
    };
    // Differences, in lines by who, device kind, owner and action.
    let mut a_only: Groups<Deciders> = Groups::new(4);
    let mut b_only: Groups<Deciders> = Groups::new(4);
    let mut conditions_differ = Tally::default();
    space.walk(&mut budget, |cell, budget| {
        // Where no rule of either policy matches, both deny as not covered.
        if cell.matches_nothing() {
            return Ok(());
        }
        if !seen.contains_key(cell.matched) {
            budget.allocate(seen_entry(cell.matched))?;
            budget.work(refs.len() as u64)?;
            let facts = space.facts(cell.example);
            let verdicts = (verdict(a, a_staff, &facts), verdict(b, b_staff, &facts));
            seen.insert(cell.matched.to_vec(), verdicts);
        }
        let Some((va, vb)) = seen.get(cell.matched) else {
            return Err(crate::Error::Internal {
                message: "diff: a verdict went missing".into(),
            });
        };
        let (yes, no, groups) = match (allows(va), allows(vb)) {
            (true, false) => (va, vb, &mut a_only),
            (false, true) => (vb, va, &mut b_only),
            (true, true) => {
                if va.conditions != vb.conditions {
                    conditions_differ.add(cell.weight);
                }
                return Ok(());
            }
            (false, false) => return Ok(()),
        };
        groups.add(cell, budget)?.add(yes, no, budget)
    })?;

    let mut differences = Vec::new();
    let mut totals = [Tally::default(); 2];
    let sides = [
        (Side::Policy, a_only, a, a_ref, b, b_ref),
        (Side::Other, b_only, b, b_ref, a, a_ref),
    ];
    for (total, (side, groups, yes, yes_ref, no, no_ref)) in totals.iter_mut().zip(sides) {
        for line in groups.lines(Deciders::merge) {
            total.add(line.weight);
            let name = |rules: &[CompiledRule], i: usize| rules[i].reason.rule.to_string();
            let allow_rules: Vec<String> = line.extra.allow.iter().map(|&i| name(yes, i)).collect();
            let mut deny_rules: Vec<String> =
                line.extra.deny.iter().map(|&i| name(no, i)).collect();
            if line.extra.not_covered {
                deny_rules.push(NOT_COVERED.to_string());
            }
            let difference = Difference {
                side,
                allowed_by: yes_ref.id.to_string(),
                denied_by: no_ref.id.to_string(),
                scope: line.scope(&space),
                count: line.weight,
                allow_rules,
                deny_rules,
                example: space.request(line.example(), &yes_ref.id),
                message: format!(
                    "{} allows {}; {} denies ({})",
                    yes_ref.id,
                    line.phrase(&space),
                    no_ref.id,
                    classes(line.weight)
                ),
            };
            budget.allocate(
                vec_element::<Difference>()
                    + block(difference.message.len())
                    + block(difference.allowed_by.len() + difference.denied_by.len())
                    + difference
                        .allow_rules
                        .iter()
                        .chain(&difference.deny_rules)
                        .map(|r| block(r.len()))
                        .sum::<u64>()
                    + difference.scope.bytes()
                    + request_bytes(&difference.example),
            )?;
            differences.push(difference);
        }
    }
    Ok(DiffReport {
        policy: a_ref.clone(),
        other: b_ref.clone(),
        space: space.total(),
        only_policy_allows: totals[0],
        only_other_allows: totals[1],
        conditions_differ,
        differences,
    })
}

/// The report as its JSON speaks, in the vocabulary's tokens and rule ids,
/// one line of differences a line: for developers and logs. People read
/// [`crate::review::diff_text`], the same lines in plain words.
impl fmt::Display for DiffReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = (&self.policy.id, &self.other.id);
        writeln!(
            f,
            "diff of `{a}` (version {}) against `{b}` (version {}): {} equivalence classes cover all {} requests",
            self.policy.version,
            self.other.version,
            thousands(self.space.classes),
            thousands(self.space.requests),
        )?;
        if self.is_empty() {
            writeln!(f, "no differences: both allow exactly the same requests")?;
            return Ok(());
        }
        for (side, yes, no, total) in [
            (Side::Policy, a, b, self.only_policy_allows),
            (Side::Other, b, a, self.only_other_allows),
        ] {
            if total.classes == 0 {
                writeln!(f, "{yes} allows, {no} denies: none")?;
                continue;
            }
            writeln!(f, "{yes} allows, {no} denies: {}", classes(total))?;
            for d in self.differences.iter().filter(|d| d.side == side) {
                writeln!(f, "  - {}", d.message)?;
                writeln!(
                    f,
                    "    allowed by {}; denied by {}",
                    d.allow_rules.join(", "),
                    d.deny_rules.join(", ")
                )?;
            }
        }
        if self.conditions_differ.classes > 0 {
            writeln!(
                f,
                "both allow, on different conditions: {}",
                classes(self.conditions_differ)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::test_engines::{preset, toy};
    use crate::devices::{ActorRole, DeviceAction, DeviceKind};
    use crate::Engine;

    const YEARS_5_6: &str = r#"
[devices]
remove = ["devices.pupils.phone_free_school_day"]

[[devices.rules]]
id = "devices.toy.years_5_6_hand_in"
effect = "allow"
roles = ["pupil"]
year_groups = [5, 6]
devices = ["mobile_phone"]
owner = "personal"
actions = ["bring_on_site"]
exception = ["none"]
conditions = ["hand_in_to_office"]
summary = "Years 5-6 may bring a phone if it is handed in."
cite = { source = "test", section = "t" }

[[devices.rules]]
id = "devices.toy.phones_stay_at_home"
effect = "forbid"
roles = ["pupil"]
year_groups = [0, 4]
devices = ["mobile_phone", "smartwatch"]
owner = "personal"
exception = ["none"]
summary = "Younger pupils leave phones at home."
cite = { source = "test", section = "t" }
"#;

    #[test]
    fn a_policy_against_itself_has_no_differences() {
        for id in Engine::presets() {
            let e = preset(id);
            let report = e.diff(&e).expect("the policies diff");
            assert!(report.is_empty(), "{report}");
            assert_eq!(report.only_policy_allows, Tally::default());
            assert_eq!(report.conditions_differ, Tally::default());
            assert!(report.to_string().contains("no differences"));
        }
    }

    #[test]
    fn finds_what_a_toy_policy_allows_that_baseline_denies() {
        let e = toy(YEARS_5_6);
        let base = preset("baseline");
        let report = e.diff(&base).expect("the policies diff");
        let lines: Vec<&Difference> = report
            .differences
            .iter()
            .filter(|d| d.allowed_by == "toy")
            .collect();
        assert!(!lines.is_empty(), "{report}");
        let years_5_6 = lines.iter().find(|d| {
            d.scope.roles == [ActorRole::Pupil]
                && d.scope.year_groups == [5, 6]
                && d.scope.devices == [DeviceKind::MobilePhone]
                && d.scope.actions == [DeviceAction::BringOnSite]
        });
        let Some(line) = years_5_6 else {
            panic!("no years 5-6 line: {report}")
        };
        assert!(
            line.message.starts_with("toy allows pupil (Years 5-6)"),
            "{report}"
        );
        assert!(line.message.contains("baseline denies"), "{report}");
        assert_eq!(line.allow_rules, vec!["devices.toy.years_5_6_hand_in"]);
        assert!(line
            .deny_rules
            .contains(&"devices.pupils.phone_free_school_day".to_string()));
        // The example really is allowed by one and denied by the other.
        let req = crate::Request::Devices(line.example.clone());
        let mine = e.evaluate(&req).map(|d| d.outcome).ok();
        assert_eq!(mine, Some(Outcome::AllowWithConditions));
        let mut theirs = line.example.clone();
        theirs.policy = Some("baseline".into());
        let theirs = base.evaluate(&crate::Request::Devices(theirs));
        assert_eq!(theirs.map(|d| d.outcome).ok(), Some(Outcome::Deny));

        // Removing the phone-free rule also lets years 7-13 keep phones
        // that no rule of the toy covers: denied either way, so no line.
        assert!(!report
            .differences
            .iter()
            .any(|d| d.scope.year_groups.contains(&8) && d.allowed_by == "toy"));

        // The reverse direction is reported from the other side.
        let reverse = base.diff(&e).expect("the policies diff");
        assert_eq!(reverse.only_other_allows, report.only_policy_allows);
        assert_eq!(reverse.only_policy_allows, report.only_other_allows);
    }

    #[test]
    fn a_stricter_policy_allows_nothing_more() {
        let e = toy(r#"
[[devices.rules]]
id = "devices.toy.no_smartwatches"
effect = "forbid"
devices = ["smartwatch"]
owner = "personal"
summary = "No personal smartwatches on site."
cite = { source = "test", section = "t" }
"#);
        let report = e.diff(&preset("baseline")).expect("the policies diff");
        assert_eq!(report.only_policy_allows, Tally::default(), "{report}");
        assert!(report.only_other_allows.classes > 0, "{report}");
        assert!(report
            .differences
            .iter()
            .all(|d| d.deny_rules == ["devices.toy.no_smartwatches"]));
    }
}
