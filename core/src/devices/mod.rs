//! Devices: may this person use this device, here and now? (SPEC §4)
//!
//! A policy's device rules each *allow*, *forbid* or (floor rules only)
//! *except* what they match: an actor (role, year-group range, works
//! directly with children), a device (kind, owner), an action, and a context
//! (location, period and flags). The decision reads like the policies do:
//!
//! 1. Resolve the period from `context.at` with the policy's timetable when
//!    the request gives a time instead of a period.
//! 2. Match every rule. A rule matches *yes*, *no*, or *unknown* when the
//!    request leaves out a fact the rule depends on (a year group, whether
//!    children are present, ...).
//! 3. A floor exception that matches (an emergency call from anywhere; a
//!    pupil's medical or SEND need) wins over every forbid, the floor's own
//!    included: `allow`, or `allow_with_conditions` with its conditions, and
//!    never a breach consequence. An exception that only *may* match lifts
//!    nothing, but its unknown facts are named among `unknowns`.
//! 4. A forbid that matches wins over every allow. A forbid that may match
//!    (unknown) also denies: an unknown never resolves to the permissive
//!    answer; `unknowns` names the facts that could lift it. Where the
//!    policy attaches disciplinary action to any staff breach
//!    ([`DevicesSection::staff_breach_disciplinary`]), a member of staff's
//!    denial carries `staff_disciplinary`.
//! 5. Otherwise the allows that match decide: `allow`, or
//!    `allow_with_conditions` with the conditions of every matching allow.
//!    An allow or exception that only *may* match adds its conditions too
//!    (and is among the reasons, its facts among `unknowns`): a fact left
//!    out never drops a condition that a known value would keep, so a
//!    contractor's emergency call with `children_present` left out is kept
//!    to staff areas, as it is when no children are present (SPEC §1.1).
//!    The same holds among the exceptions of step 3.
//! 6. Otherwise no rule covers the request: it is denied with the rule
//!    `devices.not_covered`, and the headteacher decides.
//!
//! Conditions are what must still hold: a permission the request already
//! records (`context.permission_from`) meets `headteacher_permission`
//! (headteacher) and `slt_approval` (senior leadership or headteacher), so
//! those drop out of `conditions`, and the outcome is plain `allow` when
//! nothing else remains; the rule stays among the reasons.

pub mod budget;
pub mod diff;
pub mod flags;
pub(crate) mod floor;
pub mod lint;
mod request;
mod rules;
pub mod vocab;

use crate::civil::{Period, Timetable};
use crate::decision::Decision;
use crate::error::{Error, Location as ErrorAt, Result};
use crate::vocab::{
    Action, Cite, Condition, Domain, OnBreach, Outcome, PolicyRef, Reason, Text, Who,
};
pub use flags::{Fact, Flag, FlagValues, FLAGS};
pub use request::*;
pub use rules::*;
use std::sync::Arc;
pub use vocab::*;

/// A request reduced to indices and options, ready to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// The actor's role.
    pub role: ActorRole,
    /// The pupil's year group (0 is Reception), `None` when not given.
    pub year_group: Option<u8>,
    /// The device kind.
    pub kind: DeviceKind,
    /// Who owns the device: personal or school.
    pub owner: Owner,
    /// What the actor wants to do with the device.
    pub action: DeviceAction,
    /// The location.
    pub location: Location,
    /// The part of the school day, given or resolved from `context.at`; `None`
    /// when unknown.
    pub period: Option<Period>,
    /// Who has given permission, `None` when not given.
    pub permission_from: Option<PermissionFrom>,
    /// The pupil's exception by need, `None` when not given.
    pub exception: Option<Exception>,
    /// The yes/no facts ([`FLAGS`]) the request gives.
    pub flags: FlagValues,
}

/// How a rule matches a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The rule matches the request.
    Yes,
    /// The rule does not match the request.
    No,
    /// It would match, depending on these [`Fact`] bits.
    Unknown(u16),
}

/// A rule compiled to bit masks. The masks are visible to the crate so the
/// linter ([`lint`]) can split the request space where the rules do.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub(crate) effect: Effect,
    pub(crate) roles: u16,
    pub(crate) year_groups: Option<(u8, u8)>,
    pub(crate) kinds: u8,
    pub(crate) owners: u8,
    pub(crate) actions: u16,
    pub(crate) locations: u16,
    pub(crate) periods: u16,
    pub(crate) permission_from: u8,
    pub(crate) exception: u8,
    /// The yes/no facts the rule requires.
    pub(crate) flags: FlagValues,
    pub(crate) conditions: Vec<Condition>,
    pub(crate) on_breach: Vec<OnBreach>,
    pub(crate) reason: Arc<Reason>,
}

fn mask<T: Copy>(items: &[T], all: usize, index: impl Fn(T) -> usize) -> u16 {
    if items.is_empty() {
        return ((1u32 << all) - 1) as u16;
    }
    items.iter().fold(0u16, |m, &t| m | (1 << index(t)))
}

fn bit(i: usize) -> u16 {
    1 << i
}

/// An optional request value against a rule's mask over `values` values: a
/// rule that accepts every value does not care; a value left out makes the
/// match depend on `fact`; a value outside the mask rules the rule out.
fn optional_value_fits(
    mask: u16,
    values: usize,
    given: Option<usize>,
    fact: Fact,
    unknown: &mut u16,
) -> bool {
    let every = ((1u32 << values) - 1) as u16;
    if mask == every {
        return true;
    }
    match given {
        None => {
            *unknown |= fact as u16;
            true
        }
        Some(v) => mask & bit(v) != 0,
    }
}

impl CompiledRule {
    pub(crate) fn new(r: &DeviceRule) -> CompiledRule {
        let roles = if r.roles.is_empty() {
            RoleMatch::Group(RoleGroup::Anyone).mask()
        } else {
            r.roles.iter().fold(0, |m, x| m | x.mask())
        };
        CompiledRule {
            effect: r.effect,
            roles,
            year_groups: r.year_groups.map(|[a, b]| (a, b)),
            kinds: mask(&r.devices, DeviceKind::ALL.len(), |k| k as usize) as u8,
            owners: mask(r.owner.as_slice(), Owner::ALL.len(), |o| o as usize) as u8,
            actions: mask(&r.actions, DeviceAction::ALL.len(), |a| a as usize),
            locations: mask(&r.locations, Location::ALL.len(), |l| l as usize),
            periods: mask(&r.periods, Period::ALL.len(), |p| p as usize),
            permission_from: mask(&r.permission_from, PermissionFrom::ALL.len(), |p| {
                p as usize
            }) as u8,
            exception: mask(&r.exception, Exception::ALL.len(), |e| e as usize) as u8,
            flags: FlagValues::of_rule(r),
            conditions: r.conditions.clone(),
            on_breach: r.on_breach.clone(),
            reason: Reason::of_rule(&r.id, &r.summary, &r.cite),
        }
    }

    /// Why `self` does not match everything `base` matches, if it does not:
    /// used by the floor check (a school's restatement of a floor forbid
    /// must forbid at least as much).
    pub(crate) fn narrower_than(&self, base: &CompiledRule) -> Option<String> {
        let masks = [
            ("roles", self.roles, base.roles),
            ("devices", u16::from(self.kinds), u16::from(base.kinds)),
            ("owner", u16::from(self.owners), u16::from(base.owners)),
            ("actions", self.actions, base.actions),
            ("locations", self.locations, base.locations),
            ("periods", self.periods, base.periods),
            (
                "permission_from",
                u16::from(self.permission_from),
                u16::from(base.permission_from),
            ),
            (
                "exception",
                u16::from(self.exception),
                u16::from(base.exception),
            ),
        ];
        for (name, mine, theirs) in masks {
            if mine & theirs != theirs {
                return Some(format!(
                    "its `{name}` no longer cover everything the floor rule does"
                ));
            }
        }
        match (self.year_groups, base.year_groups) {
            (Some(_), None) => return Some("it is limited to some year groups".into()),
            (Some((a, b)), Some((c, d))) if a > c || b < d => {
                return Some("it covers fewer year groups".into())
            }
            _ => {}
        }
        // In request order, so the message names the first flag of the
        // request that differs.
        for flag in Fact::ALL.into_iter().filter_map(Flag::of) {
            let (mine, theirs) = (self.flags.get(flag), base.flags.get(flag));
            if mine.is_some() && mine != theirs {
                return Some(format!(
                    "it adds or changes the condition `{}`",
                    flag.name()
                ));
            }
        }
        None
    }

    /// How this rule matches `f`.
    pub(crate) fn matches(&self, f: &Facts) -> Match {
        let definite = self.roles & bit(f.role as usize) != 0
            && self.kinds & (1 << f.kind as u8) != 0
            && self.owners & (1 << f.owner as u8) != 0
            && self.actions & bit(f.action as usize) != 0
            && self.locations & bit(f.location as usize) != 0;
        if !definite {
            return Match::No;
        }
        let mut unknown = 0u16;
        if let Some((lo, hi)) = self.year_groups {
            if f.role != ActorRole::Pupil {
                return Match::No;
            }
            match f.year_group {
                None => unknown |= Fact::YearGroup as u16,
                Some(y) if y < lo || y > hi => return Match::No,
                Some(_) => {}
            }
        }
        let optional = [
            (
                self.periods,
                Period::ALL.len(),
                f.period.map(|p| p as usize),
                Fact::Period,
            ),
            (
                u16::from(self.permission_from),
                PermissionFrom::ALL.len(),
                f.permission_from.map(|p| p as usize),
                Fact::PermissionFrom,
            ),
            (
                u16::from(self.exception),
                Exception::ALL.len(),
                f.exception.map(|e| e as usize),
                Fact::Exception,
            ),
        ];
        for (mask, values, given, fact) in optional {
            if !optional_value_fits(mask, values, given, fact, &mut unknown) {
                return Match::No;
            }
        }
        if f.flags.contradicts(self.flags) {
            return Match::No;
        }
        unknown |= f.flags.left_out(self.flags);
        if unknown == 0 {
            Match::Yes
        } else {
            Match::Unknown(unknown)
        }
    }
}

/// The devices table of a policy, compiled.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) rules: Vec<CompiledRule>,
    /// Every denial of a member of staff carries `staff_disciplinary`.
    pub(crate) staff_disciplinary: bool,
    /// The reason a staff denial carries `staff_disciplinary` (the policy's
    /// `staff_breach_cite`), where the policy says so.
    staff_breach: Option<Arc<Reason>>,
    timetable: Option<Timetable>,
    not_covered: Arc<Reason>,
    no_actions: Arc<[Action]>,
}

impl Compiled {
    /// The devices table of a policy: its `section`, its `timetable` (for a
    /// request that gives a time), and its `source` document (which the
    /// "not covered" answer cites).
    pub(crate) fn new(
        section: &DevicesSection,
        timetable: Option<&Timetable>,
        source: &str,
    ) -> Compiled {
        Compiled {
            rules: section.rules.iter().map(CompiledRule::new).collect(),
            staff_disciplinary: section.staff_breach_disciplinary == Some(true),
            staff_breach: section
                .staff_breach_cite
                .as_ref()
                .filter(|_| section.staff_breach_disciplinary == Some(true))
                .map(|cite| {
                    Arc::new(Reason {
                        rule: STAFF_BREACH.into(),
                        summary: "The policy attaches disciplinary action to any breach of it by a member of staff.".into(),
                        cite: cite.clone(),
                    })
                }),
            timetable: timetable.cloned(),
            not_covered: Arc::new(Reason {
                rule: NOT_COVERED.into(),
                summary: "No rule of this policy covers this request, so the answer is no until the headteacher decides.".into(),
                cite: Cite {
                    source: Text::from(source),
                    section: "No section of the policy covers this request".into(),
                },
            }),
            no_actions: Arc::from(Vec::new()),
        }
    }

    /// The request's facts, with the period resolved from `context.at`.
    pub(crate) fn facts(&self, req: &DevicesRequest) -> Result<Facts> {
        let c = &req.context;
        let from_clock = match (c.at, &self.timetable) {
            (Some(at), Some(t)) => Some(t.period_at(at)),
            _ => None,
        };
        let period = match (c.period, from_clock) {
            (Some(p), Some(q)) if p != q && !compatible(p, q) => {
                return Err(Error::InvalidValue {
                    at: ErrorAt::path("$.context.period"),
                    message: format!(
                        "`context.period` disagrees with `context.at`, which the timetable puts in `{q}`"
                    ),
                })
            }
            (Some(p), _) => Some(p),
            (None, q) => q,
        };
        Ok(Facts {
            role: req.actor.role,
            year_group: req.actor.year_group,
            kind: req.device.kind,
            owner: req.device.owner,
            action: req.action,
            location: c.location,
            period,
            permission_from: c.permission_from,
            exception: c.exception,
            flags: FlagValues::of_request(req),
        })
    }
}

/// An exam or school event happens within the school day's clock periods,
/// so a request may name it while `at` falls in a lesson or break.
fn compatible(named: Period, clock: Period) -> bool {
    matches!(named, Period::Exam | Period::SchoolEvent) && clock != Period::NonSchoolDay
}

/// The rule id of the "nothing covers this" denial.
pub const NOT_COVERED: &str = "devices.not_covered";
/// The rule id of the reason a staff denial carries `staff_disciplinary`
/// by the policy's [`DevicesSection::staff_breach_disciplinary`].
pub const STAFF_BREACH: &str = "devices.staff_breach_disciplinary";

/// The answer for a set of facts, before the envelope is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `allow`, `allow_with_conditions` or `deny`.
    pub outcome: Outcome,
    /// Indices of the rules that decided, in policy order.
    pub rules: Vec<usize>,
    /// What must still hold, for `allow_with_conditions` (e.g. `silent_mode`).
    pub conditions: Vec<Condition>,
    /// What follows a breach (e.g. `confiscate_to_office`,
    /// `staff_disciplinary`).
    pub on_breach: Vec<OnBreach>,
    /// [`Fact`] bits that could change the outcome.
    pub unknown: u16,
}

/// Steps 2-6 of the module docs. `staff_disciplinary` is the policy's
/// [`DevicesSection::staff_breach_disciplinary`].
pub(crate) fn verdict(rules: &[CompiledRule], staff_disciplinary: bool, f: &Facts) -> Verdict {
    let mut except_yes = Vec::new();
    let mut except_maybe = 0u16;
    let mut forbid_yes = Vec::new();
    let mut forbid_maybe = Vec::new();
    let mut allow_yes = Vec::new();
    let mut allow_maybe = 0u16;
    let mut forbid_unknown = 0u16;
    // The exceptions and allows that may match, each with the facts it
    // depends on: their conditions may apply (below).
    let mut may_apply: Vec<(usize, u16)> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        match (rule.matches(f), rule.effect) {
            (Match::No, _) => {}
            (Match::Yes, Effect::Except) => except_yes.push(i),
            (Match::Unknown(u), Effect::Except) => {
                except_maybe |= u;
                may_apply.push((i, u));
            }
            (Match::Yes, Effect::Forbid) => forbid_yes.push(i),
            (Match::Unknown(u), Effect::Forbid) => {
                forbid_maybe.push(i);
                forbid_unknown |= u;
            }
            (Match::Yes, Effect::Allow) => allow_yes.push(i),
            (Match::Unknown(u), Effect::Allow) => {
                allow_maybe |= u;
                may_apply.push((i, u));
            }
        }
    }
    let breaches = |ids: &[usize]| {
        let mut out: Vec<OnBreach> = Vec::new();
        for &i in ids {
            for b in &rules[i].on_breach {
                if !out.contains(b) {
                    out.push(*b);
                }
            }
        }
        out
    };
    // What the matching rules ask for, less what the request's recorded
    // permission already meets.
    let conditions = |ids: &[usize]| {
        let mut out: Vec<Condition> = Vec::new();
        for &i in ids {
            for c in &rules[i].conditions {
                if !out.contains(c) && !c.met_by(f.permission_from) {
                    out.push(*c);
                }
            }
        }
        out
    };
    // An allow decided by the rules `ids`. A rule of the kinds `may` that
    // may match (a fact it tests is left out) and asks for a condition the
    // others do not is counted in too, and its facts are named: a fact left
    // out never drops a condition that a known value would keep (SPEC §1.1).
    let allowed = |mut ids: Vec<usize>, may: &[Effect], on_breach: Vec<OnBreach>| {
        let mut wanted = conditions(&ids);
        let mut unknown = 0u16;
        for &(i, facts) in &may_apply {
            if !may.contains(&rules[i].effect) {
                continue;
            }
            let more: Vec<Condition> = conditions(&[i])
                .into_iter()
                .filter(|c| !wanted.contains(c))
                .collect();
            if !more.is_empty() {
                wanted.extend(more);
                ids.push(i);
                unknown |= facts;
            }
        }
        ids.sort_unstable();
        let outcome = if wanted.is_empty() {
            Outcome::Allow
        } else {
            Outcome::AllowWithConditions
        };
        Verdict {
            outcome,
            on_breach,
            rules: ids,
            conditions: wanted,
            unknown,
        }
    };
    // A floor exception that matches lifts every forbid, and carries no
    // breach consequence. Another exception that may match may add its
    // conditions; an allow could not (a known fact leaves the exception
    // deciding).
    if !except_yes.is_empty() {
        return allowed(except_yes, &[Effect::Except], Vec::new());
    }
    let staff = RoleMatch::Group(RoleGroup::Staff).mask() & (1 << f.role as u16) != 0;
    let denied = |ids: Vec<usize>, unknown: u16| {
        let mut on_breach = breaches(&ids);
        if staff_disciplinary && staff && !on_breach.contains(&OnBreach::StaffDisciplinary) {
            on_breach.push(OnBreach::StaffDisciplinary);
        }
        Verdict {
            outcome: Outcome::Deny,
            on_breach,
            rules: ids,
            conditions: Vec::new(),
            unknown,
        }
    };
    // A forbid that matches, or may match, denies; an exception that may
    // match does not lift it, but its unknown facts are the ones to find.
    if !forbid_yes.is_empty() {
        return denied(forbid_yes, except_maybe);
    }
    if !forbid_maybe.is_empty() {
        return denied(forbid_maybe, forbid_unknown | except_maybe);
    }
    if !allow_yes.is_empty() {
        let on_breach = breaches(&allow_yes);
        return allowed(allow_yes, &[Effect::Allow, Effect::Except], on_breach);
    }
    Verdict {
        outcome: Outcome::Deny,
        rules: Vec::new(),
        conditions: Vec::new(),
        on_breach: Vec::new(),
        unknown: allow_maybe | except_maybe,
    }
}

/// The decision for a validated request.
pub(crate) fn decide(
    c: &Compiled,
    policy: &PolicyRef,
    engine: &Text,
    req: &DevicesRequest,
) -> Result<Decision> {
    let facts = c.facts(req)?;
    let v = verdict(&c.rules, c.staff_disciplinary, &facts);
    let covered = !v.rules.is_empty();
    let mut reasons: Vec<Arc<Reason>> = if covered {
        v.rules.iter().map(|&i| c.rules[i].reason.clone()).collect()
    } else {
        vec![c.not_covered.clone()]
    };
    // A staff denial that carries `staff_disciplinary` because the policy
    // says so names where it says so.
    if let Some(why) = &c.staff_breach {
        let staff = RoleMatch::Group(RoleGroup::Staff).mask() & (1 << facts.role as u16) != 0;
        if covered && staff && v.outcome == Outcome::Deny {
            reasons.push(why.clone());
        }
    }
    let unknowns = Fact::ALL
        .iter()
        .filter(|f| v.unknown & (**f as u16) != 0)
        .map(|f| Text::from(f.field()))
        .collect();
    Ok(Decision {
        conditions: v.conditions,
        unknowns,
        on_breach: Some(v.on_breach),
        decided_by: (!covered).then_some(Who::Headteacher),
        period: facts.period,
        ..Decision::new(
            Domain::Devices,
            v.outcome,
            reasons,
            c.no_actions.clone(),
            policy,
            engine,
        )
    })
}

/// Engines the devices analysis tests (lint, diff) build: a preset, or a
/// toy policy over the baseline.
#[cfg(test)]
mod test_engines {
    use crate::Engine;

    /// The preset `id`; a test fails when it does not load.
    pub(crate) fn preset(id: &str) -> Engine {
        match Engine::from_preset(id) {
            Ok(e) => e,
            Err(e) => panic!("{id}: {e}"),
        }
    }

    /// A policy over the baseline with `rules` (policy TOML) added.
    pub(crate) fn toy(rules: &str) -> Engine {
        let text = format!(
            "[policy]\nid = \"toy\"\nname = \"Toy\"\nversion = \"1\"\nsource = \"test\"\nextends = \"baseline\"\n{rules}"
        );
        match Engine::from_toml(&text) {
            Ok(e) => e,
            Err(e) => panic!("toy policy: {e}"),
        }
    }
}
