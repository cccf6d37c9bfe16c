//! `safeguard policy new --answers FILE [-o OUT]`: a school's policy from
//! its answers to the question model (issue 24).
//!
//! A DSL or a vendor answers the choices where school policies differ
//! (where pupils' phones go, the emergency route, parents filming at
//! events) in a TOML or JSON answers file (its JSON Schema is
//! `schema/answers.schema.json`); this writes the policy TOML, which
//! extends the national baseline, each rule under a comment naming the
//! answer that produced it. The engine builds the text and loads it before
//! handing it back, so what is written is a policy `eval --policy` and
//! `lint` accept. Asking the questions interactively in a terminal is the
//! next step of issue 24; today the answers come from a file.

use crate::failure::Failure;
use crate::input;
use safeguard_engine::json;
use std::io::{self, Write};
use std::path::Path;

/// Builds the policy for the answers in `answers` (TOML, or JSON by its
/// `.json` extension) and writes it to `output`, or stdout.
pub fn new(answers: &Path, output: Option<&Path>) -> Result<(), Failure> {
    let text = input::read_answers_text(answers)?;
    let policy = json::build_policy(&text, input::format_of(answers))?;
    match output {
        Some(path) => std::fs::write(path, policy)
            .map_err(|e| Failure::io(format!("cannot write `{}`", path.display()), e)),
        None => {
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(policy.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(Failure::writing)
        }
    }
}
