//! Escalation: who is told about an online-safety incident, in what order
//! and by when (SPEC §6).
//!
//! It reads in the order a DSL works through an incident:
//!
//! 1. **Facts in**: the category, whom the concern is about, yes/no flags
//!    and the local time it was reported. A flag left out is not known: the
//!    rules read it as not set, and `unknowns` names it (`flags.<flag>`)
//!    where setting it would change the route. The one flag
//!    that can lower a route, `low_level_concern` (a concern about staff the
//!    reporter says does not meet the harm threshold: recorded and dealt with
//!    by the headteacher, no LADO), counts only where no harm flag
//!    ([`HARM_FLAGS`]) is set and the category is not child protection in
//!    itself ([`HARM_CATEGORIES`]); otherwise it is disregarded and the
//!    reasons say so ([`LOW_LEVEL_NOT_APPLIED`]).
//! 2. **Rules in policy order**: every rule whose categories, subjects and
//!    flags match contributes its steps (notifications and handling
//!    actions), each citing the rule. The baseline's floor rules (immediate
//!    danger, conflicts of interest, indecent images, online sexual abuse,
//!    radicalisation, parents) are in every policy.
//! 3. **Conflicts of interest**: a concern never reaches the person it is
//!    about, whatever a policy says. The roles it may not reach are the one
//!    it is about (about a governor: the chair and the safeguarding
//!    governor, since the request cannot say which governor) and every other
//!    role the policy gives to the same named person (a headteacher who is
//!    also the DSL), however the name is spelled, in either table or in a
//!    title ([`people`]). Only people in the school are kept from a concern
//!    this way (`Who::is_person_in_school`): a body outside it (999 among
//!    them) is always told, whatever name a policy gives it. A step for
//!    one of them goes to the first of its stand-ins
//!    ([`stand_ins`]) that is not excluded: for the headteacher, the chair
//!    of governors; for the DSL, the headteacher, then the deputy DSL.
//!    Parents are not told when the concern is about a parent or telling
//!    them would put the child at risk; the DSL records that decision.
//! 4. **Merge and order**: the same step from several rules appears once,
//!    with the earliest deadline (the police once, however they are
//!    called: a 999 call rather than a 101 report beside it). `police_999`
//!    comes first; the rest follow by deadline, then policy order.
//! 5. **Times and contacts**: each deadline becomes an absolute `due` time
//!    ([`clock`]); a floor step's is never later than the baseline's clock
//!    would make it (`Compiled::due`). Each recipient gets the school's
//!    own name and number for it. A body with an out-of-hours route is closed outside its daytime
//!    hours; a step to it while it is closed is due when it opens
//!    (deadline `when_service_opens`, `due` the opening), with the
//!    out-of-hours route for an emergency meanwhile, unless the step cannot
//!    wait (an emergency, a route open to any call, or a floor step: a
//!    school's hours never make a floor deadline later). Then it stays due
//!    as its deadline says and its line names the out-of-hours number to
//!    call now and when the daytime service opens and must also be told
//!    (`Compiled::reach`). A 999 call has no hours.

pub mod clock;
pub(crate) mod floor;
pub mod people;
mod request;
mod rules;
pub mod vocab;

pub use request::*;
pub use rules::*;
pub use vocab::*;

use crate::civil::{LocalDateTime, Timetable};
use crate::contacts::{emergency_contact, floor_text, Contact};
use crate::decision::Decision;
use crate::vocab::{
    Action, ActionToken, Cite, Deadline, Domain, Outcome, PolicyRef, Reason, Text, Who,
};
use clock::Clock;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The roles a concern about `about` may never reach, before the roles the
/// policy gives to the same person are added.
pub fn conflicts(about: ConcernAbout) -> &'static [Who] {
    match about {
        ConcernAbout::Headteacher => &[Who::Headteacher],
        ConcernAbout::Dsl => &[Who::Dsl],
        ConcernAbout::Governor => &[Who::ChairOfGovernors, Who::SafeguardingGovernor],
        ConcernAbout::Parent => &[Who::Parents],
        _ => &[],
    }
}

/// Who takes a step meant for `who` when `who` may not have it, in order of
/// preference. The LADO, outside the school, is the last resort of all.
pub fn stand_ins(who: Who) -> &'static [Who] {
    match who {
        Who::Headteacher => &[Who::ChairOfGovernors, Who::DeputyHead],
        Who::Dsl => &[Who::Headteacher, Who::DeputyDsl, Who::ChairOfGovernors],
        Who::DeputyDsl => &[Who::Dsl, Who::Headteacher, Who::ChairOfGovernors],
        Who::OnlineSafetyLead => &[Who::Dsl, Who::DeputyDsl, Who::Headteacher],
        Who::DeputyHead => &[Who::Headteacher, Who::ChairOfGovernors],
        Who::ChairOfGovernors => &[Who::Headteacher, Who::SafeguardingGovernor],
        Who::SafeguardingGovernor => &[Who::ChairOfGovernors, Who::Headteacher],
        Who::NetworkManager => &[Who::OnlineSafetyLead, Who::Dsl, Who::Headteacher],
        Who::DataProtectionOfficer => &[Who::Headteacher, Who::ChairOfGovernors],
        _ => &[Who::Dsl, Who::Headteacher, Who::ChairOfGovernors],
    }
}

/// The escalation table compiled for evaluation.
#[derive(Debug)]
pub struct Compiled {
    rules: Vec<(EscalationRule, Arc<Reason>, Vec<Action>)>,
    clock: Clock,
    /// The baseline's clock, which caps the due times of floor steps; none
    /// for the baseline itself.
    floor_clock: Option<Clock>,
    /// Each recipient's contact, with its lines for the daytime and the
    /// out-of-hours route, written once.
    contacts: BTreeMap<Who, ContactLines>,
    /// For each subject (by `ConcernAbout` order), the roles a concern
    /// about them may not reach.
    excluded: Vec<Vec<Who>>,
    conflict: Arc<Reason>,
    parents_withheld: Arc<Reason>,
    low_level_not_applied: Arc<Reason>,
    /// For each flag (by `Flag` order), the rules whose match setting it
    /// could change: those that name it, or `low_level_concern` (which a
    /// harm flag cancels). Read by `unknown_flags`.
    naming: Vec<Box<[usize]>>,
    /// For each flag (by `Flag` order), how `unknowns` names it.
    unknown_flag: Vec<Text>,
}

/// The rule id of the engine's conflict-of-interest routing.
pub const CONFLICT_OF_INTEREST: &str = "escalation.conflict_of_interest";
/// The rule id of withholding an incident from parents.
pub const PARENTS_WITHHELD: &str = "escalation.parents_not_informed";

/// The rule id of a low-level flag that does not count (see [`HARM_FLAGS`]).
pub const LOW_LEVEL_NOT_APPLIED: &str = "escalation.low_level_concern_not_applied";

impl Compiled {
    /// The escalation table of a policy, whose floor is `floor` (the
    /// resolved baseline's; `None` for the baseline itself).
    pub fn new(table: EscalationTable<'_>, floor: Option<EscalationTable<'_>>) -> Compiled {
        let contacts_of = table.contacts;
        let rules = table
            .section
            .rules
            .iter()
            .map(|r| {
                let reason = Reason::of_rule(&r.id, &r.summary, &r.cite);
                // A floor step says what the baseline's says (the school's
                // words follow as a note).
                let base_steps = floor
                    .filter(|_| r.floor)
                    .and_then(|f| f.section.rules.iter().find(|b| b.id == r.id))
                    .map_or(&[][..], |b| b.steps.as_slice());
                let steps = r
                    .steps
                    .iter()
                    .map(|s| Action {
                        action: s.action,
                        who: s.who,
                        deadline: s.deadline,
                        due: None,
                        detail: match base_steps
                            .iter()
                            .find(|b| b.action == s.action && b.who == s.who)
                        {
                            Some(b) => floor_text(&b.detail, &s.detail).into(),
                            None => s.detail.as_str().into(),
                        },
                        contact: None,
                        rule: reason.rule.clone(),
                    })
                    .collect();
                (r.clone(), reason, steps)
            })
            .collect();
        let mut contacts: BTreeMap<Who, ContactLines> = BTreeMap::new();
        for (who, c) in contacts_of.bodies.iter().chain(contacts_of.roles) {
            let line = match floor {
                Some(floor) if *who == Who::Police999 => {
                    ContactLines::new(&emergency_contact(c, floor.contacts))
                }
                _ => ContactLines::new(c),
            };
            contacts.insert(*who, line);
        }
        // Who holds each role in the school, by the names and titles either
        // table gives; bodies outside the school are never the subject.
        let mut holders: BTreeMap<Who, people::Holder> = BTreeMap::new();
        for (who, c) in contacts_of.roles.iter().chain(contacts_of.bodies) {
            if who.is_person_in_school() {
                holders
                    .entry(*who)
                    .or_default()
                    .add(c.name.as_deref(), &c.title);
            }
        }
        // KCSIE 2026's headings inside its parts are not verified (see the
        // baseline's header comment), so these citations say so.
        let guidance = |section: &str| Cite {
            source: "KCSIE 2026".into(),
            section: format!("{section} (section title not verified)").into(),
        };
        let naming = Flag::ALL
            .iter()
            .map(|&flag| {
                let names = |r: &EscalationRule, f: Flag| {
                    r.flags.contains(&f) || r.any_flags.contains(&f) || r.unless.contains(&f)
                };
                let rules = &table.section.rules;
                (0..rules.len())
                    .filter(|&i| names(&rules[i], flag) || names(&rules[i], Flag::LowLevelConcern))
                    .collect()
            })
            .collect();
        Compiled {
            naming,
            unknown_flag: Flag::ALL
                .iter()
                .map(|f| Text::from(format!("flags.{f}")))
                .collect(),
            rules,
            clock: clock_of(table),
            floor_clock: floor.map(clock_of),
            contacts,
            excluded: ConcernAbout::ALL
                .iter()
                .map(|about| Compiled::excluded_for(&holders, *about))
                .collect(),
            conflict: Arc::new(Reason {
                rule: CONFLICT_OF_INTEREST.into(),
                summary: "A concern never goes to the person it is about, under any of their roles: about the head, to the chair of governors; about the DSL, to the head; about a governor, to the head.".into(),
                cite: guidance("Part four: safeguarding concerns or allegations made about staff"),
            }),
            parents_withheld: Arc::new(Reason {
                rule: PARENTS_WITHHELD.into(),
                summary: "Parents are not told where that could put the child at risk or the concern is about a parent; the DSL records the decision and why.".into(),
                cite: guidance("Part two: the designated safeguarding lead"),
            }),
            low_level_not_applied: Arc::new(Reason {
                rule: LOW_LEVEL_NOT_APPLIED.into(),
                summary: "The concern was flagged low-level, but it may meet the harm threshold (danger, a threat to life, a suspected or possible offence, illegal material, a pattern, a child-protection category or harm to a child, or a governor), so it follows the route for allegations, the LADO included.".into(),
                cite: guidance("Part four: concerns that do not meet the harm threshold"),
            }),
        }
    }

    /// The roles a concern about `about` may not reach: [`conflicts`], and
    /// every role the policy gives to the same named person.
    pub fn excluded(&self, about: ConcernAbout) -> &[Who] {
        // Worked out once per subject when the engine loads.
        &self.excluded[about as usize]
    }

    fn excluded_for(holders: &BTreeMap<Who, people::Holder>, about: ConcernAbout) -> Vec<Who> {
        let mut out = conflicts(about).to_vec();
        let subjects: Vec<&people::Holder> = out
            .iter()
            .filter(|w| w.is_person_in_school())
            .filter_map(|w| holders.get(w))
            .collect();
        for (who, holder) in holders {
            let same_person = subjects.iter().any(|s| s.may_be(holder));
            if same_person && !out.contains(who) {
                out.push(*who);
            }
        }
        out
    }

    /// When a step with `deadline` falls due for a report made `at`: by the
    /// policy's clock ([`Clock::due`]), and for a floor step no later than
    /// the baseline's clock makes it, so that no timetable, term dates,
    /// closures or after-hours setting of a school makes a floor deadline
    /// later (SPEC §1.3); a school's clock may make it earlier.
    fn due(&self, deadline: Deadline, at: LocalDateTime, floor: bool) -> Option<LocalDateTime> {
        let due = self.clock.due(deadline, at)?;
        let cap = match &self.floor_clock {
            Some(baseline) if floor => baseline.due(deadline, at),
            _ => None,
        };
        Some(cap.map_or(due, |cap| cap.min(due)))
    }

    /// How step `s`'s recipient is reached for a report made `at` (SPEC §6:
    /// a step to a local body is due when that body can act):
    ///
    /// - the body is open at `at`, its hours are not modelled (no
    ///   out-of-hours route), or there is no report time: its daytime line;
    /// - it is closed and the step cannot wait: an emergency (`urgent`), a
    ///   route that is not for emergencies only, or a floor step (a floor
    ///   deadline is never moved by a school's hours; an immediate
    ///   child-protection referral is due now): the out-of-hours route now,
    ///   and the daytime service when it opens;
    /// - otherwise (closed, an emergency-only route, no emergency, a
    ///   school's own step): the step waits for the opening, with the
    ///   out-of-hours route meanwhile for a child at immediate risk only.
    ///
    /// A 999 call is never moved and never sent elsewhere: it has no hours,
    /// whatever a policy gives it.
    fn reach(&self, s: &Action, at: Option<LocalDateTime>, urgent: bool, floor: bool) -> Reach {
        let Some(lines) = self.contacts.get(&s.who) else {
            return Reach::Daytime;
        };
        let (Some(at), Some(route)) = (at, &lines.contact.out_of_hours) else {
            return Reach::Daytime;
        };
        if s.who == Who::Police999 || lines.out_of_hours.is_none() {
            return Reach::Daytime;
        }
        match self.clock.opens(&lines.contact, at) {
            None => Reach::Daytime,
            Some(opens) if urgent || !route.emergency_only || floor => Reach::OutOfHoursNow(opens),
            Some(opens) => Reach::WhenOpen(opens),
        }
    }

    /// The school's name and number for step `s`'s recipient, reached as
    /// `reach` says.
    fn contact_line(&self, s: &Action, reach: Reach) -> Option<Text> {
        let lines = self.contacts.get(&s.who)?;
        let day = &lines.daytime;
        let (Reach::OutOfHoursNow(opens) | Reach::WhenOpen(opens), Some(ooh)) =
            (reach, &lines.out_of_hours)
        else {
            return Some(day.clone());
        };
        let when = opens.spoken();
        let line = match reach {
            Reach::OutOfHoursNow(_) => {
                let now = if s.deadline == Deadline::Immediately {
                    "Call now"
                } else {
                    "Out of hours"
                };
                format!(
                    "{now}: {ooh}. The daytime service is closed: tell {day} as well when it opens, {when}."
                )
            }
            _ => format!(
                "{day}: closed now; it opens {when}. Meanwhile, only for a child at immediate risk who cannot wait: {ooh}."
            ),
        };
        Some(line.into())
    }
}

/// How a step's recipient is reached at the report time
/// ([`Compiled::reach`]).
#[derive(Debug, Clone, Copy)]
enum Reach {
    /// By its daytime line.
    Daytime,
    /// Closed until the time given, and the step cannot wait: by the
    /// out-of-hours route now.
    OutOfHoursNow(LocalDateTime),
    /// Closed until the time given, and the step waits for it.
    WhenOpen(LocalDateTime),
}

/// A contact and its one-line forms.
#[derive(Debug)]
struct ContactLines {
    contact: Contact,
    daytime: Text,
    out_of_hours: Option<Text>,
}

impl ContactLines {
    fn new(c: &Contact) -> ContactLines {
        let day = c.daytime_line();
        let out_of_hours = c.out_of_hours.as_ref().map(|route| {
            format!(
                "{} (out of hours, {})",
                route.title_and_phone(),
                route.hours
            )
            .into()
        });
        ContactLines {
            contact: c.clone(),
            daytime: day.into(),
            out_of_hours,
        }
    }
}

/// The due-time calculator of a policy's `table`: its timetable (the
/// baseline's school day without one) and its reading of "the same day"
/// after hours.
fn clock_of(table: EscalationTable<'_>) -> Clock {
    let timetable = table.timetable.cloned().unwrap_or_else(default_timetable);
    let after_hours = table
        .section
        .same_day_after_hours
        .unwrap_or(AfterHours::EndOfCalendarDay);
    Clock::new(timetable, after_hours)
}

/// The baseline's school day, for a policy without a timetable.
fn default_timetable() -> Timetable {
    use crate::civil::ClockTime;
    let t = |s| ClockTime::parse(s).unwrap_or(ClockTime(chrono::NaiveTime::MIN));
    Timetable {
        day_start: t("08:45"),
        day_end: t("15:15"),
        breaks: Vec::new(),
        lunch: None,
        terms: Vec::new(),
        closures: Vec::new(),
        cite: None,
    }
}

/// The facts the routing rules read.
#[derive(Debug, Clone, Copy)]
pub struct Incident {
    /// The concern's category.
    pub category: Category,
    /// Whom the concern is about.
    pub about: ConcernAbout,
    /// The yes/no facts known; a flag left out reads as not set.
    pub flags: Flags,
    /// Without a report time the plan has no due times.
    pub reported_at: Option<LocalDateTime>,
}

/// Steps 2-5 for an incident: the reasons and the ordered plan. `extra`
/// are steps another domain requires (a sexting answer's own steps),
/// routed, merged and timed with the rest.
pub fn plan(
    c: &Compiled,
    incident: Incident,
    extra: Vec<Action>,
) -> (Vec<Arc<Reason>>, Vec<Action>) {
    let req = &incident;
    // A low-level flag counts only where nothing says the harm threshold
    // may be met.
    let flags = req.flags.effective(req.category, req.about);
    // 2. Rules in policy order.
    let mut reasons: Vec<Arc<Reason>> = Vec::new();
    if req.flags.get(Flag::LowLevelConcern)
        && !flags.get(Flag::LowLevelConcern)
        && (LOW_LEVEL_ABOUT.contains(&req.about) || req.about == ConcernAbout::Governor)
    {
        reasons.push(c.low_level_not_applied.clone());
    }
    // Each step with whether a floor rule requires it (steps another domain
    // requires count as floor: their time is never moved).
    let mut steps: Vec<(Action, bool)> = extra.into_iter().map(|a| (a, true)).collect();
    steps.reserve(32);
    for (rule, reason, rule_steps) in &c.rules {
        if rule.matches(req.category, req.about, &flags) {
            reasons.push(reason.clone());
            steps.extend(rule_steps.iter().cloned().map(|a| (a, rule.floor)));
        }
    }

    // 3. Conflicts of interest, and parents who may not be told.
    let excluded = c.excluded(req.about);
    let mut rerouted = false;
    let mut withheld = false;
    let withhold_parents =
        flags.get(Flag::ParentalInvolvementWouldRiskChild) || req.about == ConcernAbout::Parent;
    steps.retain_mut(|(s, _)| {
        if s.who == Who::Parents && withhold_parents {
            withheld = true;
            return false;
        }
        if excluded.contains(&s.who) {
            s.who = stand_ins(s.who)
                .iter()
                .copied()
                .find(|w| !excluded.contains(w))
                .unwrap_or(Who::Lado);
            rerouted = true;
        }
        true
    });
    if rerouted {
        reasons.push(c.conflict.clone());
    }
    if withheld {
        reasons.push(c.parents_withheld.clone());
        steps.push((
            Action {
                action: ActionToken::RecordDecisionNotToInformParents,
                who: [
                    Who::Dsl,
                    Who::Headteacher,
                    Who::DeputyDsl,
                    Who::ChairOfGovernors,
                ]
                .into_iter()
                .find(|w| !excluded.contains(w))
                .unwrap_or(Who::Lado),
                deadline: Deadline::SameDay,
                due: None,
                detail:
                    "Do not tell the parents for now; record the decision and the reason for it."
                        .into(),
                contact: None,
                rule: c.parents_withheld.rule.clone(),
            },
            true,
        ));
    }

    // 4. Merge: one step per (action, who), the earliest deadline wins; a
    // step is a floor step if any floor rule asked for it. The police are
    // one recipient however they are called (SPEC §1.8): a 999 call is the
    // police told, so a 101 report beside it is the same step.
    let mut merged: Vec<(Action, bool)> = Vec::with_capacity(steps.len());
    for (s, floor) in steps {
        match merged.iter_mut().find(|(p, _)| {
            p.action == s.action && (p.who == s.who || p.who.is_police() && s.who.is_police())
        }) {
            Some((p, f)) => {
                if (s.deadline, s.who != Who::Police999) < (p.deadline, p.who != Who::Police999) {
                    *p = s;
                }
                *f |= floor;
            }
            None => merged.push((s, floor)),
        }
    }
    merged.sort_by_key(|(s, _)| (s.who != Who::Police999, s.deadline));

    // 5. Due times (worked out once per deadline, floor or not) and contacts.
    let at = req.reported_at;
    let urgent = flags.get(Flag::ImmediateDanger) || flags.get(Flag::ThreatToLife);
    let mut due_by: Vec<((Deadline, bool), Option<LocalDateTime>)> = Vec::new();
    let mut plan: Vec<Action> = Vec::with_capacity(merged.len());
    for (mut s, floor) in merged {
        let mut due = match due_by.iter().find(|(k, _)| *k == (s.deadline, floor)) {
            Some((_, due)) => *due,
            None => {
                let due = at.and_then(|at| c.due(s.deadline, at, floor));
                due_by.push(((s.deadline, floor), due));
                due
            }
        };
        let reach = c.reach(&s, at, urgent, floor);
        // A step that can wait for a closed service is due when it opens
        // (never earlier than its deadline gives).
        if let Reach::WhenOpen(opens) = reach {
            if due.is_some_and(|d| d < opens) {
                s.deadline = Deadline::WhenServiceOpens;
                due = Some(opens);
            }
        }
        s.due = due.map(|t| Text::from(t.wire_buf(&mut [0; 16])));
        s.contact = c.contact_line(&s, reach);
        plan.push(s);
    }
    // A step put off until its body opens takes that deadline's place.
    plan.sort_by_key(|s| (s.who != Who::Police999, s.deadline));
    (reasons, plan)
}

/// The plan for a validated request.
pub fn decide(
    c: &Compiled,
    policy: &PolicyRef,
    engine: &Text,
    req: &EscalationRequest,
) -> Decision {
    let (reasons, plan) = plan(
        c,
        Incident {
            category: req.category,
            about: req.concern_about,
            flags: req.flags,
            reported_at: Some(req.reported_at),
        },
        Vec::new(),
    );
    Decision {
        unknowns: unknown_flags(c, req),
        ..Decision::new(
            Domain::Escalation,
            Outcome::Notify,
            reasons,
            Arc::from(plan),
            policy,
            engine,
        )
    }
}

/// The flags the request leaves out that would change the route if set:
/// some rule would apply or stop applying, parents who are to be told
/// would be withheld, or the matter would become urgent.
/// `low_level_concern` is never among them: set, it can only lower the
/// route, so leaving it out is the strict reading.
fn unknown_flags(c: &Compiled, req: &EscalationRequest) -> Vec<Text> {
    let left_out = |flag: Flag| flag != Flag::LowLevelConcern && req.flags.given(flag).is_none();
    if !Flag::ALL.iter().any(|&f| left_out(f)) {
        return Vec::new();
    }
    let (category, about) = (req.category, req.concern_about);
    let base = req.flags.effective(category, about);
    // Only the rules for this category and subject can start or stop
    // applying; whether each applies now is worked out once.
    let now: Vec<Option<bool>> = c
        .rules
        .iter()
        .map(|(rule, _, _)| rule.covers(category, about).then(|| rule.flags_hold(&base)))
        .collect();
    let urgent = |f: &Flags| f.get(Flag::ImmediateDanger) || f.get(Flag::ThreatToLife);
    // Parents are told unless the concern is about a parent; the flag
    // would withhold them.
    let parents_told = about != ConcernAbout::Parent
        && now.iter().zip(&c.rules).any(|(applies, (_, _, steps))| {
            *applies == Some(true) && steps.iter().any(|s| s.who == Who::Parents)
        });
    Flag::ALL
        .iter()
        .filter(|&&flag| left_out(flag))
        .filter(|&&flag| {
            let mut raised = req.flags;
            raised.set(flag, true);
            let raised = raised.effective(category, about);
            (flag == Flag::ParentalInvolvementWouldRiskChild && parents_told)
                || urgent(&raised) != urgent(&base)
                || c.naming[flag as usize].iter().any(|&i| {
                    now[i].is_some_and(|applies| applies != c.rules[i].0.flags_hold(&raised))
                })
        })
        .map(|&flag| c.unknown_flag[flag as usize].clone())
        .collect()
}
