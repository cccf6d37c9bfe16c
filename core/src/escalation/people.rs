//! Who holds which role, by the names a policy gives (SPEC §1.3: a concern
//! never reaches the person it is about, however the policy spells that
//! person's name).
//!
//! A policy may give one person several roles (a headteacher who is also
//! the DSL) and spell the name differently each time: "Mr Pat Head" and
//! "mr  pat head ". Names are therefore compared as a person reads them:
//! compatibility forms and accents folded, case ignored, spacing and
//! punctuation ignored (so "Head-Smith", "Head Smith" and "HeadSmith" are
//! one name, and an invisible character inside a name changes nothing), and
//! leading titles dropped ([`TITLES`]). A role may name several people
//! ("Charlotte Jepson and Paul White"): two roles are held by the same
//! person when they share any one of them. Matching too much only keeps a
//! concern from one more role, so the comparison leans that way.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Titles dropped from the front of a name.
pub const TITLES: [&str; 16] = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "doctor",
    "prof",
    "professor",
    "sir",
    "dame",
    "rev",
    "revd",
    "reverend",
    "lord",
    "lady",
];

/// The people a role's `name` gives, each as a key that is equal for two
/// spellings of the same name. Empty when the name names nobody.
pub fn people(name: &str) -> Vec<String> {
    let folded: String = name
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut out = Vec::new();
    // Several people are joined by "and", "&", a comma, a semicolon or a
    // slash.
    for part in folded.split(['&', ',', ';', '/']) {
        let mut key = String::new();
        let mut leading = true;
        for word in part.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() || leading && TITLES.contains(&word) {
                continue;
            }
            if word == "and" {
                push_person(&mut out, std::mem::take(&mut key));
                leading = true;
                continue;
            }
            leading = false;
            key.push_str(word);
        }
        push_person(&mut out, key);
    }
    out
}

fn push_person(out: &mut Vec<String>, key: String) {
    if !key.is_empty() && !out.contains(&key) {
        out.push(key);
    }
}

/// Whether two roles' names give a person in common.
pub fn share_someone(a: &[String], b: &[String]) -> bool {
    a.iter().any(|person| b.contains(person))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_are_one_person() {
        let key = people("Pat Head");
        assert_eq!(key, ["pathead"]);
        for spelling in [
            "Mr Pat Head",
            "mr  pat head ",
            "Dr. Pat Head",
            "PAT HEAD",
            "Pat\u{200b}Head",
            "Pát Héad",
            "Ｐａｔ Ｈｅａｄ",
            "Mrs Pat-Head",
        ] {
            assert_eq!(people(spelling), key, "{spelling}");
        }
        assert_ne!(people("Pat Heads"), key);
        assert_ne!(people("Sam Head"), key);
    }

    #[test]
    fn several_people_in_one_role() {
        assert_eq!(
            people("Charlotte Jepson and Paul White"),
            ["charlottejepson", "paulwhite"]
        );
        assert_eq!(people("Ms A Smith & Mr B Jones"), ["asmith", "bjones"]);
        assert!(share_someone(
            &people("Mr Paul White"),
            &people("Charlotte Jepson and Paul White")
        ));
        // "and" inside a name is not a separator.
        assert_eq!(people("Andrea Sandford"), ["andreasandford"]);
        assert!(people("Mr").is_empty());
        assert!(people("  ").is_empty());
    }
}
