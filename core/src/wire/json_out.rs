//! Writing a decision as JSON text, fast (SPEC §9: JSON in → JSON out in
//! a few microseconds).
//!
//! # Why not serde_json
//!
//! A decision is mostly text copied from the policy: each reason's rule id,
//! summary and citation, each action's wording. serde_json escapes every
//! string byte by byte on every call, and for a devices request that was
//! two fifths of the whole JSON path (BENCHMARKS.md, "Where the time goes").
//! Here strings are checked eight bytes at a time and copied whole when,
//! as nearly always, nothing in them needs escaping. Lists of actions
//! and checklist items are shared slices (`Arc<[_]>`) made once per policy
//! (a sexting outcome's plan, kept per engine), so their JSON is
//! kept per thread, by the slice's identity ([`Kept`]).
//!
//! # Same bytes as serde
//!
//! The types keep their serde derives (the JSON Schemas are generated from
//! them, and callers may serialise a decision themselves), and the text written here must be exactly what
//! `serde_json::to_string` gives: same field order, same omitted fields,
//! same escapes. Every scenario of the test corpus checks that
//! ([`crate::Decision::to_json`] against serde_json), as do the unit tests
//! below for a decision with every field filled.

use crate::decision::{Blocked, Decision, GalleryItem};
use crate::vocab::{Action, ChecklistItem, Cite, PolicyRef, Reason, Text};
use std::sync::Arc;

/// `,"name":` (every field but the first of an object), as one literal.
macro_rules! key {
    ($name:literal) => {
        concat!(",\"", $name, "\":")
    };
}

impl Decision {
    /// The decision as compact JSON. Deterministic: same decision, same bytes.
    /// The same bytes as `serde_json::to_string`, written faster (see
    /// `json_out`).
    ///
    /// ```
    /// use safeguard_engine::{Engine, Request};
    ///
    /// let engine = Engine::from_preset("baseline")?;
    /// let text = r#"{"domain": "escalation", "category": "cyberbullying",
    ///     "concern_about": "pupil", "reported_at": "2026-03-04T10:15"}"#;
    /// let decision = engine.evaluate(&Request::from_json(text, None)?)?;
    /// assert_eq!(decision.to_json(), engine.evaluate_json(text)?);
    /// assert!(decision.to_json().starts_with(r#"{"schema_version":1,"domain":"escalation""#));
    /// # Ok::<(), safeguard_engine::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        decision(self)
    }
}

/// `decision` as compact JSON, byte for byte as serde_json writes it.
pub fn decision(d: &Decision) -> String {
    let mut out = String::with_capacity(START_SIZE);
    write_decision(&mut out, d);
    out
}

/// The starting size of a response buffer: a devices or images answer
/// fits; a sexting answer's plan (about 6 KB) grows it a few times.
const START_SIZE: usize = 1024;

fn write_decision(o: &mut String, d: &Decision) {
    o.push_str("{\"schema_version\":");
    number(o, d.schema_version);
    o.push_str(key!("domain"));
    token(o, d.domain.as_str());
    o.push_str(key!("outcome"));
    token(o, d.outcome.as_str());
    o.push_str(key!("reasons"));
    reasons(o, &d.reasons);
    o.push_str(key!("actions"));
    actions(o, &d.actions);
    o.push_str(key!("conditions"));
    list(o, &d.conditions, |o, c| token(o, c.as_str()));
    o.push_str(key!("changes"));
    texts(o, &d.changes);
    o.push_str(key!("unknowns"));
    texts(o, &d.unknowns);
    if let Some(c) = &d.criteria {
        o.push_str(key!("criteria"));
        list(o, c, |o, c| token(o, c.as_str()));
    }
    if let Some(c) = &d.unknown_criteria {
        o.push_str(key!("unknown_criteria"));
        list(o, c, |o, c| token(o, c.as_str()));
    }
    if let Some(r) = &d.referral_to {
        o.push_str(key!("referral_to"));
        list(o, r, |o, r| token(o, r.as_str()));
    }
    if let Some(items) = &d.review_checklist {
        o.push_str(key!("review_checklist"));
        KEPT_CHECKLISTS.with(|kept| {
            kept.borrow_mut()
                .write(o, items, |o, items| list(o, items, checklist_item))
        });
    }
    if let Some(b) = &d.on_breach {
        o.push_str(key!("on_breach"));
        list(o, b, |o, b| token(o, b.as_str()));
    }
    if let Some(who) = d.decided_by {
        o.push_str(key!("decided_by"));
        token(o, who.as_str());
    }
    if let Some(p) = d.period {
        o.push_str(key!("period"));
        token(o, p.as_str());
    }
    if let Some(b) = &d.blocked {
        o.push_str(key!("blocked"));
        list(o, b, blocked);
    }
    if let Some(n) = &d.named_in {
        o.push_str(key!("named_in"));
        texts(o, n);
    }
    if let Some(g) = &d.gallery {
        o.push_str(key!("gallery"));
        list(o, g, gallery_item);
    }
    o.push_str(key!("policy"));
    policy(o, &d.policy);
    o.push_str(key!("engine"));
    string(o, &d.engine);
    o.push('}');
}

fn number(o: &mut String, n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    o.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

fn list<T>(o: &mut String, items: &[T], mut each: impl FnMut(&mut String, &T)) {
    o.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        each(o, item);
    }
    o.push(']');
}

fn texts(o: &mut String, items: &[Text]) {
    list(o, items, |o, t| string(o, t));
}

fn reasons(o: &mut String, items: &[Arc<Reason>]) {
    list(o, items, |o, r| reason(o, r));
}

fn reason(o: &mut String, r: &Reason) {
    o.push_str("{\"rule\":");
    string(o, &r.rule);
    o.push_str(key!("summary"));
    string(o, &r.summary);
    o.push_str(key!("cite"));
    cite(o, &r.cite);
    o.push('}');
}

fn cite(o: &mut String, c: &Cite) {
    o.push_str("{\"source\":");
    string(o, &c.source);
    o.push_str(key!("section"));
    string(o, &c.section);
    o.push('}');
}

fn actions(o: &mut String, items: &Arc<[Action]>) {
    KEPT_ACTIONS.with(|kept| {
        kept.borrow_mut()
            .write(o, items, |o, items| list(o, items, action))
    });
}

thread_local! {
    static KEPT_ACTIONS: std::cell::RefCell<Kept<Action>> = const { std::cell::RefCell::new(Kept::new()) };
    static KEPT_CHECKLISTS: std::cell::RefCell<Kept<ChecklistItem>> = const { std::cell::RefCell::new(Kept::new()) };
}

/// The JSON of the last few shared slices written on this thread, each
/// with a reference to its slice. Holding the `Arc` keeps the slice alive,
/// so its address cannot be reused by another slice while the entry is
/// here: identity (`Arc::ptr_eq`, address and length) is a sound key, and
/// the slice is immutable, so the JSON stays right. Bounded: a few entries
/// per thread, the oldest replaced first.
///
/// Hidden state kept on purpose (issue 22): without it a sexting answer's
/// plan (about 6 KB) is escaped and copied on every call, 12.8k more
/// instructions per `sexting/json` call (callgrind), which with the other
/// removals of issue 22 put that call at about 2.9 µs against SPEC §9's
/// guard of 3 µs (BENCHMARKS.md, "Issue 22: plain code").
struct Kept<T> {
    entries: Vec<(Arc<[T]>, Box<str>)>,
    next: usize,
}

impl<T> Kept<T> {
    /// Entries per thread: the kept sexting plans and checklists of the few
    /// engines a thread serves.
    const SIZE: usize = 32;

    const fn new() -> Kept<T> {
        Kept {
            entries: Vec::new(),
            next: 0,
        }
    }

    fn write(&mut self, o: &mut String, items: &Arc<[T]>, each: impl FnOnce(&mut String, &[T])) {
        if items.is_empty() {
            o.push_str("[]");
            return;
        }
        if let Some((_, json)) = self.entries.iter().find(|(k, _)| Arc::ptr_eq(k, items)) {
            o.push_str(json);
            return;
        }
        let start = o.len();
        each(o, items);
        let entry = (Arc::clone(items), o[start..].into());
        if self.entries.len() < Self::SIZE {
            self.entries.push(entry);
        } else {
            self.entries[self.next] = entry;
            self.next = (self.next + 1) % Self::SIZE;
        }
    }
}

fn action(o: &mut String, a: &Action) {
    o.push_str("{\"action\":");
    token(o, a.action.as_str());
    o.push_str(key!("who"));
    token(o, a.who.as_str());
    o.push_str(key!("deadline"));
    token(o, a.deadline.as_str());
    if let Some(due) = &a.due {
        o.push_str(key!("due"));
        string(o, due);
    }
    o.push_str(key!("detail"));
    string(o, &a.detail);
    if let Some(contact) = &a.contact {
        o.push_str(key!("contact"));
        string(o, contact);
    }
    o.push_str(key!("rule"));
    string(o, &a.rule);
    o.push('}');
}

fn checklist_item(o: &mut String, c: &ChecklistItem) {
    o.push_str("{\"item\":");
    string(o, &c.item);
    o.push_str(key!("question"));
    string(o, &c.question);
    o.push('}');
}

fn blocked(o: &mut String, b: &Blocked) {
    o.push('{');
    if let Some(pupil) = &b.pupil {
        o.push_str("\"pupil\":");
        string(o, pupil);
        o.push(',');
    }
    o.push_str("\"reason\":");
    string(o, &b.reason);
    o.push_str(key!("rule"));
    string(o, &b.rule);
    if let Some(consent) = &b.consent {
        o.push_str(key!("consent"));
        string(o, consent);
    }
    o.push('}');
}

fn gallery_item(o: &mut String, g: &GalleryItem) {
    o.push_str("{\"image\":");
    string(o, &g.image);
    o.push_str(key!("outcome"));
    token(o, g.outcome.as_str());
    o.push_str(key!("reasons"));
    reasons(o, &g.reasons);
    o.push_str(key!("actions"));
    list(o, &g.actions, action);
    o.push_str(key!("changes"));
    texts(o, &g.changes);
    o.push_str(key!("unknowns"));
    texts(o, &g.unknowns);
    o.push_str(key!("blocked"));
    list(o, &g.blocked, blocked);
    if !g.named_in.is_empty() {
        o.push_str(key!("named_in"));
        texts(o, &g.named_in);
    }
    o.push('}');
}

fn policy(o: &mut String, p: &PolicyRef) {
    o.push_str("{\"id\":");
    string(o, &p.id);
    o.push_str(key!("version"));
    string(o, &p.version);
    o.push_str(key!("digest"));
    string(o, &p.digest);
    o.push('}');
}

/// A wire token (lower_snake_case, so nothing to escape) as a JSON string.
fn token(o: &mut String, t: &'static str) {
    debug_assert!(t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':'));
    o.reserve(t.len() + 2);
    o.push('"');
    o.push_str(t);
    o.push('"');
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"` and `\`,
/// the control characters (`\b \t \n \f \r` by name, the rest as
/// `\u00XX`), and nothing else.
fn string(o: &mut String, s: &str) {
    o.reserve(s.len() + 2);
    o.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    loop {
        let i = plain_end(bytes, start);
        o.push_str(&s[start..i]);
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => o.push_str("\\\""),
            b'\\' => o.push_str("\\\\"),
            b'\n' => o.push_str("\\n"),
            b'\r' => o.push_str("\\r"),
            b'\t' => o.push_str("\\t"),
            0x08 => o.push_str("\\b"),
            0x0c => o.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                o.push_str("\\u00");
                o.push(char::from(HEX[usize::from(b >> 4)]));
                o.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        start = i + 1;
    }
    o.push('"');
}

/// The position, from `i` on, of the first byte that ends a run of plain
/// string bytes: `"`, `\` or a control character (or the end). Eight bytes
/// at a time where it can.
#[inline]
pub(crate) fn plain_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(word) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        if let Some(at) = first_special(word) {
            return i + at;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// The position in `word` (eight bytes) of its first `"`, `\` or control
/// byte, if it has one.
#[inline(always)]
pub(crate) fn first_special(word: &[u8]) -> Option<usize> {
    let mut w = [0; 8];
    w.copy_from_slice(word);
    let mask = escape_mask(u64::from_le_bytes(w));
    (mask != 0).then(|| mask.trailing_zeros() as usize / 8)
}

/// The bytes of `w` (little-endian: byte 0 is the first in the text) that
/// are `"`, `\` or below 0x20, as their high bits. Above the first such
/// byte a bit may be set falsely (a borrow runs upward), never below it, so
/// `trailing_zeros() / 8` is the position of the first.
pub(crate) fn escape_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte is zero in `x` exactly where it equals the byte broadcast.
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    // Below 0x20: subtracting 0x20 borrows into the high bit (bytes at or
    // above 0x80 are excluded by `!w`).
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    control | zero_byte(w ^ (ONES * u64::from(b'"'))) | zero_byte(w ^ (ONES * u64::from(b'\\')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{ActionToken, Criterion, Deadline, Domain, Outcome, Referral, Who};

    fn serde(d: &Decision) -> String {
        serde_json::to_string(d).expect("serialises")
    }

    fn text(s: &str) -> Text {
        s.into()
    }

    fn a_reason(rule: &str, summary: &str) -> Arc<Reason> {
        Arc::new(Reason {
            rule: text(rule),
            summary: text(summary),
            cite: Cite {
                source: text("000_policy.txt"),
                section: text("Section \"4\" \\ appendix"),
            },
        })
    }

    fn an_action(due: Option<&str>, contact: Option<&str>) -> Action {
        Action {
            action: ActionToken::ReferToPolice,
            who: Who::Police999,
            deadline: Deadline::Immediately,
            due: due.map(text),
            detail: text("Call 999.\n\tThen\u{1}log it\u{7f} — é ✓"),
            contact: contact.map(text),
            rule: text("sexting.floor.x"),
        }
    }

    fn every_field() -> Decision {
        let policy = PolicyRef {
            id: text("p"),
            version: text("1"),
            digest: text("abc"),
        };
        let actions: Arc<[Action]> = Arc::from(vec![
            an_action(Some("2026-01-01T09:00"), None),
            an_action(None, Some("DSL 01234")),
        ]);
        let item = GalleryItem {
            image: text("img\"1"),
            outcome: Outcome::Block,
            reasons: vec![a_reason("r1", "s")],
            actions: actions.to_vec(),
            changes: vec![text("strip_geodata")],
            unknowns: vec![],
            blocked: vec![
                Blocked {
                    pupil: None,
                    reason: text("not_covered"),
                    rule: text("r"),
                    consent: None,
                },
                Blocked {
                    pupil: Some(text("p1")),
                    reason: text("no_consent:press"),
                    rule: text("r"),
                    consent: Some(text("withdrawn")),
                },
            ],
            named_in: vec![text("filename"), text("tags")],
        };
        Decision {
            conditions: vec![crate::vocab::Condition::ALL[0]],
            changes: vec![text("a"), text("b\u{0}")],
            unknowns: vec![text("media.has_geodata")],
            criteria: Some(vec![Criterion::AdultInvolved, Criterion::Under13SexualActs]),
            unknown_criteria: Some(vec![]),
            referral_to: Some(vec![Referral::Police, Referral::ChildrensSocialCare]),
            review_checklist: Some(Arc::from(vec![ChecklistItem {
                item: text("i"),
                question: text("Who? \u{1f}"),
            }])),
            on_breach: Some(vec![crate::vocab::OnBreach::ALL[0]]),
            decided_by: Some(Who::Headteacher),
            period: Some(crate::civil::Period::NonSchoolDay),
            blocked: Some(item.blocked.clone()),
            named_in: Some(item.named_in.clone()),
            gallery: Some(vec![
                item.clone(),
                GalleryItem {
                    named_in: vec![],
                    ..item
                },
            ]),
            ..Decision::new(
                Domain::Sexting,
                Outcome::ReferImmediately,
                vec![a_reason("r1", "one"), a_reason("r2", "two \"quoted\"")],
                actions,
                &policy,
                &text("0.1.0"),
            )
        }
    }

    #[test]
    fn a_decision_with_every_field_is_written_as_serde_writes_it() {
        let d = every_field();
        assert_eq!(decision(&d), serde(&d));
        // Again, now that the reasons' JSON is kept.
        assert_eq!(decision(&d), serde(&d));
    }

    #[test]
    fn a_decision_with_every_option_empty_is_written_as_serde_writes_it() {
        let policy = PolicyRef {
            id: text("p"),
            version: text("1"),
            digest: text("abc"),
        };
        let d = Decision::new(
            Domain::Devices,
            Outcome::Deny,
            vec![],
            Arc::from(vec![]),
            &policy,
            &text("0.1.0"),
        );
        assert_eq!(decision(&d), serde(&d));
    }

    #[test]
    fn every_action_and_referral_token_is_spelled_as_serde_spells_it() {
        for t in ActionToken::ALL {
            assert_eq!(
                format!("\"{}\"", t.as_str()),
                serde_json::to_string(t).unwrap()
            );
        }
        for t in Referral::ALL {
            assert_eq!(
                format!("\"{}\"", t.as_str()),
                serde_json::to_string(t).unwrap()
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_escapes_it(s in "\\PC*|[\\x00-\\x7f]{0,40}") {
            let mut out = String::new();
            string(&mut out, &s);
            proptest::prop_assert_eq!(out, serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn the_first_special_byte_is_found_by_the_escape_mask(word in proptest::array::uniform8(proptest::num::u8::ANY)) {
            let first = word.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            proptest::prop_assert_eq!(first, first_special(&word));
        }

        #[test]
        fn any_number_is_written_as_serde_writes_it(n in proptest::num::u32::ANY) {
            let mut out = String::new();
            number(&mut out, n);
            proptest::prop_assert_eq!(out, n.to_string());
        }
    }
}
