//! Steps 1-4 of a sexting decision (see the [module docs](super)): the
//! criteria, the policy's rules in order, the unknowns that could raise the
//! outcome, and the one plan.

use super::request::{
    PartyRole, SextingFacts, SextingRequest, YoungPerson, ADULT_AGE, CRITERION_4_AGE,
};
use super::rules::{SextingTable, Trigger, When};
use crate::contacts::{emergency_contact, floor_text};
use crate::decision::Decision;
use crate::escalation::{self, Category, ConcernAbout, Flags, Incident};
use crate::vocab::Tri;
use crate::vocab::{
    Action, ActionToken, ChecklistItem, Criterion, Deadline, Domain, Outcome, PolicyRef, Reason,
    Referral, Text, Who,
};
use std::sync::{Arc, Mutex};

/// Step 1: each criterion as yes / no / unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Indexed like [`Criterion::ALL`].
    pub criteria: [Tri; Criterion::ALL.len()],
    /// Criterion 4's two parts: sexual acts, and a subject under 13.
    pub sexual_acts: Tri,
    /// Whether a young person in the imagery (role `subject`) is under 13.
    pub subject_under_13: Tri,
}

impl Assessment {
    /// Establishes the criteria from the request.
    pub fn of(req: &SextingRequest) -> Assessment {
        let f = &req.facts;
        let on = req.incident_date;
        let adult_by_age = req
            .young_people
            .iter()
            .any(|p| p.age_on(on).is_some_and(|a| a >= ADULT_AGE));
        let adult = if adult_by_age {
            Tri::Yes
        } else {
            f.adult_involved
        };
        // Sextortion is always coercion; a known "no" to coercion stands.
        let coercion = if f.financially_motivated_extortion.is_yes() {
            Tri::Yes
        } else {
            f.coercion_blackmail_or_grooming
        };
        let subject_under_13 = subject_under_13(req);
        let sexual_acts = f.content_sexual_acts;
        Assessment {
            criteria: [
                adult,
                coercion,
                f.capacity_to_consent_concern,
                f.content_atypical_for_development,
                f.content_violent,
                sexual_acts.and(subject_under_13),
                f.immediate_risk_of_harm,
            ],
            sexual_acts,
            subject_under_13,
        }
    }

    /// The state of one criterion.
    pub fn criterion(&self, c: Criterion) -> Tri {
        self.criteria[c as usize]
    }

    fn any_criterion(&self, t: Tri) -> bool {
        self.criteria.contains(&t)
    }

    /// The rule conditions that hold, as a set: a rule fires when its
    /// set meets this one, so the rules are walked without re-testing the
    /// same condition for each rule that names it.
    fn holding(&self, facts: &SextingFacts) -> WhenSet {
        WhenSet::of(When::ALL.iter().copied().filter(|w| self.holds(*w, facts)))
    }

    /// Whether a rule condition holds (outcome triggers never hold here).
    fn holds(&self, when: When, facts: &SextingFacts) -> bool {
        let trigger = match when {
            When::Criterion(c) => return self.criterion(c).is_yes(),
            When::Trigger(t) => t,
        };
        match trigger {
            Trigger::CriterionUnknown => {
                !self.any_criterion(Tri::Yes) && self.any_criterion(Tri::Unknown)
            }
            Trigger::NoCriterionHolds => self.criteria.iter().all(|t| *t == Tri::No),
            Trigger::FinanciallyMotivatedExtortion => {
                facts.financially_motivated_extortion.is_yes()
            }
            Trigger::AiGeneratedOrManipulated => facts.ai_generated_or_manipulated.is_yes(),
            Trigger::ParentalInvolvementWouldRiskChild => {
                facts.parental_involvement_would_risk_child.is_yes()
            }
            Trigger::ParentalInvolvementKnownSafe => {
                facts.parental_involvement_would_risk_child == Tri::No
            }
            Trigger::Always
            | Trigger::ReferImmediately
            | Trigger::ChildSexualAbuse
            | Trigger::NeedMoreInformation
            | Trigger::DslMayManageInSchool => false,
        }
    }
}

/// Criterion 4 concerns the young people in the imagery: those with role
/// `subject`. When nobody is marked as a subject, the senders are taken to
/// be in it, since youth-produced imagery is most often self-generated; with
/// neither, who is in the imagery is not known, and neither is their age.
fn depicted(req: &SextingRequest) -> impl Iterator<Item = &YoungPerson> {
    let any_subject = req
        .young_people
        .iter()
        .any(|p| p.role == PartyRole::Subject);
    let role = if any_subject {
        PartyRole::Subject
    } else {
        PartyRole::Sender
    };
    req.young_people.iter().filter(move |p| p.role == role)
}

fn subject_under_13(req: &SextingRequest) -> Tri {
    let mut state = None::<Tri>;
    for p in depicted(req) {
        let this = match p.age_on(req.incident_date) {
            Some(a) => Tri::from_bool(a < CRITERION_4_AGE),
            None => Tri::Unknown,
        };
        state = Some(state.map_or(this, |s| s.or(this)));
    }
    state.unwrap_or(Tri::Unknown)
}

/// The policy's sexting table, ready to evaluate: reasons are prebuilt, and
/// the plan for each set of conditions that hold is made once and kept (a
/// plan without a report time depends on nothing else), so a decision
/// usually only clones shared values.
#[derive(Debug)]
pub(crate) struct Compiled {
    rules: Vec<CompiledRule>,
    actions: Vec<CompiledAction>,
    checklist: Arc<[ChecklistItem]>,
    /// For each criterion, the strongest outcome a rule requires when it holds.
    outcome_if_yes: [Option<Outcome>; Criterion::ALL.len()],
    /// Plans already made for requests without a report time, by the set of
    /// conditions that hold. Kept on purpose (issue 22): making the plan on
    /// every call cost 19.5k more instructions per `sexting/json` call
    /// (callgrind), past SPEC §9's guard of 3 µs (BENCHMARKS.md, "Issue 22:
    /// plain code").
    kept: Mutex<Vec<(WhenSet, KeptPlan)>>,
}

/// A plan and the reasons of the answer it belongs to.
#[derive(Debug, Clone)]
struct KeptPlan {
    reasons: Vec<Arc<Reason>>,
    actions: Arc<[Action]>,
}

/// Enough for every combination of conditions a school meets in practice;
/// past it, plans are made afresh (still correct, only slower).
const PLANS_KEPT: usize = 256;

/// A set of [`When`] conditions, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WhenSet(u32);

impl WhenSet {
    fn of(whens: impl IntoIterator<Item = When>) -> WhenSet {
        WhenSet(whens.into_iter().fold(0, |set, w| set | 1 << w.index()))
    }

    fn contains(self, w: When) -> bool {
        self.0 & 1 << w.index() != 0
    }

    fn meets(self, other: WhenSet) -> bool {
        self.0 & other.0 != 0
    }
}

// Every condition has its bit.
const _: () = assert!(When::ALL.len() <= 32);

#[derive(Debug)]
struct CompiledRule {
    /// The rule fires when any of these holds.
    when: WhenSet,
    outcome: Option<Outcome>,
    referral_to: Vec<Referral>,
    reason: Arc<Reason>,
}

#[derive(Debug)]
struct CompiledAction {
    when: Vec<When>,
    unless: Option<When>,
    action: Action,
}

impl Compiled {
    /// The sexting table of a policy, whose floor is `floor` (the resolved
    /// baseline's; `None` for the baseline itself): a floor action's detail
    /// is the baseline's, the school's words a note after it.
    pub(crate) fn new(table: SextingTable<'_>, floor: Option<SextingTable<'_>>) -> Compiled {
        let section = table.section;
        let rules: Vec<CompiledRule> = section
            .rules
            .iter()
            .map(|r| CompiledRule {
                when: WhenSet::of(r.when.iter().copied()),
                outcome: r.outcome,
                referral_to: r.referral_to.clone(),
                reason: Reason::of_rule(&r.id, &r.summary, &r.cite),
            })
            .collect();
        let mut outcome_if_yes = [None; Criterion::ALL.len()];
        for (rule, wire) in rules.iter().zip(&section.rules) {
            for c in wire.when.iter().filter_map(|w| match w {
                When::Criterion(c) => Some(*c),
                When::Trigger(_) => None,
            }) {
                let slot = &mut outcome_if_yes[c as usize];
                *slot = (*slot).max(rule.outcome);
            }
        }
        let contact = |who| {
            table
                .contacts
                .roles
                .get(&who)
                .or_else(|| table.contacts.bodies.get(&who))
                .map(|c| match floor {
                    Some(floor) if who == Who::Police999 => {
                        emergency_contact(c, floor.contacts).one_line()
                    }
                    _ => c.one_line(),
                })
                .map(Text::from)
        };
        let actions: Vec<CompiledAction> = section
            .actions
            .iter()
            .map(|a| CompiledAction {
                when: a.when.clone(),
                unless: a.unless,
                action: Action {
                    action: a.action,
                    who: a.who,
                    deadline: a.deadline,
                    due: None,
                    detail: match floor
                        .filter(|_| a.floor)
                        .and_then(|f| f.section.actions.iter().find(|b| b.id == a.id))
                    {
                        Some(base) => floor_text(&base.detail, &a.detail).into(),
                        None => a.detail.as_str().into(),
                    },
                    contact: contact(a.who),
                    rule: a.id.as_str().into(),
                },
            })
            .collect();
        let checklist = section
            .checklist
            .iter()
            .map(|c| ChecklistItem {
                item: c.item.as_str().into(),
                question: c.question.as_str().into(),
            })
            .collect();
        Compiled {
            rules,
            actions,
            checklist,
            outcome_if_yes,
            kept: Mutex::new(Vec::new()),
        }
    }
}

/// Step 4: the answer's one plan (SPEC §1.8) and its reasons, for the
/// conditions that hold (`holding`), the outcome and the rules that fired.
/// Without a report time the plan depends on nothing else, so it is made
/// once per set of conditions and kept.
fn one_plan(
    c: &Compiled,
    esc: &escalation::Compiled,
    holding: WhenSet,
    outcome: Outcome,
    reasons: Vec<Arc<Reason>>,
    reported_at: Option<crate::civil::LocalDateTime>,
) -> KeptPlan {
    if reported_at.is_some() {
        return make_plan(c, esc, holding, outcome, reasons, reported_at);
    }
    // A poisoned lock only means another thread panicked mid-insert; the
    // list itself is always whole, so it is still used.
    let find = |kept: &Vec<(WhenSet, KeptPlan)>| {
        kept.iter()
            .find(|(k, _)| *k == holding)
            .map(|(_, p)| p.clone())
    };
    if let Some(p) = find(&c.kept.lock().unwrap_or_else(|e| e.into_inner())) {
        return p;
    }
    let made = make_plan(c, esc, holding, outcome, reasons, None);
    let mut kept = c.kept.lock().unwrap_or_else(|e| e.into_inner());
    if kept.len() < PLANS_KEPT && find(&kept).is_none() {
        kept.push((holding, made.clone()));
    }
    made
}

/// Makes the plan [`one_plan`] describes, from nothing but its arguments (so
/// a kept plan is the plan made afresh, by construction).
///
/// 1. The sexting table's steps for this outcome and these facts, in table
///    order; a police referral goes to 999 when a young person is at
///    immediate risk of harm, else to 101, and each referral cites the rule
///    that required it ([`required_by`]).
/// 2. The escalation rules for a sexting incident (about an adult for child
///    sexual abuse, else about a pupil) add their steps; the escalation
///    domain withholds parents where that would put the child at risk,
///    merges repeated steps, puts a 999 call first, orders by deadline and
///    gives due times and contacts ([`escalation::plan`]).
/// 3. A step both tables name, each in its own words (telling the DSL is
///    `report_to_dsl` and `notify dsl`), becomes one step under the sexting
///    token, with the strictest deadline ([`same_step`]). A routing step the
///    sexting table does not name keeps its own token: a school's "the DSL
///    decides whether to involve the police" (`notify police_101`, once the
///    facts are established) is not a referral the decision requires.
/// 4. The reasons are the sexting rules that fired, then each escalation
///    rule a step cites.
fn make_plan(
    c: &Compiled,
    esc: &escalation::Compiled,
    holding: WhenSet,
    outcome: Outcome,
    mut reasons: Vec<Arc<Reason>>,
    reported_at: Option<crate::civil::LocalDateTime>,
) -> KeptPlan {
    let danger = holding.contains(When::Criterion(Criterion::ImmediateRiskOfHarm));
    let csa = outcome == Outcome::ChildSexualAbuse;
    let fired: Vec<&CompiledRule> = c.rules.iter().filter(|r| r.when.meets(holding)).collect();
    let fires = |w: When| match w {
        When::Trigger(Trigger::Always) => true,
        When::Trigger(Trigger::ReferImmediately) => outcome >= Outcome::ReferImmediately,
        When::Trigger(Trigger::ChildSexualAbuse) => outcome == Outcome::ChildSexualAbuse,
        When::Trigger(Trigger::NeedMoreInformation) => outcome == Outcome::NeedMoreInformation,
        When::Trigger(Trigger::DslMayManageInSchool) => outcome == Outcome::DslMayManageInSchool,
        other => holding.contains(other),
    };

    // 1. The sexting table's steps.
    let own: Vec<Action> = c
        .actions
        .iter()
        .filter(|a| a.when.iter().any(|w| fires(*w)) && !a.unless.is_some_and(fires))
        .map(|a| {
            let mut step = a.action.clone();
            if step.who == Who::Police {
                step.who = if danger {
                    Who::Police999
                } else {
                    Who::Police101
                };
            }
            if step.is_referral() {
                if let Some(rule) = required_by(&fired, a, step.who, fires) {
                    step.rule = rule.rule.clone();
                }
            }
            step
        })
        .collect();

    // 2. The escalation rules for a sexting incident, merged with them.
    let flags = Flags {
        immediate_danger: Some(danger),
        criminal_offence_suspected: Some(csa),
        parental_involvement_would_risk_child: Some(
            holding.contains(When::Trigger(Trigger::ParentalInvolvementWouldRiskChild)),
        ),
        ..Flags::default()
    };
    let incident = Incident {
        category: Category::Sexting,
        about: if csa {
            ConcernAbout::ExternalAdult
        } else {
            ConcernAbout::Pupil
        },
        flags,
        reported_at,
    };
    let table: Vec<(ActionToken, Who)> = own.iter().map(|a| (a.action, a.who)).collect();
    let (routing, steps) = escalation::plan(esc, incident, own);

    // 3. One step for each thing to do, however each table spells it; it
    // keeps its place in the sexting table (a routing step not in it comes
    // after), behind a 999 call and by deadline.
    let mut plan: Vec<(usize, Action)> = Vec::with_capacity(steps.len());
    for (i, mut s) in steps.into_iter().enumerate() {
        let mut place = table.len() + i;
        let token = sexting_token(s.action, s.who);
        if let Some(at) = table.iter().position(|t| same_step(*t, (token, s.who))) {
            s.action = token;
            place = at;
        }
        match plan
            .iter_mut()
            .find(|(_, p)| same_step((p.action, p.who), (s.action, s.who)))
        {
            Some((at, p)) => {
                *at = (*at).min(place);
                if s.deadline < p.deadline {
                    *p = s;
                }
            }
            None => plan.push((place, s)),
        }
    }
    // Parents are told only once it is known that telling them would not put
    // the child at risk (UKCIS: check that first): until then the step waits
    // for the facts, whatever a routing rule's deadline says.
    if !holding.contains(When::Trigger(Trigger::ParentalInvolvementKnownSafe)) {
        for (_, s) in plan
            .iter_mut()
            .filter(|(_, s)| s.action == ActionToken::InformParents)
        {
            s.deadline = Deadline::WhenFactsEstablished;
            s.due = None;
        }
    }
    plan.sort_by_key(|(place, s)| (s.who != Who::Police999, s.deadline, *place));
    let plan: Vec<Action> = plan.into_iter().map(|(_, s)| s).collect();

    // 4. The reasons: the sexting rules, then the routing rules cited.
    for r in routing {
        if plan.iter().any(|s| s.rule == r.rule) && !reasons.iter().any(|x| x.rule == r.rule) {
            reasons.push(r);
        }
    }
    KeptPlan {
        reasons,
        actions: Arc::from(plan),
    }
}

/// The sexting vocabulary's token for a step the escalation rules spell
/// their own way.
fn sexting_token(action: ActionToken, who: Who) -> ActionToken {
    use ActionToken as A;
    match (action, who) {
        (A::Notify, Who::Dsl) => A::ReportToDsl,
        (A::Notify, Who::Parents) => A::InformParents,
        (A::Notify, w) if w.is_police() => A::ReferToPolice,
        (A::Notify, Who::ChildrensSocialCare) => A::ReferToChildrensSocialCare,
        (A::Notify, Who::Ceop) => A::ReportToCeop,
        (A::DoNotViewImagery, _) => A::DoNotViewCopyShareDelete,
        (A::QuarantineDevice, _) => A::SecureDevice,
        (other, _) => other,
    }
}

/// Whether two steps (in sexting tokens) are the same thing to do: the same
/// action for the same person; the police however they are called; the
/// imagery left alone and the device secured whoever the table names.
fn same_step(a: (ActionToken, Who), b: (ActionToken, Who)) -> bool {
    use ActionToken as A;
    a.0 == b.0
        && (a.1 == b.1
            || matches!(
                a.0,
                A::ReferToPolice | A::DoNotViewCopyShareDelete | A::SecureDevice
            ))
}

/// The rule that required a referral step `a` (going to `who`), among the
/// rules that fired, in policy order: one that requires this referral and
/// accounts for the step (its outcome, or the fact it names, is what made
/// the step apply), a 999 call preferring the rule about immediate risk of
/// harm; else one that requires the referral; else one that accounts for
/// the step.
fn required_by<'a>(
    fired: &[&'a CompiledRule],
    a: &CompiledAction,
    who: Who,
    fires: impl Fn(When) -> bool,
) -> Option<&'a Arc<Reason>> {
    let body = match (a.action.action, who) {
        (ActionToken::ReferToPolice, _) => Some(Referral::Police),
        (_, w) if w.is_police() => Some(Referral::Police),
        (ActionToken::ReferToChildrensSocialCare, _) | (_, Who::ChildrensSocialCare) => {
            Some(Referral::ChildrensSocialCare)
        }
        _ => None,
    };
    let requires = |r: &CompiledRule| body.is_some_and(|b| r.referral_to.contains(&b));
    let accounts = |r: &CompiledRule| {
        a.when.iter().any(|w| {
            fires(*w)
                && match w {
                    When::Trigger(Trigger::Always) => true,
                    When::Trigger(Trigger::ReferImmediately) => {
                        r.outcome >= Some(Outcome::ReferImmediately)
                    }
                    When::Trigger(
                        Trigger::ChildSexualAbuse
                        | Trigger::NeedMoreInformation
                        | Trigger::DslMayManageInSchool,
                    ) => r.outcome == outcome_of(*w),
                    other => r.when.contains(*other),
                }
        })
    };
    let urgent = |r: &CompiledRule| {
        who == Who::Police999
            && r.when
                .contains(When::Criterion(Criterion::ImmediateRiskOfHarm))
    };
    let tiers: [&dyn Fn(&CompiledRule) -> bool; 4] = [
        &|r| requires(r) && accounts(r) && urgent(r),
        &|r| requires(r) && accounts(r),
        &|r| requires(r),
        &|r| accounts(r),
    ];
    tiers
        .iter()
        .find_map(|t| fired.iter().find(|r| t(r)))
        .map(|r| &r.reason)
}

/// The outcome an outcome trigger names.
fn outcome_of(w: When) -> Option<Outcome> {
    match w {
        When::Trigger(Trigger::ReferImmediately) => Some(Outcome::ReferImmediately),
        When::Trigger(Trigger::ChildSexualAbuse) => Some(Outcome::ChildSexualAbuse),
        When::Trigger(Trigger::NeedMoreInformation) => Some(Outcome::NeedMoreInformation),
        When::Trigger(Trigger::DslMayManageInSchool) => Some(Outcome::DslMayManageInSchool),
        _ => None,
    }
}

/// Steps 2-4: the decision for a validated request.
pub(crate) fn decide(
    c: &Compiled,
    esc: &escalation::Compiled,
    policy: &PolicyRef,
    engine: &Text,
    req: &SextingRequest,
) -> Decision {
    let facts = &req.facts;
    let a = Assessment::of(req);

    // Step 2: rules in policy order.
    let mut outcome = None::<Outcome>;
    let mut reasons = Vec::new();
    let mut referral_to = Vec::new();
    let holding = a.holding(facts);
    for rule in &c.rules {
        if rule.when.meets(holding) {
            outcome = outcome.max(rule.outcome);
            reasons.push(rule.reason.clone());
            for r in &rule.referral_to {
                if !referral_to.contains(r) {
                    referral_to.push(*r);
                }
            }
        }
    }
    referral_to.sort_unstable();
    // A policy always has the floor rules, so some outcome is required; if
    // not, the fail-safe answer is to establish more facts.
    let outcome = outcome.unwrap_or(Outcome::NeedMoreInformation);

    // Step 3: unknowns that could still raise the outcome, or the route:
    // while it is not known whether a young person is at immediate risk of
    // harm, the police are called on 101, where "yes" would make it a 999
    // call before anything else, so that criterion is named whatever the
    // outcome (as escalation names an unknown `immediate_danger`).
    let mut unknown_criteria = Vec::new();
    let mut unknowns: Vec<Text> = Vec::new();
    for (i, &criterion) in Criterion::ALL.iter().enumerate() {
        let could_raise = c.outcome_if_yes[i].is_some_and(|o| o > outcome);
        let could_call_999 = criterion == Criterion::ImmediateRiskOfHarm;
        if a.criteria[i] != Tri::Unknown || !(could_raise || could_call_999) {
            continue;
        }
        unknown_criteria.push(criterion);
        if criterion == Criterion::Under13SexualActs {
            if a.sexual_acts == Tri::Unknown {
                unknowns.push("content_sexual_acts".into());
            }
            if a.subject_under_13 == Tri::Unknown {
                push_subject_age_unknowns(req, &mut unknowns);
            }
        } else {
            unknowns.push(criterion.as_str().into());
        }
    }

    // Step 4: one plan for this outcome and these facts.
    let KeptPlan { reasons, actions } =
        one_plan(c, esc, holding, outcome, reasons, req.reported_at);

    let criteria = Criterion::ALL
        .iter()
        .copied()
        .filter(|cr| a.criterion(*cr).is_yes())
        .collect();

    Decision {
        unknowns,
        criteria: Some(criteria),
        unknown_criteria: Some(unknown_criteria),
        referral_to: Some(referral_to),
        review_checklist: Some(c.checklist.clone()),
        ..Decision::new(Domain::Sexting, outcome, reasons, actions, policy, engine)
    }
}

/// `subject_age:<id>` for each depicted young person of unknown age, or
/// `subject_age` when nobody is known to be in the imagery.
fn push_subject_age_unknowns(req: &SextingRequest, unknowns: &mut Vec<Text>) {
    let mut anyone = false;
    for p in depicted(req) {
        anyone = true;
        if p.age_on(req.incident_date).is_none() {
            unknowns.push(format!("subject_age:{}", p.id).into());
        }
    }
    if !anyone {
        unknowns.push("subject_age".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, Request};

    /// A kept plan is the plan that would be made afresh, for every
    /// combination of the facts that shape it, under every preset; and a
    /// second request with the same facts reads the kept one.
    #[test]
    fn a_kept_plan_is_the_plan_made_afresh() {
        let answers = ["yes", "no", "unknown"];
        for id in crate::policy::presets::IDS {
            let engine = Engine::from_preset(id).expect("preset loads");
            let baseline = Engine::from_preset("baseline").expect("baseline loads");
            let floor = (id != "baseline").then(|| baseline.policy());
            let sexting = Compiled::new(
                engine.policy().sexting_table(),
                floor.map(|f| f.sexting_table()),
            );
            let esc = escalation::Compiled::new(
                engine.policy().escalation_table(),
                floor.map(|f| f.escalation_table()),
            );
            let reference = engine.policy_ref().clone();
            let version: Text = "test".into();
            let mut requests = 0;
            for adult in answers {
                for danger in answers {
                    for parents in answers {
                        for acts in ["yes", "no"] {
                            let text = format!(
                                r#"{{"schema_version":1,"domain":"sexting","incident_date":"2024-03-14",
                                "young_people":[{{"id":"a","age":12,"role":"subject"}}],
                                "facts":{{"adult_involved":"{adult}","immediate_risk_of_harm":"{danger}",
                                "parental_involvement_would_risk_child":"{parents}",
                                "content_sexual_acts":"{acts}"}}}}"#
                            );
                            let request = Request::from_json(&text, None).expect("request parses");
                            let Request::Sexting(req) = &request else {
                                panic!("not a sexting request")
                            };
                            let d = decide(&sexting, &esc, &reference, &version, req);
                            let holding = Assessment::of(req).holding(&req.facts);
                            let fired: Vec<Arc<Reason>> = sexting
                                .rules
                                .iter()
                                .filter(|r| r.when.meets(holding))
                                .map(|r| r.reason.clone())
                                .collect();
                            let afresh = make_plan(&sexting, &esc, holding, d.outcome, fired, None);
                            assert_eq!(d.actions, afresh.actions, "{text}");
                            assert_eq!(d.reasons, afresh.reasons, "{text}");
                            let again = decide(&sexting, &esc, &reference, &version, req);
                            assert!(Arc::ptr_eq(&d.actions, &again.actions), "{text}");
                            assert_eq!(
                                engine.evaluate(&request).expect("decides").actions,
                                d.actions
                            );
                            requests += 1;
                        }
                    }
                }
            }
            let kept = sexting.kept.lock().map(|p| p.len()).unwrap_or(0);
            assert!(
                kept > 1 && kept < requests,
                "{id}: {kept} plans kept for {requests} requests"
            );
        }
    }
}
