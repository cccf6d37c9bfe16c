//! The publishing decision for one image (SPEC §5).
//!
//! It reads in the order an office checks a photo before it goes out:
//!
//! 1. Is the channel covered by the policy at all? If no consent rule names
//!    it, the image is blocked (`images.not_covered`): never publish by default.
//! 2. Image-wide problems block the whole image: taken on a personal device,
//!    not suitably dressed. Unknown dress is not assumed fine: it becomes the
//!    change `confirm_suitably_dressed`.
//! 3. Each pupil depicted: a restriction, having left the school (where the
//!    policy deletes leavers' images, the image itself is blocked), missing
//!    consent for the channel's purpose, or (for an individual photo on a
//!    high-profile channel) missing individual permission rules the pupil out.
//!    So does a restriction nobody recorded: an omitted `restriction` is
//!    unknown, never `none` (SPEC §1.1), blocked as `restriction_unknown` and
//!    named `pupils.restriction` among `unknowns`.
//!    In a group photo, where the policy allows it, a ruled-out pupil becomes
//!    `exclude_pupil:<id>` (crop, blur or choose another photo); otherwise
//!    the image is blocked.
//! 4. Names in the caption, credits, file name and tags, by the policy's
//!    limits: changes `caption_first_names_only`, `remove_names`,
//!    `remove_full_names_from_credits`, `rename_file`. A pupil named in any
//!    of them without `name_with_image` consent (`yes`, nothing else) is not
//!    named: `remove_names` for the caption and credits, `rename_file` for
//!    the file name and tags.
//! 5. Embedded location: `strip_geodata` (also when it is not known whether
//!    the file carries any).
//!
//! The outcome is `block` if anything blocks, else `publish_with_changes`
//! if anything must change, else `publish`.

use super::names::{Field, NameHit, NameIndex, PupilName, Scratch, Workspace, KEEP_PUPILS};
use super::request::{GalleryRequest, ImagesRequest, Media, Pupil};
use super::rules::{ImageRule, ImagesSection};
use super::vocab::*;
use crate::decision::{Decision, GalleryItem};
use crate::error::Result;
use crate::vocab::{
    Action, ActionToken, Cite, Deadline, Domain, Outcome, PolicyRef, Reason, Text, Who,
};
use std::sync::Arc;

pub use crate::decision::Blocked;

/// The images table compiled for evaluation.
#[derive(Debug)]
pub struct Compiled {
    rules: Vec<(ImageRule, Arc<Reason>)>,
    /// For each check and channel (`check * channels + channel`), the
    /// positions in `rules` of the rules that apply, in policy order: a
    /// decision asks "which rules of this kind apply here" for every pupil.
    applicable: Vec<Box<[usize]>>,
    not_covered: Arc<Reason>,
    no_actions: Arc<[Action]>,
    words: Words,
}

/// The fixed wire tokens of a decision, allocated once per engine: a
/// decision clones them (a reference count) rather than allocating each.
#[derive(Debug)]
struct Words {
    not_covered: Text,
    personal_device: Text,
    not_suitably_dressed: Text,
    restricted: Text,
    restriction_unknown: Text,
    left_school: Text,
    individual_permission_needed: Text,
    /// `no_consent:<purpose>`, in the order of [`Purpose::ALL`].
    no_consent: Vec<Text>,
    confirm_suitably_dressed: Text,
    strip_geodata: Text,
    remove_names: Text,
    caption_first_names_only: Text,
    remove_full_names_from_credits: Text,
    rename_file: Text,
    /// The media fields of `named_in`, in their order: `caption`,
    /// `credits`, `filename`, `tags`.
    named_in: [Text; 4],
    /// The recorded consent of a `no_consent` block: `no`, `withdrawn`,
    /// `not_asked`.
    refused: Text,
    withdrawn: Text,
    not_asked: Text,
}

impl Words {
    fn new() -> Words {
        Words {
            not_covered: "not_covered".into(),
            personal_device: "personal_device".into(),
            not_suitably_dressed: "not_suitably_dressed".into(),
            restricted: "restricted".into(),
            restriction_unknown: "restriction_unknown".into(),
            left_school: "left_school".into(),
            individual_permission_needed: "individual_permission_needed".into(),
            no_consent: Purpose::ALL
                .iter()
                .map(|p| format!("no_consent:{p}").into())
                .collect(),
            confirm_suitably_dressed: "confirm_suitably_dressed".into(),
            strip_geodata: "strip_geodata".into(),
            remove_names: "remove_names".into(),
            caption_first_names_only: "caption_first_names_only".into(),
            remove_full_names_from_credits: "remove_full_names_from_credits".into(),
            rename_file: "rename_file".into(),
            named_in: [
                "caption".into(),
                "credits".into(),
                "filename".into(),
                "tags".into(),
            ],
            refused: ConsentValue::No.as_str().into(),
            withdrawn: ConsentValue::Withdrawn.as_str().into(),
            not_asked: ConsentValue::NotAsked.as_str().into(),
        }
    }

    /// The consent a `no_consent` block records: anything but `yes`.
    fn recorded(&self, consent: ConsentValue) -> Text {
        match consent {
            ConsentValue::No => self.refused.clone(),
            ConsentValue::Withdrawn => self.withdrawn.clone(),
            // `yes` never blocks; should it reach here, it reads as unasked.
            ConsentValue::NotAsked | ConsentValue::Yes => self.not_asked.clone(),
        }
    }

    fn no_consent(&self, purpose: Purpose) -> Text {
        // `ALL` lists the variants in declaration order.
        self.no_consent[purpose as usize].clone()
    }
}

impl Compiled {
    /// The images table of a policy: its `section`, and its `source`
    /// document (which the "not covered" answer cites).
    pub fn new(section: &ImagesSection, source: &str) -> Compiled {
        let images = &section.rules;
        let applicable = Check::ALL
            .iter()
            .flat_map(|&check| {
                Channel::ALL.iter().map(move |&channel| {
                    (0..images.len())
                        .filter(|&i| images[i].check == check && images[i].applies_to(channel))
                        .collect()
                })
            })
            .collect();
        Compiled {
            applicable,
            rules: section
                .rules
                .iter()
                .map(|r| (r.clone(), Reason::of_rule(&r.id, &r.summary, &r.cite)))
                .collect(),
            not_covered: Arc::new(Reason {
                rule: NOT_COVERED.into(),
                summary: "The policy sets no consent rule for this channel, so nothing goes out on it until the headteacher decides.".into(),
                cite: Cite {
                    source: source.into(),
                    section: "No section of the policy covers this channel".into(),
                },
            }),
            no_actions: Arc::from(Vec::new()),
            words: Words::new(),
        }
    }

    /// The rules making `check` that apply on `channel`, in policy order.
    fn for_channel(
        &self,
        check: Check,
        channel: Channel,
    ) -> impl ExactSizeIterator<Item = &(ImageRule, Arc<Reason>)> + Clone {
        self.applicable[check as usize * Channel::ALL.len() + channel as usize]
            .iter()
            .map(|&i| &self.rules[i])
    }
}

/// The rule id of "no rule covers this channel".
pub const NOT_COVERED: &str = "images.not_covered";

/// How `unknowns` names a pupil's restriction left out of the request
/// (which pupils: the `blocked` entries with reason `restriction_unknown`).
pub const RESTRICTION_UNKNOWN_FACT: &str = "pupils.restriction";

/// Collects reasons (once per rule), changes (once each) and blocks.
#[derive(Default)]
struct Findings {
    reasons: Vec<Arc<Reason>>,
    changes: Vec<Text>,
    blocked: Vec<Blocked>,
    unknowns: Vec<Text>,
    actions: Vec<Action>,
    image_blocked: bool,
    /// The media fields whose names call for a change (`named_in`).
    named_in: Vec<Text>,
}

impl Findings {
    fn cite(&mut self, reason: &Arc<Reason>) {
        // Each rule has one shared reason in [`Compiled`] (rule ids are
        // unique in a policy), so the same rule is the same pointer.
        if !self.reasons.iter().any(|r| Arc::ptr_eq(r, reason)) {
            self.reasons.push(reason.clone());
        }
    }

    fn change(&mut self, reason: &Arc<Reason>, change: &Text) {
        self.cite(reason);
        if !self.changes.contains(change) {
            self.changes.push(change.clone());
        }
    }

    fn block(&mut self, reason: &Arc<Reason>, pupil: Option<&str>, token: &Text) {
        self.cite(reason);
        if pupil.is_none() {
            self.image_blocked = true;
        }
        self.blocked.push(Blocked {
            pupil: pupil.map(Text::from),
            reason: token.clone(),
            rule: reason.rule.clone(),
            consent: None,
        });
    }
}

/// The decision for a validated request. `index` is the roster's name index
/// (built once per roster by the caller of a gallery).
pub fn decide(c: &Compiled, policy: &PolicyRef, engine: &Text, req: &ImagesRequest) -> Decision {
    Workspace::with(|ws| {
        // The name index is only worth building when there is text to
        // search; then only the pupils whose names could occur in it.
        let m = &req.media;
        let has_text = m.caption.is_some()
            || m.credits.is_some()
            || m.filename.is_some()
            || !m.tags.is_empty();
        let texts = [&m.caption, &m.credits, &m.filename]
            .into_iter()
            .filter_map(|t| t.as_deref())
            .chain(m.tags.iter().map(String::as_str));
        let Workspace {
            scratch,
            found,
            kept,
        } = ws;
        let pruned;
        let index = if !has_text {
            pruned = NameIndex::default();
            &pruned
        } else if req.pupils.len() <= KEEP_PUPILS {
            kept.index_of(req.pupils.iter().map(name_of))
        } else {
            pruned = NameIndex::for_texts_in(req.pupils.iter().map(name_of), texts, scratch);
            &pruned
        };
        let f = findings(
            c,
            req.channel,
            &req.media,
            req.pupils.iter(),
            (&req.pupils, index),
            (scratch, found),
        );
        envelope(c, policy, engine, f)
    })
}

/// Steps 1-5 for one image: `depicted` are the pupils in it; names are
/// looked for from the whole `roster` (which `index` was built from), with
/// the buffers `work`.
fn findings<'a>(
    c: &Compiled,
    channel: Channel,
    media: &Media,
    depicted: impl ExactSizeIterator<Item = &'a Pupil>,
    (roster, index): (&[Pupil], &NameIndex),
    work: (&mut Scratch, &mut Vec<NameHit>),
) -> Findings {
    let mut f = Findings::default();
    let w = &c.words;

    // 1. Channel coverage.
    let consent_rules = c.for_channel(Check::Consent, channel);
    if consent_rules.len() == 0 {
        f.block(&c.not_covered, None, &w.not_covered);
        return f;
    }

    // The consent rules of the channel explain every answer, even a clean one.
    for (_, reason) in consent_rules.clone() {
        f.cite(reason);
    }

    // 2. Image-wide problems.
    if media.captured_on == CapturedOn::PersonalDevice {
        for (_, reason) in c.for_channel(Check::PersonalDevice, channel) {
            f.block(reason, None, &w.personal_device);
        }
    }
    for (_, reason) in c.for_channel(Check::SuitablyDressed, channel) {
        match media.suitably_dressed {
            Some(false) => f.block(reason, None, &w.not_suitably_dressed),
            None => {
                f.change(reason, &w.confirm_suitably_dressed);
                push_unknown(&mut f, "media.suitably_dressed");
            }
            Some(true) => {}
        }
    }

    // 3. Each pupil.
    let individual = media.composition == Composition::Individual;
    let in_image = depicted.len();
    let mut ruled_out = 0;
    for pupil in depicted {
        let before = f.blocked.len();
        // An omitted restriction is unknown, not `none` (SPEC §1.1): the
        // pupil is ruled out until someone records that there is none.
        match pupil.restriction {
            Some(Restriction::None) => {}
            Some(_) => {
                for (_, reason) in c.for_channel(Check::Restriction, channel) {
                    f.block(reason, Some(&pupil.id), &w.restricted);
                }
            }
            None => {
                for (_, reason) in c.for_channel(Check::Restriction, channel) {
                    f.block(reason, Some(&pupil.id), &w.restriction_unknown);
                    push_unknown(&mut f, RESTRICTION_UNKNOWN_FACT);
                }
            }
        }
        if !pupil.on_roll {
            for (rule, reason) in c.for_channel(Check::Leaver, channel) {
                f.block(reason, Some(&pupil.id), &w.left_school);
                if rule.leaver == Some(LeaverAction::Delete) {
                    // The image itself is due for deletion: it cannot go
                    // out even with the pupil cropped.
                    f.image_blocked = true;
                    f.actions.push(Action {
                        action: ActionToken::Delete,
                        who: Who::SchoolOffice,
                        deadline: Deadline::WithinOneWorkingDay,
                        due: None,
                        detail: format!(
                            "Delete the images of pupil {} held for publication.",
                            pupil.id
                        )
                        .into(),
                        contact: None,
                        rule: reason.rule.clone(),
                    });
                }
            }
        }
        for (rule, reason) in consent_rules.clone() {
            if let Some(purpose) = rule.purpose {
                let consent = pupil.consent.get(purpose);
                if consent != ConsentValue::Yes {
                    f.block(reason, Some(&pupil.id), &w.no_consent(purpose));
                    if let Some(b) = f.blocked.last_mut() {
                        b.consent = Some(w.recorded(consent));
                    }
                }
            }
        }
        if individual && pupil.consent.individual_use != ConsentValue::Yes {
            for (_, reason) in c.for_channel(Check::IndividualPermission, channel) {
                f.block(reason, Some(&pupil.id), &w.individual_permission_needed);
            }
        }
        if f.blocked.len() > before {
            ruled_out += 1;
        }
    }
    if ruled_out > 0 {
        let exclude = c.for_channel(Check::ExcludeFromGroup, channel).next();
        match exclude {
            Some((_, reason)) if !individual && ruled_out < in_image => {
                // The ruled-out pupils are those the blocks name, each
                // blocked one or more times in a row, in the image's order.
                f.cite(reason);
                let Findings {
                    blocked, changes, ..
                } = &mut f;
                let mut last: Option<&Text> = None;
                for pupil in blocked.iter().filter_map(|b| b.pupil.as_ref()) {
                    if last != Some(pupil) {
                        let token = prefixed("exclude_pupil:", pupil);
                        if !changes.contains(&token) {
                            changes.push(token);
                        }
                        last = Some(pupil);
                    }
                }
            }
            _ => f.image_blocked = true,
        }
    }

    // 4. Names.
    check_names(c, channel, media, (roster, index), work, &mut f);

    // 5. Location metadata.
    for (_, reason) in c.for_channel(Check::Geodata, channel) {
        match media.has_geodata {
            Some(true) => f.change(reason, &w.strip_geodata),
            None => {
                f.change(reason, &w.strip_geodata);
                push_unknown(&mut f, "media.has_geodata");
            }
            Some(false) => {}
        }
    }

    f
}

/// `prefix` then `id`, as one token, allocated once.
fn prefixed(prefix: &str, id: &str) -> Text {
    let mut buf = [0u8; 64];
    let len = prefix.len() + id.len();
    if len <= buf.len() {
        buf[..prefix.len()].copy_from_slice(prefix.as_bytes());
        buf[prefix.len()..len].copy_from_slice(id.as_bytes());
        if let Ok(s) = std::str::from_utf8(&buf[..len]) {
            return s.into();
        }
    }
    format!("{prefix}{id}").into()
}

fn push_unknown(f: &mut Findings, fact: &'static str) {
    if !f.unknowns.iter().any(|u| &**u == fact) {
        f.unknowns.push(fact.into());
    }
}

/// The caption's or the credits' name rules (`check`) on the names
/// `found` in that field: no names at all, or first names only (the
/// field's own change, `first_names_only`). True when a rule asks for a
/// change.
fn limit_names(
    c: &Compiled,
    check: Check,
    channel: Channel,
    found: &[NameHit],
    first_names_only: &Text,
    f: &mut Findings,
) -> bool {
    let mut breach = false;
    for (rule, reason) in c.for_channel(check, channel) {
        match rule.limit {
            Some(NameLimit::NoNames) if !found.is_empty() => {
                f.change(reason, &c.words.remove_names);
                breach = true;
            }
            Some(NameLimit::FirstNamesOnly) if found.iter().any(|h| h.full()) => {
                f.change(reason, first_names_only);
                breach = true;
            }
            _ => {}
        }
    }
    breach
}

/// The media fields of `named_in`, as indexes of [`Words::named_in`].
const CAPTION: usize = 0;
const CREDITS: usize = 1;
const FILE_NAME: usize = 2;
const TAGS: usize = 3;

/// Step 4: names in each field, by the limits the policy sets.
fn check_names(
    c: &Compiled,
    channel: Channel,
    media: &Media,
    (roster, index): (&[Pupil], &NameIndex),
    (scratch, found): (&mut Scratch, &mut Vec<NameHit>),
    f: &mut Findings,
) {
    let w = &c.words;
    // For each media field (`CAPTION` … `TAGS`): whether it names a pupil
    // without `name_with_image` consent, and whether its own rule asks
    // for a change.
    let mut unconsented = [false; 4];
    let mut breach = [false; 4];
    if let Some(caption) = media.caption.as_deref() {
        index.find_into(Field::Caption, &[caption], scratch, found);
        let first_names_only = &w.caption_first_names_only;
        breach[CAPTION] = limit_names(c, Check::CaptionNames, channel, found, first_names_only, f);
        unconsented[CAPTION] = names_without_consent(roster, found);
    }
    if let Some(credits) = media.credits.as_deref() {
        index.find_into(Field::Credits, &[credits], scratch, found);
        let first_names_only = &w.remove_full_names_from_credits;
        breach[CREDITS] = limit_names(c, Check::CreditNames, channel, found, first_names_only, f);
        unconsented[CREDITS] = names_without_consent(roster, found);
    }
    // Whether a field names anyone, and anyone in full.
    let named = |found: &[NameHit]| (!found.is_empty(), found.iter().any(NameHit::full));
    let file = match media.filename.as_deref() {
        Some(name) => {
            index.find_into(Field::FileName, &[name], scratch, found);
            unconsented[FILE_NAME] = names_without_consent(roster, found);
            named(found)
        }
        None => (false, false),
    };
    // The tags together are one field, so a first name in one tag and the
    // surname in another make a full name.
    let tags = if media.tags.is_empty() {
        (false, false)
    } else {
        index.find_into(Field::Tags, &media.tags, scratch, found);
        unconsented[TAGS] = names_without_consent(roster, found);
        named(found)
    };
    // A name goes with the image only with `name_with_image` consent, in
    // whichever field it is: out of the caption and credits
    // (`remove_names`), out of the file name and tags (`rename_file`, the
    // change the file-name and tag rules make).
    let mut consent_rules = false;
    for (_, reason) in c.for_channel(Check::NameWithImage, channel) {
        consent_rules = true;
        if unconsented[CAPTION] || unconsented[CREDITS] {
            f.change(reason, &w.remove_names);
        }
        if unconsented[FILE_NAME] || unconsented[TAGS] {
            f.change(reason, &w.rename_file);
        }
    }
    for (check, field, (any, full)) in [
        (Check::FileNames, FILE_NAME, file),
        (Check::TagNames, TAGS, tags),
    ] {
        for (rule, reason) in c.for_channel(check, channel) {
            let too_much = match rule.limit {
                Some(NameLimit::NoNames) => any,
                Some(NameLimit::FirstNamesOnly) => full,
                None => false,
            };
            if too_much {
                f.change(reason, &w.rename_file);
                breach[field] = true;
            }
        }
    }
    for (i, token) in w.named_in.iter().enumerate() {
        let unconsented = unconsented.get(i).copied().unwrap_or(false);
        if breach.get(i).copied().unwrap_or(false) || (unconsented && consent_rules) {
            f.named_in.push(token.clone());
        }
    }
}

/// Whether `found` names a pupil who has not consented to being named with
/// their image. Only `yes` is consent: `no`, `withdrawn` and `not_asked`
/// (also what an omitted answer reads as) are not.
fn names_without_consent(roster: &[Pupil], found: &[NameHit]) -> bool {
    found.iter().any(|h| {
        !roster
            .get(h.pupil)
            .is_some_and(|p| p.consent.name_with_image == ConsentValue::Yes)
    })
}

fn envelope(c: &Compiled, policy: &PolicyRef, engine: &Text, f: Findings) -> Decision {
    let outcome = if f.image_blocked {
        Outcome::Block
    } else if !f.changes.is_empty() {
        Outcome::PublishWithChanges
    } else {
        Outcome::Publish
    };
    let changes = if outcome == Outcome::Block {
        Vec::new()
    } else {
        f.changes
    };
    let actions = if f.actions.is_empty() {
        c.no_actions.clone()
    } else {
        Arc::from(f.actions)
    };
    // Which fields' names call for a change only matters with the changes.
    let named_in = (!changes.is_empty() && !f.named_in.is_empty()).then_some(f.named_in);
    Decision {
        changes,
        unknowns: f.unknowns,
        blocked: Some(f.blocked),
        named_in,
        ..Decision::new(Domain::Images, outcome, f.reasons, actions, policy, engine)
    }
}

/// The names of `pupils`, for the name index.
pub fn roster(pupils: &[Pupil]) -> Vec<PupilName<'_>> {
    pupils.iter().map(name_of).collect()
}

/// A pupil's name, for the name index.
fn name_of(p: &Pupil) -> PupilName<'_> {
    PupilName {
        first: &p.first_name,
        last: &p.last_name,
    }
}

/// Decides every image of a gallery against one roster index. The overall
/// outcome is the most restrictive of the images'.
pub fn decide_gallery(
    c: &Compiled,
    policy: &PolicyRef,
    engine: &Text,
    req: &GalleryRequest,
) -> Result<Decision> {
    let by_id = req.validate()?;
    let names = roster(&req.roster);
    let index = NameIndex::new(&names);
    let mut ws = Workspace::default();
    let mut items = Vec::with_capacity(req.images.len());
    let mut overall = Outcome::Publish;
    let mut reasons: Vec<Arc<Reason>> = Vec::new();
    for img in &req.images {
        let depicted: Vec<&Pupil> = img
            .pupils
            .iter()
            .filter_map(|id| by_id.get(id.as_str()).map(|&i| &req.roster[i]))
            .collect();
        let f = findings(
            c,
            req.channel,
            &img.media,
            depicted.iter().copied(),
            (&req.roster, &index),
            (&mut ws.scratch, &mut ws.found),
        );
        let d = envelope(c, policy, engine, f);
        overall = most_restrictive(overall, d.outcome);
        for r in &d.reasons {
            if !reasons.iter().any(|x| x.rule == r.rule) {
                reasons.push(r.clone());
            }
        }
        items.push(GalleryItem {
            image: img.id.as_str().into(),
            outcome: d.outcome,
            reasons: d.reasons,
            actions: d.actions.to_vec(),
            changes: d.changes,
            unknowns: d.unknowns,
            blocked: d.blocked.unwrap_or_default(),
            named_in: d.named_in.unwrap_or_default(),
        });
    }
    Ok(Decision {
        gallery: Some(items),
        ..Decision::new(
            Domain::Images,
            overall,
            reasons,
            c.no_actions.clone(),
            policy,
            engine,
        )
    })
}

fn most_restrictive(a: Outcome, b: Outcome) -> Outcome {
    let rank = |o: Outcome| match o {
        Outcome::Block => 0,
        Outcome::PublishWithChanges => 1,
        _ => 2,
    };
    if rank(b) < rank(a) {
        b
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_has_its_own_no_consent_token() {
        let words = Words::new();
        for &purpose in Purpose::ALL {
            assert_eq!(
                &*words.no_consent(purpose),
                format!("no_consent:{}", purpose.as_str())
            );
        }
    }
}
