"""safeguard and cedarpy (the Cedar policy engine's Python package) give the
same verdicts and conditions on the requests bindings/python/bench.py times,
through the bench's own code, so the comparison cannot drift to comparing
different answers. Not timed. Skipped where cedarpy is not installed
(scripts/test-python installs the version bindings/python/bench-requirements.txt
pins)."""

import importlib.metadata
import importlib.util
import pathlib

import pytest

import safeguard_engine

cedarpy = pytest.importorskip("cedarpy")

PACKAGE = pathlib.Path(__file__).resolve().parent.parent


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench", PACKAGE / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


@pytest.fixture(scope="module")
def engine():
    return safeguard_engine.Engine.from_preset(bench.PRESET)


@pytest.fixture(scope="module")
def cedar():
    return bench.CedarDevices(cedarpy)


@pytest.fixture(scope="module")
def cases():
    return bench.load_cases()


def test_the_pinned_cedarpy_is_installed():
    assert importlib.metadata.version("cedarpy") == bench.pinned_cedarpy()


def test_every_bench_request_gets_the_same_answer(engine, cedar, cases):
    assert len(cases) == 256
    allowed = bench.check_agreement(engine, cedar, cases)
    # The set exercises both verdicts, and allows with conditions.
    assert 0 < allowed < len(cases)
    with_conditions = [c for c in cases
                       if bench.safeguard_answer(engine.evaluate(c["request"]))[1]]
    assert with_conditions


def _decisions(engine, cases):
    return [engine.evaluate(c["request"]) for c in cases]


def _swapped(cases, i, j):
    """The cases with the Cedar requests of cases i and j exchanged."""
    out = [dict(c) for c in cases]
    out[i]["cedar"], out[j]["cedar"] = cases[j]["cedar"], cases[i]["cedar"]
    return out


def test_a_different_verdict_is_caught(engine, cedar, cases):
    outcomes = [d["outcome"] in bench.ALLOWING for d in _decisions(engine, cases)]
    allow = outcomes.index(True)
    deny = outcomes.index(False)
    with pytest.raises(bench.Disagreement, match="2 of 256"):
        bench.check_agreement(engine, cedar, _swapped(cases, allow, deny))


def test_different_conditions_are_caught(engine, cedar, cases):
    # Two allowed requests with every fact known, nothing met by a recorded
    # permission, and different conditions: exact conditions are compared.
    plain = [(i, frozenset(d["conditions"]))
             for i, d in enumerate(_decisions(engine, cases))
             if d["outcome"] in bench.ALLOWING and not d["unknowns"]
             and not cases[i]["conditions_met"]]
    pairs = [(i, j) for i, a in plain for j, b in plain if a != b]
    assert pairs, "no two allowed requests with different conditions"
    i, j = pairs[0]
    with pytest.raises(bench.Disagreement, match="2 of 256"):
        bench.check_agreement(engine, cedar, _swapped(cases, i, j))
