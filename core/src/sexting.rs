//! Sexting: youth-produced sexual imagery ("sharing nudes and semi-nudes").
//!
//! The decision follows the UKCIS initial-review procedure (SPEC §3), which
//! 000 "Handling a sexting incident" quotes and 003 Appendix A 9.1 and 004
//! "Sexting" follow:
//!
//! 1. Establish each of the immediate-referral criteria as yes / no / unknown
//!    from the facts and the ages of the young people ([`Assessment`]).
//! 2. Apply the policy's rules in order: each rule whose condition holds adds
//!    its reason, its referrals and the outcome it requires. The outcome is
//!    the most protective one required: an adult party makes it child sexual
//!    abuse; any criterion, an immediate referral; an unknown criterion,
//!    more information; only when all are known not to hold may the DSL
//!    manage the case in school.
//! 3. List the unknowns that could still raise the outcome.
//! 4. Add the steps the policy requires for this outcome and these facts, in
//!    the policy's order, and the initial-review checklist.
//!
//! The request has no field for the imagery: the engine never sees it.

use crate::decision::{
    Action, ChecklistItem, Criterion, Decision, Domain, Outcome, PolicyRef, Reason, Referral, Text,
};
use crate::error::{Error, Location, Result};
use crate::facts::{Date, Tri};
use crate::policy::{Policy, When};
use crate::request::SchemaVersion;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Age from which a party is an adult.
pub const ADULT_AGE: u32 = 18;
/// Criterion 4 concerns a child in the imagery under this age.
pub const CRITERION_4_AGE: u32 = 13;
/// Oldest age accepted for a party.
pub const MAX_AGE: u32 = 120;

/// A sexting request (vocabulary: `sexting`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SextingRequest {
    /// Wire-format version; omitted means 1.
    #[serde(default)]
    pub schema_version: SchemaVersion,
    /// `sexting`; may be omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<SextingDomain>,
    /// The policy to decide under; may be omitted when the engine holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The day of the incident: ages are computed on this day.
    pub incident_date: Date,
    /// The young people involved, by the caller's ids.
    pub young_people: Vec<YoungPerson>,
    /// What is known so far; omitted facts are `unknown`.
    #[serde(default)]
    pub facts: SextingFacts,
    /// When it was reported to staff (local school time), for the due times
    /// of the escalation plan; without it the plan has deadlines only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<crate::devices::LocalDateTime>,
}

crate::tokens::tokens! {
    /// The only domain token a sexting request may carry.
    pub enum SextingDomain {
        Sexting = "sexting",
    }
}

/// A young person involved in the incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct YoungPerson {
    /// The caller's id; the only way a response refers to this person.
    pub id: String,
    /// Age in whole years on the incident date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Date of birth; the age is computed from it at the incident date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<Date>,
    /// Special educational needs or other additional needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_needs: Option<bool>,
    /// Their part in the incident.
    pub role: PartyRole,
}

crate::tokens::tokens! {
    /// A young person's part in the incident.
    pub enum PartyRole {
        /// In the imagery.
        Subject = "subject",
        Sender = "sender",
        Recipient = "recipient",
        Sharer = "sharer",
    }
}

/// The facts of the case, each `yes`, `no` or `unknown` (omitted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct SextingFacts {
    /// Any party aged 18 or over is involved.
    pub adult_involved: Tri,
    pub coercion_blackmail_or_grooming: Tri,
    /// Sextortion; always coercion.
    pub financially_motivated_extortion: Tri,
    /// E.g. owing to special educational needs.
    pub capacity_to_consent_concern: Tri,
    pub content_atypical_for_development: Tri,
    pub content_violent: Tri,
    pub content_sexual_acts: Tri,
    /// In scope and treated as real imagery.
    pub ai_generated_or_manipulated: Tri,
    /// E.g. presenting as suicidal or self-harming.
    pub immediate_risk_of_harm: Tri,
    pub shared_widely: Tri,
    pub previous_incidents: Tri,
    pub parental_involvement_would_risk_child: Tri,
}

impl SextingRequest {
    /// Checks what the types cannot: unique ids, plausible ages, a date of
    /// birth before the incident that agrees with any age given.
    pub fn validate(&self) -> Result<()> {
        let repeat = crate::input::first_repeat(self.young_people.iter().map(|p| p.id.as_str()));
        for (i, person) in self.young_people.iter().enumerate() {
            let at = |field: &str| Location::path(format!("$.young_people[{i}].{field}"));
            if person.id.is_empty() {
                return Err(Error::InvalidValue {
                    at: at("id"),
                    message: "a young person's id must not be empty".into(),
                });
            }
            if repeat == Some(i) {
                return Err(Error::InvalidValue {
                    at: at("id"),
                    message: format!("id `{}` is used for two young people", person.id),
                });
            }
            if let Some(age) = person.age {
                if age > MAX_AGE {
                    return Err(Error::InvalidValue {
                        at: at("age"),
                        message: format!("age {age} is over {MAX_AGE}"),
                    });
                }
            }
            if let Some(dob) = person.date_of_birth {
                let Some(years) = dob.whole_years_until(self.incident_date) else {
                    return Err(Error::InvalidDate {
                        at: at("date_of_birth"),
                        message: "the date of birth is after the incident date".into(),
                    });
                };
                if years > MAX_AGE {
                    return Err(Error::InvalidDate {
                        at: at("date_of_birth"),
                        message: format!("the date of birth makes the person over {MAX_AGE}"),
                    });
                }
                if let Some(age) = person.age {
                    if age != years {
                        return Err(Error::InvalidValue {
                            at: at("age"),
                            message: format!(
                                "age {age} disagrees with the date of birth, which gives {years} on the incident date"
                            ),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

impl YoungPerson {
    /// Age in whole years on `incident`, from the date of birth or the age given.
    pub fn age_on(&self, incident: Date) -> Option<u32> {
        match self.date_of_birth {
            Some(dob) => dob.whole_years_until(incident),
            None => self.age,
        }
    }
}

/// Step 1: each criterion as yes / no / unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Indexed like [`Criterion::ALL`].
    pub criteria: [Tri; 7],
    /// Criterion 4's two parts: sexual acts, and a subject under 13.
    pub sexual_acts: Tri,
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
        let criterion = |c: Criterion| self.criterion(c).is_yes();
        match when {
            When::AdultInvolved => criterion(Criterion::AdultInvolved),
            When::CoercionBlackmailOrGrooming => criterion(Criterion::CoercionBlackmailOrGrooming),
            When::CapacityToConsentConcern => criterion(Criterion::CapacityToConsentConcern),
            When::ContentAtypicalForDevelopment => {
                criterion(Criterion::ContentAtypicalForDevelopment)
            }
            When::ContentViolent => criterion(Criterion::ContentViolent),
            When::Under13SexualActs => criterion(Criterion::Under13SexualActs),
            When::ImmediateRiskOfHarm => criterion(Criterion::ImmediateRiskOfHarm),
            When::CriterionUnknown => {
                !self.any_criterion(Tri::Yes) && self.any_criterion(Tri::Unknown)
            }
            When::NoCriterionHolds => self.criteria.iter().all(|t| *t == Tri::No),
            When::FinanciallyMotivatedExtortion => facts.financially_motivated_extortion.is_yes(),
            When::AiGeneratedOrManipulated => facts.ai_generated_or_manipulated.is_yes(),
            When::ParentalInvolvementWouldRiskChild => {
                facts.parental_involvement_would_risk_child.is_yes()
            }
            When::Always
            | When::ReferImmediately
            | When::ChildSexualAbuse
            | When::NeedMoreInformation
            | When::DslMayManageInSchool => false,
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

fn criterion_of(when: When) -> Option<Criterion> {
    Some(match when {
        When::AdultInvolved => Criterion::AdultInvolved,
        When::CoercionBlackmailOrGrooming => Criterion::CoercionBlackmailOrGrooming,
        When::CapacityToConsentConcern => Criterion::CapacityToConsentConcern,
        When::ContentAtypicalForDevelopment => Criterion::ContentAtypicalForDevelopment,
        When::ContentViolent => Criterion::ContentViolent,
        When::Under13SexualActs => Criterion::Under13SexualActs,
        When::ImmediateRiskOfHarm => Criterion::ImmediateRiskOfHarm,
        _ => return None,
    })
}

/// The policy's sexting table, ready to evaluate: reasons are prebuilt, and
/// the action plan for every combination of outcome and the facts the action
/// table looks at is built once, so a decision only clones shared values.
#[derive(Debug)]
pub(crate) struct Compiled {
    rules: Vec<CompiledRule>,
    actions: Vec<CompiledAction>,
    checklist: Arc<[ChecklistItem]>,
    /// For each criterion, the strongest outcome a rule requires when it holds.
    outcome_if_yes: [Option<Outcome>; 7],
    /// The fact and criterion conditions the action table refers to.
    action_inputs: Vec<When>,
    /// Plans indexed by [`plan_index`], when `action_inputs` is small.
    plans: Vec<Arc<[Action]>>,
}

/// A set of [`When`] conditions, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WhenSet(u32);

impl WhenSet {
    fn of(whens: impl IntoIterator<Item = When>) -> WhenSet {
        WhenSet(whens.into_iter().fold(0, |set, w| set | 1 << w as u32))
    }

    fn contains(self, w: When) -> bool {
        self.0 & 1 << w as u32 != 0
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

/// Precompute plans for up to this many distinct action inputs (2^6 x 4 plans).
const MAX_PRECOMPUTED_INPUTS: usize = 6;

const OUTCOMES: [Outcome; 4] = [
    Outcome::DslMayManageInSchool,
    Outcome::NeedMoreInformation,
    Outcome::ReferImmediately,
    Outcome::ChildSexualAbuse,
];

impl Compiled {
    pub(crate) fn new(policy: &Policy) -> Compiled {
        let section = &policy.sexting;
        let rules: Vec<CompiledRule> = section
            .rules
            .iter()
            .map(|r| CompiledRule {
                when: WhenSet::of(r.when.iter().copied()),
                outcome: r.outcome,
                referral_to: r.referral_to.clone(),
                reason: Arc::new(Reason {
                    rule: r.id.as_str().into(),
                    summary: r.summary.as_str().into(),
                    cite: r.cite.clone(),
                    json: Default::default(),
                }),
            })
            .collect();
        let mut outcome_if_yes = [None; 7];
        for (rule, wire) in rules.iter().zip(&section.rules) {
            for c in wire.when.iter().filter_map(|w| criterion_of(*w)) {
                let slot = &mut outcome_if_yes[c as usize];
                *slot = (*slot).max(rule.outcome);
            }
        }
        let contact = |who| {
            policy
                .roles
                .get(&who)
                .or_else(|| policy.bodies.get(&who))
                .map(|c| Text::from(c.one_line()))
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
                    detail: a.detail.as_str().into(),
                    contact: contact(a.who),
                    rule: a.id.as_str().into(),
                },
            })
            .collect();
        let mut action_inputs: Vec<When> = actions
            .iter()
            .flat_map(|a| a.when.iter().chain(a.unless.iter()))
            .copied()
            .filter(|w| !w.is_outcome_trigger())
            .collect();
        action_inputs.sort_unstable();
        action_inputs.dedup();
        let mut plans = Vec::new();
        if action_inputs.len() <= MAX_PRECOMPUTED_INPUTS {
            for outcome in OUTCOMES {
                for bits in 0..(1u32 << action_inputs.len()) {
                    let holds = |w: When| {
                        action_inputs
                            .iter()
                            .position(|x| *x == w)
                            .is_some_and(|i| bits & (1 << i) != 0)
                    };
                    plans.push(plan(&actions, outcome, holds));
                }
            }
        }
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
            action_inputs,
            plans,
        }
    }

    /// The action plan for `outcome` given which conditions hold.
    fn plan_for(&self, outcome: Outcome, holds: impl Fn(When) -> bool) -> Arc<[Action]> {
        if self.plans.is_empty() {
            return plan(&self.actions, outcome, holds);
        }
        let mut bits = 0usize;
        for (i, w) in self.action_inputs.iter().enumerate() {
            if holds(*w) {
                bits |= 1 << i;
            }
        }
        let o = OUTCOMES.iter().position(|x| *x == outcome).unwrap_or(1);
        self.plans[(o << self.action_inputs.len()) | bits].clone()
    }
}

/// The steps that apply for `outcome`, in table order.
fn plan(
    actions: &[CompiledAction],
    outcome: Outcome,
    holds: impl Fn(When) -> bool,
) -> Arc<[Action]> {
    let fires = |w: When| match w {
        When::Always => true,
        When::ReferImmediately => outcome >= Outcome::ReferImmediately,
        When::ChildSexualAbuse => outcome == Outcome::ChildSexualAbuse,
        When::NeedMoreInformation => outcome == Outcome::NeedMoreInformation,
        When::DslMayManageInSchool => outcome == Outcome::DslMayManageInSchool,
        other => holds(other),
    };
    actions
        .iter()
        .filter(|a| a.when.iter().any(|w| fires(*w)) && !a.unless.is_some_and(fires))
        .map(|a| a.action.clone())
        .collect()
}

/// Steps 2-4: the decision for a validated request.
pub(crate) fn decide(
    c: &Compiled,
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

    // Step 3: unknowns that could still raise the outcome.
    let mut unknown_criteria = Vec::new();
    let mut unknowns: Vec<Text> = Vec::new();
    for (i, criterion) in Criterion::ALL.into_iter().enumerate() {
        let could_raise = c.outcome_if_yes[i].is_some_and(|o| o > outcome);
        if a.criteria[i] != Tri::Unknown || !could_raise {
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

    // Step 4: actions for this outcome and these facts.
    let actions = c.plan_for(outcome, |w| holding.contains(w));

    let criteria = Criterion::ALL
        .into_iter()
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
