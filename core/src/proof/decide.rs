//! The proof decision: the first proof rule answers `allow`; without one,
//! `deny`.

use super::request::ProofRequest;
use super::rules::ProofSection;
use crate::decision::Decision;
use crate::vocab::{Action, Cite, Domain, Outcome, PolicyRef, Reason, Text};
use std::sync::Arc;

/// The rule id of the answer when the policy has no proof rule.
pub const NOT_COVERED: &str = "proof.not_covered";

/// The proof table of a policy, ready to decide.
#[derive(Debug)]
pub(crate) struct Compiled {
    /// The first rule's reason, or the "not covered" one.
    answer: (Outcome, Arc<Reason>),
    no_actions: Arc<[Action]>,
}

impl Compiled {
    /// The proof table of a policy: its `section`, and its `source`
    /// document (which the "not covered" answer cites).
    pub fn new(section: &ProofSection, source: &str) -> Compiled {
        let answer = match section.rules.first() {
            Some(r) => (
                Outcome::Allow,
                Reason {
                    rule: r.id.as_str().into(),
                    summary: r.summary.as_str().into(),
                    cite: r.cite.clone(),
                },
            ),
            None => (
                Outcome::Deny,
                Reason {
                    rule: NOT_COVERED.into(),
                    summary: "The policy has no proof rule, so the answer is no.".into(),
                    cite: Cite {
                        source: source.into(),
                        section: "No section of the policy covers this".into(),
                    },
                },
            ),
        };
        Compiled {
            answer: (answer.0, Arc::new(answer.1)),
            no_actions: Arc::from(Vec::new()),
        }
    }
}

/// Decides a proof request.
pub(crate) fn decide(
    compiled: &Compiled,
    policy: &PolicyRef,
    engine: &Text,
    _request: &ProofRequest,
) -> Decision {
    let (outcome, reason) = &compiled.answer;
    Decision::new(
        Domain::Proof,
        *outcome,
        vec![reason.clone()],
        compiled.no_actions.clone(),
        policy,
        engine,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proof::{ProofQuestion, ProofSection};

    /// Without a proof rule the answer is `deny`, never `allow`.
    #[test]
    fn a_policy_without_a_proof_rule_answers_deny() {
        let compiled = Compiled::new(&ProofSection::default(), "a policy");
        let request = ProofRequest {
            schema_version: Default::default(),
            domain: None,
            policy: None,
            question: ProofQuestion::Ping,
        };
        let policy = PolicyRef {
            id: "p".into(),
            version: "1".into(),
            digest: "d".into(),
        };
        let d = decide(&compiled, &policy, &"0".into(), &request);
        assert_eq!(d.outcome, Outcome::Deny);
        assert_eq!(&*d.reasons[0].rule, NOT_COVERED);
    }
}
