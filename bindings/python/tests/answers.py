"""The Python binding's answers for the cross-binding check
(scripts/test-consistency): every case DIR/cases.tsv lists (written by
`cargo run -p safeguard-tests --example json_answers -- DIR`, which
describes the files), one line per case on stdout, in the json module's
terms: the response JSON, "loaded", "stripped" (the copy written to
DIR/stripped/NAME.python), "built" (the policy `build_policy` wrote, in
DIR/built/NAME.python) or the error JSON (`SafeguardError.json`).

Usage: python answers.py DIR (with the package installed).
"""

import json
import pathlib
import sys

import safeguard_engine


def text(data: bytes, valid: str) -> str:
    """The input as the str a Python caller has: the text itself, or, for
    bytes that are not UTF-8, their valid prefix and a lone surrogate (which
    the binding reports as invalid_utf8 at that place)."""
    if valid == "-":
        return data.decode("utf-8")
    return data[: int(valid)].decode("utf-8") + "\udcff"


def answer(directory: pathlib.Path, name: str, entry: str, preset: str, valid: str) -> str:
    data = (directory / "cases" / name).read_bytes()
    try:
        if entry == "request":
            return safeguard_engine.Engine.from_preset(preset).evaluate_json(text(data, valid))
        if entry == "explain":
            return safeguard_engine.Engine.from_preset(preset).explain_json(text(data, valid))
        if entry in ("policy_toml", "policy_json"):
            safeguard_engine.Engine.from_policy(text(data, valid), format=entry[len("policy_"):])
            return "loaded"
        if entry == "policy_lint":
            report = safeguard_engine.Engine.from_policy(text(data, valid), format="toml").lint()
            return json.dumps(report, ensure_ascii=False, separators=(",", ":"))
        if entry == "review":
            report = safeguard_engine.Engine.from_policy(text(data, valid), format="toml").review()
            return json.dumps(report, ensure_ascii=False, separators=(",", ":"))
        if entry in ("build_policy_toml", "build_policy_json"):
            policy = safeguard_engine.build_policy(text(data, valid), format=entry[len("build_policy_"):])
            (directory / "built" / f"{name}.python").write_bytes(policy.encode("utf-8"))
            return "built"
        if entry == "image_inspect":
            info = safeguard_engine.inspect_image(data)
            return json.dumps(info, ensure_ascii=False, separators=(",", ":"))
        if entry == "image_strip":
            (directory / "stripped" / f"{name}.python").write_bytes(safeguard_engine.strip_location(data))
            return "stripped"
    except safeguard_engine.SafeguardError as e:
        return e.json
    sys.exit(f"{name}: no entry point {entry}")


def main() -> None:
    directory = pathlib.Path(sys.argv[1])
    out = []
    for row in (directory / "cases.tsv").read_text(encoding="utf-8").splitlines():
        out.append(answer(directory, *row.split("\t")))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
