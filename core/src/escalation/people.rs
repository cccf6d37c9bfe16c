//! Who holds which role, by the names a policy gives (SPEC §1.3: a concern
//! never reaches the person it is about, however the policy spells that
//! person's name).
//!
//! Only people in the school are ever kept from a concern by their name
//! ([`crate::vocab::Who::is_person_in_school`]): the headteacher, the
//! DSL and their deputies, the online-safety lead, the governors, the
//! network manager and the data protection officer. The police, the LADO,
//! children's social care, CEOP, the IWF, Prevent, a platform, the parents
//! and every other body outside the school are always told, whatever name a
//! policy gives them: a name shared with the subject must never take a
//! floor step (999 among them) away from them.
//!
//! A policy may give one person several roles (a headteacher who is also
//! the chair of a trust's committee) and spell the name differently each
//! time: "Mr Pat Head", "HEAD, Pat", "P. Head MBE", "Cllr Pat Head", with a
//! Cyrillic look-alike letter, or inside a title ("Chair of Governors (Pat
//! Head)"). Names are therefore compared as a person reads them, and the
//! comparison leans towards "the same person": matching too much only
//! hands a step to one more stand-in inside the school, matching too little
//! lets a concern reach the person it is about.
//!
//! The rule, on text normalised by [`fold`] (NFKC, invisible characters
//! dropped, case folded, accents dropped, a confusables skeleton):
//! - a name or title is split into **segments**, one per person it may
//!   name: at `and`, `&`, `+`, `|`, `;`, `/`, line breaks and brackets.
//!   A comma is not a separator: "Head, Pat" is surname, forename (a
//!   segment whose parts all have two words or more is also read as a list,
//!   "Charlotte Jepson, Paul White");
//! - inside a segment, words are split at spaces and punctuation
//!   (apostrophes join: "O'Head" is "ohead"), and titles and post-nominal
//!   letters ([`HONORIFICS`]) are dropped;
//! - the subject's **surname** is its last word, or its last two joined
//!   ("Head-Smith" and "HeadSmith"), or the part before a comma; its other
//!   words are its forenames;
//! - a candidate may be the subject when one of its segments holds the
//!   surname (as a word, or as consecutive words joined) and the segment's
//!   other words are compatible with the forenames: either side has none,
//!   or one of them begins with one of the other's ("P" and "Pat").

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_security::confusable_detection::skeleton;

/// Titles and post-nominal letters dropped from a name wherever they stand
/// ("Cllr Pat Head MBE", "Pat Head BEd NPQH").
pub const HONORIFICS: [&str; 62] = [
    // Titles.
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "master",
    "dr",
    "doctor",
    "prof",
    "professor",
    "sir",
    "dame",
    "rev",
    "revd",
    "reverend",
    "fr",
    "father",
    "sr",
    "sister",
    "br",
    "brother",
    "canon",
    "rabbi",
    "imam",
    "pastor",
    "lord",
    "lady",
    "cllr",
    "councillor",
    "hon",
    "rt",
    "pc",
    "dc",
    "ds",
    "di",
    "sgt",
    "insp", // Post-nominal letters.
    "mbe",
    "obe",
    "cbe",
    "kbe",
    "dbe",
    "frs",
    "ba",
    "bsc",
    "bed",
    "ma",
    "msc",
    "med",
    "mba",
    "phd",
    "dphil",
    "edd",
    "npqh",
    "npqsl",
    "npqml",
    "qts",
    "pgce",
    "hons",
    "jp",
    "dl",
    "esq",
];

/// One person a name may give: a surname and the forenames beside it
/// (possibly none, or only initials). A name yields several readings of
/// the same words, so that any of them matching counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    surname: String,
    forenames: Vec<String>,
}

/// What a role's contact says about who holds it: the people its `name`
/// gives, and the words of its name and title, by segment.
#[derive(Debug, Clone, Default)]
pub struct Holder {
    people: Vec<Person>,
    segments: Vec<Vec<String>>,
}

impl Holder {
    /// The holder of a contact with `name` (if any) and `title`.
    pub fn new(name: Option<&str>, title: &str) -> Holder {
        let mut holder = Holder::default();
        holder.add(name, title);
        holder
    }

    /// Adds what another contact for the same role says.
    pub fn add(&mut self, name: Option<&str>, title: &str) {
        if let Some(name) = name {
            self.people.extend(people(name));
            self.segments.extend(segments(name));
        }
        self.segments.extend(segments(title));
    }

    /// Whether the holder's contact names anyone.
    pub fn names_someone(&self) -> bool {
        !self.people.is_empty()
    }

    /// Whether two holders may be the same person: a person either's name
    /// gives is named in the other's name or title.
    pub fn may_be(&self, other: &Holder) -> bool {
        let named_in = |p: &Person, h: &Holder| h.segments.iter().any(|s| named(p, s));
        self.people.iter().any(|p| named_in(p, other))
            || other.people.iter().any(|p| named_in(p, self))
    }
}

/// A piece of a name: a word, a comma, or the end of one person.
#[derive(Debug, PartialEq)]
enum Piece {
    Word(String),
    Comma,
    Break,
}

/// A word as it is compared: its skeleton ([`skeleton`] drops invisible
/// characters and maps look-alike letters to one form), in lower case,
/// without accents. The skeleton is taken before and after lower-casing,
/// since look-alikes differ by case (Cyrillic "Н" looks like "H", its
/// small "н" like no Latin letter).
pub fn fold(word: &str) -> String {
    let lower: String = skeleton(word).flat_map(char::to_lowercase).collect();
    skeleton(&lower)
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a folded word is one of the [`HONORIFICS`], folded.
///
/// They are folded once, on first use: folding all of them again for every
/// word of every name made loading a preset four times slower (a school
/// preset took 1.95 ms, against SPEC §9's guard of 1 ms; BENCHMARKS.md,
/// 2026-12-06).
fn is_honorific(word: &str) -> bool {
    static FOLDED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FOLDED
        .get_or_init(|| HONORIFICS.iter().map(|h| fold(h)).collect())
        .iter()
        .any(|h| h == word)
}

/// Splits a name into words, commas and person breaks. The text is put in
/// NFKC first (fullwidth and styled letters become plain ones); invisible
/// characters and accents are dropped before words are split, and
/// separators are found before the skeleton is taken (it maps `|` to `l`).
fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.nfkc() {
        if c.is_alphanumeric() {
            word.push(c);
        } else if is_combining_mark(c) || matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`') {
            // Accents go with their letter; apostrophes join ("O'Head").
        } else if skeleton(&c.to_string()).next().is_none() {
            // Invisible (default-ignorable) characters change nothing.
        } else {
            end_word(&mut word, &mut out);
            match c {
                ',' => out.push(Piece::Comma),
                '&' | '+' | '|' | ';' | '/' | '\\' | '(' | ')' | '[' | ']' | '{' | '}' | '<'
                | '>' => out.push(Piece::Break),
                _ if c.is_whitespace() && !matches!(c, ' ' | '\t' | '\u{a0}') => {
                    out.push(Piece::Break)
                }
                _ => {}
            }
        }
    }
    end_word(&mut word, &mut out);
    out
}

/// Ends the word being read, if any, as a piece: a person break for
/// "and", nothing for an honorific.
fn end_word(word: &mut String, out: &mut Vec<Piece>) {
    if word.is_empty() {
        return;
    }
    let folded = fold(word);
    word.clear();
    if folded == "and" {
        out.push(Piece::Break);
    } else if !folded.is_empty() && !is_honorific(&folded) {
        out.push(Piece::Word(folded));
    }
}

/// The words of each segment of a name or title (commas dropped).
fn segments(text: &str) -> Vec<Vec<String>> {
    split_segments(pieces(text))
        .into_iter()
        .map(|parts| parts.into_iter().flatten().collect::<Vec<String>>())
        .filter(|words| !words.is_empty())
        .collect()
}

/// Pieces grouped by segment, each segment by comma-separated part.
fn split_segments(pieces: Vec<Piece>) -> Vec<Vec<Vec<String>>> {
    let mut out: Vec<Vec<Vec<String>>> = Vec::new();
    let mut segment: Vec<Vec<String>> = vec![vec![]];
    for piece in pieces {
        match piece {
            Piece::Word(w) => {
                if let Some(part) = segment.last_mut() {
                    part.push(w);
                }
            }
            Piece::Comma => segment.push(vec![]),
            Piece::Break => out.push(std::mem::replace(&mut segment, vec![vec![]])),
        }
    }
    out.push(segment);
    out
}

/// The people a name may give, in every reading ([`Person`]). Empty when
/// the name names nobody ("Mr", blank).
pub fn people(name: &str) -> Vec<Person> {
    let mut out = Vec::new();
    for segment in split_segments(pieces(name)) {
        let parts: Vec<Vec<String>> = segment.into_iter().filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => {}
            [words] => readings(words, &[], &mut out),
            [first, rest @ ..] => {
                // Surname, forenames.
                let forenames: Vec<String> = rest.iter().flatten().cloned().collect();
                readings(first, &forenames, &mut out);
                // Or a list of full names.
                for part in parts.iter().filter(|p| p.len() >= 2) {
                    readings(part, &[], &mut out);
                }
            }
        }
    }
    out
}

/// The readings of `words` whose surname ends them: the last word, and the
/// last two joined; every other word (and `more`) is a forename.
fn readings(words: &[String], more: &[String], out: &mut Vec<Person>) {
    for joined in 1..=words.len().min(2) {
        let (front, back) = words.split_at(words.len() - joined);
        let person = Person {
            surname: back.concat(),
            forenames: front.iter().chain(more).cloned().collect(),
        };
        if !out.contains(&person) {
            out.push(person);
        }
    }
}

/// Whether `segment` names `person`: it holds the surname (a word, or
/// consecutive words joined) and its other words fit the forenames.
fn named(person: &Person, segment: &[String]) -> bool {
    (0..segment.len()).any(|start| {
        let mut joined = String::new();
        (start..segment.len()).any(|end| {
            joined.push_str(&segment[end]);
            joined == person.surname && {
                let others: Vec<&String> =
                    segment[..start].iter().chain(&segment[end + 1..]).collect();
                compatible(&person.forenames, &others)
            }
        })
    })
}

/// Forenames fit when either side has none, or one word of each begins
/// with the other ("P" and "Pat", "Pat" and "Patricia").
fn compatible(forenames: &[String], others: &[&String]) -> bool {
    forenames.is_empty()
        || others.is_empty()
        || forenames.iter().any(|f| {
            others
                .iter()
                .any(|o| f.starts_with(o.as_str()) || o.starts_with(f.as_str()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        Holder::new(Some(a), "").may_be(&Holder::new(Some(b), ""))
    }

    #[test]
    fn spellings_of_one_name_are_one_person() {
        for spelling in [
            "Mr Pat Head",
            "mr  pat head ",
            "Dr. Pat Head",
            "PAT HEAD",
            "Pat\u{200b}Head",
            "Pat\u{ad}Head",
            "Pát Héad",
            "Ｐａｔ Ｈｅａｄ",
            "Mrs Pat-Head",
            "PatHead",
            "Head, Pat",
            "HEAD Pat",
            "P. Head",
            "Pat Head MBE",
            "Pat Head BEd NPQH",
            "Pat Head (Headteacher)",
            "Cllr Pat Head",
            "Fr Pat Head",
            "Pat Head + Sam Smith",
            "Pat Head|Sam Smith",
            "Pat Head\nSam Smith",
            "Sam Smith; Pat Head",
            "P\u{430}t Head",
            "Pat \u{41d}ead",
            "Mr Head",
        ] {
            assert!(same("Pat Head", spelling), "{spelling}");
            assert!(same(spelling, "Pat Head"), "{spelling} (other way)");
        }
        for other in [
            "Pat Heads",
            "Sam Head",
            "Sam Smith",
            "Pat Jones",
            "Deputy Head",
        ] {
            assert!(!same("Pat Head", other), "{other}");
        }
    }

    #[test]
    fn a_name_in_a_title_is_caught() {
        let head = Holder::new(Some("Pat Head"), "Headteacher");
        let chair = Holder::new(None, "Chair of Governors (Pat Head)");
        assert!(head.may_be(&chair));
        assert!(chair.may_be(&head));
        let deputy = Holder::new(None, "Deputy Head");
        assert!(!head.may_be(&deputy));
    }

    #[test]
    fn several_people_in_one_role() {
        assert!(same("Mr Paul White", "Charlotte Jepson and Paul White"));
        assert!(same("Charlotte Jepson, Paul White", "Paul White"));
        assert!(same("Ms A Smith & Mr B Jones", "Bob Jones"));
        assert!(!same("Ms A Smith & Mr B Jones", "Carl Jones"));
        // "and" inside a name is not a separator.
        assert!(same("Andrea Sandford", "andrea sandford"));
        assert!(!same("Andrea Sandford", "Sandra Anderson"));
        assert!(people("Mr").is_empty());
        assert!(people("  ").is_empty());
        assert!(people("\u{200b}").is_empty());
    }
}
