"""A typed use of safeguard_engine: a request and its decision as TypedDicts,
then the policy's annual review (a ``Review``).

Checked with ``mypy --strict`` and run by scripts/test-python, against the
installed wheel. The types come from ``safeguard_engine.types``, generated
from the JSON Schemas in schema/.
"""

import safeguard_engine
from safeguard_engine.types import Action, Decision, DevicesRequest, GuidanceNote, Outcome, Review


def may_go_ahead(outcome: Outcome) -> bool:
    """Whether the pupil may go ahead (perhaps on conditions)."""
    return outcome in ("allow", "allow_with_conditions")


def first_step(decision: Decision) -> Action | None:
    actions = decision["actions"]
    return actions[0] if actions else None


engine = safeguard_engine.Engine.from_preset("west-hill-primary")
# A teacher on a school trip wants to photograph the pupils with their own phone.
request: DevicesRequest = {
    "domain": "devices",
    "actor": {"role": "teacher", "works_directly_with_children": True},
    "device": {"kind": "mobile_phone", "owner": "personal"},
    "action": "photograph_pupils",
    "context": {"location": "offsite_trip", "period": "school_event", "children_present": True},
}
decision = engine.evaluate(request)
print(decision["domain"], decision["outcome"], decision["policy"]["id"])
for reason in decision["reasons"]:
    print(" ", reason["rule"], "-", reason["cite"]["source"])
step = first_step(decision)
if step is not None:
    print("first:", step["action"], step["who"], step["deadline"])
assert decision["domain"] == "devices"
print("may go ahead:", may_go_ahead(decision["outcome"]))

# The annual review: the national changes since the policy's date that its
# own text does not cover yet, for the governors' meeting.
review: Review = engine.review()
open_changes: list[GuidanceNote] = [note for note in review["guidance"] if not note["addressed"]]
for note in open_changes:
    print("not yet covered:", note["change"]["title"], "-", note["took_effect"])
assert review["markdown"].startswith("# ")
