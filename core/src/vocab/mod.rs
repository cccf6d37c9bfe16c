//! The vocabulary every domain shares: the words a request and a decision
//! are written in. It imports no domain, no policy and no request; the
//! domains, the policy model and the decision envelope ([`crate::decision`])
//! are written in it.
//!
//! - [`Tri`]: a fact that may not be established yet (`yes`, `no`,
//!   `unknown`), with Kleene's three-valued logic.
//! - The answer's words: the [`Domain`], the [`Outcome`], sexting's
//!   [`Criterion`] and [`Referral`], devices' [`Condition`] and
//!   [`OnBreach`].
//! - A plan's words: an [`Action`] step, its [`ActionToken`], [`Who`]
//!   receives or carries it out, its [`Deadline`]; a [`ChecklistItem`].
//! - Where an answer comes from: a rule's [`Reason`] and [`Cite`], the
//!   [`PolicyRef`], the policy's [`Text`].
//! - `tokens!`, which declares a closed set of wire tokens once, and the
//!   `Token` trait every such set implements, by which the wire layer reads
//!   it; `either_token!`, a value of one of two such sets.

mod action;
mod answer;
mod cite;
mod tokens;
mod tri;

pub use action::{Action, ActionToken, ChecklistItem, Deadline, Who};
pub use answer::{
    Condition, Criterion, Domain, OnBreach, Outcome, Referral, ENGINE_VERSION, SCHEMA_VERSION,
};
pub use cite::{Cite, PolicyRef, Reason, Text};
pub(crate) use tokens::{either_token, tokens, Token};
pub use tri::Tri;
