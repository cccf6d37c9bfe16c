//! # safeguard-engine
//!
//! A pure rules engine that turns a school's online-safety policy into
//! decisions a program can act on. It does no I/O, reads no clock and keeps
//! no global mutable state: a decision depends only on the loaded policy and
//! the request, and the same pair always gives byte-identical JSON.
//!
//! ```
//! use safeguard_engine::Engine;
//!
//! let engine = Engine::from_preset("baseline").unwrap();
//! let response = engine
//!     .evaluate_json(r#"{"domain": "sexting", "incident_date": "2025-01-20",
//!         "young_people": [{"id": "a", "age": 15, "role": "subject"}],
//!         "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"}}"#)
//!     .unwrap();
//! assert!(response.contains(r#""outcome":"refer_immediately""#));
//! ```
//!
//! The crate is laid out as the path of a request: [`Request`] (wire form
//! in) → [`Engine`] (the loaded [`policy`]) → one module per domain
//! ([`sexting`], [`devices`], [`images`], [`escalation`]) → [`Decision`]
//! (the envelope out).
//! The bindings (C, WebAssembly, Python) and the CLI call the engine
//! through one module of JSON calls, [`json`], with one error envelope and
//! one list of error codes, [`ErrorCode`]. A policy as a whole is
//! reviewed for its governors by [`review`] (issue 24).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The layers (ARCHITECTURE.md, "The engine crate, bottom up": dependencies
// point one way; rustfmt sorts these lines, so the order here is not it).
// Private modules: what a caller needs of them is re-exported below.
mod civil;
mod contacts;
mod decision;
mod engine;
mod error;
mod explain;
mod explain_error;
mod request;
mod vocab;
mod wire;

pub mod devices;
pub mod escalation;
pub mod images;
pub mod sexting;

pub mod policy;

pub mod review;

pub mod json;

// Civil time: dates and wall-clock times of the school's day.
pub use civil::{ClockTime, Date, LocalDateTime, Period, Timetable};
// The decision envelope and the vocabulary every domain shares.
pub use decision::{Blocked, Decision, GalleryItem};
pub use vocab::{
    Action, ActionToken, ChecklistItem, Cite, Condition, Criterion, Deadline, Domain, OnBreach,
    Outcome, PolicyRef, Reason, Referral, Text, Tri, Who, ENGINE_VERSION, SCHEMA_VERSION,
};
// Requests, the engine, errors.
pub use devices::budget::AnalysisLimits;
pub use engine::Engine;
// A decision in plain English (issue 23).
pub use error::{Error, ErrorCode, Location, Result, WireError};
pub use explain::{explain, CitedRule, Explanation, Question, Step};
// An error in plain English (issue 23).
pub use explain_error::{ErrorExplanation, Input};
pub use json::{evaluate_json_with, jsonl_line};
pub use policy::load::Format;
pub use request::{FromJson, Request, SchemaVersion};

/// The README's Rust example is compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
