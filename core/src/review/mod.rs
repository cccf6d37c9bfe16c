//! An annual review of a policy, for governors and the designated
//! safeguarding lead (issue 24).
//!
//! Each year a governing body reviews its online-safety policy. The
//! questions it asks are not about rule tables: what does our policy say
//! that national guidance does not, where do we simply follow the national
//! rules, does it contradict itself or leave things out, and what has
//! national guidance changed since we wrote it? [`Engine::review`] answers
//! them from what the engine already knows, as a [`Review`]:
//!
//! 1. **Changes in national guidance since the policy's date**
//!    ([`GuidanceNote`]), from the table in `guidance.rs` ([`CHANGES`]):
//!    every change that took effect on or after the policy's date, each
//!    marked as addressed by the policy or not. The date is read from the
//!    policy's version, else its source ("September 2017"), at its
//!    earliest (`2017-18` is read as from 1 January 2017), so a change is
//!    never left out because the date was vague; a policy whose date
//!    cannot be read gets every change.
//!
//!    **The test for "addressed"**: a policy addresses a change when one of
//!    its *own* rules (a rule not inherited unchanged from the national
//!    baseline, and citing the policy's own document rather than a
//!    national one) either restates a baseline rule that carries the change
//!    (the same rule, in the school's own words) or mentions one of the
//!    change's phrases, as whole words, in its summary, the section it
//!    cites or the details of its steps ("sextortion", "AI-generated",
//!    "low-level concern"). Inherited national rules never count: they are
//!    the national text, not the school's. Removing a rule that carries a
//!    change does not address it either; the note says the policy sets it
//!    aside, which is what a reviewer most needs to see.
//! 2. **Where it is stricter than national guidance**, and where it allows
//!    more: the engine's diff of the policy's devices rules against the
//!    baseline's ([`Engine::diff`]), each line in words with the school's
//!    own sections that decide it.
//! 3. **What the policy says in its own words** (its own rules, every
//!    area), **where it relies on national defaults** (baseline rules it
//!    inherits unchanged: those every school must keep, and the defaults a
//!    school may change) and **the national defaults it sets aside**.
//! 4. **Contradictions and gaps**: the linter's findings
//!    ([`Engine::lint`]) in words.
//!
//! Every sentence is plain English: no rule id, token or JSON path (a
//! rule summary that names another rule by id gets that rule's cited
//! section instead); the policy's id and digest appear only in the closing
//! "about" line. [`Review::to_markdown`] escapes every string, and
//! [`Review::to_html`] writes a self-contained printable page (print CSS,
//! no script, a content security policy that loads nothing) with every
//! string HTML-escaped, so nothing a policy says can become a link, markup
//! or script. `safeguard review` prints either; `json::review` gives the
//! report as JSON for the bindings and the builder page.
//!
//! The work is bounded: the lint and the diff each run within the caller's
//! [`AnalysisLimits`] (`too_complex` beyond them), the phrase tests are
//! linear in the policy's text, and each list of devices lines and
//! findings stops at [`MAX_LINES`], saying how many more there are.

mod guidance;
mod render;
mod reports;
mod words;

pub use guidance::{GuidanceChange, CHANGES};
pub use reports::{checks, diff_text, lint_text, Checks, DifferenceWords, FindingWords, RULE_IDS};

use crate::devices::budget::AnalysisLimits;
use crate::devices::diff::Side;
use crate::engine::Engine;
use crate::error::Result;
use crate::policy::Policy;
use crate::vocab::{Cite, PolicyRef};
use guidance::has_phrase;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use words::Names;

/// The most devices lines, and the most findings, a review lists; the
/// rest are counted.
pub const MAX_LINES: usize = 25;

/// An area of a policy, as a reader knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Sharing nudes and semi-nudes (the sexting domain).
    Sexting,
    /// Mobile phones and other devices.
    Devices,
    /// Photos and videos of pupils.
    Images,
    /// Reporting and escalating concerns.
    Escalation,
}

impl Area {
    /// The area's heading.
    pub fn title(self) -> &'static str {
        match self {
            Area::Sexting => "Sharing nudes and semi-nudes",
            Area::Devices => "Mobile phones and other devices",
            Area::Images => "Photos and videos of pupils",
            Area::Escalation => "Reporting and escalating concerns",
        }
    }
}

/// One rule, as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
#[non_exhaustive]
pub struct RuleNote {
    /// Its area.
    pub area: Area,
    /// What it says (the rule's summary, any rule id in it replaced by the
    /// section that rule cites).
    pub summary: String,
    /// Where it comes from: the school's own section heading, or a
    /// national document and its section.
    pub cited: String,
    /// A national rule every school must keep (the floor).
    pub required: bool,
}

/// One change in national guidance since the policy's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
#[non_exhaustive]
pub struct GuidanceNote {
    /// The change (its `phrases` are not written).
    pub change: GuidanceChange,
    /// The date it took effect, in words ("11 March 2024").
    pub took_effect: String,
    /// The policy's own text covers it (see the module documentation).
    pub addressed: bool,
    /// The sections of the policy's own rules that cover it.
    pub addressed_in: Vec<String>,
    /// The policy removes a baseline rule that carries the change.
    pub set_aside: bool,
}

/// A line of the devices comparison, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
#[non_exhaustive]
pub struct DevicesNote {
    /// Who, which device, what and where, in words.
    pub text: String,
    /// The policy's own sections that decide it.
    pub sections: Vec<String>,
}

/// A list that stops at [`MAX_LINES`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "{T}Lines", deny_unknown_fields))]
#[non_exhaustive]
pub struct Lines<T> {
    /// The first [`MAX_LINES`] lines.
    pub lines: Vec<T>,
    /// How many more there are.
    pub more: usize,
}

impl<T> Lines<T> {
    fn of(all: Vec<T>) -> Lines<T> {
        let more = all.len().saturating_sub(MAX_LINES);
        let mut lines = all;
        lines.truncate(MAX_LINES);
        Lines { lines, more }
    }
}

/// An annual review of a policy (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
#[non_exhaustive]
pub struct Review {
    /// The policy reviewed: id, version and digest (for the "about" line).
    pub policy: PolicyRef,
    /// The policy's name.
    pub name: String,
    /// The policy's version, as written.
    pub version: String,
    /// The document it comes from.
    pub source: String,
    /// The policy's date in words, as read at its earliest ("September
    /// 2017"); `None` when neither its version nor its source gives one.
    pub dated: Option<String>,
    /// The national baseline compared with: id, version and digest.
    pub national: PolicyRef,
    /// Every change in national guidance on or after the policy's date,
    /// oldest first.
    pub guidance: Vec<GuidanceNote>,
    /// Devices: what national guidance allows and this policy does not.
    pub stricter: Lines<DevicesNote>,
    /// Devices: what this policy allows and national guidance does not.
    pub allows_more: Lines<DevicesNote>,
    /// The policy's own rules (not inherited unchanged), by area.
    pub own_rules: Vec<RuleNote>,
    /// Baseline rules the policy inherits unchanged, by area.
    pub national_defaults: Vec<RuleNote>,
    /// Baseline rules (never required ones) the policy removes.
    pub set_aside: Vec<RuleNote>,
    /// Contradictions and gaps in the devices rules, as sentences.
    #[cfg_attr(feature = "schema", schemars(with = "FindingLines"))]
    pub findings: Lines<String>,
}

/// The schema of [`Review::findings`], `Lines<String>`, under a name that
/// says what its lines are.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)] // only its schema is used
struct FindingLines {
    /// The first [`MAX_LINES`] findings, as sentences.
    lines: Vec<String>,
    /// How many more there are.
    more: usize,
}

/// One rule of any area, for comparing and wording.
struct View<'a> {
    id: &'a str,
    area: Area,
    summary: &'a str,
    cite: &'a Cite,
    floor: bool,
    /// Summary, section and step details, lower case: what the phrase
    /// test reads.
    text: String,
}

/// Every rule of `policy`, in area order.
fn views(policy: &Policy) -> Vec<View<'_>> {
    fn view<'a>(
        id: &'a str,
        area: Area,
        summary: &'a str,
        cite: &'a Cite,
        floor: bool,
        details: &[&str],
    ) -> View<'a> {
        let mut text = format!("{summary} {}", cite.section);
        for d in details {
            text.push(' ');
            text.push_str(d);
        }
        View {
            id,
            area,
            summary,
            cite,
            floor,
            text: text.to_lowercase(),
        }
    }
    let mut all = Vec::new();
    for r in &policy.sexting.rules {
        all.push(view(
            &r.id,
            Area::Sexting,
            &r.summary,
            &r.cite,
            r.floor,
            &[],
        ));
    }
    for a in &policy.sexting.actions {
        all.push(view(&a.id, Area::Sexting, &a.detail, &a.cite, a.floor, &[]));
    }
    for r in &policy.devices.rules {
        all.push(view(
            &r.id,
            Area::Devices,
            &r.summary,
            &r.cite,
            r.floor,
            &[],
        ));
    }
    for r in &policy.images.rules {
        all.push(view(&r.id, Area::Images, &r.summary, &r.cite, r.floor, &[]));
    }
    for r in &policy.escalation.rules {
        let details: Vec<&str> = r.steps.iter().map(|s| s.detail.as_str()).collect();
        all.push(view(
            &r.id,
            Area::Escalation,
            &r.summary,
            &r.cite,
            r.floor,
            &details,
        ));
    }
    all
}

/// The ids of `policy`'s rules that are the baseline's own, unchanged.
fn unchanged(policy: &Policy, national: &Policy) -> BTreeSet<String> {
    fn same<R: PartialEq>(
        ours: &[R],
        theirs: &[R],
        id: impl Fn(&R) -> &str,
        out: &mut BTreeSet<String>,
    ) {
        let by_id: HashMap<&str, &R> = theirs.iter().map(|r| (id(r), r)).collect();
        for r in ours {
            if by_id.get(id(r)).is_some_and(|t| *t == r) {
                out.insert(id(r).to_string());
            }
        }
    }
    let mut out = BTreeSet::new();
    same(
        &policy.sexting.rules,
        &national.sexting.rules,
        |r| &r.id,
        &mut out,
    );
    same(
        &policy.sexting.actions,
        &national.sexting.actions,
        |r| &r.id,
        &mut out,
    );
    same(
        &policy.devices.rules,
        &national.devices.rules,
        |r| &r.id,
        &mut out,
    );
    same(
        &policy.images.rules,
        &national.images.rules,
        |r| &r.id,
        &mut out,
    );
    same(
        &policy.escalation.rules,
        &national.escalation.rules,
        |r| &r.id,
        &mut out,
    );
    out
}

/// Where a rule comes from, for a reader: the section alone when it is
/// the policy's own document, else the document and the section.
fn cited(cite: &Cite, own_source: &str) -> String {
    if &*cite.source == own_source {
        cite.section.to_string()
    } else {
        format!("{}, {}", cite.source, cite.section)
    }
}

/// Reviews `engine`'s policy against the national baseline, the lint and
/// the diff within `limits` (see the module documentation).
pub(crate) fn review(engine: &Engine, limits: &AnalysisLimits) -> Result<Review> {
    let baseline = Engine::from_preset("baseline")?;
    let policy = engine.policy();
    let national = baseline.policy();
    let own_source = policy.policy.source.as_str();
    let ours = views(policy);
    let theirs = views(national);
    let inherited = unchanged(policy, national);
    let is_own = |id: &str| !inherited.contains(id);
    let names = Names::of(&[national, policy]);
    let note = |v: &View<'_>| RuleNote {
        area: v.area,
        summary: names.plain(v.summary),
        cited: names.plain(&cited(v.cite, own_source)),
        required: v.floor,
    };
    let our_ids: BTreeSet<&str> = ours.iter().map(|v| v.id).collect();
    let by_id: HashMap<&str, &View<'_>> = ours.iter().map(|v| (v.id, v)).collect();
    let section_of = |id: &str| {
        by_id
            .get(id)
            .filter(|_| is_own(id))
            .map(|v| names.plain(&cited(v.cite, own_source)))
    };

    // 1. Changes in national guidance since the policy's date.
    let dated = guidance::earliest_date(&policy.policy.version)
        .or_else(|| guidance::earliest_date(own_source));
    let own: Vec<&View<'_>> = ours.iter().filter(|v| is_own(v.id)).collect();
    // The policy's own text: its own rules that cite its own document, not
    // a national one (a preset may restate a national rule citing the
    // national guidance, which is not the school's text).
    let national_sources: BTreeSet<&str> = theirs.iter().map(|v| &*v.cite.source).collect();
    let own_text: Vec<&View<'_>> = own
        .iter()
        .copied()
        .filter(|v| !national_sources.contains(&*v.cite.source))
        .collect();
    let mut notes = Vec::new();
    for change in CHANGES {
        let took_effect = change.took_effect();
        if let (Some(policy_date), Some(effect)) = (dated, took_effect) {
            if effect.date < policy_date.date {
                continue;
            }
        }
        let mut addressed_in: Vec<String> = Vec::new();
        for v in &own_text {
            let covers = change.carried_by.contains(&v.id)
                || change.phrases.iter().any(|p| has_phrase(&v.text, p));
            let section = names.plain(&cited(v.cite, own_source));
            if covers && !addressed_in.contains(&section) {
                addressed_in.push(section);
            }
        }
        notes.push(GuidanceNote {
            change: *change,
            took_effect: took_effect.map_or_else(|| change.took_effect.to_string(), |d| d.words()),
            addressed: !addressed_in.is_empty(),
            addressed_in,
            set_aside: change.carried_by.iter().any(|id| !our_ids.contains(id)),
        });
    }

    // 2. The devices rules against the baseline's.
    let diff = engine.diff_within(&baseline, limits)?;
    let (mut stricter, mut allows_more) = (Vec::new(), Vec::new());
    for d in &diff.differences {
        let (ours_decide, into) = match d.side {
            Side::Policy => (&d.allow_rules, &mut allows_more),
            Side::Other => (&d.deny_rules, &mut stricter),
        };
        let mut sections: Vec<String> = Vec::new();
        for section in ours_decide.iter().filter_map(|id| section_of(id)) {
            if !sections.contains(&section) {
                sections.push(section);
            }
        }
        into.push(DevicesNote {
            text: words::scope(&d.scope),
            sections,
        });
    }

    // 3. Its own rules, the national ones it keeps and those it removes.
    let own_rules: Vec<RuleNote> = own.iter().map(|v| note(v)).collect();
    let national_defaults: Vec<RuleNote> =
        ours.iter().filter(|v| !is_own(v.id)).map(&note).collect();
    let set_aside: Vec<RuleNote> = theirs
        .iter()
        .filter(|v| !our_ids.contains(v.id))
        .map(note)
        .collect();

    // 4. Contradictions and gaps.
    let lint = engine.lint_within(limits)?;
    let summary = |id: Option<&String>| {
        id.and_then(|id| by_id.get(id.as_str())).map_or_else(
            || "a rule".to_string(),
            |v| format!("“{}”", names.plain(v.summary)),
        )
    };
    let findings: Vec<String> = lint
        .findings
        .iter()
        .map(|f| reports::finding_sentence(f, &summary))
        .collect();

    Ok(Review {
        policy: engine.policy_ref().clone(),
        name: policy.policy.name.clone(),
        version: policy.policy.version.clone(),
        source: own_source.to_string(),
        dated: dated.map(|d| d.words()),
        national: baseline.policy_ref().clone(),
        guidance: notes,
        stricter: Lines::of(stricter),
        allows_more: Lines::of(allows_more),
        own_rules,
        national_defaults,
        set_aside,
        findings: Lines::of(findings),
    })
}

impl Engine {
    /// An annual review of the policy for governors and the DSL (see
    /// [`crate::review`]), its analyses within the default
    /// [`AnalysisLimits`]; [`Error::TooComplex`](crate::Error::TooComplex)
    /// beyond them.
    pub fn review(&self) -> Result<Review> {
        self.review_within(&AnalysisLimits::default())
    }

    /// [`Engine::review`] within the caller's `limits` (each of the lint
    /// and the diff runs within them).
    pub fn review_within(&self, limits: &AnalysisLimits) -> Result<Review> {
        review(self, limits)
    }
}
