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
//! The crate is laid out as the path of a request:
//! [`request`] (wire form in) → [`Engine`] (the loaded [`policy`]) → one
//! module per domain ([`sexting`]) → [`decision`] (the envelope out).
//! The bindings (C, WebAssembly, Python) and the CLI call the engine
//! through one module of JSON calls, [`json`], with one error envelope and
//! one list of error codes, [`ErrorCode`].
#![forbid(unsafe_code)]

pub mod civil;
mod contacts;
pub mod decision;
pub mod devices;
mod engine;
mod envelope;
mod error;
pub mod escalation;
pub mod images;
pub mod input;
pub mod json;
mod json_in;
mod json_out;
pub mod policy;
pub mod request;
pub mod sexting;
mod strict;
pub mod vocab;

pub use civil::Date;
pub use decision::Decision;
pub use devices::budget::AnalysisLimits;
pub use engine::Engine;
pub use error::{Error, ErrorCode, Location, Result, WireError};
pub use json::{evaluate_json_with, jsonl_line};
pub use policy::load::Format;
pub use request::Request;
pub use vocab::{Domain, Outcome, Tri, ENGINE_VERSION, SCHEMA_VERSION};

/// The README's Rust example is compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
