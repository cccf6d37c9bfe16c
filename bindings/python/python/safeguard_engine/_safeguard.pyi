"""Type stubs for the compiled module ``safeguard_engine._safeguard`` (PyO3)."""

from typing import Any, Iterable, Optional, Union, final

from . import types

__version__: str
ENGINE_VERSION: str
SCHEMA_VERSION: int
ERROR_CODES: list[str]

Request = Union[dict[str, Any], types.Request, str]
"""A request: a ``dict`` (sent as ``json.dumps(request)``), one of the typed
requests of ``safeguard_engine.types`` (also a ``dict``), or JSON text. The
engine checks it: an unknown key or a wrong value raises ``SafeguardError``."""

class SafeguardError(Exception):
    """An error reported by the engine; ``str(e)`` is its message."""

    code: str
    """Stable machine-readable code: ``"unknown_field"``, ``"invalid_date"``, ..."""
    path: Optional[str]
    """JSON path of the offending value (``"$.flags.x"``), or None."""
    line: Optional[int]
    """1-based line in a policy document, where known."""
    column: Optional[int]
    """1-based column in a policy document, where known."""
    rule: Optional[str]
    """The floor rule a ``floor_violation`` names, else None."""
    json: str
    """The error as the wire JSON object (``{"schema_version":1,"error":{...}}``)."""
    index: int
    """Set by ``Engine.evaluate_many`` only: the 0-based index of the bad request."""

@final
class Engine:
    """A decision engine: one loaded, validated policy. Immutable, thread-safe."""

    @staticmethod
    def from_preset(id: str) -> Engine:
        """The engine of a built-in policy (see ``presets()``)."""
    @staticmethod
    def from_policy(text: str, format: Optional[str] = None) -> Engine:
        """Loads a policy document; ``format`` is ``"toml"`` (the default, also
        for None) or ``"json"``."""
    @property
    def policy_id(self) -> str: ...
    @property
    def policy_version(self) -> str: ...
    @property
    def policy_digest(self) -> str: ...
    def evaluate(self, request: Request) -> types.Decision:
        """Decides one request; the decision as a ``dict`` (typed as
        ``safeguard_engine.types.Decision``, generated from schema/)."""
    def evaluate_json(self, request: str) -> str:
        """Decides one JSON request; the response text exactly as the Rust API gives it."""
    def explain(self, request: Request) -> dict[str, Any]:
        """Decides one request and explains the decision in plain English, as a
        ``dict``: the headline, the steps, the questions, the rules with their
        citations, and ``"text"`` for a person. Refuses what ``evaluate`` refuses."""
    def explain_json(self, request: str) -> str:
        """``explain`` as JSON text, byte for byte what the C ABI (``sg_explain``)
        and JavaScript (``explainJson``) give."""
    def evaluate_many(self, requests: Iterable[Request]) -> list[types.Decision]:
        """Decides many requests in order; raises ``SafeguardError`` (with
        ``index``) for the first one that cannot be decided."""
    def lint(self) -> dict[str, Any]:
        """The lint report of the policy's devices rules; raises
        ``SafeguardError`` (``too_complex``) when the rules cut the request
        space too finely to analyse within 1 GiB."""
    def review(self) -> types.Review:
        """The annual review of the policy for governors and the DSL (typed as
        ``safeguard_engine.types.Review``, from ``schema/review.schema.json``):
        national changes since its date and whether its text covers them,
        where it is stricter or allows more, its own rules, the national
        defaults it relies on, the linter's findings; ``"markdown"`` and
        ``"html"`` are the whole report. Raises ``SafeguardError``
        (``too_complex``) as ``lint`` does."""

def presets() -> list[str]:
    """The ids of the built-in policies, ``"baseline"`` first."""

def questions() -> list[dict[str, Any]]:
    """The policy builder's question model, in the order a person is asked:
    each question's ``id``, ``domain``, ``prompt``, ``help``, ``default`` (the
    national choice), ``narrows`` and ``choices`` (``id``, ``label``,
    ``national_default``)."""

def build_policy(answers: Union[str, dict[str, Any]], format: Optional[str] = None) -> str:
    """The policy TOML a school's answers build, as ``safeguard policy new
    --answers`` writes it, already loaded and checked. ``answers`` is an
    answers file's text (TOML unless ``format`` is ``"json"``) or a ``dict``
    (sent as JSON). Raises ``SafeguardError`` with the bad answer's ``code``
    and ``path`` (``"$.answers[0].choice"``), quoting nothing from it."""

def inspect_image(data: Union[bytes, bytearray]) -> dict[str, Any]:
    """Format, location and identifying metadata of an image file."""

def strip_location(data: Union[bytes, bytearray]) -> bytes:
    """The image without its location metadata, pixel data byte-identical."""

def strip_identifying(data: Union[bytes, bytearray]) -> bytes:
    """The image without its location and identifying metadata (photographer,
    owner, copyright, serial numbers, dates), pixel data byte-identical."""
