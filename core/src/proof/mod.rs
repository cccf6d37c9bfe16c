//! Proof: a throwaway domain (issue 22) that checks ARCHITECTURE.md's
//! "A new domain" by doing it once; reverted in the next commit.
//!
//! 1. The request asks one question (`ping`).
//! 2. The policy's proof rules, in order: the first one answers `allow`,
//!    citing itself.
//! 3. A policy with no proof rule answers `deny` (`proof.not_covered`):
//!    unknown never resolves to permissive.

mod decide;
pub(crate) mod floor;
mod request;
mod rules;

pub(crate) use decide::{decide, Compiled};
pub use request::*;
pub use rules::*;
