//! Finding pupils' names in a caption, tags, video credits and a file name.
//!
//! # Why
//!
//! Guidance on publishing photos of pupils (SPEC §5) says what may be written
//! next to a photo: never a full name, first names only where the policy allows
//! names at all, and no names in a file name or tags, which travel with the
//! image wherever it is copied. Whether a caption breaks that rule depends on
//! whether it *contains* a pupil's name, and people write names in many ways:
//! `Amy_SMITH-2.jpg`, `amy.smith.jpg`, `Smith, Amy`, `amysmith.jpg`, `Zoë` or
//! `Zoe`, `O'Neil` or `O’Neil` or `ONeil`. A check that only looks for the
//! roster spelling misses most of them, and a missed name is the unsafe
//! mistake. So this module errs towards reporting a name, except for the one
//! case where that would make it useless: first names and surnames that are
//! also ordinary English words ("Rose", "Hope", "Brown").
//!
//! # How text is compared
//!
//! Every field and every roster name goes through the same normaliser:
//!
//! - **Tokens are runs of letters.** Anything that is not a letter separates
//!   words: spaces, punctuation, underscores, hyphens, digits, apostrophes. A
//!   file name loses its extension first (`.jpg`, `.jpeg`, `.png`, `.heic`,
//!   `.mp4`, `.mov` and a few more).
//! - **Case and accents do not count.** Each letter is decomposed (Unicode
//!   NFD), its combining marks dropped, and the rest case-folded, so `Zoë`,
//!   `ZOE` and `zoe` are one word, as are `José`/`Jose` and `Chloé`/`Chloe`.
//!   A few letters that carry a stroke rather than a mark are folded by hand
//!   (`ø`, `ł`, `đ`, `æ`, `œ`, ...), so `Søren` is `Soren` and `Łukasz` is
//!   `Lukasz`.
//! - **A name is a list of parts.** `O'Neil` is `o` + `neil`, `Smith-Jones`
//!   is `smith` + `jones`, `Mary Ann` is `mary` + `ann`. A name matches a run
//!   of consecutive tokens that spell its parts in order, where a token may
//!   cover several parts but never part of one: `o neil`, `O’Neil`, `ONeil`,
//!   `oneil` all match `O'Neil`; `smith jones`, `smith-jones`, `smithjones`
//!   all match `Smith-Jones`. Tokens are compared whole, so `Smithson` never
//!   matches `Smith` and `Tomas` never matches `Tom`. A token may also be
//!   joined to the next across a single apostrophe, so a roster spelling
//!   `Oneil` still matches `O'Neil` in a caption.
//! - **A possessive is the name.** `Amelia's` is `amelia` + `s`, and the
//!   same possessive written without its apostrophe (`amelias_painting.jpg`,
//!   `Tom Smiths goal`) is looked up as the name too: a token ending in `s`
//!   is also tried without it. This errs towards reporting (`Toms` finds a
//!   pupil called Tom), never away from it.
//!
//! # What is reported
//!
//! For each pupil and field: whether the first name was found, whether the
//! surname was found, and so whether the full name was ([`NameHit::full`]).
//! The two halves of a full name may be anywhere in the field, in either
//! order (`Smith, Amy`; `Amy and her brother Tom Smith`). [`NameIndex::find_all`]
//! treats several strings (an image's tags) as one field.
//!
//! # Names that are also words
//!
//! A first name or surname that is also an ordinary English word (a modest
//! built-in list: `rose`, `hope`, `grace`, `will`, `may`, `brown`, `green`,
//! `field`, ...) is reported only where it is written as a name:
//!
//! 1. next to the pupil's other name (`Rose Smith`, `Smith, Rose`,
//!    `hope-smith.jpg`), in any field and any case: a full name always counts;
//! 2. in a caption or credits, written with a capital that is not explained by
//!    the start of a sentence (`Well done to Rose!`), unless the word is a
//!    month written next to a number (`12 May`, `June 3rd`);
//! 3. at the start of a sentence, when it heads a list of names joined by
//!    `and`, `&` or a comma to another name found on the roster (`Rose and Tom
//!    planting bulbs`): a capital at the start of a sentence is no evidence on
//!    its own (`Hope you enjoyed the show`), but a list of children is.
//!
//! In tags and file names only rule 1 applies: many tools lower-case them, so
//! a capital there says nothing. Nor does it in a caption written wholly in
//! capitals. `We picked roses` names nobody (`roses` is not `rose`), and nor
//! does `we picked a rose`.
//!
//! # Run-together names
//!
//! In file names and tags (only), the first name and surname may be written as
//! one word in either order: `amysmith.jpg`, `smithamy`, and a token that
//! starts or ends with such a joined name (`amysmithday`, `tripamysmith`) counts
//! as a full name when the joined name has at least six letters. If a longer
//! reading of the same word belongs to another pupil (`amysmithson` with both
//! Amy Smith and Amy Smithson on the roster) only that one is reported.
//!
//! # Limits
//!
//! - A capital is taken at its word. Title Case headings (`Our Summer Fair`)
//!   name a pupil called Summer; a caption all in lower case names nobody whose
//!   name is an ordinary word unless the surname is next to it.
//! - A word-name alone at the start of a sentence is not reported
//!   (`Daisy scored the winning goal!`), short of the list rule above.
//! - One part of a several-part name is not a match: `Smith` alone does not
//!   find `Smith-Jones`, nor `Mary` find `Mary Ann`.
//! - Two pupils sharing a first name are both reported when it appears; the
//!   text cannot tell which one is meant.
//! - Nicknames (`Tom` for `Thomas`) and misspellings are not matched.
//! - Run-together matching can fire on a longer word that happens to contain a
//!   joined name (`annabel` for a pupil `Ann Abel`); this errs towards caution.
//!
//! # Cost
//!
//! [`NameIndex::new`] normalises the roster once into one buffer (each pupil
//! as first name, surname, first name again, so both run-together orders are
//! slices of it) and an open-addressing hash table of keys. A key is
//! sketched in constant time from its length and its first and last four
//! bytes, so every prefix and suffix of a word can be looked up cheaply; a
//! hit is confirmed by comparing the text. A search normalises the field once
//! and looks each token up, so its cost grows with the length of the text and
//! hardly at all with the roster; a run-together name inside a longer word
//! costs one look-up per length of run-together name on the roster. Roughly:
//! indexing costs about 1,200 instructions a pupil, searching about 100 a
//! character. Pass a [`Scratch`] to [`NameIndex::find_into`] to reuse its
//! buffers across calls.
//!
//! A single image's texts are searched once, so indexing its whole roster
//! would cost more than the search. [`NameIndex::for_texts`] first rules out
//! every name with a pair of neighbouring letters that the texts lack (a
//! 4096-bit set, a few nanoseconds a name) and indexes only the rest: a
//! 30-pupil photo whose caption names one pupil indexes that pupil and any
//! who share a name with them.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// A pupil's name as the roster gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PupilName<'a> {
    /// First (given) name; several parts (`Mary Ann`, `Anne-Marie`) are fine.
    pub first: &'a str,
    /// Surname; several parts (`Smith-Jones`, `O'Neil`, `de la Cruz`) are fine.
    pub last: &'a str,
}

/// Where a text appears, which decides how much its capitals are worth and
/// whether names may be run together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// A caption written by a person: capitals are evidence of a name.
    Caption,
    /// Tags or keywords: lower-cased by many tools; names may be run together.
    Tags,
    /// Video credits: like a caption.
    Credits,
    /// A file name: the extension is ignored; names may be run together.
    FileName,
}

impl Field {
    fn case_is_evidence(self) -> bool {
        matches!(self, Field::Caption | Field::Credits)
    }

    fn runs_together(self) -> bool {
        matches!(self, Field::Tags | Field::FileName)
    }
}

/// One pupil's name found in one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameHit {
    /// The pupil's index in the roster given to [`NameIndex::new`].
    pub pupil: usize,
    /// The first name was found.
    pub first: bool,
    /// The surname was found.
    pub last: bool,
}

impl NameHit {
    /// First name and surname were both found in the field.
    pub fn full(&self) -> bool {
        self.first && self.last
    }
}

/// Reusable buffers for [`NameIndex::find_into`].
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    norm: Vec<u8>,
    merged: Vec<u8>,
    toks: Vec<Tok>,
    occs: Vec<Occ>,
    starts: Vec<bool>,
    /// The parts of a roster name of several parts, while indexing.
    parts: Vec<Tok>,
}

/// What searching one image's texts needs, kept from image to image (and,
/// through [`Workspace::with`], from one decision to the next on a thread),
/// so that deciding an image allocates only its answer.
#[derive(Debug, Default)]
pub struct Workspace {
    pub index: NameIndex,
    pub scratch: Scratch,
    pub found: Vec<NameHit>,
}

/// Buffers larger than this (in bytes of normalised names or text) are
/// dropped after use rather than kept for the thread's next decision: one
/// huge request should not pin its memory for the life of the thread.
const KEEP_BYTES: usize = 64 * 1024;

impl Workspace {
    /// Run `f` with this thread's workspace, or with a fresh one if the
    /// thread's is already in use (a decision made from inside another).
    pub fn with<R>(f: impl FnOnce(&mut Workspace) -> R) -> R {
        thread_local! {
            static WORKSPACE: std::cell::RefCell<Workspace> =
                std::cell::RefCell::new(Workspace::default());
        }
        WORKSPACE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut ws) => {
                let out = f(&mut ws);
                if ws.index.arena.capacity() > KEEP_BYTES || ws.scratch.norm.capacity() > KEEP_BYTES
                {
                    *ws = Workspace::default();
                }
                out
            }
            Err(_) => f(&mut Workspace::default()),
        })
    }
}

/// A roster's names, normalised and indexed once, to search many fields.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    /// Normalised names (UTF-8): for each pupil the first name, the surname
    /// and the first name again, so that first+last and last+first are both
    /// slices of it.
    arena: Vec<u8>,
    /// Internal part boundaries (byte offsets within a name), back to back.
    bounds: Vec<u32>,
    pupils: Vec<Pupil>,
    /// Prefixes of patterns that a first token may equal.
    keys: Table,
    /// Byte lengths (< 256) of the whole run-together names among the keys.
    whole_lens: [u64; 4],
    /// For an index of part of a roster ([`NameIndex::for_texts`]): the
    /// roster position of each indexed pupil, so hits keep referring to the
    /// roster the caller gave.
    positions: Option<Vec<u32>>,
}

impl NameIndex {
    /// Index a roster. Hits refer to pupils by their position in `roster`.
    pub fn new(roster: &[PupilName<'_>]) -> NameIndex {
        NameIndex::of_names(roster.iter().copied(), roster.len())
    }

    /// Index `names`, of which there are at most `hint`.
    fn of_names<'r>(names: impl Iterator<Item = PupilName<'r>>, hint: usize) -> NameIndex {
        let mut ix = NameIndex::default();
        ix.fill(names, hint, &mut Vec::new());
        ix
    }

    /// Replace the indexed names by `names` (at most `hint` of them),
    /// keeping the buffers: an index rebuilt for every image allocates only
    /// while it grows. `parts` is scratch space for names of several parts.
    fn fill<'r>(
        &mut self,
        names: impl Iterator<Item = PupilName<'r>>,
        hint: usize,
        parts: &mut Vec<Tok>,
    ) {
        self.arena.clear();
        self.arena.reserve(hint * 24);
        self.bounds.clear();
        self.pupils.clear();
        self.pupils.reserve(hint);
        self.keys.items.clear();
        self.keys.items.reserve(hint * 4);
        self.whole_lens = [0; 4];
        let ix = self;
        for (i, name) in names.enumerate() {
            let pupil = offset(i);
            let first = ix.push_name(name.first, parts);
            let last = ix.push_name(name.last, parts);
            ix.arena.extend_from_within(first.range());
            let mut entry = Pupil {
                first,
                last,
                wordy: [false; 2],
                month: [false; 2],
            };
            for (role, name) in [first, last].into_iter().enumerate() {
                if !name.is_empty() {
                    let h = ix.add_keys(pupil, role as u8, name, Pat::default(), 0);
                    let text = ix.text(name.start, name.len());
                    entry.wordy[role] = is_word(h, text);
                    entry.month[role] = entry.wordy[role] && MONTHS.contains(&text);
                }
            }
            if !first.is_empty() && !last.is_empty() {
                let (a, b) = entry.pattern(FIRST_LAST);
                ix.add_keys(pupil, FIRST_LAST, a, b, first.len() + 1);
                let (a, b) = entry.pattern(LAST_FIRST);
                ix.add_keys(pupil, LAST_FIRST, a, b, last.len() + 1);
                let len = first.len() + last.len();
                if (MIN_PARTIAL..256).contains(&len) {
                    ix.whole_lens[len / 64] |= 1 << (len % 64);
                }
            }
            ix.pupils.push(entry);
        }
        ix.keys.build();
    }

    /// Index only the pupils of `roster` whose first name or surname could
    /// occur in `texts`, for a roster searched once (a single image's
    /// caption, credits, file name and tags). Searching `texts`, or any part
    /// of them, gives the same hits as an index of the whole roster.
    ///
    /// A name can only be found where every pair of neighbouring letters of
    /// its normalised spelling is a pair of neighbouring letters of the
    /// normalised texts run together (tokens joined, separators dropped), so
    /// a name that fails that test is left out, and a pupil whose names both
    /// fail it. The test costs a few nanoseconds a name; indexing costs far
    /// more.
    pub fn for_texts(roster: &[PupilName<'_>], texts: &[&str]) -> NameIndex {
        NameIndex::for_texts_of(roster.iter().copied(), texts.iter().copied())
    }

    /// As [`NameIndex::for_texts`], for a roster and texts that need not be
    /// gathered into slices first.
    pub fn for_texts_of<'r, 't>(
        roster: impl ExactSizeIterator<Item = PupilName<'r>>,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> NameIndex {
        let mut ix = NameIndex::default();
        ix.refill_for_texts(roster, texts, &mut Scratch::default());
        ix
    }

    /// As [`NameIndex::for_texts_of`], rebuilding this index in place and
    /// reusing its buffers and `scratch`'s (see [`Workspace`]).
    pub fn refill_for_texts<'r, 't>(
        &mut self,
        roster: impl ExactSizeIterator<Item = PupilName<'r>>,
        texts: impl IntoIterator<Item = &'t str>,
        scratch: &mut Scratch,
    ) {
        let mut pairs = Pairs::new();
        let Scratch {
            norm, toks, parts, ..
        } = scratch;
        for text in texts {
            if text.is_ascii() {
                pairs.add_ascii(text.as_bytes());
            } else {
                norm.clear();
                toks.clear();
                tokenize(text, false, norm, toks);
                pairs.add_normalised(norm);
            }
        }
        let mut could_occur = |name: &str| {
            if let Some(found) = pairs.has_ascii(name.as_bytes()) {
                return found;
            }
            norm.clear();
            toks.clear();
            tokenize(name, false, norm, toks);
            pairs.has_normalised(norm)
        };
        let hint = roster.len();
        let mut positions = self.positions.take().unwrap_or_default();
        positions.clear();
        positions.reserve(hint);
        let kept = roster.enumerate().filter_map(|(i, p)| {
            // A name that cannot occur is left out too: without it the
            // pupil's other name is found exactly where it was before (only
            // a full name needs both, and it cannot be found).
            let first = could_occur(p.first);
            let last = could_occur(p.last);
            (first || last).then(|| {
                positions.push(offset(i));
                PupilName {
                    first: if first { p.first } else { "" },
                    last: if last { p.last } else { "" },
                }
            })
        });
        self.fill(kept, hint, parts);
        self.positions = Some(positions);
    }

    /// How many pupils are indexed (the whole roster, unless built by
    /// [`NameIndex::for_texts`]).
    pub fn len(&self) -> usize {
        self.pupils.len()
    }

    /// Whether no pupil is indexed.
    pub fn is_empty(&self) -> bool {
        self.pupils.is_empty()
    }

    /// The pupils named in `text`, one hit per pupil, in roster order.
    pub fn find(&self, field: Field, text: &str) -> Vec<NameHit> {
        self.find_all(field, &[text])
    }

    /// The pupils named in several strings taken as one field (an image's
    /// tags): a first name in one tag and the surname in another make a full
    /// name, and neighbouring tags count as next to each other. A name never
    /// runs from one string into the next.
    pub fn find_all(&self, field: Field, texts: &[&str]) -> Vec<NameHit> {
        let mut out = Vec::new();
        self.find_into(field, texts, &mut Scratch::default(), &mut out);
        out
    }

    /// As [`NameIndex::find_all`], reusing `scratch` and replacing the
    /// contents of `out`.
    pub fn find_into<T: AsRef<str>>(
        &self,
        field: Field,
        texts: &[T],
        scratch: &mut Scratch,
        out: &mut Vec<NameHit>,
    ) {
        out.clear();
        scratch.norm.clear();
        scratch.toks.clear();
        scratch.occs.clear();
        if self.pupils.is_empty() {
            return;
        }
        let total: usize = texts.iter().map(|t| t.as_ref().len()).sum();
        scratch.norm.reserve(total + 8);
        scratch.toks.reserve(total / 3 + 4);
        scratch.occs.reserve(8);
        for text in texts {
            let text = text.as_ref();
            let text = if field == Field::FileName {
                strip_extension(text)
            } else {
                text
            };
            let case_evidence = field.case_is_evidence()
                && (text.bytes().any(|b| b.is_ascii_lowercase())
                    || (!text.is_ascii() && text.chars().any(char::is_lowercase)));
            tokenize(text, case_evidence, &mut scratch.norm, &mut scratch.toks);
        }
        if scratch.toks.is_empty() {
            return;
        }
        self.collect(field, scratch);
        if scratch.occs.is_empty() {
            return;
        }
        self.accept(field, scratch);
        let occs = &mut scratch.occs;
        // `accept` left them in pupil order.
        occs.retain(|o| o.accepted);
        debug_assert!(occs.windows(2).all(|w| w[0].pupil <= w[1].pupil));
        for o in occs.iter() {
            let pupil = match &self.positions {
                Some(positions) => positions[o.pupil as usize] as usize,
                None => o.pupil as usize,
            };
            match out.last_mut() {
                Some(hit) if hit.pupil == pupil => {
                    hit.first |= o.kind != LAST;
                    hit.last |= o.kind != FIRST;
                }
                _ => out.push(NameHit {
                    pupil,
                    first: o.kind != LAST,
                    last: o.kind != FIRST,
                }),
            }
        }
    }

    /// Every place a pattern of some pupil matches, accepted or not yet.
    fn collect(&self, field: Field, s: &mut Scratch) {
        let run = field.runs_together();
        let Scratch {
            norm,
            merged,
            toks,
            occs,
            ..
        } = s;
        let norm: &[u8] = norm;
        for (i, tok) in toks.iter().enumerate() {
            let t = tok.text(norm);
            self.start_at(sketch(t), t, 1, i, run, norm, toks, occs);
            if let Some(stem) = possessive_stem(t) {
                self.start_at(sketch(stem), stem, 1, i, run, norm, toks, occs);
            }
            if let Some(next) = toks.get(i + 1) {
                if next.gap & APOS != 0 {
                    merged.clear();
                    merged.extend_from_slice(t);
                    merged.extend_from_slice(next.text(norm));
                    self.start_at(sketch(merged), merged, 2, i, run, norm, toks, occs);
                    if let Some(stem) = possessive_stem(merged) {
                        self.start_at(sketch(stem), stem, 2, i, run, norm, toks, occs);
                    }
                }
            }
            if run {
                self.run_together(t, i, occs);
            }
        }
        if run {
            suppress_shorter(occs);
        }
    }

    /// Patterns whose key equals `key`, which is the token at `i`
    /// (`key_toks` = 1) or it joined to the next across an apostrophe (2),
    /// tried from token `i`.
    #[allow(clippy::too_many_arguments)]
    fn start_at(
        &self,
        h: u64,
        key: &[u8],
        key_toks: usize,
        i: usize,
        run: bool,
        norm: &[u8],
        toks: &[Tok],
        occs: &mut Vec<Occ>,
    ) {
        self.keys.each(h, |k| {
            if (!run && k.pat >= FIRST_LAST) || !self.is_key(k, key) {
                return;
            }
            let pupil = &self.pupils[k.pupil as usize];
            let (a, b) = pupil.pattern(k.pat);
            let whole = k.len as usize == a.len() + b.len();
            let end = if whole {
                Some(i + key_toks)
            } else {
                self.matches(a, b, norm, toks, i)
            };
            if let Some(end) = end {
                occs.push(Occ::new(k.pupil, kind_of(k.pat), i, end));
            }
            // A name of several parts may run into the other name inside a
            // later token ("mary annsmith"). (When the key is the whole name,
            // the next token starts the other name, and adjacency finds it.)
            if run && !whole && k.pat <= LAST {
                let (a, b) = pupil.pattern(if k.pat == FIRST {
                    FIRST_LAST
                } else {
                    LAST_FIRST
                });
                if !a.is_empty() && !b.is_empty() {
                    if let Some(end) = self.matches(a, b, norm, toks, i) {
                        occs.push(Occ::new(k.pupil, FULL, i, end));
                    }
                }
            }
        });
    }

    /// Whether the pattern `a` then `b` is spelled by the tokens from `i`,
    /// each token ending on a part boundary (or at a lone apostrophe); the
    /// token after the match if so.
    fn matches(&self, a: Pat, b: Pat, norm: &[u8], toks: &[Tok], i: usize) -> Option<usize> {
        let s = self.text(a.start, a.len() + b.len());
        let mut pos = 0usize;
        let mut k = i;
        loop {
            let tok = toks.get(k)?;
            if k > i {
                if tok.gap & (HARD | SENT) != 0 {
                    return None;
                }
                if tok.gap & APOS == 0 && !self.is_bound(pos, a, b) {
                    return None;
                }
            }
            let t = tok.text(norm);
            if !s[pos..].starts_with(t) {
                // The name's last part written as a possessive without an
                // apostrophe ("Mary Anns painting") ends the match.
                return (possessive_stem(t) == Some(&s[pos..])).then_some(k + 1);
            }
            pos += t.len();
            k += 1;
            if pos == s.len() {
                return Some(k);
            }
        }
    }

    /// Whether byte `pos` of the pattern `a` then `b` is between two parts.
    fn is_bound(&self, pos: usize, a: Pat, b: Pat) -> bool {
        let la = a.len();
        let within = |p: Pat, at: usize| self.bounds[p.bounds()].iter().any(|&x| x as usize == at);
        match pos.cmp(&la) {
            std::cmp::Ordering::Less => within(a, pos),
            std::cmp::Ordering::Equal => !b.is_empty(),
            std::cmp::Ordering::Greater => within(b, pos - la),
        }
    }

    /// Run-together full names at the start or end of a longer token.
    fn run_together(&self, t: &[u8], i: usize, occs: &mut Vec<Occ>) {
        let n = t.len();
        for l in MIN_PARTIAL..n.min(256) {
            if self.whole_lens[l / 64] & (1 << (l % 64)) == 0 {
                continue;
            }
            if char_boundary(t, l) {
                self.partial(&t[..l], i, (0, l), occs);
            }
            if char_boundary(t, n - l) {
                self.partial(&t[n - l..], i, (n - l, n), occs);
            }
        }
    }

    fn partial(&self, piece: &[u8], i: usize, span: (usize, usize), occs: &mut Vec<Occ>) {
        self.keys.each(sketch(piece), |k| {
            if k.whole && self.is_key(k, piece) {
                let mut o = Occ::new(k.pupil, FULL, i, i + 1);
                o.span = Some((offset(span.0), offset(span.1)));
                occs.push(o);
            }
        });
    }

    /// Decide which occurrences are names (see the module docs).
    fn accept(&self, field: Field, s: &mut Scratch) {
        let Scratch {
            norm,
            toks,
            occs,
            starts,
            ..
        } = s;
        let toks = &toks[..];
        let norm: &[u8] = norm;
        let tok = |i: usize| toks[i].text(norm);
        let sentence_start = |i: usize| {
            let g = toks[i].gap;
            g & (HARD | SENT) != 0 || (g & PERIOD != 0 && !(i > 0 && TITLES.contains(&tok(i - 1))))
        };
        let next_to_number = |i: usize| {
            toks[i].gap & DIGIT != 0
                || toks[i].after & DIGIT != 0
                || (i > 0 && ORDINALS.contains(&tok(i - 1)) && toks[i - 1].gap & DIGIT != 0)
        };
        // 1. Names that are not words, full names, and capitalised word-names
        //    away from a sentence start.
        let mut pending = false;
        for o in occs.iter_mut() {
            if o.kind == FULL {
                o.accepted = true;
                continue;
            }
            let p = &self.pupils[o.pupil as usize];
            let role = usize::from(o.kind);
            if !p.wordy[role] {
                o.accepted = true;
                continue;
            }
            let start = o.start as usize;
            if !toks[start].cap || (p.month[role] && next_to_number(start)) {
                continue;
            }
            if sentence_start(start) {
                o.heads_sentence = true;
                pending = true;
            } else {
                o.accepted = true;
            }
        }
        // 2. A word-name next to the same pupil's other name.
        occs.sort_unstable_by_key(|o| (o.pupil, o.start));
        let mut g = 0;
        while g < occs.len() {
            let end = g + occs[g..]
                .iter()
                .take_while(|o| o.pupil == occs[g].pupil)
                .count();
            for a in g..end {
                for b in g..end {
                    let (x, y) = (&occs[a], &occs[b]);
                    let pair =
                        (x.kind == FIRST && y.kind == LAST) || (x.kind == LAST && y.kind == FIRST);
                    if pair && x.end == y.start && next_to(field, toks[y.start as usize].gap) {
                        occs[a].accepted = true;
                        occs[b].accepted = true;
                    }
                }
            }
            g = end;
        }
        // 3. A capitalised word-name heading a sentence and a list of names.
        if pending {
            starts.clear();
            starts.resize(toks.len(), false);
            for o in occs.iter().filter(|o| o.accepted) {
                starts[o.start as usize] = true;
            }
            let joinable = |i: usize| toks[i].gap & (HARD | SENT | PERIOD) == 0;
            for o in occs.iter_mut().filter(|o| o.heads_sentence && !o.accepted) {
                let e = o.end as usize;
                if e >= toks.len() || !joinable(e) {
                    continue;
                }
                o.accepted = if toks[e].gap & LIST != 0 {
                    starts[e]
                } else {
                    tok(e) == b"and" && e + 1 < toks.len() && joinable(e + 1) && starts[e + 1]
                };
            }
        }
    }

    /// Whether `k` (found by the sketch of `text`) is `text`. A sketch
    /// holds the length and up to eight bytes, so keys of the same length
    /// and sketch up to eight bytes long are equal without comparing them.
    fn is_key(&self, k: &Key, text: &[u8]) -> bool {
        k.len as usize == text.len()
            && (text.len() <= 8 || self.text(k.start, k.len as usize) == text)
    }

    fn text(&self, start: u32, len: usize) -> &[u8] {
        let start = start as usize;
        &self.arena[start..start + len]
    }

    /// Normalise a name into the arena, noting its part boundaries.
    fn push_name(&mut self, name: &str, parts: &mut Vec<Tok>) -> Pat {
        let start = self.arena.len();
        if name.is_empty() {
            // A name left out because it cannot occur in the texts.
            let at = offset(start);
            let b = offset(self.bounds.len());
            return Pat {
                start: at,
                end: at,
                b0: b,
                b1: b,
            };
        }
        parts.clear();
        if name.bytes().all(|b| b.is_ascii_alphabetic()) {
            // One plain part (nearly every name).
            self.arena.extend_from_slice(name.as_bytes());
            self.arena[start..].make_ascii_lowercase();
        } else {
            tokenize(name, false, &mut self.arena, parts);
        }
        let b0 = self.bounds.len();
        for p in parts.iter().skip(1) {
            self.bounds.push(p.start - offset(start));
        }
        Pat {
            start: offset(start),
            end: offset(self.arena.len()),
            b0: offset(b0),
            b1: offset(self.bounds.len()),
        }
    }

    /// Keys for the pattern `a` then `b`: each prefix ending at a part
    /// boundary (at or past `min_len` bytes), and the whole. Returns the
    /// sketch of the whole.
    fn add_keys(&mut self, pupil: u32, pat: u8, a: Pat, b: Pat, min_len: usize) -> u64 {
        let la = a.len();
        let full = la + b.len();
        let text = &self.arena[a.start as usize..a.start as usize + full];
        let h = sketch(text);
        self.keys.items.push(Key {
            hash: h,
            start: a.start,
            len: offset(full),
            pupil,
            pat,
            whole: pat >= FIRST_LAST,
            next: EMPTY,
        });
        if a.b0 == a.b1 && b.b0 == b.b1 {
            // One part each (nearly every name): the whole is the only key.
            return h;
        }
        let ends = (self.bounds[a.bounds()].iter().map(|&x| x as usize))
            .chain((!b.is_empty()).then_some(la))
            .chain(self.bounds[b.bounds()].iter().map(|&x| la + x as usize));
        for end in ends.filter(|&e| e >= min_len) {
            self.keys.items.push(Key {
                hash: sketch(&text[..end]),
                start: a.start,
                len: offset(end),
                pupil,
                pat,
                whole: false,
                next: EMPTY,
            });
        }
        h
    }
}

/// Names that are also ordinary English words, normalised, sorted.
const WORD_NAMES: &[&[u8]] = &[
    b"amber", b"angel", b"april", b"archer", b"art", b"ash", b"august", b"autumn", b"baker",
    b"ball", b"banks", b"bell", b"berry", b"bill", b"bird", b"bishop", b"black", b"blossom",
    b"brook", b"brown", b"bush", b"candy", b"chance", b"chase", b"cliff", b"cook", b"crystal",
    b"daisy", b"dale", b"dawn", b"day", b"dean", b"destiny", b"drew", b"eve", b"faith", b"fern",
    b"field", b"fields", b"fisher", b"forest", b"fox", b"frank", b"frost", b"ginger", b"glen",
    b"gold", b"grace", b"grant", b"gray", b"green", b"grey", b"guy", b"hall", b"hart", b"hazel",
    b"head", b"heath", b"heather", b"hill", b"holly", b"honey", b"hope", b"hunter", b"iris",
    b"ivy", b"jack", b"jade", b"jasmine", b"jay", b"joy", b"june", b"king", b"knight", b"lamb",
    b"lane", b"lily", b"little", b"long", b"love", b"mark", b"marsh", b"mason", b"may", b"melody",
    b"miles", b"moon", b"olive", b"page", b"park", b"pearl", b"penny", b"poppy", b"potter",
    b"power", b"price", b"rain", b"raven", b"ray", b"reed", b"rich", b"river", b"robin", b"rose",
    b"rowan", b"ruby", b"rush", b"sage", b"sandy", b"scarlet", b"sharp", b"short", b"silver",
    b"sky", b"snow", b"star", b"stone", b"storm", b"street", b"strong", b"summer", b"sunny",
    b"swan", b"violet", b"walker", b"wall", b"ward", b"wells", b"white", b"will", b"willow",
    b"winter", b"wise", b"wood", b"wren", b"young",
];

/// A Bloom filter (one hash, 4096 bits) over [`WORD_NAMES`]: most names are
/// ruled out by one bit before any string is compared.
const WORD_BLOOM: [u64; 64] = bloom(WORD_NAMES);

const fn bloom(words: &[&[u8]]) -> [u64; 64] {
    let mut out = [0u64; 64];
    let mut i = 0;
    while i < words.len() {
        let bit = bloom_bit(sketch(words[i]));
        out[bit / 64] |= 1 << (bit % 64);
        i += 1;
    }
    out
}

const fn bloom_bit(h: u64) -> usize {
    (mix(h) >> 52) as usize
}

/// The sketches of [`WORD_NAMES`], sorted. A sketch of at most eight bytes
/// is the text itself, so comparing these compares the words.
const WORD_SKETCHES: [u64; WORD_NAMES.len()] = sorted_sketches(WORD_NAMES);

const fn sorted_sketches<const N: usize>(words: &[&[u8]]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        assert!(words[i].len() <= 8, "word-names are at most eight letters");
        let h = sketch(words[i]);
        // Insertion sort.
        let mut k = i;
        while k > 0 && out[k - 1] > h {
            out[k] = out[k - 1];
            k -= 1;
        }
        out[k] = h;
        i += 1;
    }
    out
}

/// Whether a normalised name, with sketch `h`, is an ordinary word.
fn is_word(h: u64, text: &[u8]) -> bool {
    let bit = bloom_bit(h);
    text.len() <= 8
        && WORD_BLOOM[bit / 64] & (1 << (bit % 64)) != 0
        && WORD_SKETCHES.binary_search(&h).is_ok()
}

/// Word-names that are months, written next to a number in a date.
const MONTHS: &[&[u8]] = &[b"april", b"august", b"june", b"may"];

/// Titles whose full stop does not end a sentence.
const TITLES: &[&[u8]] = &[b"dr", b"miss", b"mr", b"mrs", b"ms", b"mx", b"prof"];

const ORDINALS: &[&[u8]] = &[b"nd", b"rd", b"st", b"th"];

/// File extensions dropped from a file name.
const EXTENSIONS: &[&str] = &[
    "avi", "bmp", "dng", "gif", "heic", "heif", "jpeg", "jpg", "m4v", "mkv", "mov", "mp4", "png",
    "raw", "tif", "tiff", "webm", "webp",
];

/// Shortest run-together name matched at the start or end of a longer word.
const MIN_PARTIAL: usize = 6;

// Patterns of a pupil's name.
const FIRST: u8 = 0;
const LAST: u8 = 1;
const FIRST_LAST: u8 = 2;
const LAST_FIRST: u8 = 3;
/// Occurrence kind: first and last name together.
const FULL: u8 = 2;

fn kind_of(pat: u8) -> u8 {
    match pat {
        FIRST => FIRST,
        LAST => LAST,
        _ => FULL,
    }
}

// What lies between two tokens.
/// Start of a string (a field, or one tag of several).
const HARD: u8 = 1;
/// A sentence end other than a full stop, or a line break.
const SENT: u8 = 2;
/// A full stop.
const PERIOD: u8 = 4;
/// A digit.
const DIGIT: u8 = 8;
/// A list separator: `,` `&` `+` `/`.
const LIST: u8 = 16;
/// Exactly one apostrophe, nothing else.
const APOS: u8 = 32;

/// Whether two tokens with `gap` between them are next to each other.
fn next_to(field: Field, gap: u8) -> bool {
    gap & SENT == 0 && (gap & HARD == 0 || field == Field::Tags)
}

/// One normalised name in the arena, with its part boundaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Pat {
    start: u32,
    end: u32,
    /// Its internal boundaries: `bounds[b0..b1]`.
    b0: u32,
    b1: u32,
}

impl Pat {
    fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    fn is_empty(self) -> bool {
        self.start == self.end
    }

    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    fn bounds(self) -> std::ops::Range<usize> {
        self.b0 as usize..self.b1 as usize
    }
}

#[derive(Debug, Clone)]
struct Pupil {
    first: Pat,
    last: Pat,
    /// First name / surname is an ordinary word.
    wordy: [bool; 2],
    /// First name / surname is a month.
    month: [bool; 2],
}

impl Pupil {
    /// The pattern as one name then another (the second may be empty). The
    /// arena holds first, last, first again, so each pair is contiguous.
    fn pattern(&self, pat: u8) -> (Pat, Pat) {
        let again = Pat {
            start: self.last.end,
            end: self.last.end + (self.first.end - self.first.start),
            ..self.first
        };
        match pat {
            FIRST => (self.first, Pat::default()),
            LAST => (self.last, Pat::default()),
            FIRST_LAST => (self.first, self.last),
            _ => (self.last, again),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Key {
    hash: u64,
    start: u32,
    len: u32,
    pupil: u32,
    pat: u8,
    /// The key is a whole run-together name (first+last or last+first).
    whole: bool,
    /// The next key with the same hash (set by [`Table::build`]).
    next: u32,
}

/// Keys with an open-addressing hash table over them (linear probing), built
/// once: no sorting, a probe or two per look-up. A slot holds the first key
/// of one hash, and keys with the same hash (many pupils sharing a first
/// name) are chained from it, so a roster of thousands of namesakes costs
/// linear time to index, not quadratic.
#[derive(Debug, Clone, Default)]
struct Table {
    items: Vec<Key>,
    slots: Vec<u32>,
}

const EMPTY: u32 = u32::MAX;

impl Table {
    fn build(&mut self) {
        let cap = (self.items.len() * 2).next_power_of_two().max(8);
        let mask = cap - 1;
        self.slots.clear();
        self.slots.resize(cap, EMPTY);
        // Last key first, each put at the head of its chain: a chain then
        // lists its keys in the order they were added.
        for i in (0..self.items.len()).rev() {
            let h = self.items[i].hash;
            let mut at = slot(h) & mask;
            loop {
                let head = self.slots[at];
                if head == EMPTY || self.items[head as usize].hash == h {
                    self.items[i].next = head;
                    self.slots[at] = offset(i);
                    break;
                }
                at = (at + 1) & mask;
            }
        }
    }

    /// Every key whose hash is `h` (callers compare the text), in the order
    /// they were added.
    fn each(&self, h: u64, mut f: impl FnMut(&Key)) {
        if self.items.is_empty() {
            return;
        }
        let mask = self.slots.len() - 1;
        let mut at = slot(h) & mask;
        loop {
            let mut i = self.slots[at];
            if i == EMPTY {
                return;
            }
            if self.items[i as usize].hash == h {
                while i != EMPTY {
                    let k = &self.items[i as usize];
                    f(k);
                    i = k.next;
                }
                return;
            }
            at = (at + 1) & mask;
        }
    }
}

/// The pairs of neighbouring letters of normalised text with the separators
/// dropped ([`NameIndex::for_texts`]), as a 4096-bit set. ASCII text is
/// normalised on the fly: its letters lower-cased, everything else dropped,
/// which is what [`tokenize`] does to it.
struct Pairs {
    bits: [u64; 64],
}

impl Pairs {
    fn new() -> Pairs {
        Pairs { bits: [0; 64] }
    }

    fn bit(a: u8, b: u8) -> usize {
        ((usize::from(a) << 5) ^ usize::from(b)) & 4095
    }

    fn add_normalised(&mut self, norm: &[u8]) {
        for w in norm.windows(2) {
            let bit = Pairs::bit(w[0], w[1]);
            self.bits[bit / 64] |= 1 << (bit % 64);
        }
    }

    fn add_ascii(&mut self, text: &[u8]) {
        let mut prev = None;
        for &c in text.iter().filter(|c| c.is_ascii_alphabetic()) {
            let c = c | 0x20;
            if let Some(p) = prev {
                let bit = Pairs::bit(p, c);
                self.bits[bit / 64] |= 1 << (bit % 64);
            }
            prev = Some(c);
        }
    }

    fn has(&self, a: u8, b: u8) -> bool {
        let bit = Pairs::bit(a, b);
        self.bits[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Whether every pair of `norm` is in the set (and `norm` has a letter).
    fn has_normalised(&self, norm: &[u8]) -> bool {
        !norm.is_empty() && norm.windows(2).all(|w| self.has(w[0], w[1]))
    }

    /// As [`Pairs::has_normalised`] for an ASCII name; `None` if `text`
    /// is not ASCII (it must be normalised first).
    fn has_ascii(&self, text: &[u8]) -> Option<bool> {
        let mut prev = 0u8;
        for &c in text {
            if !c.is_ascii() {
                return None;
            }
            if c.is_ascii_alphabetic() {
                let c = c | 0x20;
                if prev != 0 && !self.has(prev, c) {
                    // Not ASCII further on still means "cannot occur": the
                    // ASCII letters so far normalise to themselves.
                    return Some(false);
                }
                prev = c;
            }
        }
        Some(prev != 0)
    }
}

fn slot(h: u64) -> usize {
    (mix(h) >> 32) as usize
}

/// A cheap key for a normalised word: its length and its first and last
/// four bytes (all of it, up to eight bytes). Computing it costs the same for
/// any length, so every prefix and suffix of a word can be looked up in
/// constant time. Equal sketches are then confirmed by comparing the text.
const fn sketch(b: &[u8]) -> u64 {
    let n = b.len();
    let (head, tail) = if n >= 4 {
        (
            u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]),
        )
    } else {
        let mut head = 0u32;
        let mut i = 0;
        while i < n {
            head = head << 8 | b[i] as u32;
            i += 1;
        }
        (head, 0)
    };
    ((head as u64) << 32 | tail as u64) ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Spread a sketch's bits (for the hash table and the Bloom filter).
const fn mix(h: u64) -> u64 {
    let h = (h ^ (h >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb)
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: u32,
    end: u32,
    /// What lies before it (`HARD`, `SENT`, ...).
    gap: u8,
    /// What lies after it.
    after: u8,
    /// Written with a capital, in a field where that is evidence.
    cap: bool,
}

impl Tok {
    fn text(self, norm: &[u8]) -> &[u8] {
        &norm[self.start as usize..self.end as usize]
    }
}

#[derive(Debug, Clone, Copy)]
struct Occ {
    pupil: u32,
    kind: u8,
    start: u32,
    end: u32,
    /// Byte span within the token, for a run-together name inside a longer word.
    span: Option<(u32, u32)>,
    heads_sentence: bool,
    accepted: bool,
}

impl Occ {
    fn new(pupil: u32, kind: u8, start: usize, end: usize) -> Occ {
        Occ {
            pupil,
            kind,
            start: offset(start),
            end: offset(end),
            span: None,
            heads_sentence: false,
            accepted: false,
        }
    }
}

/// Drop a run-together name inside a longer word when another pupil's name
/// covers more of that word.
fn suppress_shorter(occs: &mut Vec<Occ>) {
    if occs.iter().all(|o| o.span.is_none()) {
        return;
    }
    let covered = |p: &Occ, q: &Occ| {
        if q.pupil == p.pupil || !(q.start <= p.start && p.start < q.end) {
            return false;
        }
        match (p.span, q.span) {
            (Some(_), None) => true,
            (Some((a, b)), Some((c, d))) => c <= a && b <= d && (d - c) > (b - a),
            _ => false,
        }
    };
    let keep: Vec<bool> = occs
        .iter()
        .map(|p| !occs.iter().any(|q| covered(p, q)))
        .collect();
    let mut k = keep.iter();
    occs.retain(|_| k.next().copied().unwrap_or(true));
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether `i` is a character boundary of the UTF-8 `b`.
fn char_boundary(b: &[u8], i: usize) -> bool {
    i == b.len() || b.get(i).is_some_and(|&x| (x as i8) >= -0x40)
}

/// The name a token would be as a possessive written without its
/// apostrophe (`amelias` for `Amelia's`), if it could be one: a word of three
/// or more letters ending in `s`. Looked up beside the token itself, so
/// `amelias_painting.jpg` names Amelia as `amelia's painting` does.
fn possessive_stem(t: &[u8]) -> Option<&[u8]> {
    match t {
        [stem @ .., b's'] if stem.len() >= 2 => Some(stem),
        _ => None,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}'
    )
}

fn is_mark(c: char) -> bool {
    !c.is_ascii() && is_combining_mark(c)
}

fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        !is_apostrophe(c) && !is_combining_mark(c) && c.is_alphabetic()
    }
}

/// Append `c` decomposed, without marks, case-folded.
fn push_folded(c: char, out: &mut Vec<u8>) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase() as u8);
        return;
    }
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        // Upper then lower folds `ß`/`SS`, `ς`/`σ`, ligatures and the like.
        for u in d.to_uppercase() {
            for l in u.to_lowercase() {
                decompose_canonical(l, |e| {
                    if !is_combining_mark(e) {
                        push_base(e, out);
                    }
                });
            }
        }
    });
}

/// Letters with a stroke or a ligature, which no decomposition splits.
fn push_base(c: char, out: &mut Vec<u8>) {
    let mut buf = [0; 4];
    let s = match c {
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'ħ' => "h",
        'ŧ' => "t",
        'ı' => "i",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => c.encode_utf8(&mut buf),
    };
    out.extend_from_slice(s.as_bytes());
}

fn gap_kind(c: char) -> u8 {
    match c {
        '.' => PERIOD,
        '!' | '?' | '\n' | '\r' | '…' | '¡' | '¿' | '‼' | '。' | '！' | '？' => SENT,
        ',' | '&' | '+' | '/' | '、' | '，' => LIST,
        c if c.is_numeric() => DIGIT,
        _ => 0,
    }
}

/// The text without its file extension(s).
fn strip_extension(mut text: &str) -> &str {
    while let Some(dot) = text.rfind('.') {
        let ext = &text[dot + 1..];
        if is_media_extension(ext) {
            text = &text[..dot];
        } else {
            break;
        }
    }
    text
}

/// Whether `ext` is one of [`EXTENSIONS`], in any case. Each is three or
/// four ASCII letters or digits, so it is compared as one `u32`.
fn is_media_extension(ext: &str) -> bool {
    let b = ext.as_bytes();
    if !(3..=4).contains(&b.len()) {
        return false;
    }
    let mut low = [0u8; 4];
    for (l, c) in low.iter_mut().zip(b) {
        *l = c.to_ascii_lowercase();
    }
    EXTENSION_CODES.contains(&u32::from_le_bytes(low))
}

const EXTENSION_CODES: [u32; EXTENSIONS.len()] = extension_codes();

const fn extension_codes() -> [u32; EXTENSIONS.len()] {
    let mut out = [0u32; EXTENSIONS.len()];
    let mut i = 0;
    while i < EXTENSIONS.len() {
        let e = EXTENSIONS[i].as_bytes();
        let mut code = 0u32;
        let mut k = e.len();
        while k > 0 {
            k -= 1;
            code = code << 8 | e[k] as u32;
        }
        out[i] = code;
        i += 1;
    }
    out
}

/// What an ASCII character that is not a letter puts in a gap.
const ASCII_GAP: [u8; 128] = ascii_gaps();

const fn ascii_gaps() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = DIGIT;
        c += 1;
    }
    t[b'.' as usize] = PERIOD;
    t[b'!' as usize] = SENT;
    t[b'?' as usize] = SENT;
    t[b'\n' as usize] = SENT;
    t[b'\r' as usize] = SENT;
    t[b',' as usize] = LIST;
    t[b'&' as usize] = LIST;
    t[b'+' as usize] = LIST;
    t[b'/' as usize] = LIST;
    t
}

/// The tokeniser's state between two characters.
struct Lexer {
    /// What the current gap holds so far.
    gap: u8,
    gap_chars: u32,
    gap_apos: u32,
    in_tok: bool,
}

impl Lexer {
    fn letter(&mut self, cap: bool, norm: &[u8], toks: &mut Vec<Tok>) {
        if self.in_tok {
            return;
        }
        let mut flags = self.gap;
        if self.gap_chars == 1 && self.gap_apos == 1 && flags & HARD == 0 {
            flags |= APOS;
        }
        if let Some(prev) = toks.last_mut() {
            if flags & HARD == 0 {
                prev.after = flags;
            }
        }
        let at = offset(norm.len());
        toks.push(Tok {
            start: at,
            end: at,
            gap: flags,
            after: HARD,
            cap,
        });
        self.gap = 0;
        self.gap_chars = 0;
        self.gap_apos = 0;
        self.in_tok = true;
    }

    fn other(&mut self, flags: u8, apostrophe: bool, norm: &[u8], toks: &mut Vec<Tok>) {
        if self.in_tok {
            self.end(norm, toks);
        }
        self.gap_chars += 1;
        if apostrophe {
            self.gap_apos += 1;
        } else {
            self.gap |= flags;
        }
    }

    fn end(&mut self, norm: &[u8], toks: &mut Vec<Tok>) {
        self.in_tok = false;
        if let Some(t) = toks.last_mut() {
            t.end = offset(norm.len());
            if t.start == t.end {
                // Letters that folded to nothing: as if they were not there.
                self.gap |= t.gap;
                toks.pop();
            }
        }
    }
}

/// Append the tokens of `text` (one string of a field, or a name) to `toks`,
/// their normalised letters to `norm`.
fn tokenize(text: &str, case_evidence: bool, norm: &mut Vec<u8>, toks: &mut Vec<Tok>) {
    let mut lx = Lexer {
        gap: HARD,
        gap_chars: 0,
        gap_apos: 0,
        in_tok: false,
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphabetic() {
            lx.letter(case_evidence && b.is_ascii_uppercase(), norm, toks);
            let run = bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
            norm.extend(bytes[i..i + run].iter().map(|b| b | 0x20));
            i += run;
        } else if b.is_ascii() {
            lx.other(
                ASCII_GAP[usize::from(b)],
                b == b'\'' || b == b'`',
                norm,
                toks,
            );
            i += 1;
        } else {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            if is_letter(c) {
                lx.letter(case_evidence && c.is_uppercase(), norm, toks);
                push_folded(c, norm);
            } else if !is_mark(c) {
                lx.other(gap_kind(c), is_apostrophe(c), norm, toks);
            }
        }
    }
    if lx.in_tok {
        lx.end(norm, toks);
    }
    if let Some(last) = toks.last_mut() {
        last.after = lx.gap | HARD;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `NameIndex::is_key` skips comparing keys of up to eight bytes:
        /// that is sound only if the sketch tells such words apart.
        #[test]
        fn sketch_tells_apart_words_of_one_length_up_to_eight_bytes(
            a in proptest::collection::vec(proptest::num::u8::ANY, 0..=8),
            flip in 0usize..8,
            bit in 0u8..8,
        ) {
            let mut b = a.clone();
            if let Some(byte) = b.get_mut(flip % a.len().max(1)) {
                *byte ^= 1 << bit;
            }
            proptest::prop_assert_eq!(sketch(&a) == sketch(&b), a == b);
        }
    }

    #[test]
    fn media_extensions_match_in_any_case_and_nothing_else() {
        for e in EXTENSIONS {
            assert!(is_media_extension(e), "{e}");
            assert!(is_media_extension(&e.to_ascii_uppercase()), "{e}");
            assert_eq!(strip_extension(&format!("amy.smith.{e}")), "amy.smith");
        }
        for other in ["", "jp", "jpgx", "jpeg2", "txt", "smith", "JPG ", "mp3"] {
            assert!(!is_media_extension(other), "{other}");
        }
        assert_eq!(strip_extension("amy.jpg.png"), "amy");
        assert_eq!(strip_extension("amy.smith"), "amy.smith");
    }

    fn norm(s: &str) -> String {
        let mut out = Vec::new();
        for c in s.chars() {
            if is_letter(c) {
                push_folded(c, &mut out);
            }
        }
        String::from_utf8(out).unwrap()
    }

    fn index(roster: &[(&'static str, &'static str)]) -> NameIndex {
        let names: Vec<PupilName<'_>> = roster
            .iter()
            .map(|&(first, last)| PupilName { first, last })
            .collect();
        NameIndex::new(&names)
    }

    fn hit(ix: &NameIndex, field: Field, text: &str) -> Option<(bool, bool)> {
        ix.find(field, text).first().map(|h| (h.first, h.last))
    }

    #[test]
    fn word_list_is_sorted_normalised_and_unique() {
        assert!(WORD_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(WORD_NAMES
            .iter()
            .all(|w| norm(std::str::from_utf8(w).unwrap()).as_bytes() == *w));
        for w in WORD_NAMES {
            assert!(is_word(sketch(w), w));
        }
        assert!(!is_word(sketch(b"amy"), b"amy"));
        assert!(MONTHS.iter().all(|m| WORD_NAMES.contains(m)));
    }

    #[test]
    fn folding() {
        assert_eq!(norm("Zoë"), "zoe");
        assert_eq!(norm("ZOË"), "zoe");
        assert_eq!(norm("Zoe\u{308}"), "zoe");
        assert_eq!(norm("José"), "jose");
        assert_eq!(norm("Chloé"), "chloe");
        assert_eq!(norm("Søren"), "soren");
        assert_eq!(norm("Łukasz"), "lukasz");
        assert_eq!(norm("Straße"), "strasse");
        assert_eq!(norm("İlkay"), "ilkay");
    }

    #[test]
    fn name_parts_and_boundaries() {
        let ix = index(&[("Mary Ann", "O'Neil")]);
        let p = &ix.pupils[0];
        let text = |(a, b): (Pat, Pat)| ix.text(a.start, a.len() + b.len()).to_vec();
        assert_eq!(text(p.pattern(FIRST)), b"maryann");
        assert_eq!(text(p.pattern(LAST)), b"oneil");
        assert_eq!(text(p.pattern(FIRST_LAST)), b"maryannoneil");
        assert_eq!(text(p.pattern(LAST_FIRST)), b"oneilmaryann");
        let (a, b) = p.pattern(FIRST_LAST);
        let bounds: Vec<usize> = (0..=12).filter(|&i| ix.is_bound(i, a, b)).collect();
        assert_eq!(bounds, [4, 7, 8]);
        let (a, b) = p.pattern(LAST_FIRST);
        let bounds: Vec<usize> = (0..=12).filter(|&i| ix.is_bound(i, a, b)).collect();
        assert_eq!(bounds, [1, 5, 9]);
    }

    #[test]
    fn tokens_and_gaps() {
        let (mut n, mut t) = (Vec::new(), Vec::new());
        tokenize("Well done, Rose! O’Neil 12 May.", true, &mut n, &mut t);
        let words: Vec<&[u8]> = t.iter().map(|x| x.text(&n)).collect();
        let want: [&[u8]; 6] = [b"well", b"done", b"rose", b"o", b"neil", b"may"];
        assert_eq!(words, want);
        assert_eq!(t[0].gap, HARD);
        assert_eq!(t[2].gap, LIST);
        assert!(t[2].cap && !t[1].cap);
        assert_eq!(t[3].gap, SENT);
        assert_eq!(t[4].gap, APOS);
        assert_eq!(t[5].gap, DIGIT);
        assert_eq!(t[5].after, PERIOD | HARD);
    }

    #[test]
    fn extension_dropped() {
        assert_eq!(strip_extension("amy.smith.JPG"), "amy.smith");
        assert_eq!(strip_extension("clip.mp4.mov"), "clip");
        assert_eq!(strip_extension("notes.txt"), "notes.txt");
    }

    #[test]
    fn parts_split_only_at_boundaries() {
        let ix = index(&[("Tom", "O'Neil")]);
        for text in ["o neil", "O'Neil", "ONeil", "O’Neil"] {
            assert_eq!(
                hit(&ix, Field::Caption, text),
                Some((false, true)),
                "{text}"
            );
        }
        let ix = index(&[("Tom", "Oneil")]);
        assert_eq!(hit(&ix, Field::Caption, "Tom O'Neil"), Some((true, true)));
        assert_eq!(hit(&ix, Field::Caption, "Tom O Neil"), Some((true, false)));
    }

    #[test]
    fn month_next_to_a_number_is_a_date() {
        let ix = index(&[("May", "Patel")]);
        assert_eq!(
            hit(&ix, Field::Caption, "Sports day on 12 May was great"),
            None
        );
        assert_eq!(
            hit(&ix, Field::Caption, "Sports day on the 12th May was great"),
            None
        );
        assert_eq!(hit(&ix, Field::Caption, "Sports day, May 12"), None);
        assert_eq!(
            hit(&ix, Field::Caption, "Well done May"),
            Some((true, false))
        );
    }

    #[test]
    fn title_full_stop_is_not_a_sentence_end() {
        let ix = index(&[("Tom", "Brown")]);
        assert_eq!(
            hit(&ix, Field::Caption, "With Mr. Brown in the hall"),
            Some((false, true))
        );
        assert_eq!(
            hit(&ix, Field::Caption, "We met. Brown bears were asleep"),
            None
        );
    }

    #[test]
    fn longer_reading_wins_inside_a_word() {
        let ix = index(&[("Amy", "Smith"), ("Amy", "Smithson")]);
        let hits = ix.find(Field::FileName, "amysmithsonday.jpg");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].pupil, 1);
        assert!(hits[0].full());
    }

    #[test]
    fn run_together_across_part_boundaries() {
        let ix = index(&[("Mary Ann", "Smith"), ("Amy", "Smith-Jones")]);
        assert_eq!(
            hit(&ix, Field::FileName, "mary annsmith.jpg"),
            Some((true, true))
        );
        assert_eq!(
            hit(&ix, Field::FileName, "maryannsmith.jpg"),
            Some((true, true))
        );
        assert_eq!(
            hit(&ix, Field::FileName, "smithmary-ann.jpg"),
            Some((true, true))
        );
        assert_eq!(hit(&ix, Field::Caption, "mary annsmith"), None);
        let amy = |text| {
            ix.find(Field::FileName, text)
                .into_iter()
                .find(|h| h.pupil == 1)
        };
        assert!(amy("amysmith-jones.jpg").is_some_and(|h| h.full()));
        assert!(amy("amysmithjones.jpg").is_some_and(|h| h.full()));
        assert!(amy("smith-jonesamy.jpg").is_some_and(|h| h.full()));
    }

    #[test]
    fn short_run_together_only_whole() {
        let ix = index(&[("Al", "Ice")]);
        assert_eq!(hit(&ix, Field::FileName, "alice.jpg"), Some((true, true)));
        assert_eq!(hit(&ix, Field::FileName, "alicetrip.jpg"), None);
    }

    #[test]
    fn empty_names_and_roster() {
        let ix = index(&[("", ""), ("  ", "-")]);
        assert!(ix.find(Field::Caption, "anything at all").is_empty());
        assert!(NameIndex::new(&[]).find(Field::Tags, "amy").is_empty());
        let ix = index(&[("", "Smith")]);
        assert_eq!(hit(&ix, Field::FileName, "smith.jpg"), Some((false, true)));
    }
}
