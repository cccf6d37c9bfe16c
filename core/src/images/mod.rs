//! Images: publishing photos and videos of pupils (SPEC §5).
//!
//! - [`metadata`]: what the image file itself carries (location, identifying
//!   fields), and a copy with location removed, pixels untouched.
//! - [`names`]: finding pupils' names in captions, tags, credits and file
//!   names, tolerant of case, punctuation, accents and run-together names.

pub mod decide;
pub(crate) mod floor;
pub mod metadata;
pub mod names;
mod request;
mod rules;
pub mod vocab;

pub use request::*;
pub use rules::{ImageRule, ImagesSection};
pub use vocab::*;
