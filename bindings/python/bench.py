"""Per-call time of the Python binding against the budget of SPEC §9 (a
Python `evaluate` call <= 15 us), on the devices request of the Rust and C
ABI benchmarks. Prints the median of 15 runs of 20,000 calls each.

Run after scripts/test-python:
    target/python-venv/bin/python bindings/python/bench.py
"""

import statistics
import timeit

import safeguard_engine

REQUEST = {
    "schema_version": 1, "domain": "devices", "policy": "hilldene-primary",
    "actor": {"role": "pupil", "year_group": 6},
    "device": {"kind": "mobile_phone", "owner": "personal"},
    "action": "bring_on_site",
    "context": {"location": "reception", "period": "before_school",
                "children_present": True, "exception": "none"},
}


def median_us(stmt, number=20_000, repeat=15):
    runs = timeit.repeat(stmt, number=number, repeat=repeat)
    return statistics.median(runs) / number * 1e6


def main():
    import json

    engine = safeguard_engine.Engine.from_preset("hilldene-primary")
    text = json.dumps(REQUEST, separators=(",", ":"))
    rows = [
        ("evaluate_json(str) -> str", median_us(lambda: engine.evaluate_json(text))),
        ("evaluate(dict) -> dict", median_us(lambda: engine.evaluate(REQUEST))),
    ]
    for name, us in rows:
        print(f"python/{name:<28} median {us:6.2f} us per call")
    worst = max(us for _, us in rows)
    print(f"budget 15 us: {'met' if worst <= 15 else 'NOT met'}")


if __name__ == "__main__":
    main()
