//! `safeguard review POLICY [--html] [-o FILE] [--memory-limit MIB]`: the
//! annual review report of a policy, for governors and the DSL (issue 24).
//!
//! `lint` and `diff` answer the questions of the people who write a policy;
//! a governing body reviewing it each year asks different ones: what has
//! national guidance changed since we wrote it, and does our text address
//! it; where are we stricter than national guidance, where do we rely on
//! it, and does the policy contradict itself? The engine writes that
//! report (`Engine::review`); this prints it as Markdown, or with `--html`
//! as one self-contained page to print, to stdout or to `-o FILE`.
//!
//! Like `lint`, it exits 0 whatever the report says, 2 when the policy
//! cannot be loaded or is too complex to analyse within the memory limit.

use crate::failure::{Failure, EXIT_OK};
use crate::input;
use crate::lint::limits;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// `review ID|PATH [--html] [-o FILE] [--memory-limit MIB]`.
pub fn review(
    spec: &str,
    html: bool,
    output: Option<&Path>,
    memory_mib: u64,
) -> Result<ExitCode, Failure> {
    let engine = input::load_policy(spec)?;
    let report = engine.review_within(&limits(memory_mib))?;
    let text = if html {
        report.to_html()
    } else {
        report.to_markdown()
    };
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure::io(format!("cannot write `{}`", path.display()), e))?,
        None => {
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(Failure::writing)?;
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}
