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
//! `Zoe`, `O'Neil` or `O’Neil` or `ONeil`. Some write them so that a check
//! misses them: `Amy S\u{200B}mith` (a zero-width space), fullwidth or
//! mathematical letters, a Cyrillic `а` for a Latin `a`, `#AmySmith`,
//! `a.m.y.s.m.i.t.h.jpg`. A missed name is the unsafe mistake, so this module
//! errs towards reporting a name, except for the one case where that would
//! make it useless: first names and surnames that are also ordinary English
//! words ("Rose", "Hope", "Brown").
//!
//! The check must also cost time linear in the text, whatever the text: a
//! caption of one name repeated to a megabyte, or a roster of thousands of
//! pupils sharing a name, decides as fast as any other text (SPEC §1.5).
//!
//! # How text is compared
//!
//! Every field and every roster name goes through the same normaliser, so
//! whatever it does to one it does to the other:
//!
//! - **Invisible characters are not there.** Format characters (Unicode
//!   `Cf`) and default-ignorable code points (soft hyphen, zero-width space,
//!   joiner and non-joiner, word joiner, variation selectors, ...) are dropped
//!   before anything else: `Amy S\u{AD}mith` is `Amy Smith`.
//! - **Compatibility forms are their letters** (Unicode NFKC): fullwidth
//!   `Ａｍｙ` and mathematical `𝐀𝐦𝐲` are `Amy`.
//! - **Case and accents do not count.** Letters are case-folded and their
//!   combining marks dropped, so `Zoë`, `ZOE` and `zoe` are one word. A few
//!   letters that carry a stroke rather than a mark are folded by hand (`ø`,
//!   `ł`, `đ`, `æ`, `œ`, ...).
//! - **Look-alike letters are one letter.** Each letter is replaced by its
//!   confusables skeleton (Unicode TS #39, through `unicode-security`): a
//!   Cyrillic `а` or Greek `ο` becomes the Latin letter it imitates. The
//!   skeleton of `m` is `rn`, so `Arny` matches `Amy`: reporting too much is
//!   the safe side. Where a letter's folded skeleton is not Latin but the
//!   skeleton of the letter as written, or of its capital, is, that is
//!   taken (Cherokee `Ꭺ` and `ꮥ`, Cyrillic `м`).
//! - **Letter-like symbols are their letters.** Small capitals (`ᴀᴍʏ`),
//!   negative circled and squared letters (`🅐`, `🅰`) and regional indicator
//!   symbols (`🇦`) have no decomposition; a small table maps them.
//! - **Tokens are runs of letters.** Anything that is not a letter separates
//!   words (spaces, punctuation, underscores, hyphens, digits, apostrophes).
//!   A file name loses its extension first (`.jpg`, `.png`, `.heic`, `.mp4`,
//!   `.mov` and a few more).
//! - **Encoded text is searched as written and decoded.** A file name with
//!   percent-encoding (`%41my%5Fsmith.jpg`) is searched as it is and, as
//!   a second string of the field, percent-decoded; a caption or credits
//!   with HTML character references (`&#65;my`, `S&shy;mith`) likewise
//!   with them decoded (`html-escape`). HTML tags are not removed
//!   (`A<b>my</b>` is not `Amy`).
//!
//! # How names are found
//!
//! Each pupil gives up to four *name forms*, each spelled as its letters
//! alone: the first name, the surname, and the two run together in either
//! order (`amysmith`, `smithamy`). `O'Neil` is `oneil` and `Mary Ann` is
//! `maryann`. The forms of the whole roster go into one automaton
//! (Aho-Corasick), built once per roster, which reads a field's letters once,
//! with the separators between tokens dropped, and reports every place a form
//! is spelled. A place counts as a name where it begins where a token begins
//! and ends where a token ends, wherever the tokens between split it: `amy
//! smith`, `Smith, Amy`, `AmySmith`, `#amysmith`, `a.m.y.s.m.i.t.h.jpg`, `o
//! neil` and `O’Neil` all spell a form whole. `Smithson` never matches
//! `Smith` and `Tomas` never matches `Tom`.
//!
//! Nothing within one string stops a form running on, not a line break nor
//! a sentence end: `Amy\nBrown`, `Amy! Brown`, `Amy。Brown` and
//! `amy!brown.jpg` are full names even where `Brown` alone, heading a
//! sentence, would not be a name. In tags, one tag runs on into the next
//! (`["amy", "smith"]` is a full name, and so is `["o", "neil"]`); only the
//! separate strings of another kind of field are kept apart.
//!
//! - **A possessive is the name.** A form followed by `s` that ends the token
//!   counts (`amelias_painting.jpg`, `Tom Smiths goal`); so does `Amelia's`,
//!   where the `s` is a token of its own. This errs towards reporting (`Toms`
//!   finds a pupil called Tom).
//! - **A run-together name inside a longer word** counts when it has at
//!   least six letters: where it starts or ends the word (`amysmithday`,
//!   `tripamysmith`) unless a longer reading of that end of the word is
//!   another pupil's name, and anywhere in the middle of it
//!   (`SportsDayAmySmithRelay.jpg`, `#GoAmySmithGo`); in either case not
//!   where another pupil's name is the whole word (`amysmithson` with both
//!   Amy Smith and Amy Smithson on the roster names only Amy Smithson). A
//!   first name or surname alone is found inside a word only in a caption
//!   or credits, where a capital after a lower-case letter starts a word as
//!   well (`#GoAmy`, `TeamRoseWins`); in a file name or tag a capital inside
//!   a word is no boundary (`AmyRelay.jpg` names nobody), since those must
//!   name the same pupils whatever their case (many tools change it).
//!
//! For each pupil and field, what is reported is whether the first name was
//! found and whether the surname was, the two together being a full name
//! ([`NameHit::full`]). The halves of a full name may be anywhere in the
//! field (`Amy and her brother Tom Smith`). [`NameIndex::find_all`] treats
//! several strings (an image's tags) as one field.
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
//! capitals. `We picked roses` names nobody (`roses` is not a name written
//! with a capital), and nor does `we picked a rose`.
//!
//! # Limits
//!
//! - A capital is taken at its word. Title Case headings (`Our Summer Fair`)
//!   name a pupil called Summer.
//! - A word-name alone at the start of a sentence is not reported
//!   (`Daisy scored the winning goal!`), short of the list rule above.
//! - One part of a several-part name is not a match: `Smith` alone does not
//!   find `Smith-Jones`, nor `Mary` find `Mary Ann`.
//! - Two pupils sharing a first name are both reported when it appears.
//! - Nicknames (`Tom` for `Thomas`) and misspellings are not matched.
//! - Look-alikes and run-together names can fire on ordinary words (`torn`
//!   for a pupil `Tom`, `annabel` for `Ann Abel`); this errs towards caution.
//!
//! # Cost
//!
//! Normalising is linear in the text; the automaton reads it once. What it
//! reports is one item per form spelled at a place, and forms are kept once
//! however many pupils share them, so a caption repeating a name reports it
//! once per repetition whatever the roster. Only a roster of names that end
//! in one another, hundreds deep (`a`, `aa`, `aaa`, ...), can make it report
//! many forms at one place: the search therefore counts what it is given and
//! stops at [`WORK_PER_BYTE`] items per byte of text, reporting every pupil
//! as named in full. Being unsure is reported as a name.
//!
//! A search costs its field's text and the forms it finds, never the
//! roster: the per-form flags are cleared form by form after each search,
//! and the report gathers only the owners of the forms found. A gallery
//! builds one index for its roster and searches every image with it, so
//! thousands of images against thousands of pupils cost their texts.
//!
//! The automaton is built over at most [`MAX_FORM_BYTES`] of name forms;
//! a roster past that (names hundreds of kilobytes long) is taken to name
//! everyone, for the same reason.
//!
//! Building the automaton costs more than searching a caption. A single
//! image of a small class (at most [`KEEP_PUPILS`] pupils) uses its whole
//! roster's index, kept per thread ([`KeptIndex`]) for the next photo of the
//! same class; for a larger roster, [`NameIndex::for_texts`] first rules out
//! every name with a pair of neighbouring letters that the texts lack (a
//! 4096-bit set) and builds the automaton over the rest.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use unicode_normalization::char::{decompose_canonical, decompose_compatible, is_combining_mark};

/// A pupil's name as the roster gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PupilName<'a> {
    /// First (given) name; several parts (`Mary Ann`, `Anne-Marie`) are fine.
    pub first: &'a str,
    /// Surname; several parts (`Smith-Jones`, `O'Neil`, `de la Cruz`) are fine.
    pub last: &'a str,
}

/// Where a text appears, which decides how much its capitals are worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// A caption written by a person: capitals are evidence of a name.
    Caption,
    /// Tags or keywords: lower-cased by many tools; one tag runs into the next.
    Tags,
    /// Video credits: like a caption.
    Credits,
    /// A file name: the extension is ignored.
    FileName,
}

impl Field {
    fn case_is_evidence(self) -> bool {
        matches!(self, Field::Caption | Field::Credits)
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

/// How many places the automaton may report per byte of normalised text
/// before the search stops and reports every pupil as named in full. Real
/// rosters report well under one per byte; see "Cost" in the module docs.
pub const WORK_PER_BYTE: usize = 4;

/// Reusable buffers for [`NameIndex::find_into`].
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    /// The field's letters, tokens back to back, [`BARRIER`] where a name
    /// may not run on.
    norm: Vec<u8>,
    toks: Vec<Tok>,
    /// For each byte offset of `norm`, the token starting / ending there.
    starting: Vec<u32>,
    ending: Vec<u32>,
    /// Per token: an accepted name starts there; a name covers it whole.
    starts: Vec<bool>,
    whole: Vec<bool>,
    /// Which forms were found.
    forms: FormFlags,
    /// The report being gathered: (pupil, first, last) for each owner of a
    /// form found.
    named: Vec<(u32, bool, bool)>,
    /// Word-names heading a sentence: (form, token after them).
    heading: Vec<(u32, u32)>,
    inner: Vec<Inner>,
    /// Run-together full names in the middle of a word: (token, form).
    middle: Vec<(u32, u32)>,
    folds: Folds,
}

/// What deciding an image keeps from one decision to the next on a thread,
/// so that searching its texts allocates little, and a class's roster is
/// indexed once for photo after photo of that class.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Buffers reused by each search of the texts.
    pub scratch: Scratch,
    /// The names found in the current image's texts.
    pub found: Vec<NameHit>,
    /// The last small roster's index, kept for the next decision.
    pub kept: KeptIndex,
}

/// The whole index of the last small roster decided on this thread (at most
/// [`KEEP_PUPILS`] pupils), kept while the next decision has the same
/// roster: building the automaton costs more than searching a caption, and
/// a school checks many photos of one class. It finds what an index of only
/// the names that could occur in the texts finds ([`NameIndex::for_texts`]).
#[derive(Debug, Default)]
pub struct KeptIndex {
    roster: Vec<(String, String)>,
    bytes: usize,
    index: NameIndex,
}

/// Rosters of at most this many pupils are indexed whole and kept.
pub const KEEP_PUPILS: usize = 64;

impl KeptIndex {
    /// The index of `roster`: the kept one if it is of the same names,
    /// else a new one, kept in its place.
    pub fn index_of<'r>(
        &mut self,
        roster: impl ExactSizeIterator<Item = PupilName<'r>> + Clone,
    ) -> &NameIndex {
        let same = roster.len() == self.roster.len()
            && roster
                .clone()
                .zip(&self.roster)
                .all(|(p, (first, last))| p.first == first && p.last == last);
        if !same {
            let names: Vec<PupilName<'r>> = roster.collect();
            self.index = NameIndex::new(&names);
            self.roster = names
                .iter()
                .map(|p| (p.first.to_string(), p.last.to_string()))
                .collect();
            self.bytes = names.iter().map(|p| p.first.len() + p.last.len()).sum();
        }
        &self.index
    }
}

/// Buffers larger than this (in bytes of normalised text) are dropped after
/// use rather than kept for the thread's next decision: one huge request
/// should not pin its memory for the life of the thread.
const KEEP_BYTES: usize = 64 * 1024;

impl Workspace {
    /// Run `f` with this thread's workspace, or with a fresh one if the
    /// thread's is already in use (a decision made from inside another).
    ///
    /// Hidden state kept on purpose (issue 22): without it, every image
    /// builds its roster's automaton afresh, and a 30-pupil image through
    /// JSON took 345k instructions instead of 159k (callgrind, with the
    /// same other changes; 87k before issue 22), about 20 µs against SPEC
    /// §9's guard of 10 µs (BENCHMARKS.md, "Issue 22: plain code"). It
    /// holds nothing an answer depends on: a kept index is the index of
    /// the same names.
    pub fn with<R>(f: impl FnOnce(&mut Workspace) -> R) -> R {
        thread_local! {
            static WORKSPACE: std::cell::RefCell<Workspace> =
                std::cell::RefCell::new(Workspace::default());
        }
        WORKSPACE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut ws) => {
                let out = f(&mut ws);
                if ws.scratch.norm.capacity() > KEEP_BYTES || ws.kept.bytes > KEEP_BYTES {
                    *ws = Workspace::default();
                }
                out
            }
            Err(_) => f(&mut Workspace::default()),
        })
    }
}

/// A roster's name forms and the automaton over them, to search many fields.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    matcher: Matcher,
    /// The distinct forms, in the automaton's pattern order.
    forms: Vec<Form>,
    /// Who each form belongs to: `forms[f].owners` is a range of this.
    owners: Vec<Owner>,
    /// How many pupils are indexed.
    pupils: usize,
    /// For an index of part of a roster ([`NameIndex::for_texts`]): the
    /// roster position of each indexed pupil.
    positions: Option<Vec<u32>>,
}

/// The most bytes of name forms an automaton is built over (about 10 MB of
/// automaton). A real roster stays far below it (5,000 pupils with names of
/// ordinary length: about 120 KiB); past it, a roster of absurdly long
/// names, every pupil is taken to be named.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// What searches a field.
#[derive(Debug, Clone, Default)]
enum Matcher {
    /// No pupil has a name with a letter.
    #[default]
    Nobody,
    Automaton(AhoCorasick),
    /// The roster's forms are past [`MAX_FORM_BYTES`], or the automaton
    /// could not be built: every pupil is taken to be named, never nobody.
    Everyone,
}

/// One distinct name form.
#[derive(Debug, Clone)]
struct Form {
    /// Bytes of normalised letters.
    len: u32,
    /// An ordinary word, and nobody's full name: found only where written as
    /// a name (see "Names that are also words").
    word: bool,
    /// A word that is a month (`may`), which a number next to it makes a date.
    month: bool,
    /// Somebody's full name (run together), which may be found inside a
    /// longer word.
    full: bool,
    owners: std::ops::Range<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Owner {
    pupil: u32,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    First,
    Last,
    Full,
}

impl NameIndex {
    /// Index a roster. Hits refer to pupils by their position in `roster`.
    pub fn new(roster: &[PupilName<'_>]) -> NameIndex {
        let mut names = Normaliser::default();
        let all = roster
            .iter()
            .map(|p| (names.letters(p.first), names.letters(p.last)));
        let all: Vec<_> = all.collect();
        NameIndex::build(all.into_iter().enumerate(), None)
    }

    /// Index only the pupils of `roster` whose first name or surname could
    /// occur in `texts`, for a roster searched once (a single image's
    /// caption, credits, file name and tags). Searching `texts`, or any part
    /// of them, gives the same hits as an index of the whole roster.
    ///
    /// A name can only be found where every pair of neighbouring letters of
    /// its normalised spelling is a pair of neighbouring letters of the
    /// normalised texts run together (one after another), so a name that
    /// fails that test is left out, and a pupil whose names both fail it.
    pub fn for_texts(roster: &[PupilName<'_>], texts: &[&str]) -> NameIndex {
        NameIndex::for_texts_of(roster.iter().copied(), texts.iter().copied())
    }

    /// As [`NameIndex::for_texts`], for a roster and texts that need not be
    /// gathered into slices first.
    pub fn for_texts_of<'r, 't>(
        roster: impl Iterator<Item = PupilName<'r>>,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> NameIndex {
        NameIndex::for_texts_in(roster, texts, &mut Scratch::default())
    }

    /// As [`NameIndex::for_texts_of`], reusing what `scratch` knows of the
    /// characters' folding, and leaving there what it learns for the search
    /// of the same texts that follows (a caption of many distinct
    /// characters is then folded once, not twice).
    pub fn for_texts_in<'r, 't>(
        roster: impl Iterator<Item = PupilName<'r>>,
        texts: impl IntoIterator<Item = &'t str>,
        scratch: &mut Scratch,
    ) -> NameIndex {
        let mut norm = Normaliser {
            folds: std::mem::take(&mut scratch.folds),
            ..Normaliser::default()
        };
        let index = NameIndex::for_texts_with(roster, texts, &mut norm);
        scratch.folds = norm.folds;
        index
    }

    fn for_texts_with<'r, 't>(
        roster: impl Iterator<Item = PupilName<'r>>,
        texts: impl IntoIterator<Item = &'t str>,
        norm: &mut Normaliser,
    ) -> NameIndex {
        // The texts' letters run together, as one tag runs into the next.
        let mut letters = Vec::new();
        for text in texts {
            letters.extend(norm.letters(text));
            // What a field may decode it to (which field it is, is not
            // known here; a letter pair too many only keeps a name in).
            for field in [Field::FileName, Field::Caption] {
                if let Some(decoded) = decoded(field, text) {
                    letters.extend(norm.letters(&decoded));
                }
            }
        }
        let mut pairs = Pairs::new();
        pairs.add(&letters);
        let kept: Vec<_> = roster
            .enumerate()
            .filter_map(|(i, p)| {
                // A name that cannot occur is left out: without it the
                // pupil's other name is found exactly where it was before
                // (only a full name needs both, and it cannot be found).
                let keep = |name: Vec<u8>| if pairs.has(&name) { name } else { Vec::new() };
                let first = keep(norm.letters(p.first));
                let last = keep(norm.letters(p.last));
                (!first.is_empty() || !last.is_empty()).then_some((i, (first, last)))
            })
            .collect();
        let positions = kept.iter().map(|(i, _)| offset(*i)).collect();
        NameIndex::build(
            kept.into_iter().map(|(_, names)| names).enumerate(),
            Some(positions),
        )
    }

    /// The forms of `names` (normalised first name and surname of each
    /// pupil, in order) and the automaton over them.
    fn build(
        names: impl Iterator<Item = (usize, (Vec<u8>, Vec<u8>))>,
        positions: Option<Vec<u32>>,
    ) -> NameIndex {
        let mut ids: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut owned: Vec<(u32, Owner)> = Vec::new();
        let mut pupils = 0;
        let mut add = |form: Vec<u8>, owner: Owner| {
            let next = offset(patterns.len());
            let id = *ids.entry(form).or_insert_with_key(|form| {
                patterns.push(form.clone());
                next
            });
            owned.push((id, owner));
        };
        for (i, (first, last)) in names {
            let pupil = offset(i);
            pupils += 1;
            if !first.is_empty() && !last.is_empty() {
                add(
                    [&first[..], &last].concat(),
                    Owner {
                        pupil,
                        kind: Kind::Full,
                    },
                );
                add(
                    [&last[..], &first].concat(),
                    Owner {
                        pupil,
                        kind: Kind::Full,
                    },
                );
            }
            if !first.is_empty() {
                add(
                    first,
                    Owner {
                        pupil,
                        kind: Kind::First,
                    },
                );
            }
            if !last.is_empty() {
                add(
                    last,
                    Owner {
                        pupil,
                        kind: Kind::Last,
                    },
                );
            }
        }
        owned.sort_unstable();
        let vocab = Vocabulary::get();
        let mut forms = Vec::with_capacity(patterns.len());
        let mut at = 0;
        for (id, text) in patterns.iter().enumerate() {
            let start = at;
            while at < owned.len() && owned[at].0 as usize == id {
                at += 1;
            }
            let full = owned[start..at].iter().any(|(_, o)| o.kind == Kind::Full);
            let word = !full && vocab.word_names.contains(text);
            forms.push(Form {
                len: offset(text.len()),
                word,
                month: word && vocab.months.contains(text),
                full,
                owners: offset(start)..offset(at),
            });
        }
        let form_bytes: usize = patterns.iter().map(Vec::len).sum();
        let matcher = if patterns.is_empty() {
            Matcher::Nobody
        } else if form_bytes > MAX_FORM_BYTES {
            Matcher::Everyone
        } else {
            // Standard semantics, to report every form at every place
            // (overlapping); a contiguous NFA keeps a large roster small.
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&patterns)
                .map_or(Matcher::Everyone, Matcher::Automaton)
        };
        NameIndex {
            matcher,
            forms,
            owners: owned.into_iter().map(|(_, o)| o).collect(),
            pupils,
            positions,
        }
    }

    /// How many pupils are indexed (the whole roster, unless built by
    /// [`NameIndex::for_texts`]).
    pub fn len(&self) -> usize {
        self.pupils
    }

    /// Whether no pupil is indexed.
    pub fn is_empty(&self) -> bool {
        self.pupils == 0
    }

    /// The pupils named in `text`, one hit per pupil, in roster order.
    pub fn find(&self, field: Field, text: &str) -> Vec<NameHit> {
        self.find_all(field, &[text])
    }

    /// The pupils named in several strings taken as one field (an image's
    /// tags): a first name in one tag and the surname in another make a full
    /// name, and neighbouring tags count as next to each other.
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
        let s = scratch;
        s.norm.clear();
        s.toks.clear();
        for (k, text) in texts.iter().enumerate() {
            let text = text.as_ref();
            let text = if field == Field::FileName {
                strip_extension(text)
            } else {
                text
            };
            // The text as written, then decoded if it is encoded: as two
            // strings of the field, so either may name a pupil.
            let decoded = decoded(field, text);
            for (j, text) in std::iter::once(text).chain(decoded.as_deref()).enumerate() {
                let case_evidence = field.case_is_evidence()
                    && (text.bytes().any(|b| b.is_ascii_lowercase())
                        || (!text.is_ascii() && text.chars().any(char::is_lowercase)));
                let mut lexer = Lexer {
                    norm: &mut s.norm,
                    toks: &mut s.toks,
                    folds: &mut s.folds,
                    case_evidence,
                    runs_on: field == Field::Tags && k > 0 && j == 0,
                    gap: HARD,
                    in_tok: false,
                    lower: false,
                };
                lexer.run(text);
            }
        }
        if s.toks.is_empty() {
            return;
        }
        match &self.matcher {
            Matcher::Nobody => return,
            Matcher::Automaton(automaton) => self.search(automaton, field, s),
            Matcher::Everyone => self.everyone(s),
        }
        self.report(s, out);
    }

    /// Read the field once with the automaton, noting which forms are
    /// found as names (see the module docs).
    fn search(&self, automaton: &AhoCorasick, field: Field, s: &mut Scratch) {
        let n = s.norm.len();
        let ntoks = s.toks.len();
        s.starting.clear();
        s.starting.resize(n + 1, NONE);
        s.ending.clear();
        s.ending.resize(n + 1, NONE);
        for (i, t) in s.toks.iter().enumerate() {
            s.starting[t.start as usize] = offset(i);
            s.ending[t.end as usize] = offset(i);
        }
        for flags in [&mut s.starts, &mut s.whole] {
            flags.clear();
            flags.resize(ntoks, false);
        }
        s.forms.clear(self.forms.len());
        s.heading.clear();
        s.inner.clear();
        s.middle.clear();
        let vocab = Vocabulary::get();
        let ctx = Context {
            norm: &s.norm,
            toks: &s.toks,
            vocab,
        };
        let budget = WORK_PER_BYTE.saturating_mul(n).saturating_add(1024);
        for (work, m) in automaton.find_overlapping_iter(&s.norm[..]).enumerate() {
            if work >= budget {
                self.everyone(s);
                return;
            }
            let form = &self.forms[m.pattern().as_usize()];
            let id = m.pattern().as_u32();
            let (start, end) = (m.start(), m.end());
            let first = s.starting[start];
            let mut last = s.ending[end];
            let next = s.ending.get(end + 1).copied().unwrap_or(NONE);
            if last == NONE && s.norm.get(end) == Some(&b's') && next != NONE && form.len >= 2 {
                // A possessive without its apostrophe.
                last = next;
            }
            if first != NONE && last != NONE {
                let (first, last) = (first as usize, last as usize);
                s.whole[first] |= first == last;
                if !form.word {
                    s.forms.mark_found(id);
                    s.starts[first] = true;
                } else if field.case_is_evidence()
                    && s.toks[first].cap
                    && !(form.month && ctx.next_to_number(first))
                {
                    if ctx.sentence_start(first) {
                        s.heading.push((id, offset(last + 1)));
                    } else {
                        s.forms.mark_found(id);
                        s.starts[first] = true;
                    }
                }
            } else if form.full && form.len as usize >= MIN_INSIDE {
                // A run-together name at one end of a longer word.
                let inner = if first != NONE && end <= s.toks[first as usize].end as usize {
                    Some((first, true))
                } else if last != NONE && start >= s.toks[last as usize].start as usize {
                    Some((last, false))
                } else {
                    // In the middle of one word: counts (`SportsDayAmySmithRelay`).
                    let tok = s.toks.partition_point(|t| t.start as usize <= start);
                    if tok > 0 && end <= s.toks[tok - 1].end as usize {
                        s.middle.push((offset(tok - 1), id));
                    }
                    None
                };
                if let Some((tok, at_start)) = inner {
                    s.inner.push(Inner {
                        tok,
                        at_start,
                        form: id,
                        len: form.len,
                    });
                }
            }
        }
        // Rule 3: a word-name heading a sentence and a list of names.
        for &(id, next) in &s.heading {
            let e = next as usize;
            let joinable = |i: usize| s.toks[i].gap & (HARD | SENT | PERIOD) == 0;
            if e >= ntoks || !joinable(e) {
                continue;
            }
            let listed = if s.toks[e].gap & LIST != 0 {
                s.starts[e]
            } else {
                ctx.tok(e) == vocab.and.as_slice()
                    && e + 1 < ntoks
                    && joinable(e + 1)
                    && s.starts[e + 1]
            };
            if listed {
                s.forms.mark_found(id);
            }
        }
        // Inside a word, the longest reading of each end wins, and none
        // where another name is the whole word.
        let mut k = 0;
        while k < s.inner.len() {
            let here = s.inner[k];
            let group = s.inner[k..]
                .iter()
                .take_while(|x| x.tok == here.tok && x.at_start == here.at_start)
                .count();
            let longest = s.inner[k..k + group].iter().max_by_key(|x| x.len);
            if let Some(best) = longest {
                if !s.whole[best.tok as usize] {
                    let form = best.form;
                    s.forms.mark_inside(form);
                }
            }
            k += group;
        }
        for &(tok, form) in &s.middle {
            if !s.whole[tok as usize] {
                s.forms.mark_inside(form);
            }
        }
    }

    /// Every form found: every pupil named in full.
    fn everyone(&self, s: &mut Scratch) {
        s.forms.clear(self.forms.len());
        s.forms.found.fill(true);
        s.forms.inside.fill(true);
        s.forms.touched.extend(0..offset(self.forms.len()));
        s.forms.all = true;
    }

    /// The hits, one per pupil in roster order, from the forms found; then
    /// every form unmarked for the next search. Costs the forms found and
    /// their owners, not the roster.
    fn report(&self, s: &mut Scratch, out: &mut Vec<NameHit>) {
        s.named.clear();
        for &id in &s.forms.touched {
            let id = id as usize;
            let found = s.forms.found[id];
            let form = &self.forms[id];
            for o in &self.owners[form.owners.start as usize..form.owners.end as usize] {
                let (first, last) = match o.kind {
                    Kind::Full => (true, true),
                    Kind::First if found => (true, false),
                    Kind::Last if found => (false, true),
                    _ => continue,
                };
                s.named.push((o.pupil, first, last));
            }
        }
        s.named.sort_unstable_by_key(|&(pupil, _, _)| pupil);
        for &(i, first, last) in &s.named {
            let pupil = match &self.positions {
                Some(positions) => positions[i as usize] as usize,
                None => i as usize,
            };
            match out.last_mut() {
                Some(hit) if hit.pupil == pupil => {
                    hit.first |= first;
                    hit.last |= last;
                }
                _ => out.push(NameHit { pupil, first, last }),
            }
        }
        s.forms.clear(self.forms.len());
    }
}

/// Per form of an index: found as a name; found inside a longer word. All
/// false between searches: a search sets and clears only the forms it finds
/// (`touched`), so that it costs its text, not the roster.
#[derive(Debug, Default, Clone)]
struct FormFlags {
    found: Vec<bool>,
    inside: Vec<bool>,
    /// The forms set in `found` or `inside` by the current search, each once.
    touched: Vec<u32>,
    /// Every form was set (the search stopped, or the roster names everyone):
    /// cleared all at once.
    all: bool,
}

impl FormFlags {
    /// Make `found` and `inside` one flag per form, all false, at the cost
    /// of the forms the last search touched (or of all, once per index
    /// size or after a search that set them all).
    fn clear(&mut self, forms: usize) {
        if self.all || self.found.len() != forms {
            self.found.clear();
            self.found.resize(forms, false);
            self.inside.clear();
            self.inside.resize(forms, false);
        } else {
            for &id in &self.touched {
                self.found[id as usize] = false;
                self.inside[id as usize] = false;
            }
        }
        self.touched.clear();
        self.all = false;
    }

    fn mark_found(&mut self, id: u32) {
        let flag = &mut self.found[id as usize];
        if !*flag {
            *flag = true;
            if !self.inside[id as usize] {
                self.touched.push(id);
            }
        }
    }

    fn mark_inside(&mut self, id: u32) {
        let flag = &mut self.inside[id as usize];
        if !*flag {
            *flag = true;
            if !self.found[id as usize] {
                self.touched.push(id);
            }
        }
    }
}

/// A run-together name found at one end of a longer word.
#[derive(Debug, Clone, Copy)]
struct Inner {
    tok: u32,
    at_start: bool,
    form: u32,
    len: u32,
}

/// Shortest run-together name matched at the start or end of a longer word.
const MIN_INSIDE: usize = 6;

/// No token starts or ends here.
const NONE: u32 = u32::MAX;

/// A byte that no normalised letter contains (it is not UTF-8), put where a
/// name may not run on: the start of another string of the field (except
/// between tags).
const BARRIER: u8 = 0xFF;

/// A field's tokens, for the word-name rules.
struct Context<'a> {
    norm: &'a [u8],
    toks: &'a [Tok],
    vocab: &'a Vocabulary,
}

impl Context<'_> {
    fn tok(&self, i: usize) -> &[u8] {
        self.toks[i].text(self.norm)
    }

    fn sentence_start(&self, i: usize) -> bool {
        let g = self.toks[i].gap;
        g & (HARD | SENT) != 0
            || (g & PERIOD != 0 && !(i > 0 && self.vocab.titles.contains(self.tok(i - 1))))
    }

    fn next_to_number(&self, i: usize) -> bool {
        let toks = self.toks;
        toks[i].gap & DIGIT != 0
            || toks[i].after & DIGIT != 0
            || (i > 0
                && toks[i - 1].gap & DIGIT != 0
                && self.vocab.ordinals.contains(self.tok(i - 1)))
    }
}

/// The word lists, normalised as names and text are (so `may` is `rnay`).
struct Vocabulary {
    word_names: HashSet<Vec<u8>>,
    months: HashSet<Vec<u8>>,
    titles: HashSet<Vec<u8>>,
    ordinals: HashSet<Vec<u8>>,
    and: Vec<u8>,
}

impl Vocabulary {
    fn get() -> &'static Vocabulary {
        static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
        VOCABULARY.get_or_init(|| {
            let mut norm = Normaliser::default();
            let mut set = |words: &[&str]| words.iter().map(|w| norm.letters(w)).collect();
            Vocabulary {
                word_names: set(WORD_NAMES),
                months: set(MONTHS),
                titles: set(TITLES),
                ordinals: set(ORDINALS),
                and: Normaliser::default().letters("and"),
            }
        })
    }
}

/// Names that are also ordinary English words.
const WORD_NAMES: &[&str] = &[
    "amber", "angel", "april", "archer", "art", "ash", "august", "autumn", "baker", "ball",
    "banks", "bell", "berry", "bill", "bird", "bishop", "black", "blossom", "brook", "brown",
    "bush", "candy", "chance", "chase", "cliff", "cook", "crystal", "daisy", "dale", "dawn", "day",
    "dean", "destiny", "drew", "eve", "faith", "fern", "field", "fields", "fisher", "forest",
    "fox", "frank", "frost", "ginger", "glen", "gold", "grace", "grant", "gray", "green", "grey",
    "guy", "hall", "hart", "hazel", "head", "heath", "heather", "hill", "holly", "honey", "hope",
    "hunter", "iris", "ivy", "jack", "jade", "jasmine", "jay", "joy", "june", "king", "knight",
    "lamb", "lane", "lily", "little", "long", "love", "mark", "marsh", "mason", "may", "melody",
    "miles", "moon", "olive", "page", "park", "pearl", "penny", "poppy", "potter", "power",
    "price", "rain", "raven", "ray", "reed", "rich", "river", "robin", "rose", "rowan", "ruby",
    "rush", "sage", "sandy", "scarlet", "sharp", "short", "silver", "sky", "snow", "star", "stone",
    "storm", "street", "strong", "summer", "sunny", "swan", "violet", "walker", "wall", "ward",
    "wells", "white", "will", "willow", "winter", "wise", "wood", "wren", "young",
];

/// Word-names that are months, written next to a number in a date.
const MONTHS: &[&str] = &["april", "august", "june", "may"];

/// Titles whose full stop does not end a sentence.
const TITLES: &[&str] = &["dr", "miss", "mr", "mrs", "ms", "mx", "prof"];

const ORDINALS: &[&str] = &["nd", "rd", "st", "th"];

/// File extensions dropped from a file name.
const EXTENSIONS: &[&str] = &[
    "avi", "bmp", "dng", "gif", "heic", "heif", "jpeg", "jpg", "m4v", "mkv", "mov", "mp4", "png",
    "raw", "tif", "tiff", "webm", "webp",
];

// What lies before a token.
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

/// Normalises names and word lists (one at a time) to their letters alone.
#[derive(Default)]
struct Normaliser {
    norm: Vec<u8>,
    toks: Vec<Tok>,
    folds: Folds,
}

impl Normaliser {
    /// The normalised letters of `text`, separators dropped.
    fn letters(&mut self, text: &str) -> Vec<u8> {
        self.norm.clear();
        self.toks.clear();
        Lexer {
            norm: &mut self.norm,
            toks: &mut self.toks,
            folds: &mut self.folds,
            case_evidence: false,
            runs_on: true,
            gap: HARD,
            in_tok: false,
            lower: false,
        }
        .run(text);
        self.norm
            .iter()
            .copied()
            .filter(|&b| b != BARRIER)
            .collect()
    }
}

/// The tokeniser: appends the tokens of one string to `toks` and their
/// normalised letters to `norm`.
struct Lexer<'a> {
    norm: &'a mut Vec<u8>,
    toks: &'a mut Vec<Tok>,
    folds: &'a mut Folds,
    case_evidence: bool,
    /// The string continues the previous one (the next tag): no barrier.
    runs_on: bool,
    /// What the current gap holds so far.
    gap: u8,
    in_tok: bool,
    /// The last letter was not a capital.
    lower: bool,
}

impl Lexer<'_> {
    fn run(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphabetic() {
                self.letter(b.is_ascii_uppercase());
                push_ascii_letter(b, self.norm);
                i += 1;
            } else if b.is_ascii() {
                self.other(ASCII_GAP[usize::from(b)]);
                i += 1;
            } else {
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                i += c.len_utf8();
                self.char(c);
            }
        }
        if self.in_tok {
            self.end();
        }
        if let Some(last) = self.toks.last_mut() {
            last.after = self.gap | HARD;
        }
    }

    /// A character that is not ASCII, as [`Folds::units`] gives it.
    fn char(&mut self, c: char) {
        let (start, end) = self.folds.units(c);
        for k in start..end {
            match self.folds.units[k as usize] {
                Unit::Letter { upper, start, end } => {
                    self.letter(upper);
                    let bytes = &self.folds.bytes[start as usize..end as usize];
                    self.norm.extend_from_slice(bytes);
                }
                Unit::Other(flags) => self.other(flags),
            }
        }
    }

    fn letter(&mut self, upper: bool) {
        let after_lower = std::mem::replace(&mut self.lower, !upper);
        if self.in_tok {
            // Where capitals are evidence, a capital after a lower-case
            // letter starts a word too (`#GoAmy`, `TeamRoseWins`).
            if !(upper && after_lower && self.case_evidence) {
                return;
            }
            self.end();
        }
        let gap = self.gap;
        if gap & HARD != 0 && !self.runs_on && !self.norm.is_empty() {
            self.norm.push(BARRIER);
        }
        self.runs_on = true;
        if let Some(prev) = self.toks.last_mut() {
            if gap & HARD == 0 {
                prev.after = gap;
            }
        }
        let at = offset(self.norm.len());
        self.toks.push(Tok {
            start: at,
            end: at,
            gap,
            after: HARD,
            cap: self.case_evidence && upper,
        });
        self.gap = 0;
        self.in_tok = true;
    }

    fn other(&mut self, flags: u8) {
        if self.in_tok {
            self.end();
        }
        self.gap |= flags;
    }

    fn end(&mut self) {
        self.in_tok = false;
        if let Some(t) = self.toks.last_mut() {
            t.end = offset(self.norm.len());
            if t.start == t.end {
                // Letters that folded to nothing: as if they were not there.
                self.gap |= t.gap;
                self.toks.pop();
            }
        }
    }
}

/// What a character that is not ASCII stands for: its compatibility
/// decomposition (NFKC), less invisible characters and marks, each letter
/// folded. Working that out takes several table look-ups, and a text repeats
/// its characters, so each character is worked out once per field.
#[derive(Debug, Default, Clone)]
struct Folds {
    /// Each character seen: a range of `units`.
    seen: HashMap<char, (u32, u32)>,
    units: Vec<Unit>,
    /// The folded letters of the `units`.
    bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
enum Unit {
    /// A letter (written as a capital or not), folded to `bytes[start..end]`.
    Letter { upper: bool, start: u32, end: u32 },
    /// Not a letter: what it puts in a gap.
    Other(u8),
}

impl Folds {
    fn units(&mut self, c: char) -> (u32, u32) {
        if let Some(&range) = self.seen.get(&c) {
            return range;
        }
        let start = offset(self.units.len());
        if !is_invisible(c) {
            let mut parts = Vec::new();
            decompose_compatible(c, |d| parts.push(d));
            for d in parts {
                if is_combining_mark(d) || is_invisible(d) {
                    continue;
                }
                let unit = if let Some((letter, upper)) = letter_like(d) {
                    let at = offset(self.bytes.len());
                    push_ascii_letter(letter, &mut self.bytes);
                    Unit::Letter {
                        upper,
                        start: at,
                        end: offset(self.bytes.len()),
                    }
                } else if is_letter(d) {
                    let at = offset(self.bytes.len());
                    if d.is_ascii() {
                        push_ascii_letter(d as u8, &mut self.bytes);
                    } else {
                        fold(d, &mut self.bytes);
                    }
                    Unit::Letter {
                        upper: d.is_uppercase(),
                        start: at,
                        end: offset(self.bytes.len()),
                    }
                } else if d.is_ascii() {
                    Unit::Other(ASCII_GAP[d as usize])
                } else {
                    Unit::Other(gap_kind(d))
                };
                self.units.push(unit);
            }
        }
        let range = (start, offset(self.units.len()));
        self.seen.insert(c, range);
        range
    }
}

/// An ASCII letter, folded: lower case, then its skeleton (that of `m` is
/// `rn`; every other ASCII letter is its own, which a test checks).
fn push_ascii_letter(b: u8, out: &mut Vec<u8>) {
    match b.to_ascii_lowercase() {
        b'm' => out.extend_from_slice(b"rn"),
        l => out.push(l),
    }
}

/// Append a letter that is not ASCII: case-folded, without marks, letters
/// with a stroke folded by hand, then its confusables skeleton (ASCII in it
/// lower-cased as above). Where that is not Latin but the skeleton of the
/// letter as written, or of its capital, is (Cherokee `Ꭺ` lower-cases to a
/// letter the skeleton does not map; Cyrillic `м` is mapped only as `М`),
/// that Latin is taken.
fn fold(c: char, out: &mut Vec<u8>) {
    let at = out.len();
    fold_letter(c, out);
    // Only a letter with a case can have fallen between its cases.
    if out[at..].is_ascii() || !(c.is_lowercase() || c.is_uppercase()) {
        return;
    }
    let latin = |text: &str| {
        let skeleton: String = unicode_security::skeleton(text).collect();
        (!skeleton.is_empty() && skeleton.chars().all(|s| s.is_ascii_alphabetic()))
            .then_some(skeleton)
    };
    let upper: String = c.to_uppercase().collect();
    if let Some(skeleton) = latin(c.encode_utf8(&mut [0; 4])).or_else(|| latin(&upper)) {
        out.truncate(at);
        for s in skeleton.bytes() {
            push_ascii_letter(s, out);
        }
    }
}

/// [`fold`], by case, marks, strokes and skeleton alone.
fn fold_letter(c: char, out: &mut Vec<u8>) {
    let mut plain = String::new();
    // Upper then lower folds `ß`/`SS`, `ς`/`σ`, ligatures and the like.
    for u in c.to_uppercase() {
        for l in u.to_lowercase() {
            decompose_canonical(l, |e| {
                if !is_combining_mark(e) {
                    plain.push_str(base(e));
                    if base(e).is_empty() {
                        plain.push(e);
                    }
                }
            });
        }
    }
    for s in unicode_security::skeleton(&plain) {
        if is_combining_mark(s) {
            continue;
        }
        if s.is_ascii_alphabetic() {
            push_ascii_letter(s as u8, out);
        } else {
            let mut buf = [0; 4];
            out.extend_from_slice(s.encode_utf8(&mut buf).as_bytes());
        }
    }
}

/// Letters with a stroke or a ligature, which no decomposition splits; ""
/// for any other letter.
fn base(c: char) -> &'static str {
    match c {
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'ħ' => "h",
        'ŧ' => "t",
        'ı' => "i",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => "",
    }
}

/// Letter-like characters that no decomposition or skeleton takes to a
/// Latin letter, as (lower-case ASCII letter, written as a capital):
/// negative circled and negative squared Latin capitals (`🅐`, `🅰`),
/// regional indicator symbols (`🇦`), and small capitals (`ᴀ`, `ꜱ`). The
/// circled, squared and parenthesised letters decompose (NFKC) and are not
/// here. The table is by hand because no crate maps them.
fn letter_like(c: char) -> Option<(u8, bool)> {
    let from = |first: char| Some((b'a' + (c as u32 - first as u32) as u8, true));
    match c {
        '\u{1F150}'..='\u{1F169}' => from('\u{1F150}'),
        '\u{1F170}'..='\u{1F189}' => from('\u{1F170}'),
        '\u{1F1E6}'..='\u{1F1FF}' => from('\u{1F1E6}'),
        _ => SMALL_CAPITALS
            .iter()
            .find(|&&(small, _)| small == c)
            .map(|&(_, letter)| (letter, false)),
    }
}

/// Small capital letters (IPA, Phonetic Extensions, Latin Extended-D) and
/// the Latin letters they are.
const SMALL_CAPITALS: &[(char, u8)] = &[
    ('\u{1D00}', b'a'),
    ('\u{0299}', b'b'),
    ('\u{1D04}', b'c'),
    ('\u{1D05}', b'd'),
    ('\u{1D07}', b'e'),
    ('\u{A730}', b'f'),
    ('\u{0262}', b'g'),
    ('\u{029C}', b'h'),
    ('\u{026A}', b'i'),
    ('\u{1D0A}', b'j'),
    ('\u{1D0B}', b'k'),
    ('\u{029F}', b'l'),
    ('\u{1D0D}', b'm'),
    ('\u{0274}', b'n'),
    ('\u{1D0F}', b'o'),
    ('\u{1D18}', b'p'),
    ('\u{A7AF}', b'q'),
    ('\u{0280}', b'r'),
    ('\u{A731}', b's'),
    ('\u{1D1B}', b't'),
    ('\u{1D1C}', b'u'),
    ('\u{1D20}', b'v'),
    ('\u{1D21}', b'w'),
    ('\u{028F}', b'y'),
    ('\u{1D22}', b'z'),
];

/// Format characters (Unicode `Cf`) and default-ignorable code points:
/// text shows them as nothing, so they are dropped, not taken as separators.
fn is_invisible(c: char) -> bool {
    let mut buf = [0; 4];
    // The skeleton drops default-ignorable code points (UTS #39) and keeps
    // at least one character of anything else.
    FORMAT.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
        || unicode_security::skeleton(c.encode_utf8(&mut buf))
            .next()
            .is_none()
}

/// The format characters (Unicode 16, general category `Cf`) that are not
/// default-ignorable (those the skeleton drops itself).
const FORMAT: &[(char, char)] = &[
    ('\u{600}', '\u{605}'),
    ('\u{6DD}', '\u{6DD}'),
    ('\u{70F}', '\u{70F}'),
    ('\u{890}', '\u{891}'),
    ('\u{8E2}', '\u{8E2}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
];

fn is_letter(c: char) -> bool {
    !is_apostrophe(c) && !is_combining_mark(c) && c.is_alphabetic()
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}'
    )
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

/// A field's text decoded, where it is encoded and decoding changes it: a
/// file name's percent-encoding (`%41my%20Smith`, invalid UTF-8 replaced by
/// U+FFFD, which separates words); the HTML character references of a
/// caption or credits (`&#65;my`, `&#x53;mith`, `S&shy;mith`), should they
/// be shown as HTML.
fn decoded(field: Field, text: &str) -> Option<String> {
    let decoded = match field {
        Field::FileName if text.contains('%') => {
            percent_encoding::percent_decode_str(text).decode_utf8_lossy()
        }
        Field::Caption | Field::Credits if text.contains('&') => {
            html_escape::decode_html_entities(text)
        }
        _ => return None,
    };
    match decoded {
        std::borrow::Cow::Owned(decoded) => Some(decoded),
        std::borrow::Cow::Borrowed(_) => None,
    }
}

/// The text without its file extension(s).
fn strip_extension(mut text: &str) -> &str {
    while let Some(dot) = text.rfind('.') {
        let ext = &text[dot + 1..];
        if EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)) {
            text = &text[..dot];
        } else {
            break;
        }
    }
    text
}

/// The pairs of neighbouring letters of normalised text with the separators
/// dropped ([`NameIndex::for_texts`]), as a 4096-bit set.
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

    fn add(&mut self, letters: &[u8]) {
        for w in letters.windows(2) {
            let bit = Pairs::bit(w[0], w[1]);
            self.bits[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// Whether every pair of `letters` is in the set (and it has a letter).
    fn has(&self, letters: &[u8]) -> bool {
        !letters.is_empty()
            && letters.windows(2).all(|w| {
                let bit = Pairs::bit(w[0], w[1]);
                self.bits[bit / 64] & (1 << (bit % 64)) != 0
            })
    }
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters(s: &str) -> String {
        String::from_utf8(Normaliser::default().letters(s)).unwrap()
    }

    #[test]
    fn ascii_letters_fold_as_the_skeleton_does() {
        for b in (b'a'..=b'z').chain(b'A'..=b'Z') {
            let mut fast = Vec::new();
            push_ascii_letter(b, &mut fast);
            let lower = (b as char).to_ascii_lowercase().to_string();
            let skeleton: String = unicode_security::skeleton(&lower).collect();
            assert_eq!(String::from_utf8(fast).unwrap(), skeleton, "{}", b as char);
        }
    }

    #[test]
    fn folding() {
        for (input, want) in [
            ("Zoë", "zoe"),
            ("ZOË", "zoe"),
            ("Zoe\u{308}", "zoe"),
            ("José", "jose"),
            ("Søren", "soren"),
            ("Łukasz", "lukasz"),
            ("Straße", "strasse"),
            ("İlkay", "ilkay"),
            ("O'Neil", "oneil"),
            ("Amy", "arny"),
        ] {
            assert_eq!(letters(input), want, "{input:?}");
        }
        // Invisible, compatibility and look-alike forms are the letters.
        for amy in [
            "A\u{200B}my",
            "A\u{AD}my",
            "Ａｍｙ",
            "𝐀𝐦𝐲",
            "\u{410}my",
            "Am\u{FE0F}y",
        ] {
            assert_eq!(letters(amy), "arny", "{amy:?}");
        }
    }

    #[test]
    fn tokens_and_gaps() {
        let (mut norm, mut toks) = (Vec::new(), Vec::new());
        Lexer {
            norm: &mut norm,
            toks: &mut toks,
            folds: &mut Folds::default(),
            case_evidence: true,
            runs_on: false,
            gap: HARD,
            in_tok: false,
            lower: false,
        }
        .run("Well done, Rose! Amy Smith 12 May.");
        let words: Vec<&[u8]> = toks.iter().map(|t| t.text(&norm)).collect();
        let want: [&[u8]; 6] = [b"well", b"done", b"rose", b"arny", b"srnith", b"rnay"];
        assert_eq!(words, want);
        assert_eq!(toks[0].gap, HARD);
        assert_eq!(toks[2].gap, LIST);
        assert!(toks[2].cap && !toks[1].cap);
        assert_eq!(toks[3].gap, SENT);
        assert_eq!(toks[4].gap, 0);
        assert_eq!(toks[5].gap, DIGIT);
        assert_eq!(toks[5].after, PERIOD | HARD);
        // No barrier within one string, not even after the `!`: a sentence
        // end does not cut a full name (issue 21 review).
        assert!(!norm.contains(&BARRIER));
    }

    #[test]
    fn extension_dropped() {
        for (input, want) in [
            ("amy.smith.JPG", "amy.smith"),
            ("clip.mp4.mov", "clip"),
            ("notes.txt", "notes.txt"),
            ("amy.jpg.png", "amy"),
        ] {
            assert_eq!(strip_extension(input), want, "{input:?}");
        }
    }

    #[test]
    fn every_word_list_entry_is_a_word() {
        let vocab = Vocabulary::get();
        assert_eq!(vocab.word_names.len(), WORD_NAMES.len());
        assert!(MONTHS.iter().all(|m| WORD_NAMES.contains(m)));
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
    fn parts_are_letters_wherever_the_text_splits_them() {
        let ix = index(&[("Tom", "O'Neil")]);
        for text in ["o neil", "O'Neil", "ONeil", "O’Neil", "on eil"] {
            assert_eq!(
                hit(&ix, Field::Caption, text),
                Some((false, true)),
                "{text}"
            );
        }
        let ix = index(&[("Mary Ann", "Smith")]);
        for text in ["mary annsmith", "maryannsmith.jpg", "smithmary-ann.jpg"] {
            assert_eq!(
                hit(&ix, Field::FileName, text),
                Some((true, true)),
                "{text}"
            );
        }
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

    #[test]
    fn a_kept_index_is_rebuilt_for_another_roster() {
        let mut kept = KeptIndex::default();
        let amy = [PupilName {
            first: "Amy",
            last: "Smith",
        }];
        let tom = [PupilName {
            first: "Tom",
            last: "Jones",
        }];
        let find = |ix: &NameIndex, text| ix.find(Field::Caption, text);
        assert_eq!(find(kept.index_of(amy.iter().copied()), "Amy").len(), 1);
        assert!(find(kept.index_of(tom.iter().copied()), "Amy").is_empty());
        assert!(find(kept.index_of(tom.iter().copied()), "Tom Jones")[0].full());
    }

    #[test]
    fn a_roster_of_absurdly_long_names_names_everyone() {
        let long = "Abcdefghij".repeat(20_000);
        let ix = index_of_strings(&[(long.as_str(), "Smith"), ("Amy", "Jones")]);
        let hits = ix.find(Field::Caption, "Nothing to see");
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(NameHit::full));
    }

    fn index_of_strings(roster: &[(&str, &str)]) -> NameIndex {
        let names: Vec<PupilName<'_>> = roster
            .iter()
            .map(|&(first, last)| PupilName { first, last })
            .collect();
        NameIndex::new(&names)
    }

    #[test]
    fn a_roster_of_nested_names_stops_and_reports_everyone() {
        // Names that end in one another make the automaton report many
        // forms at every place: past the budget, everyone is named.
        let names: Vec<String> = (1..=200).map(|n| "a".repeat(n)).collect();
        let roster: Vec<PupilName<'_>> = names
            .iter()
            .map(|n| PupilName {
                first: n,
                last: "Zed",
            })
            .collect();
        let ix = NameIndex::new(&roster);
        let hits = ix.find(Field::Caption, &"a ".repeat(2000));
        assert_eq!(hits.len(), 200);
        assert!(hits.iter().all(NameHit::full));
    }
}
