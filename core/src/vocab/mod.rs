//! The vocabulary every domain shares: the words a request and a decision
//! are written in.
//!
//! - [`Tri`]: a fact that may not be established yet (`yes`, `no`,
//!   `unknown`), with Kleene's three-valued logic.

mod tri;

pub use tri::Tri;
