//! The proof scenario corpus (issue 22's check of "A new domain"; reverted
//! in the next commit): every file in `tests/scenarios/proof/`, evaluated
//! through the JSON entry point and checked against its `expect`
//! (`outcome`, and `reasons_include`: rule ids among the reasons).

use safeguard_tests::{
    check_corpus, evaluate_twice, reasons_are_explained, string_list, tokens_at,
};
use serde_json::Value;

fn check_scenario(doc: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let (Some(request), Some(expect)) = (doc.get("request"), doc.get("expect")) else {
        return vec!["no `request` or `expect`".into()];
    };
    let response = match evaluate_twice(request, &mut errs) {
        Ok((_, r)) => r,
        Err(e) => return vec![e],
    };
    if let Err(e) = reasons_are_explained(&response) {
        errs.extend(e);
    }
    if response.get("domain") != Some(&Value::from("proof")) {
        errs.push(format!("domain is {:?}", response.get("domain")));
    }
    if response.get("outcome") != expect.get("outcome") {
        errs.push(format!(
            "outcome: expected {:?}, got {:?}",
            expect.get("outcome"),
            response.get("outcome")
        ));
    }
    let rules = tokens_at(&response, "reasons", Some("rule"));
    match string_list(expect, "reasons_include") {
        Ok(want) => {
            for rule in want.unwrap_or_default() {
                if !rules.contains(&rule) {
                    errs.push(format!("reasons should include `{rule}` but are {rules:?}"));
                }
            }
        }
        Err(e) => errs.push(format!("expect.{e}")),
    }
    errs
}

#[test]
fn proof_scenarios_hold() {
    check_corpus("proof", 1, check_scenario);
}
