//! `safeguard lint` and `safeguard diff`: reviewing a policy as a whole.
//!
//! `eval` answers one question; these two answer the questions a DSL or a
//! governor asks of a policy before adopting it: "does it contradict itself,
//! does it leave anything out, does it try to loosen the national floor?"
//! and "what does it allow that the baseline (or last year's policy) does
//! not?". Both are the engine's own reports (`Engine::lint`, `Engine::diff`),
//! printed for people in the engine's plain words (`review::lint_text`,
//! `review::diff_text`: no token or field name; rule ids only on lines
//! labelled `Rule ids:`) or, with `--json`, as JSON for programs.
//!
//! Both analyse the whole devices request space, within a memory limit
//! (`--memory-limit`, 1024 MiB by default): a policy whose rules cut the
//! space too finely to analyse within it is refused with `too_complex`,
//! exit 2, like any other input the engine refuses.
//!
//! Findings are not failures: a policy with contradictions still loads and
//! still answers (strictly), so `lint` exits 0 whatever it finds. It exits
//! non-zero only when the policy cannot be loaded at all, exactly as `eval`
//! would for the same policy, because both load it through
//! [`input::load_policy`].

use crate::failure::{Failure, EXIT_OK};
use crate::input;
use safeguard_engine::json::{self, Layout};
use safeguard_engine::review;
use safeguard_engine::AnalysisLimits;
use std::io::{self, Write};
use std::process::ExitCode;

/// Writes `text` to stdout.
fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Failure::writing)
}

/// The default `--memory-limit`, in MiB: the engine's default.
pub const DEFAULT_MEMORY_MIB: u64 = AnalysisLimits::DEFAULT_MEMORY >> 20;

/// The engine's default limits with a memory limit of `mib` MiB.
pub fn limits(mib: u64) -> AnalysisLimits {
    AnalysisLimits::with_memory(mib.saturating_mul(1 << 20))
}

/// `lint ID|PATH [--json] [--memory-limit MIB]`.
pub fn lint(spec: &str, as_json: bool, memory_mib: u64) -> Result<ExitCode, Failure> {
    let engine = input::load_policy(spec)?;
    let limits = limits(memory_mib);
    print(&if as_json {
        json::lint(&engine, &limits, Layout::Pretty)?
    } else {
        review::lint_text(&engine, &engine.lint_within(&limits)?)
    })?;
    Ok(ExitCode::from(EXIT_OK))
}

/// `diff A B [--json] [--memory-limit MIB]`.
pub fn diff(a: &str, b: &str, as_json: bool, memory_mib: u64) -> Result<ExitCode, Failure> {
    let a = input::load_policy(a)?;
    let b = input::load_policy(b)?;
    let limits = limits(memory_mib);
    print(&if as_json {
        json::diff(&a, &b, &limits, Layout::Pretty)?
    } else {
        review::diff_text(&a, &b, &a.diff_within(&b, &limits)?)
    })?;
    Ok(ExitCode::from(EXIT_OK))
}
