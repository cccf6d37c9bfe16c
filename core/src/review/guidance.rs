//! What national guidance has changed, and when: the table an annual
//! review holds a policy's date against.
//!
//! A school's policy is written once and reviewed each year; national
//! guidance moves in between. The baseline (`core/presets/00-baseline.toml`)
//! encodes the guidance in force today, but not *when* each part of it
//! arrived, and that is what a governor reviewing a 2017 policy needs: "what
//! has changed since we wrote this, and does our text say anything about
//! it?". So each change is one entry of [`CHANGES`]: the date it took
//! effect, its title and source document, what it asks of a school in plain
//! words, the baseline rules that carry it today, and the phrases whose
//! presence in a school's own text shows the school has written about that
//! topic.
//!
//! A const table, not a TOML file compiled at build time: it is short,
//! every field is a string, and the unit tests below check what a build
//! step would (every date reads, every carrying rule is a baseline rule,
//! every phrase is lower case). Where each date comes from:
//!
//! - Children and Families Act 2014 s.100, in force 1 September 2014;
//!   Children's Wellbeing and Schools Act 2026 s.36, in force 29 June 2026;
//!   UKCIS *Sharing nudes and semi-nudes*, updated 11 March 2024; DfE
//!   *Mobile phones in schools*, published 19 February 2024 and updated
//!   19 January 2026; *Guidance for safer working practice*, 2019 revision
//!   notified to schools in June 2019 (its sections 12 and 24 among those
//!   revised); Prevent duty guidance (2023), in force 31 December 2023: all
//!   from `tests/citations/national.toml` and the baseline's header.
//! - KCSIE 2021 in force 1 September 2021, with its new guidance on
//!   low-level concerns about staff (Part four, section two, whose heading
//!   `national.toml` records as checked from the 2021 edition): the DfE's
//!   own dates as reported by Norfolk County Council's notice to schools
//!   (MI sheet 124/21, 9 July 2021) and the NDNA's summary of KCSIE 2021.
//! - UK GDPR (then the GDPR), applying from 25 May 2018, with breach
//!   notification to the ICO within 72 hours (Article 33, whose title
//!   `national.toml` records): the UK Safer Internet Centre's "GDPR's first
//!   anniversary" article for schools (SWGfL, 2019).
//!
//! Left out on purpose: KCSIE 2025 and 2026 (the baseline cites KCSIE 2026,
//! but what either edition changed for the rules here was not read), the
//! 2020 edition of the UKCIS advice (its change from the 2016 advice, beyond
//! its name, was not read), and DfE *Searching, screening and confiscation*
//! (2022), which no baseline rule carries.

use crate::civil::MONTH_NAMES as MONTHS;
use serde::Serialize;

/// One change in national guidance (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
#[non_exhaustive]
pub struct GuidanceChange {
    /// A stable id for programs (`ukcis-2024-ai-imagery`); never shown to
    /// a reader.
    pub id: &'static str,
    /// The date the change took effect: `YYYY-MM-DD`, or `YYYY-MM` where
    /// only the month is known.
    pub took_effect: &'static str,
    /// What changed, as a heading.
    pub title: &'static str,
    /// The document, by its title, body and edition.
    pub source: &'static str,
    /// What it asks of a school, in plain words.
    pub what_changed: &'static str,
    /// The baseline rules that carry it today.
    pub carried_by: &'static [&'static str],
    /// Lower-case phrases, each matched as whole words, whose presence in
    /// a policy's own text shows it covers the topic.
    #[serde(skip)]
    pub phrases: &'static [&'static str],
}

/// Every change, oldest first.
pub const CHANGES: &[GuidanceChange] = &[
    GuidanceChange {
        id: "children-and-families-act-2014-medical",
        took_effect: "2014-09-01",
        title: "Supporting pupils with medical conditions",
        source: "Children and Families Act 2014, section 100 (in force 1 September 2014)",
        what_changed: "Schools must support pupils with medical conditions: a pupil whose medical needs require a phone or other device (for example a glucose-monitoring app) keeps it where that need applies, whatever the school's rules on devices say.",
        carried_by: &["devices.floor.medical_or_send_need"],
        phrases: &["medical", "medical condition", "medical conditions"],
    },
    GuidanceChange {
        id: "uk-gdpr-2018-breaches",
        took_effect: "2018-05-25",
        title: "Data protection: reporting personal-data breaches",
        source: "UK GDPR (the GDPR, applying from 25 May 2018), Article 33",
        what_changed: "A personal-data breach likely to put people at risk must be reported to the Information Commissioner's Office within 72 hours, so it reaches the data protection officer at once.",
        carried_by: &["escalation.data_breach"],
        phrases: &["gdpr", "data breach", "personal data breach", "personal-data breach", "data protection officer", "72 hours"],
    },
    GuidanceChange {
        id: "safer-working-practice-2019",
        took_effect: "2019-06",
        title: "Staff use of technology and photographs of pupils",
        source: "Safer Recruitment Consortium, Guidance for safer working practice, 2019 revision (notified to schools June 2019), sections 12 and 24",
        what_changed: "The guidance for adults working with children was revised on communicating with children through technology and on photographs and videos: staff use the school's equipment, never their own devices, to photograph pupils or to contact pupils and their families.",
        carried_by: &[
            "devices.floor.staff_never_photograph_pupils_on_personal_devices",
            "devices.floor.staff_never_contact_from_personal_devices",
            "images.floor.personal_device",
        ],
        phrases: &["safer working practice"],
    },
    GuidanceChange {
        id: "kcsie-2021-low-level-concerns",
        took_effect: "2021-09-01",
        title: "Low-level concerns about staff",
        source: "Keeping children safe in education 2021 (DfE), Part four, section two (in force 1 September 2021)",
        what_changed: "A concern about an adult in school that does not meet the harm threshold (a low-level concern) is shared with the headteacher, recorded and dealt with in school, not referred to the local authority designated officer.",
        carried_by: &["escalation.floor.low_level_concern"],
        phrases: &["low-level concern", "low-level concerns", "low level concern", "low level concerns", "harm threshold"],
    },
    GuidanceChange {
        id: "prevent-2023",
        took_effect: "2023-12-31",
        title: "Prevent duty guidance revised",
        source: "Home Office, Prevent duty guidance: England and Wales (2023), published 7 September 2023, in force 31 December 2023",
        what_changed: "The guidance on the duty to stop people being drawn into terrorism was revised. A concern that a child may be being radicalised reaches the designated safeguarding lead the same day, who considers a referral to Prevent.",
        carried_by: &["escalation.floor.radicalisation"],
        phrases: &["prevent duty", "prevent referral", "prevent officer", "radicalisation", "radicalised", "radicalization", "extremism", "extremist"],
    },
    GuidanceChange {
        id: "dfe-phones-2024",
        took_effect: "2024-02-19",
        title: "Mobile phones: a phone-free school day",
        source: "DfE, Mobile phones in schools: guidance for schools on prohibiting the use of mobile phones throughout the school day (published 19 February 2024)",
        what_changed: "Schools should stop pupils using mobile phones throughout the school day, breaks and lunch included, not only in lessons.",
        carried_by: &["devices.pupils.phone_free_school_day"],
        phrases: &["phone-free", "phone free", "throughout the school day", "whole school day", "breaks and lunch", "break and lunch", "break times and lunch"],
    },
    GuidanceChange {
        id: "ukcis-2024-ai-imagery",
        took_effect: "2024-03-11",
        title: "AI-generated and altered nude images",
        source: "UKCIS, Sharing nudes and semi-nudes: advice for education settings working with children and young people (updated 11 March 2024)",
        what_changed: "Nude or semi-nude images made or altered with artificial intelligence are handled exactly as real images; the child shown consented to nothing and is supported as a victim.",
        carried_by: &["sexting.floor.ai_generated_imagery_in_scope", "sexting.floor.action.support_victim"],
        phrases: &["ai", "ai-generated", "ai generated", "artificial intelligence", "deepfake", "deepfakes", "deep fake", "manipulated", "computer-generated", "computer generated", "digitally altered"],
    },
    GuidanceChange {
        id: "ukcis-2024-sextortion",
        took_effect: "2024-03-11",
        title: "Sextortion: financially motivated sexual extortion",
        source: "UKCIS, Sharing nudes and semi-nudes: advice for education settings working with children and young people (updated 11 March 2024)",
        what_changed: "A young person blackmailed for money after sharing an image is a victim of abuse and the case is referred at once: they stop contact and do not pay, the school reports to CEOP, and the child is shown the Report Remove service.",
        carried_by: &[
            "sexting.floor.financially_motivated_extortion",
            "sexting.floor.action.stop_contact_do_not_pay",
            "sexting.floor.action.report_to_ceop",
            "sexting.floor.action.report_remove",
        ],
        phrases: &["sextortion", "sexual extortion", "financially motivated", "report remove", "do not pay"],
    },
    GuidanceChange {
        id: "dfe-phones-2026",
        took_effect: "2026-01-19",
        title: "Mobile phones: the January 2026 revision",
        source: "DfE, Mobile phones in schools (updated 19 January 2026)",
        what_changed: "As revised, the guidance makes schools phone-free by default for the whole school day, smartwatches included; it names reasonable adjustments for medical needs, special educational needs and young carers; and staff do not use their own phones in front of pupils except in an emergency.",
        carried_by: &[
            "devices.pupils.young_carer_exception",
            "devices.staff.no_personal_phone_use_in_front_of_pupils",
        ],
        phrases: &["young carer", "young carers", "smartwatch", "smartwatches", "smart watch", "smart watches", "in front of pupils"],
    },
    GuidanceChange {
        id: "cwsa-2026-phones",
        took_effect: "2026-06-29",
        title: "The phones guidance now carries the weight of law",
        source: "Children's Wellbeing and Schools Act 2026, section 36, inserting section 550C into the Education Act 1996 (in force 29 June 2026)",
        what_changed: "Head teachers must have regard to the Secretary of State's guidance on pupils' phones during school hours on school premises; devices the school provides for pupils are outside it.",
        carried_by: &["devices.pupils.school_devices_for_learning", "devices.pupils.phone_free_school_day"],
        phrases: &["children's wellbeing and schools act", "550c", "have regard"],
    },
];

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Precision {
    /// The day is known.
    Day,
    /// Only the month.
    Month,
    /// Only the year.
    Year,
}

/// A date read from text, at its earliest: `2017-09` is 1 September 2017.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dated {
    pub(crate) date: chrono::NaiveDate,
    pub(crate) precision: Precision,
}

impl Dated {
    /// The date in words, as precisely as it is known: "11 March 2024",
    /// "June 2019", "the start of 2017" (a year alone, read from 1 January).
    pub(crate) fn words(self) -> String {
        use chrono::Datelike;
        let month = MONTHS[self.date.month0() as usize];
        match self.precision {
            Precision::Day => format!("{} {month} {}", self.date.day(), self.date.year()),
            Precision::Month => format!("{month} {}", self.date.year()),
            Precision::Year => format!("the start of {}", self.date.year()),
        }
    }
}

/// A number of exactly `len` ASCII digits.
fn digits(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The earliest date `text` can mean, read as a policy's version is
/// written: `YYYY-MM-DD`, `YYYY-MM` or `YYYY.MM` (a month), `YYYY-YY` or
/// `YYYY/YY` (an academic year, read from 1 January of its first year,
/// the earliest it can have been written), `YYYY`; or, anywhere in the
/// text, a month named in full before a year ("September 2017") or a
/// year alone. Where a text can be read two ways (`2011-12`: December
/// 2011, or the year 2011-12) the earlier wins, so a review never leaves
/// out a change the policy may have been written before. Years outside
/// 1900-2200 are not dates.
pub(crate) fn earliest_date(text: &str) -> Option<Dated> {
    let mut best: Option<Dated> = None;
    let mut keep = |d: Dated| {
        if best.map_or(true, |b| d.date < b.date) {
            best = Some(d);
        }
    };
    let year_ok = |y: u32| (1900..=2200).contains(&y);
    let ymd = |y: u32, m: u32, d: u32| {
        i32::try_from(y)
            .ok()
            .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, m, d))
    };
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/')))
        .filter(|w| !w.is_empty())
        .collect();
    let mut i = 0;
    while i < words.len() {
        let word = words[i].trim_end_matches(['.', '-', '/']);
        i += 1;
        // A month named in full, then a year: the year is read with it.
        if let Some(m) = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(word)) {
            let next = words
                .get(i)
                .and_then(|w| digits(w, 4))
                .filter(|&y| year_ok(y));
            if let Some(date) = next.and_then(|y| ymd(y, m as u32 + 1, 1)) {
                keep(Dated {
                    date,
                    precision: Precision::Month,
                });
                i += 1;
            }
            continue;
        }
        let parts: Vec<&str> = word.split(['-', '.', '/']).collect();
        let Some(year) = parts
            .first()
            .and_then(|p| digits(p, 4))
            .filter(|&y| year_ok(y))
        else {
            continue;
        };
        let year_start = ymd(year, 1, 1).map(|date| Dated {
            date,
            precision: Precision::Year,
        });
        match parts.as_slice() {
            [_] => year_start.into_iter().for_each(&mut keep),
            [_, second] => {
                let second = digits(second, 2);
                if let Some(date) = second
                    .filter(|m| (1..=12).contains(m))
                    .and_then(|m| ymd(year, m, 1))
                {
                    keep(Dated {
                        date,
                        precision: Precision::Month,
                    });
                }
                if second == Some((year + 1) % 100) {
                    year_start.into_iter().for_each(&mut keep);
                }
            }
            [_, m, d] => {
                if let Some(date) = digits(m, 2)
                    .zip(digits(d, 2))
                    .and_then(|(m, d)| ymd(year, m, d))
                {
                    keep(Dated {
                        date,
                        precision: Precision::Day,
                    });
                }
            }
            _ => {}
        }
    }
    best
}

impl GuidanceChange {
    /// The date the change took effect (the table's dates are checked by
    /// the tests below; one that did not read would be `None`, and the
    /// change then counts as later than any policy).
    pub(crate) fn took_effect(&self) -> Option<Dated> {
        earliest_date(self.took_effect)
    }
}

/// Whether `phrase` (lower case) occurs in `text` (lower case) as whole
/// words: not inside a longer word, so "ai" is not found in "said".
pub(crate) fn has_phrase(text: &str, phrase: &str) -> bool {
    let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(phrase).any(|(at, _)| {
        !word_char(text[..at].chars().next_back())
            && !word_char(text[at + phrase.len()..].chars().next())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    #[test]
    fn every_date_reads_and_the_table_is_in_order() {
        let mut last = None;
        for change in CHANGES {
            let Some(d) = change.took_effect() else {
                panic!("{}: its date does not read", change.id)
            };
            assert!(
                last.map_or(true, |l| l <= d.date),
                "{} is out of order",
                change.id
            );
            last = Some(d.date);
        }
    }

    #[test]
    fn every_change_is_carried_by_baseline_rules_and_has_phrases() {
        let baseline = Engine::from_preset("baseline").expect("the baseline loads");
        let p = baseline.policy();
        let ids: Vec<&str> = (p.sexting.rules.iter().map(|r| r.id.as_str()))
            .chain(p.sexting.actions.iter().map(|r| r.id.as_str()))
            .chain(p.devices.rules.iter().map(|r| r.id.as_str()))
            .chain(p.images.rules.iter().map(|r| r.id.as_str()))
            .chain(p.escalation.rules.iter().map(|r| r.id.as_str()))
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for change in CHANGES {
            assert!(seen.insert(change.id), "{} twice", change.id);
            assert!(!change.carried_by.is_empty(), "{}", change.id);
            for rule in change.carried_by {
                assert!(
                    ids.contains(rule),
                    "{}: {rule} is not a baseline rule",
                    change.id
                );
            }
            assert!(!change.phrases.is_empty(), "{}", change.id);
            for phrase in change.phrases {
                assert_eq!(*phrase, phrase.to_lowercase(), "{}", change.id);
            }
        }
    }

    #[test]
    fn a_date_reads_at_its_earliest() {
        let read = |s: &str| earliest_date(s).map(|d| (d.date.to_string(), d.precision));
        let day = |s: &str| Some((s.to_string(), Precision::Day));
        let month = |s: &str| Some((s.to_string(), Precision::Month));
        let year = |s: &str| Some((s.to_string(), Precision::Year));
        assert_eq!(read("2017-09"), month("2017-09-01"));
        assert_eq!(read("2026.11"), month("2026-11-01"));
        assert_eq!(read("2024-03-11"), day("2024-03-11"));
        assert_eq!(read("2017-18"), year("2017-01-01"));
        assert_eq!(read("2011-12"), year("2011-01-01"));
        assert_eq!(read("2019"), year("2019-01-01"));
        assert_eq!(read("Reviewed September 2017"), month("2017-09-01"));
        assert_eq!(read("v3, May 2020, reviewed 2021"), month("2020-05-01"));
        assert_eq!(read("2017-13"), None);
        assert_eq!(read("v2"), None);
        assert_eq!(read("1066"), None);
        assert_eq!(read("2024-02-30"), None);
        assert_eq!(read(""), None);
    }

    #[test]
    fn a_phrase_is_found_only_as_whole_words() {
        assert!(has_phrase("made with ai.", "ai"));
        assert!(!has_phrase("as the dsl said", "ai"));
        assert!(has_phrase(
            "a low-level concern is recorded",
            "low-level concern"
        ));
        assert!(!has_phrase("ai-generated", "generated images"));
        assert!(has_phrase("ai-generated imagery", "ai-generated"));
    }
}
