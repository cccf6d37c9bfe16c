"""Tests of the Python package `safeguard_engine` (bindings/python).

Run by scripts/test-python against the installed package. With
SAFEGUARD_CLI naming the `safeguard` binary, the answers are also checked
byte for byte against the CLI's.
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import threading
import types
import typing

import pytest

import safeguard_engine

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE = HERE.parent
REPO = PACKAGE.parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.json"))

DEVICES_REQUEST = {
    "schema_version": 1,
    "domain": "devices",
    "policy": "hilldene-primary",
    "actor": {"role": "pupil", "year_group": 6},
    "device": {"kind": "mobile_phone", "owner": "personal"},
    "action": "bring_on_site",
    "context": {
        "location": "reception",
        "period": "before_school",
        "children_present": True,
        "exception": "none",
    },
}

SEXTING_REQUEST = {
    "domain": "sexting",
    "incident_date": "2025-01-20",
    "young_people": [{"id": "a", "age": 15, "role": "subject"}],
    "facts": {"adult_involved": "no", "coercion_blackmail_or_grooming": "yes"},
}

ESCALATION_REQUEST = {
    "domain": "escalation",
    "category": "sexting",
    "concern_about": "pupil",
    "reported_at": "2026-01-05T10:00",
}

OWN_POLICY = """\
[policy]
id = "py-test"
name = "Python test school"
version = "1"
source = "test"
extends = "baseline"
"""

WEAKENED_POLICY = OWN_POLICY + """
[escalation]
remove = ["escalation.floor.immediate_danger"]
"""

# A 107-byte JPEG whose EXIF GPS IFD holds a latitude (51.5 N); the same
# file as GPS_JPEG in bindings/c/tests/test_safeguard.c.


def _gps_jpeg():
    rows = [
        "ff d8 ff e1 00 58 45 78 69 66 00 00 49 49 2a 00",
        "08 00 00 00 01 00 25 88 04 00 01 00 00 00 1a 00",
        "00 00 00 00 00 00 02 00 01 00 02 00 02 00 00 00",
        "4e 00 00 00 02 00 05 00 03 00 00 00 38 00 00 00",
        "00 00 00 00 33 00 00 00 01 00 00 00 1e 00 00 00",
        "01 00 00 00 00 00 00 00 01 00 00 00 ff da 00 08",
        "01 01 00 00 3f 00 12 34 56 ff d9",
    ]
    return bytes.fromhex(" ".join(rows))


GPS_JPEG = _gps_jpeg()


@pytest.fixture(scope="module")
def hilldene():
    return safeguard_engine.Engine.from_preset("hilldene-primary")


@pytest.fixture(scope="module")
def baseline():
    return safeguard_engine.Engine.from_preset("baseline")


# --- module surface -------------------------------------------------------


def test_version_and_constants():
    assert safeguard_engine.__version__ == "0.1.0"
    assert safeguard_engine.ENGINE_VERSION == "0.1.0"
    assert safeguard_engine.SCHEMA_VERSION == 1
    assert "unknown_field" in safeguard_engine.ERROR_CODES
    assert issubclass(safeguard_engine.SafeguardError, Exception)


def test_distribution_and_import_names():
    """Installed as the distribution `safeguard-engine`, whose only
    top-level package is `safeguard_engine`: nothing it installs lands in
    `safeguard/`, the package of the unrelated PyPI distribution `safeguard`."""
    from importlib import metadata

    dist = metadata.distribution("safeguard-engine")
    assert dist.metadata["Name"] == "safeguard-engine"
    top = {pathlib.PurePosixPath(str(f)).parts[0] for f in dist.files or []}
    packages = {t for t in top if not t.endswith(".dist-info")}
    assert packages == {"safeguard_engine"}, packages
    assert safeguard_engine.Engine.__module__ == "safeguard_engine"
    assert safeguard_engine.SafeguardError.__module__ == "safeguard_engine"


def test_presets():
    presets = safeguard_engine.presets()
    assert isinstance(presets, list)
    assert presets[0] == "baseline"
    assert "hilldene-primary" in presets
    assert all(isinstance(p, str) for p in presets)
    for p in presets:
        assert safeguard_engine.Engine.from_preset(p).policy_id == p


def test_engine_properties(hilldene):
    assert hilldene.policy_id == "hilldene-primary"
    assert hilldene.policy_version
    assert re.fullmatch(r"[0-9a-f]{64}", hilldene.policy_digest)
    assert "hilldene-primary" in repr(hilldene)
    with pytest.raises(TypeError):
        safeguard_engine.Engine()


# --- evaluation -----------------------------------------------------------


def test_evaluate_dict(hilldene):
    decision = hilldene.evaluate(SEXTING_REQUEST)
    assert decision["schema_version"] == 1
    assert decision["outcome"] == "refer_immediately"
    assert decision["policy"]["id"] == "hilldene-primary"
    assert decision["policy"]["digest"] == hilldene.policy_digest


def test_evaluate_dict_and_str_agree(hilldene):
    for request in (SEXTING_REQUEST, DEVICES_REQUEST, ESCALATION_REQUEST):
        text = json.dumps(request)
        assert hilldene.evaluate(request) == hilldene.evaluate(text)
        # Formatting of the request text does not change the answer.
        assert hilldene.evaluate(json.dumps(request, indent=2)) == hilldene.evaluate(text)


def test_evaluate_json_is_the_exact_response(hilldene):
    text = json.dumps(DEVICES_REQUEST)
    response = hilldene.evaluate_json(text)
    assert isinstance(response, str)
    assert response.startswith('{"schema_version":1,')
    assert "\n" not in response and ": " not in response.split('"reasons"')[0]
    assert json.loads(response) == hilldene.evaluate(text)
    assert json.loads(response) == hilldene.evaluate(DEVICES_REQUEST)
    # Deterministic: the same request gives the same bytes.
    assert hilldene.evaluate_json(text) == response
    assert json.loads(response)["outcome"] == "allow_with_conditions"


def test_evaluate_json_takes_only_text(hilldene):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        hilldene.evaluate_json(DEVICES_REQUEST)
    assert info.value.code == "invalid_argument"


def test_evaluate_non_json_value(hilldene):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        hilldene.evaluate({"domain": "devices", "when": object()})
    assert info.value.code == "invalid_argument"


@pytest.mark.skipif(not EXAMPLES, reason="no examples/ beside the package")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_decide_as_expected(path):
    scenario = json.loads(path.read_text())
    request = scenario["request"]
    engine = safeguard_engine.Engine.from_preset(request["policy"])
    decision = engine.evaluate(request)
    assert decision["outcome"] == scenario["expect"]["outcome"]


CLI = os.environ.get("SAFEGUARD_CLI")


@pytest.mark.skipif(not (CLI and os.path.exists(CLI)), reason="SAFEGUARD_CLI not set")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_byte_identical_to_the_cli(path):
    """evaluate_json gives exactly what `safeguard eval FILE` prints."""
    request = json.loads(path.read_text())["request"]
    engine = safeguard_engine.Engine.from_preset(request["policy"])
    cli = subprocess.run([CLI, "eval", str(path)], check=True, capture_output=True, text=True)
    assert cli.stdout.endswith("\n")
    assert engine.evaluate_json(json.dumps(request)) == cli.stdout[:-1]


MALFORMED = REPO / "tests" / "malformed"


def _generate(spec):
    """The bytes a malformed-corpus generator describes (tests/malformed/README.md);
    None for one with random bytes, which are not text."""
    out = b""
    for part in spec["parts"]:
        if "text" in part:
            out += part["text"].encode()
        elif "repeat" in part:
            units = (part["repeat"].replace("{i}", str(i)) for i in range(part["count"]))
            out += part.get("sep", "").join(units).encode()
        elif "hex" in part:
            out += bytes.fromhex(part["hex"])
        else:
            return None
    return out


def malformed_requests():
    """Every request of the malformed corpus that is text: (file, preset, text)."""
    manifest = json.loads((MALFORMED / "manifest.json").read_text(encoding="utf-8"))
    for case in manifest["cases"]:
        if case["entry"] != "request":
            continue
        path = MALFORMED / case["file"]
        data = _generate(json.loads(path.read_text())) if path.suffix == ".gen" else path.read_bytes()
        if data is None:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        yield case["file"], case.get("engine", "baseline"), text


@pytest.mark.skipif(not (CLI and os.path.exists(CLI)), reason="SAFEGUARD_CLI not set")
def test_malformed_errors_byte_identical_to_the_cli():
    """Every refused request of the malformed corpus gives the error JSON
    `safeguard eval --json-errors` prints, byte for byte."""
    errors = 0
    for name, preset, text in malformed_requests():
        engine = safeguard_engine.Engine.from_preset(preset)
        try:
            got = engine.evaluate_json(text)
        except safeguard_engine.SafeguardError as e:
            got = e.json
        cli = subprocess.run(
            [CLI, "eval", "--json-errors", "--policy", preset], input=text.encode(), capture_output=True
        )
        assert cli.returncode in (0, 2), (name, cli.stderr)
        errors += cli.returncode == 2
        want = (cli.stdout if cli.returncode == 0 else cli.stderr).decode()
        assert got == want.removesuffix("\n"), name
    assert errors >= 140, f"only {errors} malformed requests refused"


# --- explanations (issue 23) -------------------------------------------------


def test_explain_is_the_decision_in_plain_english(hilldene):
    for request in (SEXTING_REQUEST, DEVICES_REQUEST, ESCALATION_REQUEST):
        text = json.dumps(request)
        explanation = hilldene.explain(request)
        decision = hilldene.evaluate(request)
        assert explanation["outcome"] == decision["outcome"]
        assert explanation["domain"] == decision["domain"]
        assert isinstance(explanation["text"], str) and explanation["text"].strip()
        assert explanation["headline"] in explanation["text"]
        # No token of the decision in the text for a person.
        for reason in decision["reasons"]:
            assert reason["rule"] not in explanation["text"]
        for action in decision["actions"]:
            assert action["action"] not in explanation["text"]
        # The dict is the JSON text's, which is compact and deterministic.
        response = hilldene.explain_json(text)
        assert json.loads(response) == explanation
        assert hilldene.explain(text) == explanation
        assert "\n" not in response.split('"text"')[0]
        assert hilldene.explain_json(text) == response


def test_explain_explains_what_evaluate_refuses(baseline):
    """Every malformed request that is text is explained, not raised: a
    "refused" answer whose error object is evaluate's, byte for byte; the
    binding's own refusals (a value JSON cannot carry, a wrong argument)
    still raise as evaluate's do."""
    refused = 0
    for name, preset, text in malformed_requests():
        engine = safeguard_engine.Engine.from_preset(preset)
        for evaluate, explain in ((engine.evaluate_json, engine.explain_json), (engine.evaluate, engine.explain)):
            try:
                evaluate(text)
            except safeguard_engine.SafeguardError as e:
                answer = explain(text)
                if isinstance(answer, str):
                    answer = json.loads(answer)
                assert answer["kind"] == "refused", name
                assert answer["error"] == json.loads(e.json)["error"], name
                assert answer["text"], name
                refused += 1
            else:
                explain(text)
    assert refused >= 280, f"only {refused} refusals compared"
    nan = dict(SEXTING_REQUEST, young_people=[{"id": "a", "age": float("nan"), "role": "subject"}])
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.explain(nan)
    assert info.value.json == NOT_FINITE_AGE
    for call in (
        lambda: baseline.explain_json(5),
        lambda: baseline.explain_json(SEXTING_REQUEST),
        lambda: baseline.explain_json(b"{}"),
        lambda: baseline.explain(object()),
        lambda: baseline.explain({1: "a"}),
    ):
        _argument_error(call)


@pytest.mark.skipif(not (CLI and os.path.exists(CLI)), reason="SAFEGUARD_CLI not set")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_explanation_byte_identical_to_the_cli(path):
    """explain's text is what `safeguard eval --explain FILE` prints, and
    explain_json the line `safeguard eval --jsonl --explain-json` prints."""
    request = json.loads(path.read_text())["request"]
    engine = safeguard_engine.Engine.from_preset(request["policy"])
    cli = subprocess.run([CLI, "eval", "--explain", str(path)], check=True, capture_output=True, text=True)
    assert engine.explain(request)["text"] == cli.stdout
    line = json.dumps(request) + "\n"
    cli = subprocess.run(
        [CLI, "eval", "--jsonl", "--explain-json", "-"], input=line, check=True, capture_output=True, text=True
    )
    assert engine.explain_json(json.dumps(request)) + "\n" == cli.stdout


def test_evaluate_many(hilldene):
    requests = [SEXTING_REQUEST, json.dumps(DEVICES_REQUEST), ESCALATION_REQUEST]
    decisions = hilldene.evaluate_many(requests)
    assert decisions == [hilldene.evaluate(r) for r in requests]
    # Any iterable, including a generator; empty gives empty.
    assert hilldene.evaluate_many(r for r in requests) == decisions
    assert hilldene.evaluate_many([]) == []


def test_evaluate_many_raises_for_the_first_bad_request(hilldene):
    bad = dict(ESCALATION_REQUEST, reported_at="2026-02-30T10:00")
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        hilldene.evaluate_many([SEXTING_REQUEST, bad, "{"])
    e = info.value
    assert e.index == 1
    assert e.code == "invalid_date"
    assert e.path == "$.reported_at"
    assert str(e).startswith("request 1: invalid date at $.reported_at")
    # The list stops at its first failure, whichever kind: a request that
    # cannot even be written as JSON after it is not what is reported
    # (JavaScript's evaluateMany stops at the same one).
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        hilldene.evaluate_many([SEXTING_REQUEST, bad, object()])
    assert (info.value.index, info.value.code) == (1, "invalid_date")
    assert info.value.json == e.json


# --- errors ---------------------------------------------------------------


def test_unknown_field(baseline):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate(dict(ESCALATION_REQUEST, flags={"x": True}))
    e = info.value
    assert e.code == "unknown_field"
    # The key is not quoted: the path is its object's.
    assert e.path == "$.flags"
    assert str(e).startswith("unknown field at $.flags")
    assert e.rule is None
    wire = json.loads(e.json)
    assert wire["schema_version"] == 1
    assert wire["error"]["code"] == "unknown_field"
    assert wire["error"]["path"] == "$.flags"


def test_error_message_is_the_rust_message(baseline):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate_json('{"domain":"devices","colour":"red"}')
    e = info.value
    assert str(e) == "unknown field at $ (line 1, column 28)"
    assert (e.code, e.path, e.line, e.column) == ("unknown_field", "$", 1, 28)


def test_missing_field(baseline):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate({"domain": "escalation"})
    assert info.value.code == "missing_field"
    assert info.value.path is not None and info.value.path.startswith("$")


def test_invalid_date(baseline):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate(dict(SEXTING_REQUEST, incident_date="2025-02-30"))
    assert info.value.code == "invalid_date"
    assert info.value.path == "$.incident_date"


def test_invalid_json(baseline):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate("{")
    assert info.value.code == "invalid_json"


def test_policy_mismatch(baseline):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate(DEVICES_REQUEST)
    assert info.value.code == "policy_mismatch"
    assert info.value.path == "$.policy"


def test_unknown_policy():
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        safeguard_engine.Engine.from_preset("no-such-school")
    assert info.value.code == "unknown_policy"
    assert "no-such-school" not in str(info.value)
    assert "not one of: baseline, " in str(info.value)


def test_from_policy_toml_and_json():
    engine = safeguard_engine.Engine.from_policy(OWN_POLICY)
    assert engine.policy_id == "py-test"
    assert safeguard_engine.Engine.from_policy(OWN_POLICY, "toml").policy_digest == engine.policy_digest
    as_json = json.dumps(
        {"policy": {"id": "py-test", "name": "Python test school", "version": "1",
                    "source": "test", "extends": "baseline"}}
    )
    assert safeguard_engine.Engine.from_policy(as_json, format="json").policy_digest == engine.policy_digest
    decision = engine.evaluate(SEXTING_REQUEST)
    assert decision["outcome"] == "refer_immediately"
    assert decision["policy"]["id"] == "py-test"


def test_invalid_toml():
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        safeguard_engine.Engine.from_policy("[policy\nid = ")
    e = info.value
    assert e.code == "invalid_toml"
    assert e.line == 1


def test_invalid_policy_json():
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        safeguard_engine.Engine.from_policy('{"policy": ', format="json")
    assert info.value.code == "invalid_json"


def test_unknown_format():
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        safeguard_engine.Engine.from_policy(OWN_POLICY, format="yaml")
    assert info.value.code == "invalid_argument"


def test_floor_violation():
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        safeguard_engine.Engine.from_policy(WEAKENED_POLICY)
    e = info.value
    assert e.code == "floor_violation"
    assert e.rule == "escalation.floor.immediate_danger"
    assert "escalation.floor.immediate_danger" in str(e)


def test_every_error_carries_all_attributes(baseline):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate("{")
    for name in ("code", "path", "line", "column", "rule"):
        assert hasattr(info.value, name)


# --- lint -----------------------------------------------------------------


def test_lint(hilldene):
    report = hilldene.lint()
    assert isinstance(report, dict)
    assert report["policy"]["id"] == "hilldene-primary"
    assert report == hilldene.lint()


def test_lint_of_a_too_finely_cut_policy_raises_too_complex():
    # Forty rules that each name one value of one dimension (the malformed
    # corpus's case): the lint once grew past the memory and killed the
    # interpreter; now it raises, and the interpreter goes on.
    corpus = PACKAGE.parent.parent / "tests" / "malformed"
    text = (corpus / "320-policy-lint-every-value-its-own-rule.toml").read_text()
    engine = safeguard_engine.Engine.from_policy(text)
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        engine.lint()
    assert info.value.code == "too_complex"
    assert "too_complex" in safeguard_engine.ERROR_CODES


# --- the policy builder and the annual review ------------------------------

ANSWERS = pathlib.Path(REPO / "tests" / "answers")
SCHOOL = {
    "id": "py-built-school",
    "name": "Python Built School",
    "version": "2026-09",
    "source": "Python Built School, Online Safety Policy, September 2026",
}
# One choice that differs from the national default: pupils' phones handed
# in at the office (the baseline does not allow them).
PHONES_ANSWER = {
    "question": "devices.pupil_phones",
    "choice": "hand_in_to_office",
    "cite": {"source": SCHOOL["source"], "section": "Mobile phones"},
}
ANSWERS_TOML = """\
[school]
id = "py-built-school"
name = "Python Built School"
version = "2026-09"
source = "Python Built School, Online Safety Policy, September 2026"

[[answers]]
question = "devices.pupil_phones"
choice = "hand_in_to_office"
cite = { source = "Python Built School, Online Safety Policy, September 2026", section = "Mobile phones" }
"""
# DEVICES_REQUEST without its policy, so that any engine decides it.
PHONE_REQUEST = {k: v for k, v in DEVICES_REQUEST.items() if k != "policy"}


def test_questions_are_the_model():
    """Every question once, each with its choices and exactly its default marked."""
    model = safeguard_engine.questions()
    assert isinstance(model, list) and len(model) > 10
    ids = [q["id"] for q in model]
    assert len(set(ids)) == len(ids)
    for q in model:
        assert set(q) == {"id", "domain", "prompt", "help", "default", "narrows", "choices"}, q["id"]
        defaults = [c["id"] for c in q["choices"] if c["national_default"]]
        assert defaults == [q["default"]], q["id"]
        assert all(c["label"] for c in q["choices"])
        assert q["narrows"] is None or q["narrows"] in ids
    phones = model[ids.index("devices.pupil_phones")]
    assert phones["default"] == "not_allowed"
    assert "hand_in_to_office" in [c["id"] for c in phones["choices"]]


def test_build_policy_loads_and_decides_as_the_answers_say():
    """The built policy loads back and allows the phone the baseline turns away;
    a dict, its JSON text and the same answers in TOML build the same policy."""
    answers = {"school": SCHOOL, "answers": [PHONES_ANSWER]}
    policy = safeguard_engine.build_policy(answers)
    assert policy == safeguard_engine.build_policy(json.dumps(answers), format="json")
    assert policy == safeguard_engine.build_policy(ANSWERS_TOML)
    assert policy == safeguard_engine.build_policy(ANSWERS_TOML, format="toml")
    assert 'extends = "baseline"' in policy and 'section = "Mobile phones"' in policy
    engine = safeguard_engine.Engine.from_policy(policy)
    assert engine.policy_id == "py-built-school"
    decision = engine.evaluate(PHONE_REQUEST)
    assert decision["outcome"] == "allow_with_conditions"
    assert decision["conditions"] == ["hand_in_to_office"]
    national = safeguard_engine.Engine.from_preset("baseline").evaluate(PHONE_REQUEST)
    assert national["outcome"] != "allow_with_conditions"
    assert "hand_in_to_office" not in national.get("conditions", [])
    # No answer but the school's: the national defaults, nothing allowed more.
    defaults = safeguard_engine.Engine.from_policy(safeguard_engine.build_policy({"school": SCHOOL, "answers": []}))
    assert defaults.evaluate(PHONE_REQUEST)["outcome"] == national["outcome"]


@pytest.mark.parametrize("path", sorted(ANSWERS.glob("*.toml")), ids=lambda p: p.stem)
def test_build_policy_of_each_seed_school(path):
    """Each seed school's answers file builds a policy that loads, under the
    file's school id, and (with SAFEGUARD_CLI) byte for byte what `safeguard
    policy new --answers FILE` writes."""
    policy = safeguard_engine.build_policy(path.read_text(encoding="utf-8"))
    engine = safeguard_engine.Engine.from_policy(policy)
    assert engine.policy_id == f"{path.stem}-built"
    if CLI and os.path.exists(CLI):
        cli = subprocess.run([CLI, "policy", "new", "--answers", str(path)], check=True, capture_output=True)
        assert policy == cli.stdout.decode("utf-8")


def test_build_policy_errors_have_a_code_and_a_path_and_quote_nothing():
    secret = "zzsecretzz"

    def refused(answers, format=None):
        with pytest.raises(safeguard_engine.SafeguardError) as info:
            safeguard_engine.build_policy(answers, format=format)
        e = info.value
        assert secret not in str(e) and secret not in e.json and "Secret" not in e.json
        assert json.loads(e.json)["error"]["code"] == e.code
        return e

    school = dict(SCHOOL, name="Secret Name School")
    e = refused({"school": school, "answers": [dict(PHONES_ANSWER, choice=secret)]})
    assert (e.code, e.path) == ("invalid_value", "$.answers[0].choice")
    e = refused({"school": school, "answers": [PHONES_ANSWER, {"question": "devices." + secret, "choice": "x"}]})
    assert (e.code, e.path) == ("invalid_value", "$.answers[1].question")
    e = refused(json.dumps({"school": dict(school, **{secret: 1})}), format="json")
    assert (e.code, e.path) == ("unknown_field", "$.school")
    e = refused({"answers": []})
    assert (e.code, e.path) == ("missing_field", "$.school")
    e = refused(f'[school]\nid = "a"\nname = {secret}\n')
    assert (e.code, e.line) == ("invalid_toml", 3)
    # A custom rule that drops a floor rule: the policy would not load.
    floor_rule = "devices.floor.no_personal_devices_in_private_areas"
    e = refused({"school": SCHOOL, "custom": {"devices_remove": [floor_rule]}})
    assert (e.code, e.rule) == ("floor_violation", floor_rule)
    # Arguments: an unknown format, a dict said to be TOML, not answers at all.
    assert refused(ANSWERS_TOML, format="yaml").code == "invalid_argument"
    assert refused({"school": SCHOOL}, format="toml").code == "invalid_argument"
    assert refused(42).code == "invalid_argument"
    assert refused(["answers"]).code == "invalid_argument"
    assert refused("[school]\nid = \"a\udcff\"\n").code == "invalid_utf8"


def test_review_is_the_annual_report(hilldene):
    """The review of a 2018 policy: typed as types.Review, its name, the 2024
    AI-imagery guidance listed as not addressed, its Markdown and HTML whole;
    and (with SAFEGUARD_CLI) the Markdown and HTML `safeguard review` prints."""
    from safeguard_engine.types import Review

    review = hilldene.review()
    assert type_errors(review, Review) == []
    assert review["name"] == "Hilldene Primary School"
    assert review["policy"]["id"] == "hilldene-primary"
    changes = {note["change"]["id"]: note for note in review["guidance"]}
    assert changes["ukcis-2024-ai-imagery"]["addressed"] is False
    assert review["markdown"].startswith("# Annual review")
    assert "Hilldene Primary School" in review["markdown"]
    assert "ukcis-2024-ai-imagery" not in review["markdown"]
    assert review["html"].startswith("<!DOCTYPE html>") and "<script" not in review["html"]
    assert review == hilldene.review()
    if CLI and os.path.exists(CLI):
        for flags, key in (([], "markdown"), (["--html"], "html")):
            cli = subprocess.run([CLI, "review", "hilldene-primary", *flags], check=True, capture_output=True)
            assert cli.stdout.decode("utf-8") == review[key], key


def test_review_of_every_preset_and_of_a_built_policy_is_of_its_type():
    """The Review type is honest for every preset, and a built policy is
    reviewed under its own name."""
    from safeguard_engine.types import Review

    for preset in safeguard_engine.presets():
        review = safeguard_engine.Engine.from_preset(preset).review()
        assert type_errors(review, Review) == [], preset
    built = safeguard_engine.Engine.from_policy(safeguard_engine.build_policy(ANSWERS_TOML)).review()
    assert built["name"] == "Python Built School"
    assert "Python Built School" in built["markdown"]


# --- images ---------------------------------------------------------------


def test_gps_jpeg_is_the_c_tests_file():
    assert len(GPS_JPEG) == 107


def test_inspect_image():
    info = safeguard_engine.inspect_image(GPS_JPEG)
    assert info["format"] == "jpeg"
    assert info["has_location"] is True
    assert "exif_gps" in info["location_fields"]
    # Latitude only, no longitude: present, but no position to report.
    assert info["location"] is None
    assert info["identifying"] == []


def test_strip_location():
    stripped = safeguard_engine.strip_location(GPS_JPEG)
    assert isinstance(stripped, bytes)
    info = safeguard_engine.inspect_image(stripped)
    assert info["has_location"] is False
    assert info["location_fields"] == []
    # Size-preserving, and the scan (pixel data) is byte-identical.
    assert len(stripped) == len(GPS_JPEG)
    assert stripped[-11:] == GPS_JPEG[-11:]
    # Stripping again changes nothing; bytearray works as bytes.
    assert safeguard_engine.strip_location(stripped) == stripped
    assert safeguard_engine.strip_location(bytearray(GPS_JPEG)) == stripped


def test_strip_identifying():
    stripped = safeguard_engine.strip_identifying(GPS_JPEG)
    assert isinstance(stripped, bytes)
    info = safeguard_engine.inspect_image(stripped)
    assert info["has_location"] is False
    assert info["identifying"] == []
    assert len(stripped) == len(GPS_JPEG)
    assert stripped[-11:] == GPS_JPEG[-11:]
    assert safeguard_engine.strip_identifying(stripped) == stripped
    assert safeguard_engine.strip_identifying(bytearray(GPS_JPEG)) == stripped


def test_image_errors():
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        safeguard_engine.inspect_image(GPS_JPEG[:7])
    assert info.value.code == "invalid_image"
    assert info.value.path is None
    gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00"
    for f in (safeguard_engine.inspect_image, safeguard_engine.strip_location, safeguard_engine.strip_identifying):
        with pytest.raises(safeguard_engine.SafeguardError) as info:
            f(gif)
        assert info.value.code == "unsupported_image"
    for bad in ("not bytes", 42, None, [0xFF, 0xD8]):
        for f in (safeguard_engine.inspect_image, safeguard_engine.strip_location, safeguard_engine.strip_identifying):
            with pytest.raises(safeguard_engine.SafeguardError) as info:
                f(bad)
            assert info.value.code == "invalid_argument"


# --- threads --------------------------------------------------------------


def test_threads_share_one_engine(hilldene):
    requests = [SEXTING_REQUEST, DEVICES_REQUEST, ESCALATION_REQUEST]
    texts = [json.dumps(r) for r in requests]
    expected = [hilldene.evaluate_json(t) for t in texts]
    results = [None] * 8
    errors = []

    def work(n):
        try:
            got = []
            for i in range(100):
                k = (n + i) % len(texts)
                got.append(hilldene.evaluate_json(texts[k]) == expected[k])
                got.append(hilldene.evaluate(requests[k]) == json.loads(expected[k]))
                try:
                    hilldene.evaluate("{")
                    got.append(False)
                except safeguard_engine.SafeguardError as e:
                    got.append(e.code == "invalid_json")
            results[n] = all(got)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == [True] * 8


# --- the README -----------------------------------------------------------


def readme_snippet(readme=PACKAGE / "README.md"):
    text = readme.read_text()
    section = text.split("## Use from Python", 1)[1]
    match = re.search(r"^```python\n(.*?)^```$", section, re.S | re.M)
    assert match, "no ```python block under 'Use from Python'"
    return match.group(1)


@pytest.mark.parametrize("readme", [PACKAGE / "README.md", PACKAGE.parent.parent / "README.md"])
def test_readme_snippet_runs(capsys, readme):
    exec(compile(readme_snippet(readme), str(readme), "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert out.startswith("notify dsl 2026-03-06T16:45\n")
    assert "unknown_field $\n" in out


# --- docs and stubs ---------------------------------------------------------


def test_package_docstring_examples():
    import doctest

    failed, attempted = doctest.testmod(safeguard_engine, verbose=False)
    assert attempted > 0
    assert failed == 0


def test_stub_matches_the_module():
    """Every name the type stub declares exists on the compiled module."""
    import ast

    from safeguard_engine import _safeguard

    stub = ast.parse((PACKAGE / "python" / "safeguard_engine" / "_safeguard.pyi").read_text())
    for node in stub.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            assert hasattr(_safeguard, node.name), node.name
        if isinstance(node, ast.ClassDef) and node.name == "Engine":
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    assert hasattr(_safeguard.Engine, item.name), item.name
        if isinstance(node, ast.AnnAssign):
            assert hasattr(_safeguard, node.target.id), node.target.id
    for name in safeguard_engine.__all__:
        assert hasattr(safeguard_engine, name)


# --- dicts in and out without Python's json --------------------------------


def scenario_requests():
    root = PACKAGE.parent.parent / "tests" / "scenarios"
    for path in sorted(root.glob("*/*.json")):
        yield path.name, json.loads(path.read_text(encoding="utf-8"))["request"]


def test_dicts_round_trip_exactly_like_json_text():
    engines = {}
    for name, request in scenario_requests():
        policy = request.get("policy", "baseline")
        engine = engines.setdefault(policy, safeguard_engine.Engine.from_preset(policy))
        text = json.dumps(request)
        try:
            expected = engine.evaluate_json(text)
        except safeguard_engine.SafeguardError as e:
            with pytest.raises(safeguard_engine.SafeguardError) as info:
                engine.evaluate(request)
            # The column differs: it counts in the text, which a dict lacks.
            assert (info.value.code, info.value.path) == (e.code, e.path), name
            continue
        got = engine.evaluate(request)
        # Same values, and the same key order: dumping the dict compactly
        # gives back the engine's bytes.
        assert json.dumps(got, separators=(",", ":"), ensure_ascii=False) == expected, name


def test_unusual_request_values_fall_back_to_json_dumps(baseline):
    # A tuple and an int beyond 64 bits are written by json.dumps instead.
    request = dict(ESCALATION_REQUEST)
    request["flags"] = {"immediate_danger": True}
    as_tuple = dict(request, extra=(1, 2))
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate(as_tuple)
    assert info.value.code == "unknown_field" and info.value.path == "$"
    huge = dict(request, schema_version=2**70)
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate(huge)
    assert info.value.path == "$.schema_version"


def test_deep_nesting_is_refused_not_a_crash(baseline):
    deep = {}
    node = deep
    for _ in range(10_000):
        node["x"] = {}
        node = node["x"]
    with pytest.raises((safeguard_engine.SafeguardError, ValueError, RecursionError)):
        baseline.evaluate(deep)


# --- issue 21: arguments, NaN, depth, text that is not UTF-8 ---------------


def _argument_error(call):
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        call()
    e = info.value
    assert e.code == "invalid_argument", str(e)
    assert e.path is None
    assert json.loads(e.json)["error"]["code"] == "invalid_argument"
    return e


def test_wrong_argument_types_are_invalid_argument(baseline):
    """Wrong types were bare TypeErrors (or ValueError for a format)."""
    calls = [
        lambda: safeguard_engine.Engine.from_preset(5),
        lambda: safeguard_engine.Engine.from_preset(None),
        lambda: safeguard_engine.Engine.from_preset({}),
        lambda: safeguard_engine.Engine.from_preset(b"baseline"),
        lambda: safeguard_engine.Engine.from_policy(5),
        lambda: safeguard_engine.Engine.from_policy(None, "toml"),
        lambda: safeguard_engine.Engine.from_policy(OWN_POLICY, 5),
        lambda: safeguard_engine.Engine.from_policy(OWN_POLICY, format=1.5),
        lambda: baseline.evaluate_json(5),
        lambda: baseline.evaluate_json(b"{}"),
        lambda: baseline.evaluate({1: "a"}),
        lambda: baseline.evaluate({"domain": {1, 2}}),
        lambda: baseline.evaluate(object()),
        lambda: baseline.evaluate_many(5),
        lambda: baseline.evaluate_many("not a list"),
        lambda: baseline.evaluate_many(SEXTING_REQUEST),
    ]
    for call in calls:
        _argument_error(call)
    e = _argument_error(lambda: baseline.evaluate_many([SEXTING_REQUEST, object()]))
    assert e.index == 1
    assert str(e).startswith("request 1: ")


# The error every binding gives for a NaN age (the same bytes as JavaScript's).
NOT_FINITE_AGE = (
    '{"schema_version":1,"error":{"code":"invalid_value","message":"invalid value at '
    '$.young_people[0].age: not a finite number (NaN and Infinity cannot be written as JSON)",'
    '"path":"$.young_people[0].age"}}'
)


def test_nan_and_infinity_are_invalid_value_at_their_path(baseline):
    """A NaN age was invalid_json with no path (and undecided in WASM)."""
    for age in (float("nan"), float("inf"), float("-inf")):
        request = dict(SEXTING_REQUEST, young_people=[{"id": "a", "age": age, "role": "subject"}])
        with pytest.raises(safeguard_engine.SafeguardError) as info:
            baseline.evaluate(request)
        assert info.value.code == "invalid_value"
        assert info.value.path == "$.young_people[0].age"
        assert info.value.json == NOT_FINITE_AGE
    nested = dict(SEXTING_REQUEST, facts={"x": (1, {"y": float("nan")})})
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate(nested)
    assert info.value.path == "$.facts.x[1].y"


def test_deep_and_circular_objects_are_too_large(baseline):
    """A 100k-deep or circular dict raised a plain ValueError."""
    cyclic = {"domain": "sexting"}
    cyclic["self"] = cyclic
    looped = []
    looped.append(looped)
    deep = {}
    for _ in range(100_000):
        deep = {"a": deep}
    seventeen = {}
    for _ in range(16):
        seventeen = {"a": seventeen}
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate_json("[" * 17 + "1" + "]" * 17)
    engine_error = info.value.json
    for bad in (cyclic, looped, deep, seventeen, {"x": [cyclic]}):
        with pytest.raises(safeguard_engine.SafeguardError) as info:
            baseline.evaluate(bad)
        assert info.value.code == "too_large"
        assert info.value.path == "$"
        assert info.value.json == engine_error
    sixteen = seventeen["a"]
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate(sixteen)
    assert info.value.code != "too_large"


def test_a_lone_surrogate_is_invalid_utf8_at_its_place(baseline):
    """One code for text that is not UTF-8 (it was a UnicodeEncodeError)."""
    request = '{"domain": "sexting",\n "policy": "\ud800"}'
    for call in (lambda: baseline.evaluate_json(request), lambda: baseline.evaluate(request)):
        with pytest.raises(safeguard_engine.SafeguardError) as info:
            call()
        e = info.value
        assert e.code == "invalid_utf8"
        assert (e.line, e.column, e.path) == (2, 13, None)
    for call in (
        lambda: safeguard_engine.Engine.from_preset("base\udc00line"),
        lambda: safeguard_engine.Engine.from_policy(OWN_POLICY + "\n# \ud800"),
    ):
        with pytest.raises(safeguard_engine.SafeguardError) as info:
            call()
        assert info.value.code == "invalid_utf8"
    # In a dict, a lone surrogate is written as its JSON escape, as
    # JSON.stringify writes it, and judged by the engine.
    with pytest.raises(safeguard_engine.SafeguardError) as info:
        baseline.evaluate(dict(SEXTING_REQUEST, policy="\ud800"))
    assert info.value.code != "invalid_utf8"


def test_subclasses_and_tuples_are_written_as_json_dumps_writes_them(baseline):
    class D(dict):
        """A dict subclass, as frameworks hand them over."""

    request = D(SEXTING_REQUEST, young_people=(dict(id="a", age=15, role="subject"),))
    assert baseline.evaluate(request) == baseline.evaluate(json.dumps(request))


# --- the wheel and its types ------------------------------------------------


@pytest.mark.skipif(not os.environ.get("SAFEGUARD_WHEEL_UNDER_TEST"), reason="not testing an installed wheel")
def test_the_package_under_test_is_the_installed_wheel():
    """scripts/test-python tests the wheel, not the source tree."""
    installed = pathlib.Path(safeguard_engine.__file__).resolve().parent
    assert PACKAGE not in installed.parents
    assert "site-packages" in installed.parts
    # The marker that makes type checkers read the package's own types.
    assert (installed / "py.typed").is_file()


def test_the_types_are_what_the_generator_writes_from_the_schemas():
    """safeguard_engine/types.py, committed and installed, is scripts/gen-python-types' output."""
    generator = REPO / "scripts" / "gen-python-types"
    assert generator.is_file(), "the tests run from the repository, beside scripts/"
    expected = subprocess.run(
        [sys.executable, str(generator), "--stdout"], check=True, capture_output=True, text=True
    ).stdout
    assert expected.startswith('"""Types of the safeguard wire format')
    committed = PACKAGE / "python" / "safeguard_engine" / "types.py"
    assert committed.read_text() == expected, "run scripts/gen-python-types"
    assert pathlib.Path(safeguard_engine.types.__file__).read_text() == expected


def type_errors(value, hint, where="$"):
    """Where `value` (from JSON) is not of the type `hint` (from safeguard_engine.types)."""
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        fields = typing.get_type_hints(hint)
        errors = [f"{where}.{k}: not a key of {hint.__name__}" for k in value if k not in fields]
        errors += [f"{where}.{k}: missing" for k in hint.__required_keys__ if k not in value]
        for key in value.keys() & fields.keys():
            errors += type_errors(value[key], fields[key], f"{where}.{key}")
        return errors
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        ok = any(type(value) is type(a) and value == a for a in args)
        return [] if ok else [f"{where}: {value!r} is not one of {args}"]
    if origin in (typing.Union, types.UnionType):
        options = [type_errors(value, a, where) for a in args]
        return [] if any(not o for o in options) else [e for o in options for e in o]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [e for i, item in enumerate(value) for e in type_errors(item, args[0], f"{where}[{i}]")]
    if hint is type(None):
        return [] if value is None else [f"{where}: not null"]
    if hint is float:
        return [] if type(value) in (int, float) else [f"{where}: not a number"]
    return [] if type(value) is hint else [f"{where}: not {hint.__name__}"]


def request_type(request):
    from safeguard_engine import types as t

    domain = request.get("domain", "devices")
    if domain == "images":
        return t.GalleryRequest if "images" in request else t.ImagesRequest
    return {"sexting": t.SextingRequest, "devices": t.DevicesRequest, "escalation": t.EscalationRequest}[domain]


def test_every_scenario_request_and_decision_is_of_its_type():
    """The types are honest: every request of tests/scenarios/ the engine accepts
    is of its domain's request type, and every decision is a Decision (no key
    the type lacks, no required key missing, every value of its type)."""
    from safeguard_engine.types import Decision

    engines, decided = {}, 0
    for name, request in scenario_requests():
        policy = request.get("policy", "baseline")
        engine = engines.setdefault(policy, safeguard_engine.Engine.from_preset(policy))
        try:
            decision = engine.evaluate(request)
        except safeguard_engine.SafeguardError:
            continue
        assert type_errors(request, request_type(request)) == [], name
        assert type_errors(decision, Decision) == [], name
        decided += 1
    assert decided > 100


def test_the_type_check_catches_what_it_should():
    """type_errors is not vacuous: it finds a wrong value, an unknown key and a missing one."""
    from safeguard_engine.types import Decision

    decision = safeguard_engine.Engine.from_preset("baseline").evaluate(ESCALATION_REQUEST)
    assert type_errors(decision, Decision) == []
    outcomes = typing.get_args(typing.get_type_hints(Decision)["outcome"])
    assert "notify" in outcomes
    assert type_errors(dict(decision, outcome="maybe"), Decision) == [f"$.outcome: 'maybe' is not one of {outcomes}"]
    assert type_errors(dict(decision, colour="red"), Decision) == ["$.colour: not a key of Decision"]
    without = {k: v for k, v in decision.items() if k != "reasons"}
    assert type_errors(without, Decision) == ["$.reasons: missing"]
    wrong_step = dict(decision, actions=[dict(decision["actions"][0], deadline=3)])
    assert type_errors(wrong_step, Decision) != []
