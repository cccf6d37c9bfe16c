//! Sexting: youth-produced sexual imagery ("sharing nudes and semi-nudes").
//!
//! The decision follows the UKCIS initial-review procedure (SPEC §3), which
//! 000 "Handling a sexting incident" quotes and 003 Appendix A 9.1 and 004
//! "Sexting" follow:
//!
//! 1. Establish each of the immediate-referral criteria as yes / no / unknown
//!    from the facts and the ages of the young people ([`Assessment`]).
//! 2. Apply the policy's rules in order: each rule whose condition holds adds
//!    its reason, its referrals and the outcome it requires. The outcome is
//!    the most protective one required: an adult party makes it child sexual
//!    abuse; any criterion, an immediate referral; an unknown criterion,
//!    more information; only when all are known not to hold may the DSL
//!    manage the case in school.
//! 3. List the unknowns that could still raise the outcome, and an unknown
//!    immediate risk of harm whatever the outcome: it decides whether the
//!    police are called on 999, before anything else, or on 101.
//! 4. Make one plan (SPEC §1.8): the steps the policy's sexting table
//!    requires for this outcome and these facts, and the notifications its
//!    escalation rules give a sexting incident, each step once with its
//!    strictest deadline (telling the DSL is one step, due immediately;
//!    informing the parents one step, withheld where that would put the
//!    child at risk). A referral cites the rule that required it. Add the
//!    initial-review checklist.
//!
//! The request has no field for the imagery: the engine never sees it.

mod decide;
pub(crate) mod floor;
mod request;
mod rules;

pub use decide::Assessment;
pub(crate) use decide::{decide, Compiled};
pub use request::*;
pub use rules::*;
