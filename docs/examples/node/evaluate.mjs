// Embedding safeguard-engine in a Node program (docs/embedding.md,
// "Node and the browser"): load a built-in policy, decide one request, read
// the decision, and handle a request that cannot be decided by its error
// code and path. The same code runs in a browser (init() fetches the .wasm
// there; in Node it is loaded at import).
import init, { Engine } from "safeguard-engine";

await init();
// Load a policy once and keep the engine (engine.free() releases it now).
const engine = Engine.fromPreset("hilldene-primary");

const decision = engine.evaluate({
  domain: "sexting",
  incident_date: "2025-01-20",
  young_people: [{ id: "a", age: 15, role: "subject" }],
  facts: { adult_involved: "no", coercion_blackmail_or_grooming: "yes" },
});

// Act on the tokens (outcome, action, who, deadline), never on the words.
console.log(`outcome: ${decision.outcome}`);
for (const step of decision.actions) {
  console.log(`step: ${step.action} ${step.who} ${step.deadline}`);
}
console.log(`policy: ${decision.policy.id} ${decision.policy.digest}`);

// A request that cannot be decided throws a SafeguardError: its code says
// what is wrong and its path where; neither quotes the request.
try {
  engine.evaluate({
    domain: "sexting",
    incident_date: "2025-02-30",
    young_people: [{ id: "a", age: 15, role: "subject" }],
    facts: { adult_involved: "no" },
  });
} catch (error) {
  if (error.name !== "SafeguardError") throw error;
  console.log(`refused: ${error.code} at ${error.path ?? "(no path)"}`);
}
