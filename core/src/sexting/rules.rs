//! The sexting section of a policy: its decision rules, the steps a case
//! requires, and the initial-review checklist.

use crate::contacts::Contacts;
use crate::vocab::{ActionToken, Cite, Criterion, Deadline, Outcome, Referral, Token, Who};

crate::json_in::wire_struct! {
    /// The sexting rule table.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct SextingSection {
        /// Ids of inherited rules to drop (never a floor rule).
        list remove: Vec<String>,
        /// Decision rules: when a condition holds, the outcome it requires.
        default rules: Vec<SextingRule>,
        /// Steps to take, with who and by when.
        default actions: Vec<SextingAction>,
        /// The DSL's initial-review checklist.
        default checklist: Vec<ChecklistEntry>,
    }
}

/// What a sexting rule or action is triggered by: one of the
/// immediate-referral criteria, or another [`Trigger`]. On the wire each
/// is its token (`adult_involved`, `always`): a criterion is spelled by
/// [`Criterion`] alone, so the two cannot drift apart.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum When {
    /// An immediate-referral criterion holds.
    Criterion(Criterion),
    /// Another condition, or (actions only) an outcome.
    Trigger(Trigger),
}

crate::vocab::tokens! {
    /// What else than a criterion a sexting rule or action is triggered by.
    pub enum Trigger {
        /// No criterion holds and at least one is unknown.
        CriterionUnknown = "criterion_unknown",
        /// Every criterion is known not to hold.
        NoCriterionHolds = "no_criterion_holds",
        // Facts that add reasons and actions.
        FinanciallyMotivatedExtortion = "financially_motivated_extortion",
        AiGeneratedOrManipulated = "ai_generated_or_manipulated",
        ParentalInvolvementWouldRiskChild = "parental_involvement_would_risk_child",
        /// Telling the parents is known not to put the child at risk (the
        /// fact is `no`, not unknown).
        ParentalInvolvementKnownSafe = "parental_involvement_known_safe",
        // For actions only: every case, or by outcome.
        Always = "always",
        /// The outcome is `refer_immediately` or stronger.
        ReferImmediately = "refer_immediately",
        ChildSexualAbuse = "child_sexual_abuse",
        NeedMoreInformation = "need_more_information",
        DslMayManageInSchool = "dsl_may_manage_in_school",
    }
}

/// How many conditions a policy may name: the criteria and the triggers.
const CONDITIONS: usize = Criterion::ALL.len() + Trigger::ALL.len();

impl When {
    /// Every condition a policy may name: the criteria, then the triggers.
    pub const ALL: &'static [When] = &{
        let mut all = [When::Trigger(Trigger::Always); CONDITIONS];
        let mut i = 0;
        while i < CONDITIONS {
            all[i] = match i.checked_sub(Criterion::ALL.len()) {
                None => When::Criterion(Criterion::ALL[i]),
                Some(t) => When::Trigger(Trigger::ALL[t]),
            };
            i += 1;
        }
        all
    };

    /// The wire token.
    pub fn as_str(self) -> &'static str {
        match self {
            When::Criterion(c) => c.as_str(),
            When::Trigger(t) => t.as_str(),
        }
    }

    /// The condition's place in [`When::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            When::Criterion(c) => c as usize,
            When::Trigger(t) => Criterion::ALL.len() + t as usize,
        }
    }

    /// Triggers that depend on the outcome, so only actions may use them.
    pub fn is_outcome_trigger(self) -> bool {
        matches!(
            self,
            When::Trigger(
                Trigger::Always
                    | Trigger::ReferImmediately
                    | Trigger::ChildSexualAbuse
                    | Trigger::NeedMoreInformation
                    | Trigger::DslMayManageInSchool
            )
        )
    }
}

/// Read like every other token (`json_in`), from the spellings of
/// [`Criterion`] and [`Trigger`] in the order of [`When::ALL`].
impl Token for When {
    const ALL: &'static [When] = When::ALL;
    type Spellings = [&'static str; CONDITIONS];
    const SPELLINGS: Self::Spellings = {
        let mut spellings = [""; CONDITIONS];
        let mut i = 0;
        while i < CONDITIONS {
            spellings[i] = match i.checked_sub(Criterion::ALL.len()) {
                None => <Criterion as Token>::SPELLINGS[i],
                Some(t) => <Trigger as Token>::SPELLINGS[t],
            };
            i += 1;
        }
        spellings
    };
    fn as_str(self) -> &'static str {
        When::as_str(self)
    }
}

/// As the token's own (`AdultInvolved`, `Always`), as floor messages quote it.
impl std::fmt::Debug for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            When::Criterion(c) => c.fmt(f),
            When::Trigger(t) => t.fmt(f),
        }
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Written as its token.
impl serde::Serialize for When {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            When::Criterion(c) => c.serialize(serializer),
            When::Trigger(t) => t.serialize(serializer),
        }
    }
}

/// Read as serde reads the tokens of any enum it derives for (the tests'
/// reference reader compares the engine's reader with this): the token is
/// read as the enum's variant name, and an unknown one is refused there.
impl<'de> serde::Deserialize<'de> for When {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<When, D::Error> {
        deserializer.deserialize_enum("When", &<When as Token>::SPELLINGS, WhenVisitor)
    }
}

/// Reads a [`When`] as an enum, and its token as the variant's name.
struct WhenVisitor;

impl<'de> serde::de::Visitor<'de> for WhenVisitor {
    type Value = When;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sexting condition")
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<When, A::Error> {
        use serde::de::VariantAccess;
        let (when, variant) = data.variant_seed(WhenVisitor)?;
        variant.unit_variant()?;
        Ok(when)
    }

    fn visit_str<E: serde::de::Error>(self, token: &str) -> Result<When, E> {
        When::ALL
            .iter()
            .copied()
            .find(|w| w.as_str() == token)
            .ok_or_else(|| E::unknown_variant(token, &<When as Token>::SPELLINGS))
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for WhenVisitor {
    type Value = When;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<When, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

crate::json_in::wire_struct! {
    /// A sexting decision rule.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SextingRule {
        /// Stable id; floor rules start `sexting.floor.`.
        required id: String,
        /// Part of the national floor (baseline only).
        flag floor: bool,
        /// The rule applies when any of these holds.
        required when: Vec<When>,
        /// The outcome it requires; none for rules that only explain.
        optional outcome: Option<Outcome>,
        /// Who the case is referred to.
        list referral_to: Vec<Referral>,
        /// The rule in one line, in the project's own words.
        required summary: String,
        /// Where the rule comes from.
        required cite: Cite,
    }
}

crate::json_in::wire_struct! {
    /// A step a sexting case requires.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SextingAction {
        /// Stable id; floor steps start `sexting.floor.`.
        required id: String,
        /// Part of the national floor (baseline only): a school policy cannot
        /// remove or loosen it.
        flag floor: bool,
        /// What to do (`report_to_dsl`, `secure_device` and so on).
        required action: ActionToken,
        /// Who does it or is told (`dsl`, `police_999` and so on).
        required who: Who,
        /// How soon (`immediately`, `same_day` and so on).
        required deadline: Deadline,
        /// The step applies when any of these holds.
        required when: Vec<When>,
        /// ...unless this fact is `yes`.
        optional unless: Option<When>,
        /// The step in one line, in the project's own words.
        required detail: String,
        /// Where the step comes from.
        required cite: Cite,
    }
}

crate::json_in::wire_struct! {
    /// One question of the initial review.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ChecklistEntry {
        /// Stable token for the question.
        required item: String,
        /// The question to consider, in the project's own words.
        required question: String,
    }
}

/// What the sexting domain compiles from: a policy's sexting section and
/// the contacts its steps name (not the whole policy).
#[derive(Debug, Clone, Copy)]
pub struct SextingTable<'a> {
    /// The rules, steps and checklist.
    pub section: &'a SextingSection,
    /// The school's roles and bodies, for each step's contact line.
    pub contacts: Contacts<'a>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each condition has its own place, spelling and bit, reads back from
    /// what it writes, and prints as the token's variant (as floor messages
    /// quote it), whichever set spells it.
    #[test]
    fn a_condition_is_its_criterion_or_trigger() {
        assert_eq!(When::ALL.len(), 18);
        for (i, &when) in When::ALL.iter().enumerate() {
            assert_eq!(when.index(), i);
            assert_eq!(<When as Token>::SPELLINGS[i], when.as_str());
            let json = serde_json::to_string(&when).expect("writes");
            assert_eq!(json, format!("\"{when}\""));
            assert_eq!(serde_json::from_str::<When>(&json).ok(), Some(when));
        }
        assert_eq!(When::ALL[0], When::Criterion(Criterion::AdultInvolved));
        assert_eq!(When::ALL[7], When::Trigger(Trigger::CriterionUnknown));
        let quoted = [
            When::Criterion(Criterion::ContentViolent),
            When::Trigger(Trigger::Always),
        ];
        assert_eq!(format!("{quoted:?}"), "[ContentViolent, Always]");
        let unknown = serde_json::from_str::<When>("\"violent\"").expect_err("unknown");
        assert!(
            unknown.to_string().contains("`content_violent`"),
            "{unknown}"
        );
    }
}
