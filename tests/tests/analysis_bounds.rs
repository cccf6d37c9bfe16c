//! Lint and diff work within a memory and work bound (SPEC §1.5, §9): a
//! policy whose rules cut the devices request space too finely is refused
//! with `too_complex`, quickly, instead of exhausting memory.

use safeguard_engine::{AnalysisLimits, Engine, Error};
use safeguard_tests::fine_policy::single_value_rules;
use std::time::{Duration, Instant};

fn fine(n: usize) -> Engine {
    match Engine::from_toml(&single_value_rules(n)) {
        Ok(e) => e,
        Err(e) => panic!("the policy of {n} rules loads: {e}"),
    }
}

fn baseline() -> Engine {
    Engine::from_preset("baseline").expect("baseline loads")
}

/// The refusal is coded, and its message names the limit, no rule or value.
fn assert_too_complex<T: std::fmt::Debug>(result: Result<T, Error>) {
    match result {
        Ok(report) => panic!("analysed, but too_complex was expected: {report:?}"),
        Err(e) => {
            assert_eq!(e.code(), "too_complex", "{e}");
            assert_eq!(e.path(), None);
            let message = e.to_string();
            assert!(message.contains("limit"), "{message}");
            assert!(!message.contains("devices.fine"), "{message}");
        }
    }
}

/// A refusal that took minutes would be a hang by another name; the
/// default work limit stops a debug build within seconds.
const PROMPT: Duration = Duration::from_secs(120);

#[test]
fn eighty_single_value_rules_are_too_complex_under_the_default_limits() {
    let e = fine(80);
    let started = Instant::now();
    assert_too_complex(e.lint());
    assert_too_complex(e.diff(&baseline()));
    assert_too_complex(baseline().diff(&e));
    assert!(started.elapsed() < PROMPT, "took {:?}", started.elapsed());
}

#[test]
fn each_limit_is_the_callers_to_set() {
    let e = fine(80);
    let memory = AnalysisLimits {
        memory: 8 << 20,
        steps: u64::MAX,
    };
    let refused = e.lint_within(&memory).map(|_| ());
    assert_too_complex(refused.clone());
    assert!(refused.is_err_and(|e| e.to_string().contains("memory limit (8 MiB)")));
    let work = AnalysisLimits {
        memory: u64::MAX,
        steps: 1000,
    };
    let refused = e.diff_within(&baseline(), &work).map(|_| ());
    assert_too_complex(refused.clone());
    assert!(refused.is_err_and(|e| e.to_string().contains("work limit (1000 steps)")));
}

#[test]
fn every_preset_lints_and_diffs_within_the_default_limits() {
    let base = baseline();
    for id in Engine::presets() {
        let e = Engine::from_preset(id).expect("preset loads");
        assert!(e.lint().is_ok(), "{id}");
        assert!(e.diff(&base).is_ok(), "{id}");
        assert!(base.diff(&e).is_ok(), "{id}");
    }
}

#[test]
fn a_few_single_value_rules_still_lint() {
    // The bound refuses what is too fine, not every policy of this shape.
    let report = fine(8).lint().expect("eight rules lint");
    assert_eq!(report.space.requests, 245_366_784);
    assert!(fine(8).diff(&baseline()).is_ok());
}
