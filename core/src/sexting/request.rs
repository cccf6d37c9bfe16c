//! The sexting request: the incident date, the young people involved and
//! the facts known so far, each `yes`, `no` or `unknown`.
//!
//! The request has no field for the imagery: the engine never sees it.

use crate::civil::Date;
use crate::envelope::SchemaVersion;
use crate::error::{Error, Location, Result};
use crate::vocab::Tri;
use serde::{Deserialize, Serialize};

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
    /// of the plan's steps; without it the plan has deadlines only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<crate::civil::LocalDateTime>,
}

crate::vocab::tokens! {
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

crate::vocab::tokens! {
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
    /// Someone coerced, blackmailed or groomed a young person (criterion 2).
    pub coercion_blackmail_or_grooming: Tri,
    /// Sextortion; always coercion.
    pub financially_motivated_extortion: Tri,
    /// E.g. owing to special educational needs.
    pub capacity_to_consent_concern: Tri,
    /// The content shows sexual acts unusual for the young person's
    /// developmental stage (criterion 3).
    pub content_atypical_for_development: Tri,
    /// The content shows violent acts (criterion 3).
    pub content_violent: Tri,
    /// The content shows sexual acts (criterion 4, with a subject under 13).
    pub content_sexual_acts: Tri,
    /// In scope and treated as real imagery.
    pub ai_generated_or_manipulated: Tri,
    /// E.g. presenting as suicidal or self-harming.
    pub immediate_risk_of_harm: Tri,
    /// The imagery has been shared widely.
    pub shared_widely: Tri,
    /// There have been previous incidents (an initial-review question).
    pub previous_incidents: Tri,
    /// Telling the parents or carers would put the child at risk: when `yes`,
    /// the plan leaves out informing them.
    pub parental_involvement_would_risk_child: Tri,
}

impl SextingRequest {
    /// Checks what the types cannot: unique ids, plausible ages, a date of
    /// birth before the incident that agrees with any age given.
    pub fn validate(&self) -> Result<()> {
        let repeat = crate::envelope::first_repeat(self.young_people.iter().map(|p| p.id.as_str()));
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
                    message: "an earlier young person has the same id".into(),
                });
            }
            if let Some(age) = person.age {
                if age > MAX_AGE {
                    return Err(Error::InvalidValue {
                        at: at("age"),
                        message: format!("an age over {MAX_AGE}"),
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
                            message: "the age disagrees with the age the date of birth gives on the incident date".into(),
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
