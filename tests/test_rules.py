"""The rule catalogue is the one list of rule ids: code, docs and findings agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.findings import Finding, Severity
from conformance.rules import RULES, markdown_table

ROOT = Path(__file__).resolve().parents[1]
# A rule id where code emits a finding: finding("id", ...), pair_finding("id", ...),
# ctx.finding("id", ...), Finding(rule="id", ...) or the log explainer's x.add("id", ...).
_EMITTED = re.compile(r"""(?:finding\(\s*|\brule=|\bx\.add\(\s*)"([a-z0-9]+(?:-[a-z0-9]+)+)\"""")


def _emitted() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "conformance").rglob("*.py")):
        for rule_id in _EMITTED.findall(path.read_text(encoding="utf-8")):
            found.setdefault(rule_id, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_emitted_rule_is_catalogued() -> None:
    emitted = _emitted()
    assert len(emitted) > 40  # the scan itself works
    missing = {rule_id: where for rule_id, where in emitted.items() if rule_id not in RULES}
    assert not missing


def test_every_catalogued_rule_is_emitted_somewhere() -> None:
    emitted = _emitted()
    # rules whose id sits in a table of checks (probe identity comparisons)
    computed = {"probe-implementation-class-differs", "probe-implementation-version-differs"}
    source = (ROOT / "conformance" / "probe" / "compare.py").read_text(encoding="utf-8")
    assert all(f'"{rule_id}"' in source for rule_id in computed)
    assert sorted(set(RULES) - set(emitted) - computed) == []


def test_docs_carry_the_catalogue() -> None:
    text = (ROOT / "docs" / "matcher-rules.md").read_text(encoding="utf-8")
    table = text.split("<!-- rules:begin -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert table == markdown_table(), "run: python -m conformance.rules, paste between the markers"
    for rule_id in RULES:
        assert f"`{rule_id}`" in table


def test_a_finding_with_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="not in the catalogue"):
        Finding(rule="no-such-rule", severity=Severity.INFO, title="x")


def test_a_finding_takes_keywords_only() -> None:
    with pytest.raises(TypeError):
        Finding("tls-one-side", Severity.INFO, "x")  # type: ignore[misc]


def test_catalogue_entries_are_well_formed() -> None:
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule_id)
        assert rule.severities and len(set(rule.severities)) == len(rule.severities)
        assert rule.meaning and "\n" not in rule.meaning and "|" not in rule.meaning
        assert not rule.warns or rule.family in {"inventory", "silence"} or rule.silence
        # every rule says which part of the standard (or which profile) it follows
        assert rule.clause and "|" not in rule.clause
        assert re.match(r"(PS3\.\d+|IHE|none \()", rule.clause), rule.clause
