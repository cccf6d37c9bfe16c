"""safeguard_engine: a rules engine for English schools' online-safety policies.

An :class:`Engine` holds one loaded, validated policy (a built-in preset or
a school's own TOML/JSON document) and turns requests into explained
decisions: what to do (``outcome``), why (``reasons``, each citing the
policy or national guidance), what happens next (``actions``) and what is
not yet known that could change it (``unknowns``).

>>> import safeguard_engine
>>> engine = safeguard_engine.Engine.from_preset("hilldene-primary")
>>> decision = engine.evaluate({
...     "domain": "sexting", "incident_date": "2025-01-20",
...     "young_people": [{"id": "a", "age": 15, "role": "subject"}],
...     "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"},
... })
>>> decision["outcome"]
'refer_immediately'

Requests and answers are the JSON wire format of the Rust engine (SPEC §2):
``Engine.evaluate_json`` returns the response text byte for byte as the
Rust API, the ``safeguard`` CLI and the C ABI give it; ``Engine.evaluate``
is the same answer as a ``dict``. ``Engine.explain`` (a ``dict``) and
``Engine.explain_json`` (its text) explain the decision in plain English
for a person, in the same words as every other binding and the CLI.

``safeguard_engine.types`` holds the ``TypedDict`` of a decision
(``Decision``) and of each domain's request (``SextingRequest``,
``DevicesRequest``, ...), generated from the JSON Schemas in schema/;
``Engine.evaluate`` is annotated to return a ``Decision``, so a type
checker (``mypy --strict``) catches a misspelt key or outcome.

The policy builder and the annual review are here too: ``questions()`` is
the builder's question model, ``build_policy(answers)`` turns a school's
answers file into its policy TOML (load it with ``Engine.from_policy``),
and ``Engine.review()`` is the annual review for governors, typed as
``safeguard_engine.types.Review``, with the whole report as Markdown and
HTML.

Every failure the engine reports raises :class:`SafeguardError`, whose
``code`` (``"unknown_field"``, ``"invalid_date"``, ...) and ``path``
(``"$.flags.x"``) say what and where; ``str(error)`` is the engine's message.

An engine is immutable and releases the GIL while it works: share one
across threads.
"""

from . import types
from ._safeguard import (
    ENGINE_VERSION,
    ERROR_CODES,
    SCHEMA_VERSION,
    Engine,
    SafeguardError,
    __version__,
    build_policy,
    inspect_image,
    presets,
    questions,
    strip_identifying,
    strip_location,
)

__all__ = [
    "ENGINE_VERSION",
    "ERROR_CODES",
    "SCHEMA_VERSION",
    "Engine",
    "SafeguardError",
    "__version__",
    "build_policy",
    "inspect_image",
    "presets",
    "questions",
    "strip_identifying",
    "strip_location",
    "types",
]
