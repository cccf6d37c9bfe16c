"""Embedding safeguard-engine in a Python program (docs/embedding.md,
"Python"): load a built-in policy, decide one request, read the decision,
and handle a request that cannot be decided by its error code and path."""

import safeguard_engine

# Load a policy once and keep the engine: threads may share it (evaluation
# releases the GIL).
engine = safeguard_engine.Engine.from_preset("hilldene-primary")

decision = engine.evaluate({
    "domain": "sexting",
    "incident_date": "2025-01-20",
    "young_people": [{"id": "a", "age": 15, "role": "subject"}],
    "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"},
})

# Act on the tokens (outcome, action, who, deadline), never on the words.
print("outcome:", decision["outcome"])
for step in decision["actions"]:
    print("step:", step["action"], step["who"], step["deadline"])
print("policy:", decision["policy"]["id"], decision["policy"]["digest"])

# A request that cannot be decided raises SafeguardError: its code says
# what is wrong and its path where; neither quotes the request.
try:
    engine.evaluate({
        "domain": "sexting",
        "incident_date": "2025-02-30",
        "young_people": [{"id": "a", "age": 15, "role": "subject"}],
        "facts": {"adult_involved": "no"},
    })
except safeguard_engine.SafeguardError as error:
    print("refused:", error.code, "at", error.path or "(no path)")
