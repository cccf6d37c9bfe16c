//! Embedding safeguard-engine in a Rust program (docs/embedding.md, "Rust"):
//! load a built-in policy, decide one request, read the decision, and
//! handle a request that cannot be decided by its error code and path.
//!
//! Run it with `cargo run -p safeguard-engine --example embedding`.

use safeguard_engine::{Engine, Error, Request};

fn main() -> Result<(), Error> {
    // Load a policy once and keep the engine: it is Send + Sync and cheap
    // to clone, so every thread of a server can share it.
    let engine = Engine::from_preset("hilldene-primary")?;

    // One sexting incident, in the wire format (schema/request.sexting.schema.json).
    let request = Request::from_json(
        r#"{"domain": "sexting", "incident_date": "2025-01-20",
            "young_people": [{"id": "a", "age": 15, "role": "subject"}],
            "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"}}"#,
        None,
    )?;
    let decision = engine.evaluate(&request)?;

    // Act on the tokens (outcome, action, who, deadline), never on the words.
    println!("outcome: {}", decision.outcome.as_str());
    for step in decision.actions.iter() {
        println!(
            "step: {} {} {}",
            step.action.as_str(),
            step.who.as_str(),
            step.deadline.as_str()
        );
    }
    println!("policy: {} {}", decision.policy.id, decision.policy.digest);

    // A request that cannot be decided is an Err: its code says what is
    // wrong and its path where; neither quotes the request.
    let bad = r#"{"domain": "sexting", "incident_date": "2025-02-30",
        "young_people": [{"id": "a", "age": 15, "role": "subject"}],
        "facts": {"adult_involved": "no"}}"#;
    match engine.evaluate_json(bad) {
        Ok(response) => println!("decided: {response}"),
        Err(error) => println!(
            "refused: {} at {}",
            error.code(),
            error.path().unwrap_or("(no path)")
        ),
    }
    Ok(())
}
