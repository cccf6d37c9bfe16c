//! The policy linter: what a devices rule table says about *every* request.
//!
//! A devices policy is a list of rules, and whether it says what its authors
//! meant only shows up in the requests it is asked about. Reading the rules
//! one by one does not reveal that two of them disagree, that an allow can
//! never win, or that nobody thought about visitors' smartwatches. So the
//! linter asks the policy about *every* request instead.
//!
//! That is possible because the devices request space is finite: a role (and
//! for pupils a year group), a device kind and owner, an action, a location,
//! a period, four choices of permission, four of exception and a handful of
//! yes/no facts. With every fact given that is about 245 million requests:
//! too many to decide one by one within the budget, but far more than it
//! needs to be. Two values of one dimension that every rule treats alike
//! (the same rules accept both) can never lead to different answers, so
//! each dimension is cut into *equivalence classes*: the values with the
//! same *signature*, the set of rules whose matcher accepts them. Year
//! groups split only where a rule's range starts or ends; a yes/no fact that
//! no rule tests is a single class. The linter decides one representative
//! of each combination of classes, and a baseline-sized policy has a few
//! thousand of those rather than hundreds of millions.
//!
//! With every fact given a rule matches a request exactly when each
//! dimension's value is in the rule's signature, so the set of rules that
//! match a class is the intersection of its classes' signatures. The walk
//! (`Space::walk`) keeps those intersections on a stack as it fixes one
//! dimension after another, and once an intersection is empty it stops
//! descending: everything beneath is covered by no rule and is counted in
//! one step. It also never walks the same subtree twice: below the *key*
//! dimensions (who, device kind, owner, action) what happens depends only
//! on which rules are still in play, so each distinct subtree is
//! summarised once and replayed for every prefix that reaches it. A
//! school's preset (a few hundred thousand classes) lints in milliseconds.
//!
//! The answer for a class depends only on which rules match it, so the
//! engine's own `verdict` is asked once per distinct set of matching
//! rules, not once per class: the linter cannot disagree with the engine
//! about what a request gets, because the engine gives the answer.
//!
//! What it reports ([`FindingKind`]):
//! - `contradiction`: a forbid and an allow, neither a floor rule, that both
//!   match the same requests. The forbid wins (the engine is strict), but a
//!   school whose written policy says both should know and fix the words.
//!   Requests a floor rule forbids are left out: there the floor decides
//!   whatever the school's rules say, and the allow is reported as
//!   `loosens_floor` instead. The pairs come in order of how much of the
//!   allow the forbid overrides: a forbid that overrides most of an allow
//!   is likely a sentence of the policy contradicting another; one that
//!   cuts a corner out of it is more likely an exception the school meant.
//! - `shadowed_rule`: a rule that never decides a request: an allow that a
//!   forbid always beats, or a rule no request can satisfy.
//! - `uncovered`: requests that no rule covers, grouped into lines by who,
//!   which device and which action. They are denied and the headteacher
//!   decides, which is safe but may not be what the school meant.
//! - `loosens_floor`: a school allow that reaches into what a floor rule of
//!   the national baseline forbids. The floor still wins; the allow says
//!   more than it can grant.
//!
//! Floor exceptions (`effect = "except"`) are neither allows nor forbids
//! here: where one matches, the floor decides, so the forbids it lifts are
//! not contradicted by the allows that match there too, and an allow there
//! does not loosen the floor (the floor itself allows). The verdict each
//! class gets is the engine's, the policy's `staff_breach_disciplinary`
//! included.
//!
//! One limit: the conditions a verdict lists drop what the request's
//! `permission_from` already meets, and the space splits `permission_from`
//! only where a rule's matcher does, so a class's conditions are those of
//! its representative permission. Findings do not depend on conditions.
//!
//! The walk is bounded ([`super::budget`]): a policy that cuts the space
//! so finely that its summaries would pass the caller's memory or work
//! limit is refused with `too_complex`, before the memory is taken.

use super::budget::{block, map_entry, rule_set, vec_element, AnalysisLimits, Budget};
use super::{
    verdict, Actor, ActorRole, CompiledRule, Context, Device, DeviceAction, DeviceKind, DeviceRule,
    DevicesDomain, DevicesRequest, Effect, Exception, Facts, FlagValues, Location, Owner,
    PermissionFrom, RoleGroup, RoleMatch, Verdict, FLAGS, MAX_YEAR_GROUP,
};
use crate::civil::Period;
use crate::error::{Error, Result};
use crate::vocab::{Condition, OnBreach, PolicyRef};
use crate::wire::envelope::SchemaVersion;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

// ---------------------------------------------------------------------------
// The request space
// ---------------------------------------------------------------------------

/// The dimensions before the yes/no facts ([`Dim::Flag`]).
const VALUE_DIMS: usize = 8;

/// The number of dimensions of the request space.
pub(crate) const DIMS: usize = VALUE_DIMS + FLAGS.len();

/// One dimension of the request space. The walk fixes them in this order:
/// who, what device, what action and where first, because those are what a
/// reader groups findings by and where rules most often stop matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dim {
    /// Role and, for pupils, year group, as one dimension: a rule's year
    /// range only ever accepts pupils.
    Actor,
    Kind,
    Owner,
    Action,
    Location,
    Period,
    Exception,
    PermissionFrom,
    /// The yes/no fact `FLAGS[i]`.
    Flag(usize),
}

impl Dim {
    /// The dimensions before the yes/no facts, in walk order.
    const VALUES: [Dim; VALUE_DIMS] = [
        Dim::Actor,
        Dim::Kind,
        Dim::Owner,
        Dim::Action,
        Dim::Location,
        Dim::Period,
        Dim::Exception,
        Dim::PermissionFrom,
    ];

    /// Every dimension, in walk order: [`Dim::VALUES`], then one per flag.
    pub(crate) const ALL: [Dim; DIMS] = {
        let mut all = [Dim::Actor; DIMS];
        let mut i = 0;
        while i < DIMS {
            all[i] = if i < VALUE_DIMS {
                Dim::VALUES[i]
            } else {
                Dim::Flag(i - VALUE_DIMS)
            };
            i += 1;
        }
        all
    };

    /// The dimension's place in [`Dim::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            Dim::Actor => 0,
            Dim::Kind => 1,
            Dim::Owner => 2,
            Dim::Action => 3,
            Dim::Location => 4,
            Dim::Period => 5,
            Dim::Exception => 6,
            Dim::PermissionFrom => 7,
            Dim::Flag(i) => VALUE_DIMS + i,
        }
    }

    /// How many values the dimension has.
    fn size(self) -> usize {
        match self {
            Dim::Actor => ACTORS,
            Dim::Kind => DeviceKind::ALL.len(),
            Dim::Owner => Owner::ALL.len(),
            Dim::Action => DeviceAction::ALL.len(),
            Dim::Location => Location::ALL.len(),
            Dim::Period => Period::ALL.len(),
            Dim::Exception => Exception::ALL.len(),
            Dim::PermissionFrom => PermissionFrom::ALL.len(),
            Dim::Flag(_) => 2,
        }
    }

    /// The rule field that constrains this dimension.
    fn field(self) -> &'static str {
        match self {
            Dim::Actor => "roles and year_groups",
            Dim::Kind => "devices",
            Dim::Owner => "owner",
            Dim::Action => "actions",
            Dim::Location => "locations",
            Dim::Period => "periods",
            Dim::Exception => "exception",
            Dim::PermissionFrom => "permission_from",
            Dim::Flag(i) => FLAGS.get(i).map_or("", |f| f.name()),
        }
    }
}

/// Actor values: a pupil in each year group, then each other role.
const ACTORS: usize = MAX_YEAR_GROUP as usize + 1 + 10;

/// The actor of value `v` of [`Dim::Actor`].
fn actor(v: usize) -> (ActorRole, Option<u8>) {
    let pupils = MAX_YEAR_GROUP as usize + 1;
    if v < pupils {
        (ActorRole::Pupil, u8::try_from(v).ok())
    } else {
        let others = ActorRole::ALL.iter().filter(|r| **r != ActorRole::Pupil);
        (
            others
                .copied()
                .nth(v - pupils)
                .unwrap_or(ActorRole::Visitor),
            None,
        )
    }
}

/// Is a yes/no fact of value `given` acceptable to a rule that wants `wanted`?
fn flag_ok(wanted: Option<bool>, given: bool) -> bool {
    !matches!(wanted, Some(w) if w != given)
}

/// Does `rule` accept value `v` of `dim`? With every fact given, a rule
/// matches a request exactly when it accepts each of the request's values
/// (the same tests as [`CompiledRule::matches`], one dimension at a time).
fn accepts(rule: &CompiledRule, dim: Dim, v: usize) -> bool {
    let has = |mask: u16, bit: usize| mask & (1u16 << bit) != 0;
    match dim {
        Dim::Actor => {
            let (role, year) = actor(v);
            has(rule.roles, role as usize)
                && match rule.year_groups {
                    None => true,
                    Some((lo, hi)) => year.is_some_and(|y| lo <= y && y <= hi),
                }
        }
        Dim::Kind => has(rule.kinds.into(), DeviceKind::ALL[v] as usize),
        Dim::Owner => has(rule.owners.into(), Owner::ALL[v] as usize),
        Dim::Action => has(rule.actions, DeviceAction::ALL[v] as usize),
        Dim::Location => has(rule.locations, Location::ALL[v] as usize),
        Dim::Period => has(rule.periods, Period::ALL[v] as usize),
        Dim::Exception => has(rule.exception.into(), Exception::ALL[v] as usize),
        Dim::PermissionFrom => has(rule.permission_from.into(), PermissionFrom::ALL[v] as usize),
        Dim::Flag(i) => FLAGS
            .get(i)
            .is_some_and(|flag| flag_ok(rule.flags.get(flag), v == 1)),
    }
}

/// The equivalence classes of one dimension.
#[derive(Debug)]
struct Classes {
    /// The values of each class, ascending; the first is its representative.
    members: Vec<Vec<usize>>,
    /// Each class's signature (a rule bit set of `words` words), flattened.
    sigs: Vec<u64>,
}

/// The request space of a list of rules, cut into equivalence classes.
#[derive(Debug)]
pub(crate) struct Space {
    /// Words in a rule bit set.
    words: usize,
    rules: usize,
    dims: Vec<Classes>,
    /// `suffix[d]`: classes below a cell with dimensions `..d` fixed.
    suffix_classes: [u64; DIMS + 1],
    /// `suffix[d]`: requests below a cell with dimensions `..d` fixed.
    suffix_requests: [u64; DIMS + 1],
}

/// A visited part of the space: the requests of one combination of the
/// key dimensions' classes that the same rules match.
#[derive(Debug)]
pub(crate) struct Cell<'a> {
    /// The class of each key dimension ([`KEY_DIMS`] of them), in
    /// [`Dim::ALL`] order.
    pub(crate) prefix: &'a [usize],
    /// The classes of the other dimensions that the cell spans (one bit
    /// per class; the bits of the key dimensions are not used).
    pub(crate) deeper: &'a ClassMask,
    /// One class of the cell, every dimension fixed: its example.
    pub(crate) example: &'a [usize],
    /// The rules that match every request of the cell.
    pub(crate) matched: &'a [u64],
    /// How many classes and requests the cell holds.
    pub(crate) weight: Tally,
}

/// The part of a subtree below the key dimensions that one set of rules
/// matches.
#[derive(Debug)]
struct Summary {
    matched: Vec<u64>,
    deeper: ClassMask,
    example: [usize; DIMS],
    weight: Tally,
}

impl Cell<'_> {
    pub(crate) fn matches_nothing(&self) -> bool {
        self.matched.iter().all(|w| *w == 0)
    }
}

/// A number of classes and the number of requests they stand for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tally {
    /// The number of equivalence classes.
    pub classes: u64,
    /// The number of requests, every fact given, that those classes stand for.
    pub requests: u64,
}

impl Tally {
    pub(crate) fn add(&mut self, other: Tally) {
        self.classes += other.classes;
        self.requests += other.requests;
    }
}

/// The key dimensions, the first of [`Dim::ALL`]: who, device kind, owner
/// and action. The walk enumerates them class by class (below them it
/// summarises), so every cell names them, and findings group by them.
pub(crate) const KEY_DIMS: usize = 4;

impl Space {
    /// Cuts the space along the signatures of `rules`.
    pub(crate) fn new(rules: &[&CompiledRule]) -> Space {
        let words = rules.len().div_ceil(64).max(1);
        let mut dims = Vec::with_capacity(DIMS);
        for dim in Dim::ALL {
            let mut found: Vec<(Vec<u64>, Vec<usize>)> = Vec::new();
            for v in 0..dim.size() {
                let mut sig = vec![0u64; words];
                for (i, rule) in rules.iter().enumerate() {
                    if accepts(rule, dim, v) {
                        sig[i / 64] |= 1 << (i % 64);
                    }
                }
                match found.iter_mut().find(|(s, _)| *s == sig) {
                    Some((_, members)) => members.push(v),
                    None => found.push((sig, vec![v])),
                }
            }
            dims.push(Classes {
                sigs: found.iter().flat_map(|(s, _)| s.iter().copied()).collect(),
                members: found.into_iter().map(|(_, m)| m).collect(),
            });
        }
        let mut suffix_classes = [1u64; DIMS + 1];
        let mut suffix_requests = [1u64; DIMS + 1];
        for d in (0..DIMS).rev() {
            suffix_classes[d] = suffix_classes[d + 1] * dims[d].members.len() as u64;
            suffix_requests[d] = suffix_requests[d + 1] * Dim::ALL[d].size() as u64;
        }
        Space {
            words,
            rules: rules.len(),
            dims,
            suffix_classes,
            suffix_requests,
        }
    }

    /// Every combination of classes.
    pub(crate) fn total(&self) -> Tally {
        Tally {
            classes: self.suffix_classes[0],
            requests: self.suffix_requests[0],
        }
    }

    /// The number of classes of `dim`.
    fn class_count(&self, dim: Dim) -> usize {
        self.dims[dim.index()].members.len()
    }

    /// Every rule.
    fn all_rules(&self) -> Vec<u64> {
        let mut all = vec![0u64; self.words];
        for i in 0..self.rules {
            all[i / 64] |= 1 << (i % 64);
        }
        all
    }

    /// Visits the whole space, in order, as [`Cell`]s.
    ///
    /// The key dimensions are enumerated class by class. What lies below
    /// them depends only on which rules are still in play, and many
    /// prefixes leave the same rules in play, so each such subtree is
    /// walked once and summarised: for each set of rules its leaves match,
    /// how many classes and requests (per request of the prefix), and which
    /// classes of each deeper dimension. Every prefix then replays the
    /// summary of its subtree instead of walking it again.
    ///
    /// The summaries kept are charged to `budget` before they are made and
    /// each replayed cell is a step of work; the walk stops with the first
    /// error of the budget or of `visit`.
    pub(crate) fn walk(
        &self,
        budget: &mut Budget,
        mut visit: impl FnMut(&Cell<'_>, &mut Budget) -> Result<()>,
    ) -> Result<()> {
        let mut memo: HashMap<Vec<u64>, Vec<Summary>> = HashMap::new();
        let mut example = [0usize; DIMS];
        self.odometer(
            budget,
            (0, KEY_DIMS),
            &self.all_rules(),
            false,
            |prefix, in_play, requests, budget| {
                if !memo.contains_key(in_play) {
                    budget
                        .allocate(map_entry::<Vec<u64>, Vec<Summary>>() + rule_set(self.words))?;
                    let summaries = self.summarise(in_play, budget)?;
                    memo.insert(in_play.to_vec(), summaries);
                }
                let Some(summaries) = memo.get(in_play) else {
                    return Err(Error::Internal {
                        message: "lint: a summary went missing".into(),
                    });
                };
                example[..KEY_DIMS].copy_from_slice(prefix);
                for s in summaries {
                    budget.work(1)?;
                    example[KEY_DIMS..].copy_from_slice(&s.example[KEY_DIMS..]);
                    let cell = Cell {
                        prefix,
                        deeper: &s.deeper,
                        example: &example,
                        matched: &s.matched,
                        weight: Tally {
                            classes: s.weight.classes,
                            requests: s.weight.requests * requests,
                        },
                    };
                    visit(&cell, budget)?;
                }
                Ok(())
            },
        )
    }

    /// The subtree below the key dimensions where the rules `in_play` may
    /// still match, summarised by the set of rules each leaf matches. Each
    /// summary is charged to `budget` before it is made; the index used to
    /// find them again is given back when the subtree is done.
    fn summarise(&self, in_play: &[u64], budget: &mut Budget) -> Result<Vec<Summary>> {
        let mut out: Vec<Summary> = Vec::new();
        let mut index: HashMap<Vec<u64>, usize> = HashMap::new();
        let index_entry = map_entry::<Vec<u64>, usize>() + rule_set(self.words);
        let summary = vec_element::<Summary>() + rule_set(self.words);
        let walked = self.odometer(
            budget,
            (KEY_DIMS, DIMS),
            in_play,
            true,
            |suffix, matched, requests, budget| {
                let depth = KEY_DIMS + suffix.len();
                let i = match index.get(matched) {
                    Some(&i) => i,
                    None => {
                        budget.allocate(index_entry + summary)?;
                        let mut example = [0usize; DIMS];
                        example[KEY_DIMS..depth].copy_from_slice(suffix);
                        index.insert(matched.to_vec(), out.len());
                        out.push(Summary {
                            matched: matched.to_vec(),
                            deeper: ClassMask::default(),
                            example,
                            weight: Tally::default(),
                        });
                        out.len() - 1
                    }
                };
                let s = &mut out[i];
                for (d, bits) in s.deeper.0.iter_mut().enumerate().skip(KEY_DIMS) {
                    *bits |= match suffix.get(d - KEY_DIMS) {
                        Some(&c) => 1 << c,
                        None => self.full_mask(d),
                    };
                }
                s.weight.add(Tally {
                    classes: self.suffix_classes[depth],
                    requests: requests * self.suffix_requests[depth],
                });
                Ok(())
            },
        );
        budget.free(index.len() as u64 * index_entry);
        walked.map(|()| out)
    }

    /// Every class of dimension `d`, as a mask.
    fn full_mask(&self, d: usize) -> u32 {
        (1u32 << self.dims[d].members.len()) - 1
    }

    /// Visits every combination of classes of dimensions `lo..hi`, in
    /// order, with the rules of `start` that match it and the number of
    /// requests its fixed classes hold. With `prune`, a part of the space
    /// no rule matches is visited once, with only the dimensions before it
    /// fixed.
    ///
    /// Each visit is a step of `budget`'s work; the walk stops with the
    /// first error `visit` or the budget returns.
    fn odometer(
        &self,
        budget: &mut Budget,
        (lo, hi): (usize, usize),
        start: &[u64],
        prune: bool,
        mut visit: impl FnMut(&[usize], &[u64], u64, &mut Budget) -> Result<()>,
    ) -> Result<()> {
        let w = self.words;
        if prune && start.iter().all(|x| *x == 0) {
            budget.work(1)?;
            return visit(&[], start, 1, budget);
        }
        let n = hi - lo;
        let mut idx = [0usize; DIMS];
        // stack[k]: the rules of `start` matching with dimensions lo..lo+k fixed.
        let mut stack = vec![0u64; (n + 1) * w];
        stack[..w].copy_from_slice(start);
        // requests[k]: the requests of the fixed classes of lo..lo+k.
        let mut requests = [1u64; DIMS + 1];
        let mut from = 0;
        loop {
            let mut k = from;
            while k < n {
                let (dim, class) = (&self.dims[lo + k], idx[k]);
                let (done, rest) = stack.split_at_mut((k + 1) * w);
                let sig = &dim.sigs[class * w..(class + 1) * w];
                let mut any = 0;
                for ((out, a), b) in rest[..w].iter_mut().zip(&done[k * w..]).zip(sig) {
                    *out = a & b;
                    any |= *out;
                }
                requests[k + 1] = requests[k] * dim.members[class].len() as u64;
                k += 1;
                if prune && any == 0 {
                    break;
                }
            }
            budget.work(1)?;
            visit(&idx[..k], &stack[k * w..(k + 1) * w], requests[k], budget)?;
            // The last fixed dimension's next class, carrying into the
            // dimensions before it.
            loop {
                if k == 0 {
                    return Ok(());
                }
                k -= 1;
                idx[k] += 1;
                if idx[k] < self.dims[lo + k].members.len() {
                    from = k;
                    break;
                }
                idx[k] = 0;
            }
        }
    }

    /// The representative value of `dim` in a cell (class 0 where unfixed).
    fn rep(&self, classes: &[usize], dim: Dim) -> usize {
        let class = classes.get(dim.index()).copied().unwrap_or(0);
        self.dims[dim.index()].members[class][0]
    }

    /// The facts of the representative request of a cell: every fact given.
    pub(crate) fn facts(&self, classes: &[usize]) -> Facts {
        let v = |dim| self.rep(classes, dim);
        let (role, year_group) = actor(v(Dim::Actor));
        let mut flags = FlagValues::default();
        for (i, flag) in FLAGS.iter().enumerate() {
            flags.set(flag, Some(v(Dim::Flag(i)) == 1));
        }
        Facts {
            role,
            year_group,
            kind: DeviceKind::ALL[v(Dim::Kind)],
            owner: Owner::ALL[v(Dim::Owner)],
            action: DeviceAction::ALL[v(Dim::Action)],
            location: Location::ALL[v(Dim::Location)],
            period: Some(Period::ALL[v(Dim::Period)]),
            permission_from: Some(PermissionFrom::ALL[v(Dim::PermissionFrom)]),
            exception: Some(Exception::ALL[v(Dim::Exception)]),
            flags,
        }
    }

    /// The representative request of a cell, ready for `safeguard eval`.
    pub(crate) fn request(&self, classes: &[usize], policy: &str) -> DevicesRequest {
        let f = self.facts(classes);
        let mut request = DevicesRequest {
            schema_version: SchemaVersion,
            domain: Some(DevicesDomain::Devices),
            policy: Some(policy.to_string()),
            actor: Actor {
                role: f.role,
                year_group: f.year_group,
                works_directly_with_children: None,
            },
            device: Device {
                kind: f.kind,
                owner: f.owner,
            },
            action: f.action,
            context: Context {
                period: f.period,
                permission_from: f.permission_from,
                exception: f.exception,
                ..Context::unknown_but_location(f.location)
            },
        };
        f.flags.give_to(&mut request);
        request
    }

    /// The example of a finding in words: who, device, action, where and
    /// when, plus the circumstances (permission, exception, yes/no facts)
    /// that one of the `focus` rules tests, so only facts that matter to
    /// the finding appear. A dimension the policy never splits is left out.
    pub(crate) fn describe(&self, classes: &[usize], focus: &[&CompiledRule]) -> String {
        fn one<T>(split: bool, v: T) -> Vec<T> {
            if split {
                vec![v]
            } else {
                Vec::new()
            }
        }
        let f = self.facts(classes);
        let split = |dim: Dim| {
            let tested = || {
                focus
                    .iter()
                    .any(|r| (0..dim.size()).any(|v| !accepts(r, dim, v)))
            };
            self.class_count(dim) > 1 && (dim.index() <= Dim::Period.index() || tested())
        };
        // A pupil's year matters only where the policy tells years apart.
        let actors = &self.dims[Dim::Actor.index()].members;
        let pupil_classes: BTreeSet<usize> = (0..=MAX_YEAR_GROUP as usize)
            .filter_map(|v| actors.iter().position(|m| m.contains(&v)))
            .collect();
        let period = Period::ALL[self.rep(classes, Dim::Period)];
        let exception = Exception::ALL[self.rep(classes, Dim::Exception)];
        let permission = PermissionFrom::ALL[self.rep(classes, Dim::PermissionFrom)];
        Scope {
            roles: one(split(Dim::Actor), f.role),
            year_groups: match f.year_group {
                Some(y) if pupil_classes.len() > 1 => vec![y],
                _ => Vec::new(),
            },
            devices: one(split(Dim::Kind), f.kind),
            owner: one(split(Dim::Owner), f.owner),
            actions: one(split(Dim::Action), f.action),
            locations: one(split(Dim::Location), f.location),
            periods: one(split(Dim::Period), period),
            exception: one(split(Dim::Exception), exception),
            permission_from: one(split(Dim::PermissionFrom), permission),
            flags: FlagScope(std::array::from_fn(|i| {
                one(
                    split(Dim::Flag(i)),
                    FLAGS
                        .get(i)
                        .is_some_and(|flag| f.flags.get(flag) == Some(true)),
                )
            })),
        }
        .phrase()
    }

    /// Every value of the classes in `mask`, per dimension, as a [`Scope`];
    /// a dimension whose every value is present is left empty ("any").
    fn scope_of(&self, mask: &ClassMask) -> Scope {
        let values = |dim: Dim| -> Vec<usize> {
            let classes = &self.dims[dim.index()].members;
            let mut out: Vec<usize> = classes
                .iter()
                .enumerate()
                .filter(|(c, _)| mask.0[dim.index()] & (1 << c) != 0)
                .flat_map(|(_, m)| m.iter().copied())
                .collect();
            out.sort_unstable();
            if out.len() == dim.size() {
                out.clear();
            }
            out
        };
        fn pick<T: Copy>(values: Vec<usize>, all: &[T]) -> Vec<T> {
            values.into_iter().map(|v| all[v]).collect()
        }
        let flags = |dim| -> Vec<bool> { values(dim).into_iter().map(|v| v == 1).collect() };
        let actors = values(Dim::Actor);
        let mut roles: Vec<ActorRole> = Vec::new();
        let mut year_groups = Vec::new();
        for &v in &actors {
            let (role, year) = actor(v);
            if !roles.contains(&role) {
                roles.push(role);
            }
            year_groups.extend(year);
        }
        if year_groups.len() == MAX_YEAR_GROUP as usize + 1 {
            year_groups.clear();
        }
        Scope {
            roles,
            year_groups,
            devices: pick(values(Dim::Kind), DeviceKind::ALL),
            owner: pick(values(Dim::Owner), Owner::ALL),
            actions: pick(values(Dim::Action), DeviceAction::ALL),
            locations: pick(values(Dim::Location), Location::ALL),
            periods: pick(values(Dim::Period), Period::ALL),
            exception: pick(values(Dim::Exception), Exception::ALL),
            permission_from: pick(values(Dim::PermissionFrom), PermissionFrom::ALL),
            flags: FlagScope(std::array::from_fn(|i| flags(Dim::Flag(i)))),
        }
    }

    /// The dimension in which no value satisfies rule `i`, if there is one:
    /// exactly when the rule matches no request, as dimensions are independent.
    fn unsatisfiable(&self, i: usize) -> Option<Dim> {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        Dim::ALL.into_iter().find(|&dim| {
            let sigs = &self.dims[dim.index()].sigs;
            !sigs.chunks(self.words).any(|s| s[word] & bit != 0)
        })
    }
}

/// The rule indices in a bit set.
pub(crate) fn members(set: &[u64]) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(w, &bits)| {
        (0..64)
            .filter(move |b| bits & (1 << b) != 0)
            .map(move |b| w * 64 + b)
    })
}

// ---------------------------------------------------------------------------
// Groups of classes, as readable lines
// ---------------------------------------------------------------------------

/// A set of classes per dimension, one bit per class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ClassMask([u32; DIMS]);

/// Classes gathered into lines: keyed by the classes of the first few
/// dimensions (who, device kind, owner and perhaps action); within a line,
/// the union of each other dimension's classes.
#[derive(Debug)]
pub(crate) struct Groups<X> {
    key_len: usize,
    map: BTreeMap<[usize; KEY_DIMS], Group<X>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Group<X> {
    mask: ClassMask,
    pub(crate) weight: Tally,
    /// The first cell of the group, as its example.
    example: Vec<usize>,
    pub(crate) extra: X,
}

impl<X: Default + Clone> Groups<X> {
    /// Lines keyed by the first `key_len` (at most [`KEY_DIMS`]) dimensions.
    pub(crate) fn new(key_len: usize) -> Self {
        Groups {
            key_len: key_len.min(KEY_DIMS),
            map: BTreeMap::new(),
        }
    }

    /// Adds a cell; returns its group's extra data to update. A new group
    /// is charged to `budget` first.
    pub(crate) fn add(&mut self, cell: &Cell<'_>, budget: &mut Budget) -> Result<&mut X> {
        let mut key = [0usize; KEY_DIMS];
        key[..self.key_len].copy_from_slice(&cell.prefix[..self.key_len]);
        if !self.map.contains_key(&key) {
            budget.allocate(map_entry::<[usize; KEY_DIMS], Group<X>>() + block(DIMS * 8))?;
        }
        let group = self.map.entry(key).or_insert_with(|| Group {
            mask: ClassMask::default(),
            weight: Tally::default(),
            example: cell.example.to_vec(),
            extra: X::default(),
        });
        for (d, bits) in group.mask.0.iter_mut().enumerate() {
            *bits |= match cell.prefix.get(d) {
                Some(&c) => 1 << c,
                None => cell.deeper.0[d],
            };
        }
        group.weight.add(cell.weight);
        Ok(&mut group.extra)
    }

    /// The groups as lines: lines that differ in only one of the key
    /// dimensions are merged (exactly: the merged line holds the same
    /// requests as the two), action first, then who, device and owner.
    pub(crate) fn lines(self, merge: impl Fn(&mut X, X)) -> Vec<Group<X>> {
        let mut lines: Vec<Group<X>> = self.map.into_values().collect();
        for dim in [Dim::Action, Dim::Actor, Dim::Kind, Dim::Owner] {
            let d = dim.index();
            if d >= self.key_len {
                continue;
            }
            let mut out: Vec<Group<X>> = Vec::with_capacity(lines.len());
            for g in lines {
                let same =
                    |o: &&mut Group<X>| (0..DIMS).all(|e| e == d || o.mask.0[e] == g.mask.0[e]);
                match out.iter_mut().find(same) {
                    Some(o) => {
                        o.mask.0[d] |= g.mask.0[d];
                        o.weight.add(g.weight);
                        merge(&mut o.extra, g.extra);
                    }
                    None => out.push(g),
                }
            }
            lines = out;
        }
        lines
    }
}

impl<X> Group<X> {
    /// Does the line hold every combination of its classes? When it does
    /// not, its text says "in some combinations".
    fn full(&self) -> bool {
        let product: u64 = self
            .mask
            .0
            .iter()
            .map(|m| u64::from(m.count_ones()))
            .product();
        product == self.weight.classes
    }

    pub(crate) fn scope(&self, space: &Space) -> Scope {
        space.scope_of(&self.mask)
    }

    pub(crate) fn example(&self) -> &[usize] {
        &self.example
    }

    /// The line's text after "allows" or "no rule covers".
    pub(crate) fn phrase(&self, space: &Space) -> String {
        let mut s = self.scope(space).phrase();
        if !self.full() {
            s.push_str(" (some combinations only)");
        }
        s
    }
}

/// A part of the request space, per dimension; an empty list means every
/// value (as in a rule). Pupils' `year_groups` are listed when only some
/// year groups are in scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Scope {
    /// Actors' roles (`actor.role`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<ActorRole>,
    /// Pupils' year groups (`actor.year_group`), 0 (Reception) to 13.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub year_groups: Vec<u8>,
    /// Device kinds (`device.kind`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceKind>,
    /// Device owners (`device.owner`): `personal` or `school`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owner: Vec<Owner>,
    /// Actions (`action`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<DeviceAction>,
    /// Locations (`context.location`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Parts of the school day (`context.period`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<Period>,
    /// Exceptions by need (`context.exception`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exception: Vec<Exception>,
    /// Who has given permission (`context.permission_from`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub permission_from: Vec<PermissionFrom>,
    /// The yes/no facts.
    #[serde(flatten)]
    pub flags: FlagScope,
}

/// The values of each yes/no fact in a [`Scope`], as [`FLAGS`] lists them;
/// an empty list means either. Each is written under its own name
/// (`"emergency": [true]`), after the other dimensions, and left out when
/// empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlagScope(pub [Vec<bool>; FLAGS.len()]);

/// An object with a list of booleans under each yes/no fact's name, every
/// one optional, as [`FlagScope`]'s `Serialize` writes it.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for FlagScope {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FlagScope".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let list = schemars::json_schema!({ "type": "array", "items": { "type": "boolean" } });
        let properties: serde_json::Map<String, serde_json::Value> = FLAGS
            .iter()
            .map(|flag| (flag.name().to_string(), list.clone().to_value()))
            .collect();
        schemars::json_schema!({
            "description": "The values of each yes/no fact; a fact left out means either.",
            "type": "object",
            "properties": properties,
            "additionalProperties": false
        })
    }
}

impl Serialize for FlagScope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        for (flag, values) in FLAGS.iter().zip(&self.0) {
            if !values.is_empty() {
                map.serialize_entry(flag.name(), values)?;
            }
        }
        map.end()
    }
}

/// Lists at most `cap` items, then "and N more".
fn list<T: fmt::Display>(items: &[T], sep: &str, cap: usize) -> String {
    let shown: Vec<String> = items.iter().take(cap).map(ToString::to_string).collect();
    let mut s = shown.join(sep);
    if items.len() > cap {
        s.push_str(&format!(" and {} more", items.len() - cap));
    }
    s
}

/// Some values of a dimension in words: `within` and the list (at most
/// `cap` shown), or, when the list holds more than half the values, `any`
/// "except" all the others. An empty list (every value) is `""`, or `any`
/// where the sentence needs a word.
fn some_of<T: Copy + PartialEq + fmt::Display>(
    items: &[T],
    all: &[T],
    (within, any): (&str, &str),
    cap: usize,
) -> String {
    if items.is_empty() {
        return if within.is_empty() {
            any.to_string()
        } else {
            String::new()
        };
    }
    if items.len() * 2 > all.len() {
        let rest: Vec<T> = all.iter().copied().filter(|v| !items.contains(v)).collect();
        // Never "and N more" here: a hidden exception would mislead.
        return format!("{any} except {}", list(&rest, ", ", rest.len()));
    }
    format!("{within}{}", list(items, ", ", cap))
}

/// Year groups as ranges: "Reception to Year 2, Years 5-6".
pub(crate) fn years(ys: &[u8]) -> String {
    let name = |y: u8| {
        if y == 0 {
            "Reception".to_string()
        } else {
            format!("Year {y}")
        }
    };
    let mut parts = Vec::new();
    let mut i = 0;
    while i < ys.len() {
        let mut j = i;
        while j + 1 < ys.len() && ys[j + 1] == ys[j] + 1 {
            j += 1;
        }
        let (a, b) = (ys[i], ys[j]);
        parts.push(match (a == b, a) {
            (true, _) => name(a),
            (false, 0) => format!("Reception to Year {b}"),
            (false, _) => format!("Years {a}-{b}"),
        });
        i = j + 1;
    }
    parts.join(", ")
}

fn yes_no(b: &bool) -> &'static str {
    if *b {
        "yes"
    } else {
        "no"
    }
}

impl Scope {
    /// An upper bound of the heap the scope's lists hold.
    pub(crate) fn bytes(&self) -> u64 {
        // One list per dimension, roles and year groups included, each at
        // most a few dozen one-byte tokens.
        (DIMS as u64 + 1) * block(32)
    }

    /// Who, in words: "anyone", "any adult", "staff, volunteer",
    /// "pupil (Years 5-6)".
    pub fn who(&self) -> String {
        if self.roles.is_empty() {
            return "anyone".into();
        }
        let bit = |r: ActorRole| 1u16 << (r as u16);
        let mut rest = self.roles.iter().fold(0u16, |m, r| m | bit(*r));
        let mut parts: Vec<String> = Vec::new();
        if rest & bit(ActorRole::Pupil) != 0 {
            rest &= !bit(ActorRole::Pupil);
            parts.push(if self.year_groups.is_empty() {
                "pupil".into()
            } else {
                format!("pupil ({})", years(&self.year_groups))
            });
        }
        for (group, name) in [
            (RoleMatch::Group(RoleGroup::Adults), "any adult"),
            (RoleMatch::Group(RoleGroup::Staff), "staff"),
        ] {
            if rest & group.mask() == group.mask() {
                rest &= !group.mask();
                parts.push(name.into());
            }
        }
        parts.extend(
            ActorRole::ALL
                .iter()
                .filter(|r| rest & bit(**r) != 0)
                .map(|r| r.as_str().to_string()),
        );
        list(&parts, ", ", 6)
    }

    /// The device, in words: "a personal mobile_phone/smartwatch", "any device".
    pub fn device(&self) -> String {
        let owner = match self.owner.as_slice() {
            [one] => format!("{one} "),
            _ => String::new(),
        };
        if self.devices.is_empty() {
            format!("any {owner}device")
        } else {
            format!("a {owner}{}", list(&self.devices, "/", 4))
        }
    }

    /// The whole scope in words, e.g. "volunteer with a personal
    /// smartwatch: bring_on_site, keep_on_person in hall (when emergency: no)".
    pub fn phrase(&self) -> String {
        let mut s = format!("{} with {}: ", self.who(), self.device());
        s.push_str(&some_of(
            &self.actions,
            DeviceAction::ALL,
            ("", "any action"),
            6,
        ));
        s.push_str(&some_of(
            &self.locations,
            Location::ALL,
            (" in ", " anywhere"),
            5,
        ));
        s.push_str(&some_of(
            &self.periods,
            Period::ALL,
            (" during ", " at any time"),
            5,
        ));
        let mut when: Vec<String> = Vec::new();
        if !self.exception.is_empty() {
            when.push(format!("exception: {}", list(&self.exception, "/", 4)));
        }
        if !self.permission_from.is_empty() {
            let p = list(&self.permission_from, "/", 4);
            when.push(format!("permission_from: {p}"));
        }
        for (flag, values) in FLAGS.iter().zip(&self.flags.0) {
            if let [one] = values.as_slice() {
                when.push(format!("{}: {}", flag.name(), yes_no(one)));
            }
        }
        if !when.is_empty() {
            s.push_str(&format!(" (when {})", when.join("; ")));
        }
        s
    }
}

/// "1,234,567".
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 class", "12 classes".
pub(crate) fn classes(t: Tally) -> String {
    let unit = if t.classes == 1 { "class" } else { "classes" };
    let req = if t.requests == 1 {
        "request"
    } else {
        "requests"
    };
    format!(
        "{} {unit}, {} {req}",
        thousands(t.classes),
        thousands(t.requests)
    )
}

// ---------------------------------------------------------------------------
// The lint
// ---------------------------------------------------------------------------

/// The stable token of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A forbid and an allow (neither a floor rule) match the same requests.
    Contradiction,
    /// A rule that never decides any request.
    ShadowedRule,
    /// Requests no rule covers.
    Uncovered,
    /// An allow that reaches into what a floor rule forbids.
    LoosensFloor,
}

impl FindingKind {
    /// Every kind of finding, in the order the report lists them.
    pub const ALL: [FindingKind; 4] = [
        FindingKind::Contradiction,
        FindingKind::ShadowedRule,
        FindingKind::Uncovered,
        FindingKind::LoosensFloor,
    ];

    /// The wire token.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Contradiction => "contradiction",
            FindingKind::ShadowedRule => "shadowed_rule",
            FindingKind::Uncovered => "uncovered",
            FindingKind::LoosensFloor => "loosens_floor",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing the linter found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    /// What was found (wire token, e.g. `contradiction`).
    pub kind: FindingKind,
    /// The rules concerned: `[forbid, allow]` for a contradiction, `[floor
    /// rule, allow]` for `loosens_floor`, the rule for `shadowed_rule`, none
    /// for `uncovered`.
    pub rules: Vec<String>,
    /// For `shadowed_rule`: the forbids that beat the rule everywhere it matches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shadowed_by: Vec<String>,
    /// The finding in one line.
    pub message: String,
    /// How much of the request space it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<Tally>,
    /// For `uncovered`: the requests of the line (empty lists mean any).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// One request it concerns, with every fact given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<DevicesRequest>,
}

/// How many findings of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Counts {
    /// Findings of kind `contradiction`.
    pub contradiction: usize,
    /// Findings of kind `shadowed_rule`.
    pub shadowed_rule: usize,
    /// Findings of kind `uncovered`.
    pub uncovered: usize,
    /// Findings of kind `loosens_floor`.
    pub loosens_floor: usize,
}

/// What the linter found in a policy's devices rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LintReport {
    /// The policy linted, by id, version and digest.
    pub policy: PolicyRef,
    /// The device rules linted.
    pub rules: usize,
    /// The equivalence classes enumerated, and the requests they stand for
    /// (the whole space, every fact given).
    pub space: Tally,
    /// Findings of each kind.
    pub counts: Counts,
    /// The part of the space no rule covers.
    pub uncovered: Tally,
    /// The policy attaches disciplinary action to any staff breach: every
    /// denial of a member of staff by a rule carries `staff_disciplinary`.
    pub staff_breach_disciplinary: bool,
    /// Contradictions, shadowed rules, uncovered lines, then floor
    /// loosening; each in policy order.
    pub findings: Vec<Finding>,
}

impl LintReport {
    /// The findings of one kind.
    pub fn of_kind(&self, kind: FindingKind) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.kind == kind)
    }

    /// True when there is nothing to report.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// One distinct set of matching rules, with the engine's verdict on it.
struct Seen {
    matched: Vec<u64>,
    verdict: Verdict,
    weight: Tally,
    example: Vec<usize>,
}

/// A pair of rules found together, with how often and an example.
struct Pair {
    weight: Tally,
    example: Vec<usize>,
}

/// What keeping one distinct set of matching rules costs: its entry, its
/// rule set (twice: the entry and the index), its example and an upper
/// bound of the verdict's lists.
fn seen_bytes(words: usize, matched: &[u64]) -> u64 {
    vec_element::<Seen>()
        + map_entry::<Vec<u64>, usize>()
        + 2 * rule_set(words)
        + block(DIMS * 8)
        + verdict_bytes(members(matched).count())
}

/// An upper bound of the heap a [`Verdict`] on `rules` matching rules holds.
pub(crate) fn verdict_bytes(rules: usize) -> u64 {
    block(rules * 8) + block(Condition::ALL.len()) + block(OnBreach::ALL.len())
}

/// Lints `rules`, the compiled form of `specs` (same order), within
/// `limits`: [`Error::TooComplex`] when the space is too finely cut.
pub(crate) fn lint(
    rules: &[CompiledRule],
    staff_disciplinary: bool,
    specs: &[DeviceRule],
    policy: &PolicyRef,
    limits: &AnalysisLimits,
) -> Result<LintReport> {
    let mut budget = Budget::new(limits);
    let refs: Vec<&CompiledRule> = rules.iter().collect();
    let space = Space::new(&refs);
    let mut seen: Vec<Seen> = Vec::new();
    let mut index: HashMap<Vec<u64>, usize> = HashMap::new();
    // Uncovered requests, in lines by who, device kind, owner and action.
    let mut uncovered: Groups<()> = Groups::new(4);
    let mut uncovered_total = Tally::default();
    space.walk(&mut budget, |cell, budget| {
        if !cell.matches_nothing() {
            let i = match index.get(cell.matched) {
                Some(&i) => i,
                None => {
                    budget.allocate(seen_bytes(space.words, cell.matched))?;
                    budget.work(rules.len() as u64)?;
                    let facts = space.facts(cell.example);
                    let v = verdict(rules, staff_disciplinary, &facts);
                    debug_assert!(v
                        .rules
                        .iter()
                        .all(|&r| { cell.matched[r / 64] & (1 << (r % 64)) != 0 }));
                    index.insert(cell.matched.to_vec(), seen.len());
                    seen.push(Seen {
                        matched: cell.matched.to_vec(),
                        verdict: v,
                        weight: Tally::default(),
                        example: cell.example.to_vec(),
                    });
                    seen.len() - 1
                }
            };
            seen[i].weight.add(cell.weight);
            if !seen[i].verdict.rules.is_empty() {
                return Ok(());
            }
        }
        uncovered_total.add(cell.weight);
        uncovered.add(cell, budget)?;
        Ok(())
    })?;
    budget.free(index.len() as u64 * (map_entry::<Vec<u64>, usize>() + rule_set(space.words)));
    drop(index);

    let id = |i: usize| specs[i].id.clone();
    let floor = |i: usize| specs[i].floor;
    let mut contradictions: BTreeMap<(usize, usize), Pair> = BTreeMap::new();
    let mut loosening: BTreeMap<(usize, usize), Pair> = BTreeMap::new();
    let mut decided = vec![false; rules.len()];
    let mut beaten_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); rules.len()];
    let mut matched_total = vec![Tally::default(); rules.len()];
    for s in &seen {
        for &r in &s.verdict.rules {
            decided[r] = true;
        }
        let matched: Vec<usize> = members(&s.matched).collect();
        budget.work(matched.len() as u64)?;
        for &r in &matched {
            matched_total[r].add(s.weight);
        }
        // Where a floor exception matches, the floor decides: the forbids
        // it lifts are not contradicted, and an allow there reaches into
        // nothing the floor forbids.
        if matched.iter().any(|&r| rules[r].effect == Effect::Except) {
            continue;
        }
        let forbids: Vec<usize> = matched
            .iter()
            .copied()
            .filter(|&r| rules[r].effect == Effect::Forbid)
            .collect();
        let allows: Vec<usize> = matched
            .iter()
            .copied()
            .filter(|&r| rules[r].effect == Effect::Allow && !floor(r))
            .collect();
        // Where a floor rule forbids, the floor decides whatever the
        // school's own rules say: an allow there loosens the floor, and
        // the school's forbids there do not contradict it.
        let floor_forbids = forbids.iter().any(|&f| floor(f));
        budget.work((forbids.len() * allows.len()) as u64)?;
        for &f in &forbids {
            for &a in &allows {
                if !beaten_by[a].contains(&f) {
                    budget.allocate(map_entry::<usize, ()>())?;
                    beaten_by[a].insert(f);
                }
            }
            let pairs = match (floor(f), floor_forbids) {
                (true, _) => &mut loosening,
                (false, false) => &mut contradictions,
                (false, true) => continue,
            };
            for &a in &allows {
                if !pairs.contains_key(&(f, a)) {
                    budget.allocate(map_entry::<(usize, usize), Pair>() + block(DIMS * 8))?;
                }
                let pair = pairs.entry((f, a)).or_insert_with(|| Pair {
                    weight: Tally::default(),
                    example: s.example.clone(),
                });
                pair.weight.add(s.weight);
            }
        }
    }

    let mut findings = Vec::new();
    // The contradictions that override most of what the allow says first:
    // an allow a forbid wholly overrides is likely a sentence of the
    // policy that contradicts another; one it overrides in a corner is
    // more likely an exception the policy meant.
    let share = |(&(_, a), pair): (&(usize, usize), &Pair)| {
        (
            u128::from(pair.weight.requests),
            u128::from(matched_total[a].requests.max(1)),
        )
    };
    // A finding about the forbid `f` and the allow `a`, which both match
    // the requests of `pair`: what it `says`, then an example of them.
    let pair_finding = |kind, (f, a): (usize, usize), pair: &Pair, says: String| Finding {
        kind,
        rules: vec![id(f), id(a)],
        shadowed_by: Vec::new(),
        message: format!(
            "{says} E.g. {}",
            space.describe(&pair.example, &[&rules[f], &rules[a]])
        ),
        count: Some(pair.weight),
        scope: None,
        example: Some(space.request(&pair.example, &policy.id)),
    };
    let mut ordered: Vec<(&(usize, usize), &Pair)> = contradictions.iter().collect();
    ordered.sort_by(|x, y| {
        let ((xn, xd), (yn, yd)) = (share(*x), share(*y));
        (yn * xd).cmp(&(xn * yd)).then(x.0.cmp(y.0))
    });
    for ((f, a), pair) in ordered {
        let whole = matched_total[*a].requests;
        let part = pair.weight.requests;
        let how_much = if part == whole {
            format!("everything `{}` allows", id(*a))
        } else {
            let percent = part * 100 / whole.max(1);
            let percent = if percent == 0 {
                "under 1".to_string()
            } else {
                percent.to_string()
            };
            format!("{percent}% of what `{}` allows", id(*a))
        };
        let says = format!(
            "`{}` forbids and `{}` allows the same requests ({}; {how_much}); the forbid wins.",
            id(*f),
            id(*a),
            classes(pair.weight),
        );
        let finding = pair_finding(FindingKind::Contradiction, (*f, *a), pair, says);
        keep(&mut findings, &mut budget, finding)?;
    }
    for (i, done) in decided.iter().enumerate() {
        if *done {
            continue;
        }
        let (message, by) = match space.unsatisfiable(i) {
            Some(dim) => (
                format!(
                    "`{}` matches no request: no request satisfies its `{}`",
                    id(i),
                    dim.field()
                ),
                Vec::new(),
            ),
            None => {
                let by: Vec<String> = beaten_by[i].iter().map(|&f| id(f)).collect();
                let names: Vec<String> = by.iter().map(|b| format!("`{b}`")).collect();
                (
                    format!(
                        "`{}` never decides a request: every request it allows is also forbidden, by {}",
                        id(i),
                        list(&names, ", ", 6)
                    ),
                    by,
                )
            }
        };
        keep(
            &mut findings,
            &mut budget,
            Finding {
                kind: FindingKind::ShadowedRule,
                rules: vec![id(i)],
                shadowed_by: by,
                message,
                count: None,
                scope: None,
                example: None,
            },
        )?;
    }
    for line in uncovered.lines(|_, ()| ()) {
        keep(
            &mut findings,
            &mut budget,
            Finding {
                kind: FindingKind::Uncovered,
                rules: Vec::new(),
                shadowed_by: Vec::new(),
                message: format!(
                    "no rule covers {} ({})",
                    line.phrase(&space),
                    classes(line.weight)
                ),
                count: Some(line.weight),
                scope: Some(line.scope(&space)),
                example: Some(space.request(line.example(), &policy.id)),
            },
        )?;
    }
    for ((f, a), pair) in &loosening {
        let says = format!(
            "`{}` allows what floor rule `{}` forbids ({}); the floor wins.",
            id(*a),
            id(*f),
            classes(pair.weight),
        );
        let finding = pair_finding(FindingKind::LoosensFloor, (*f, *a), pair, says);
        keep(&mut findings, &mut budget, finding)?;
    }
    let count = |k| findings.iter().filter(|f: &&Finding| f.kind == k).count();
    let counts = Counts {
        contradiction: count(FindingKind::Contradiction),
        shadowed_rule: count(FindingKind::ShadowedRule),
        uncovered: count(FindingKind::Uncovered),
        loosens_floor: count(FindingKind::LoosensFloor),
    };
    Ok(LintReport {
        policy: policy.clone(),
        rules: rules.len(),
        space: space.total(),
        counts,
        uncovered: uncovered_total,
        staff_breach_disciplinary: staff_disciplinary,
        findings,
    })
}

/// Keeps `finding`, charging what it holds to `budget` first.
fn keep(findings: &mut Vec<Finding>, budget: &mut Budget, finding: Finding) -> Result<()> {
    let strings = finding.rules.iter().chain(&finding.shadowed_by);
    let bytes = vec_element::<Finding>()
        + block(finding.message.len())
        + strings.map(|r| block(r.len())).sum::<u64>()
        + finding.scope.as_ref().map_or(0, Scope::bytes)
        + finding.example.as_ref().map_or(0, request_bytes);
    budget.allocate(bytes)?;
    findings.push(finding);
    Ok(())
}

/// An upper bound of the heap an example request holds.
pub(crate) fn request_bytes(request: &DevicesRequest) -> u64 {
    block(std::mem::size_of::<DevicesRequest>())
        + request.policy.as_ref().map_or(0, |p| block(p.len()))
}

/// The report as its JSON speaks, in the vocabulary's tokens and rule ids,
/// one finding a line: for developers and logs. People read
/// [`crate::review::lint_text`], the same findings in plain words.
impl fmt::Display for LintReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "lint of `{}` (version {}): {} device rules; {} equivalence classes cover all {} requests",
            self.policy.id,
            self.policy.version,
            self.rules,
            thousands(self.space.classes),
            thousands(self.space.requests),
        )?;
        if self.staff_breach_disciplinary {
            writeln!(
                f,
                "staff breaches: every denial of a member of staff by a rule carries staff_disciplinary"
            )?;
        }
        for kind in FindingKind::ALL {
            let found: Vec<&Finding> = self.of_kind(kind).collect();
            match (kind, found.len()) {
                (_, 0) => writeln!(f, "{kind}: none")?,
                (FindingKind::Uncovered, n) => writeln!(
                    f,
                    "{kind}: {} in {n} lines, denied as not covered (the headteacher decides)",
                    classes(self.uncovered)
                )?,
                (_, n) => writeln!(f, "{kind}: {n}")?,
            }
            for finding in found {
                writeln!(f, "  - {}", finding.message)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::test_engines::{preset, toy};
    use crate::devices::{Compiled, Match};
    use crate::Engine;

    fn rule(id: &str, body: &str) -> String {
        format!(
            "\n[[devices.rules]]\nid = \"{id}\"\n{body}\nsummary = \"s\"\ncite = {{ source = \"test\", section = \"t\" }}\n"
        )
    }

    /// The baseline with one toy devices rule (`id`, then `body`) added,
    /// and its lint report.
    fn lint_with_rule(id: &str, body: &str) -> (Engine, LintReport) {
        let e = toy(&rule(id, body));
        let report = e.lint().expect("the policy lints");
        (e, report)
    }

    /// Fails when a finding of one of `kinds` names `rule`.
    fn assert_not_named(report: &LintReport, kinds: &[FindingKind], rule: &str) {
        for &kind in kinds {
            assert!(!mentions(report, kind, rule), "{kind} {rule}: {report}");
        }
    }

    fn ids(report: &LintReport, kind: FindingKind) -> Vec<Vec<String>> {
        report.of_kind(kind).map(|f| f.rules.clone()).collect()
    }

    fn mentions(report: &LintReport, kind: FindingKind, rule: &str) -> bool {
        report
            .of_kind(kind)
            .any(|f| f.rules.iter().any(|r| r == rule))
    }

    const PHONE_FREE: &str = "devices.pupils.phone_free_school_day";

    #[test]
    fn every_dimension_knows_its_place_and_each_flag_has_one() {
        for (i, dim) in Dim::ALL.into_iter().enumerate() {
            assert_eq!(dim.index(), i, "{dim:?}");
            assert!(!dim.field().is_empty(), "{dim:?}");
        }
        for (i, flag) in FLAGS.iter().enumerate() {
            assert_eq!(Dim::ALL[VALUE_DIMS + i], Dim::Flag(i));
            assert_eq!(Dim::Flag(i).field(), flag.name());
        }
    }

    #[test]
    fn baseline_has_no_contradictions_or_shadowed_rules() {
        let report = preset("baseline").lint().expect("the policy lints");
        assert_eq!(report.counts.contradiction, 0, "{report}");
        assert_eq!(report.counts.shadowed_rule, 0, "{report}");
        assert!(report.space.classes > 1);
        assert_eq!(report.space.requests, 245_366_784);
    }

    #[test]
    fn detects_a_contradiction() {
        let toy = "devices.toy.years_5_6_bring_phones";
        let (e, report) = lint_with_rule(toy, "effect = \"allow\"\nroles = [\"pupil\"]\nyear_groups = [5, 6]\ndevices = [\"mobile_phone\"]\nowner = \"personal\"\nactions = [\"bring_on_site\"]");
        assert_eq!(
            ids(&report, FindingKind::Contradiction),
            vec![vec![PHONE_FREE.to_string(), toy.to_string()]]
        );
        let finding = report.of_kind(FindingKind::Contradiction).next();
        assert!(
            finding.is_some_and(|f| f.message.contains("pupil (Year 5)")),
            "{report}"
        );
        // The example is a request both rules match, and the engine denies it.
        let example = finding.and_then(|f| f.example.clone());
        let decision = example.map(|r| e.evaluate(&crate::Request::Devices(r)));
        let Some(Ok(decision)) = decision else {
            panic!("the example decides: {report}")
        };
        assert_eq!(decision.outcome, crate::Outcome::Deny);
        assert!(decision.reasons.iter().any(|r| &*r.rule == PHONE_FREE));
        // It still decides outside the school day, so it is not shadowed.
        assert!(
            !mentions(&report, FindingKind::ShadowedRule, toy),
            "{report}"
        );
    }

    #[test]
    fn no_contradiction_when_the_allow_is_outside_the_forbid() {
        // Outside the school day the baseline's phone-free rule does not apply.
        let toy = "devices.toy.phones_on_weekend_trips";
        let (_, report) = lint_with_rule(toy, "effect = \"allow\"\nroles = [\"pupil\"]\ndevices = [\"mobile_phone\"]\nowner = \"personal\"\nperiods = [\"non_school_day\"]\nlocations = [\"offsite_trip\"]");
        assert_eq!(report.counts.contradiction, 0, "{report}");
        assert_not_named(&report, &FindingKind::ALL, toy);
    }

    #[test]
    fn detects_a_shadowed_allow() {
        let toy = "devices.toy.phones_in_lessons";
        let (_, report) = lint_with_rule(toy, "effect = \"allow\"\nroles = [\"pupil\"]\ndevices = [\"mobile_phone\"]\nowner = \"personal\"\nperiods = [\"lesson\"]\nexception = [\"none\"]");
        assert_eq!(
            ids(&report, FindingKind::ShadowedRule),
            vec![vec![toy.to_string()]]
        );
        let shadow = report.of_kind(FindingKind::ShadowedRule).next();
        // Beaten by the phone-free day, and in toilets by the floor.
        assert_eq!(
            shadow.map(|f| f.shadowed_by.clone()),
            Some(vec![
                "devices.floor.no_personal_devices_in_private_areas".to_string(),
                PHONE_FREE.to_string()
            ])
        );
        assert!(mentions(&report, FindingKind::Contradiction, toy));
    }

    #[test]
    fn detects_a_rule_that_matches_nothing() {
        // In a policy file an empty list means "any", so no rule loaded from
        // one can exclude a whole dimension; build such a rule directly.
        let e = preset("baseline");
        let specs = e.policy().devices.rules.clone();
        let mut compiled = Compiled::new(&e.policy().devices, None, "").rules;
        compiled[0].roles = 0;
        let report = lint(
            &compiled,
            false,
            &specs,
            e.policy_ref(),
            &AnalysisLimits::default(),
        )
        .expect("the policy lints");
        let shadow: Vec<&Finding> = report.of_kind(FindingKind::ShadowedRule).collect();
        assert_eq!(shadow.len(), 1, "{report}");
        assert_eq!(shadow[0].rules, vec![specs[0].id.clone()]);
        assert!(shadow[0].message.contains("matches no request"), "{report}");
        assert!(
            shadow[0].message.contains("roles and year_groups"),
            "{report}"
        );
    }

    #[test]
    fn detects_uncovered_requests() {
        let report = preset("baseline").lint().expect("the policy lints");
        assert!(report.counts.uncovered > 0, "{report}");
        let sum = report
            .of_kind(FindingKind::Uncovered)
            .filter_map(|f| f.count)
            .fold(Tally::default(), |mut t, c| {
                t.add(c);
                t
            });
        assert_eq!(sum, report.uncovered);
        // The baseline says nothing of pupils' own tablets.
        let pupils_tablets = report.of_kind(FindingKind::Uncovered).any(|f| {
            f.scope.as_ref().is_some_and(|s| {
                s.roles.contains(&ActorRole::Pupil)
                    && s.devices.contains(&DeviceKind::Tablet)
                    && s.owner == [Owner::Personal]
            })
        });
        assert!(pupils_tablets, "{report}");
        // Every uncovered example is denied as not covered.
        let e = preset("baseline");
        for f in report.of_kind(FindingKind::Uncovered) {
            let r = f.example.clone().map(crate::Request::Devices);
            let d = r.map(|r| e.evaluate(&r));
            let Some(Ok(d)) = d else {
                panic!("{}", f.message)
            };
            assert_eq!(&*d.reasons[0].rule, super::super::NOT_COVERED);
        }
    }

    #[test]
    fn nothing_uncovered_under_a_catch_all() {
        let (_, report) = lint_with_rule("devices.toy.otherwise_no", "effect = \"forbid\"");
        assert_eq!(report.counts.uncovered, 0, "{report}");
        assert_eq!(report.uncovered, Tally::default());
    }

    #[test]
    fn detects_floor_loosening() {
        let toy = "devices.toy.phones_in_changing_rooms";
        let (_, report) = lint_with_rule(toy, "effect = \"allow\"\nroles = [\"staff\"]\nowner = \"personal\"\nactions = [\"use_calls_messages\"]\nlocations = [\"changing_room\"]\nchildren_present = false");
        let mine: Vec<Vec<String>> = ids(&report, FindingKind::LoosensFloor)
            .into_iter()
            .filter(|r| r[1] == toy)
            .collect();
        let floor = "devices.floor.no_personal_devices_in_private_areas";
        assert_eq!(mine, vec![vec![floor.to_string(), toy.to_string()]]);
        // It only ever reaches into changing rooms, so it never decides.
        assert!(mentions(&report, FindingKind::ShadowedRule, toy));
        assert!(!mentions(&report, FindingKind::Contradiction, toy));
    }

    #[test]
    fn no_floor_loosening_away_from_the_floor() {
        let toy = "devices.toy.phones_in_the_staff_room";
        let (_, report) = lint_with_rule(toy, "effect = \"allow\"\nroles = [\"staff\"]\nowner = \"personal\"\nactions = [\"use_calls_messages\"]\nlocations = [\"staff_room\"]\nchildren_present = false");
        assert_not_named(&report, &FindingKind::ALL, toy);
    }

    /// The per-dimension signatures agree with the engine's matcher on every
    /// class of every preset: a rule is in a class's intersection exactly
    /// when `matches` says yes for its representative.
    #[test]
    fn classes_agree_with_the_matcher() {
        for id in Engine::presets() {
            let rules = Compiled::new(&preset(id).policy().devices, None, "").rules;
            let refs: Vec<&CompiledRule> = rules.iter().collect();
            let space = Space::new(&refs);
            let mut checked = 0u64;
            let mut budget = Budget::new(&AnalysisLimits::default());
            let walked = space.odometer(
                &mut budget,
                (0, DIMS),
                &space.all_rules(),
                true,
                |classes, matched, _, _| {
                    let facts = space.facts(classes);
                    for (i, r) in rules.iter().enumerate() {
                        let bit = matched[i / 64] & (1 << (i % 64)) != 0;
                        assert_eq!(r.matches(&facts) == Match::Yes, bit, "{id}: rule {i}");
                    }
                    checked += space.suffix_classes[classes.len()];
                    Ok(())
                },
            );
            assert_eq!(walked, Ok(()));
            let mut walked = Tally::default();
            let mut budget = Budget::new(&AnalysisLimits::default());
            let done = space.walk(&mut budget, |cell, _| {
                walked.add(cell.weight);
                Ok(())
            });
            assert_eq!(done, Ok(()));
            assert_eq!(walked, space.total());
            assert_eq!(checked, space.total().classes);
        }
    }

    #[test]
    fn every_preset_lints() {
        for id in Engine::presets() {
            let report = preset(id).lint().expect("the policy lints");
            assert_eq!(report.space.requests, 245_366_784, "{id}");
            let json = serde_json::to_value(&report).ok();
            assert!(json.is_some_and(|j| j.get("findings").is_some()));
            assert!(report.to_string().contains(id));
        }
    }

    const EMERGENCY: &str = "devices.floor.emergency_call_from_anywhere";
    const NEED: &str = "devices.floor.medical_or_send_need";

    #[test]
    fn an_allow_within_a_floor_exception_does_not_loosen_the_floor() {
        // Staff calls to the emergency services from the toilets: the floor
        // forbids personal devices there, but its own exception allows the
        // call.
        let toy = "devices.toy.emergency_calls_in_toilets";
        let (_, report) = lint_with_rule(toy, "effect = \"allow\"\nroles = [\"staff\"]\nowner = \"personal\"\nactions = [\"call_emergency_services\"]\nlocations = [\"toilets\"]");
        assert_not_named(
            &report,
            &[FindingKind::LoosensFloor, FindingKind::Contradiction],
            toy,
        );
    }

    #[test]
    fn a_forbid_a_floor_exception_lifts_is_no_contradiction() {
        // A school that forbids pupils' phones everywhere, always: the floor
        // exceptions still decide where they match, and are not reported.
        let toy = "devices.toy.no_pupil_phones_ever";
        let (_, report) = lint_with_rule(toy, "effect = \"forbid\"\nroles = [\"pupil\"]\ndevices = [\"mobile_phone\"]\nowner = \"personal\"");
        for kind in FindingKind::ALL {
            for floor in [EMERGENCY, NEED] {
                assert!(!mentions(&report, kind, floor), "{kind} {floor}: {report}");
            }
        }
        assert!(
            !mentions(&report, FindingKind::ShadowedRule, toy),
            "{report}"
        );
    }

    #[test]
    fn the_staff_disciplinary_setting_shows_in_the_report() {
        let report = preset("west-hill-primary")
            .lint()
            .expect("the policy lints");
        assert!(report.staff_breach_disciplinary);
        assert!(
            report.to_string().contains("staff_disciplinary"),
            "{report}"
        );
        assert!(
            !preset("hilldene-primary")
                .lint()
                .expect("the policy lints")
                .staff_breach_disciplinary
        );
    }

    #[test]
    fn formats_years_and_numbers() {
        assert_eq!(
            years(&[0, 1, 2, 5, 6, 9]),
            "Reception to Year 2, Years 5-6, Year 9"
        );
        assert_eq!(years(&[0]), "Reception");
        assert_eq!(thousands(224_919_552), "224,919,552");
        assert_eq!(thousands(12), "12");
    }
}
