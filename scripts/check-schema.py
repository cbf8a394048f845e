#!/usr/bin/env python3
"""Checks docs/scenario.schema.json against real files: every shipped scenario must pass,
and broken files whose mistake is structural (unknown keys, wrong types, shapes) must
fail. Needs the `jsonschema` package (CI installs it into target/py-venv).

    python3 scripts/check-schema.py
"""
import datetime, json, sys, tomllib
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
schema = json.loads((ROOT / "docs" / "scenario.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def as_json(v):
    """TOML dates become ISO strings, as editors present them to a JSON Schema."""
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: as_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [as_json(x) for x in v]
    return v


passed = failed = 0
def check(ok, what):
    global passed, failed
    passed, failed = passed + ok, failed + (not ok)
    if not ok:
        print("FAILED  " + what)

for f in sorted((ROOT / "scenarios").rglob("*.toml")):
    errors = list(validator.iter_errors(as_json(tomllib.loads(f.read_text()))))
    check(not errors, f"{f.name} should pass: {[e.message for e in errors][:3]}")

structural = ["typo-reference-date", "typo-side-key", "typo-noise-key", "typo-range-key",
              "typo-phase-key", "typo-top-level", "unknown-key-no-match", "type-paths-string",
              "type-seed-float", "type-casualties-string", "type-casualties-bool",
              "type-level-string", "type-name-int", "range-unknown-shape", "paths-zero",
              "paths-negative", "noise-unknown-model", "side-named-combined", "missing-noise",
              "range-array-of-one", "range-array-of-three", "threshold-level-zero"]
for name in structural:
    data = tomllib.loads((ROOT / "tests" / "broken" / f"{name}.toml").read_text())
    check(not validator.is_valid(as_json(data)), f"{name} should fail the schema")

print(f"schema: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
