//! The sexting section of a policy: its decision rules, the steps a case
//! requires, and the initial-review checklist.

use crate::contacts::Contacts;
use crate::vocab::{ActionToken, Cite, Criterion, Deadline, Outcome, Referral, Who};

crate::wire::json_in::wire_struct! {
    /// The sexting rule table.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

crate::vocab::either_token! {
    /// What a sexting rule or action is triggered by: one of the
    /// immediate-referral criteria, or another [`Trigger`]. On the wire each
    /// is its token (`adult_involved`, `always`): a criterion is spelled by
    /// [`Criterion`] alone, so the two cannot drift apart.
    pub enum When {
        /// An immediate-referral criterion holds.
        Criterion(Criterion),
        /// Another condition, or (actions only) an outcome.
        Trigger(Trigger),
    }
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

impl When {
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

crate::wire::json_in::wire_struct! {
    /// A sexting decision rule.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

crate::wire::json_in::wire_struct! {
    /// A step a sexting case requires.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

crate::wire::json_in::wire_struct! {
    /// One question of the initial review.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
            assert_eq!(<When as crate::vocab::Token>::SPELLINGS[i], when.as_str());
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
