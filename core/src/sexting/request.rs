//! The sexting request: the incident date, the young people involved and
//! the facts known so far, each `yes`, `no` or `unknown`.
//!
//! The request has no field for the imagery: the engine never sees it.

use crate::civil::Date;
use crate::error::{Error, Location, Result};
use crate::vocab::Tri;

/// Age from which a party is an adult.
pub const ADULT_AGE: u32 = 18;
/// Criterion 4 concerns a child in the imagery under this age.
pub const CRITERION_4_AGE: u32 = 13;
/// Oldest age accepted for a party.
pub const MAX_AGE: u32 = 120;

crate::wire::json_in::wire_struct! {
    /// A sexting request (vocabulary: `sexting`).
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct SextingRequest {
        envelope(SextingDomain, "sexting"),
        /// The day of the incident: ages are computed on this day.
        required incident_date: Date,
        /// The young people involved, by the caller's ids.
        required young_people: Vec<YoungPerson>,
        /// What is known so far; omitted facts are `unknown`.
        default facts: SextingFacts,
        /// When it was reported to staff (local school time), for the due times
        /// of the plan's steps; without it the plan has deadlines only.
        optional reported_at: Option<crate::civil::LocalDateTime>,
    }
}

crate::vocab::tokens! {
    /// The only domain token a sexting request may carry.
    pub enum SextingDomain {
        Sexting = "sexting",
    }
}

crate::wire::json_in::wire_struct! {
    /// A young person involved in the incident.
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct YoungPerson {
        /// The caller's id; the only way a response refers to this person.
        required id: String,
        /// Age in whole years on the incident date.
        optional age: Option<u32>,
        /// Date of birth; the age is computed from it at the incident date.
        optional date_of_birth: Option<Date>,
        /// Special educational needs or other additional needs.
        optional additional_needs: Option<bool>,
        /// Their part in the incident.
        required role: PartyRole,
    }
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

crate::wire::json_in::wire_struct! {
    /// The facts of the case, each `yes`, `no` or `unknown` (omitted).
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct SextingFacts {
        /// Any party aged 18 or over is involved.
        default adult_involved: Tri,
        /// Someone coerced, blackmailed or groomed a young person (criterion 2).
        default coercion_blackmail_or_grooming: Tri,
        /// Sextortion; always coercion.
        default financially_motivated_extortion: Tri,
        /// E.g. owing to special educational needs.
        default capacity_to_consent_concern: Tri,
        /// The content shows sexual acts unusual for the young person's
        /// developmental stage (criterion 3).
        default content_atypical_for_development: Tri,
        /// The content shows violent acts (criterion 3).
        default content_violent: Tri,
        /// The content shows sexual acts (criterion 4, with a subject under 13).
        default content_sexual_acts: Tri,
        /// In scope and treated as real imagery.
        default ai_generated_or_manipulated: Tri,
        /// E.g. presenting as suicidal or self-harming.
        default immediate_risk_of_harm: Tri,
        /// The imagery has been shared widely.
        default shared_widely: Tri,
        /// There have been previous incidents (an initial-review question).
        default previous_incidents: Tri,
        /// Telling the parents or carers would put the child at risk: when `yes`,
        /// the plan leaves out informing them.
        default parental_involvement_would_risk_child: Tri,
    }
}

impl SextingRequest {
    /// Checks what the types cannot: unique ids, plausible ages, a date of
    /// birth before the incident that agrees with any age given.
    pub fn validate(&self) -> Result<()> {
        let repeat =
            crate::wire::envelope::first_repeat(self.young_people.iter().map(|p| p.id.as_str()));
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
