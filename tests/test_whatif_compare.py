"""What-if compares like with like (issue 16 item 4, issue 17 item 8): a finding is resolved only
when the problem is gone from the site, a changed title is one changed finding, pre-existing
problems are not new, and every finding the candidate feeds (a budget it overflows, classes it
adds to an archive) is marked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conformance.findings import Analysis, Finding, Severity
from conformance.pipeline import run_check

CT, MR, US = "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.6.1"
STUDY_FIND, STUDY_MOVE = "1.2.840.10008.5.1.4.1.2.2.1", "1.2.840.10008.5.1.4.1.2.2.2"
NAMES = {
    CT: "CT Image Storage",
    MR: "MR Image Storage",
    US: "Ultrasound Image Storage",
    STUDY_FIND: "Study Root Query/Retrieve Information Model - FIND",
    STUDY_MOVE: "Study Root Query/Retrieve Information Model - MOVE",
}
NATIVE = "1.2.840.10008.1.2; 1.2.840.10008.1.2.1"


def statement(product: str, rows: list[tuple[str, str, str]], limits: str = "") -> str:
    """A small Markdown statement: (UID, SCU, SCP) rows and an accepted/proposed context per role."""
    lines = [
        f"# {product} DICOM Conformance Statement",
        "",
        f"Product: {product}",
        "",
        "## Network Services",
        "",
    ]
    lines += ["| SOP Class Name | SOP Class UID | SCU | SCP |", "|---|---|---|---|"]
    lines += [f"| {NAMES[u]} | {u} | {scu} | {scp} |" for u, scu, scp in rows]
    lines += [
        "",
        "## Presentation Contexts",
        "",
        "| Abstract Syntax | UID | Transfer Syntax | Role |",
        "|---|---|---|---|",
    ]
    for u, scu, scp in rows:
        for role, yes in (("SCU", scu), ("SCP", scp)):
            if yes == "Yes":
                lines.append(f"| {NAMES[u]} | {u} | {NATIVE} | {role} |")
    return "\n".join([*lines, "", limits, ""])


CT_MD = statement(
    "Nova CT", [(CT, "Yes", "No"), (MR, "Yes", "No")], "Maximum number of associations initiated: 3"
)
PACS_MD = statement(
    "Keep PACS",
    [
        (CT, "Yes", "Yes"),
        (MR, "Yes", "Yes"),
        (US, "Yes", "Yes"),
        (STUDY_FIND, "No", "Yes"),
        (STUDY_MOVE, "No", "Yes"),
    ],
    "Maximum number of associations accepted: 4",
)
WS_MD = statement("Glance WS", [(CT, "No", "Yes"), (STUDY_FIND, "Yes", "No"), (STUDY_MOVE, "Yes", "No")])


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files = {
        "ct.md": CT_MD,
        "pacs.md": PACS_MD,
        "ws.md": WS_MD,
        # refuses MR: the images stop at the archive, before the workstation
        "pacs_no_mr.md": PACS_MD.replace("Keep PACS", "Narrow PACS")
        .replace(f"| {NAMES[MR]} | {MR} | Yes | Yes |", "")
        .replace(f"| {NAMES[MR]} | {MR} | {NATIVE} | SCU |", "")
        .replace(f"| {NAMES[MR]} | {MR} | {NATIVE} | SCP |", ""),
        "ct_mr_only.md": statement(
            "Mono CT", [(MR, "Yes", "No")], "Maximum number of associations initiated: 3"
        ),
        "ws_mr.md": statement(
            "Wide WS",
            [(CT, "No", "Yes"), (MR, "No", "Yes"), (STUDY_FIND, "Yes", "No"), (STUDY_MOVE, "Yes", "No")],
        ),
        "us.md": statement("Echo US", [(US, "Yes", "No")], "Maximum number of associations initiated: 3"),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    inv = tmp_path / "site.yaml"
    devices = [
        {"name": "CT", "role": "modality", "ae_title": "CT", "port": 104, "statement": "ct.md"},
        {"name": "PACS", "role": "archive", "ae_title": "PACS", "port": 104, "statement": "pacs.md"},
        {"name": "WS", "role": "workstation", "ae_title": "WS", "port": 104, "statement": "ws.md"},
    ]
    links = [
        {"from": "CT", "to": "PACS", "service": "store"},
        {"from": "WS", "to": "PACS", "service": "move"},
    ]
    inv.write_text(yaml.safe_dump({"devices": devices, "links": links}), encoding="utf-8")
    return inv


def _summary(a: Analysis) -> Finding:
    return next(f for f in a.findings if f.rule == "what-if-summary")


def test_before(site: Path) -> None:
    """Today MR reaches the archive and fails only on its way to the workstation."""
    a = run_check(site, use_cache=False)
    move = [f for f in a.findings if f.rule == "move-sop-class-not-accepted"]
    assert len(move) == 1 and move[0].sop_classes == [MR] and move[0].target == "PACS"
    assert not [f for f in a.findings if f.source == "CT" and f.severity is not Severity.INFO]


def test_a_problem_that_moves_upstream_is_not_resolved(site: Path) -> None:
    a = run_check(site, candidate=site.parent / "pacs_no_mr.md", replace="PACS", use_cache=False)
    resolved = [f for f in a.findings if f.change == "resolved"]
    assert not [f for f in resolved if MR in f.sop_classes], [f.title for f in resolved]
    moved = [f for f in a.findings if f.change == "moved"]
    assert len(moved) == 1 and moved[0].rule == "move-sop-class-not-accepted"
    assert moved[0].severity is Severity.INFO and "stop at PACS" in moved[0].detail
    # the new problem is where MR stops now: the archive refuses it from the CT
    assert any(f.change == "new" and f.source == "CT" and f.target == "PACS" for f in a.findings)
    summary = _summary(a)
    assert "0 resolved" in summary.title and "1 not resolved" in summary.title
    assert "WS -> PACS (move): works with changes -> works" in summary.detail
    assert (
        "CT -> PACS (store): works -> " in summary.detail
        and "CT -> PACS (store): works -> works;" not in summary.detail
    )


def test_a_changed_title_is_one_changed_finding(site: Path) -> None:
    """A CT that sends only MR: the archive holds MR only and the workstation refuses all of it."""
    a = run_check(site, candidate=site.parent / "ct_mr_only.md", replace="CT", use_cache=False)
    f = next(f for f in a.findings if f.rule == "move-sop-class-not-accepted")
    assert f.change == "changed" and f.severity is Severity.BLOCKING and "1 of the 1" in f.title
    assert not [g for g in a.findings if g.change in ("resolved", "new", "moved") and g.rule == f.rule]


def test_a_problem_gone_from_the_site_is_resolved(site: Path) -> None:
    a = run_check(site, candidate=site.parent / "ws_mr.md", replace="WS", use_cache=False)
    resolved = [f for f in a.findings if f.change == "resolved"]
    assert [f.rule for f in resolved] == ["move-sop-class-not-accepted"] and resolved[0].sop_classes == [MR]
    assert "1 resolved" in _summary(a).title and "not resolved" not in _summary(a).title
    assert "WS -> PACS (move): works with changes -> works" in _summary(a).detail


def test_pre_existing_problems_are_not_new_when_a_device_is_added(site: Path) -> None:
    """An added ultrasound that overflows the archive's budget and adds US images to what the
    archive holds (the workstation takes none) feeds two findings that do not name it."""
    a = run_check(site, candidate=site.parent / "us.md", as_role="modality", use_cache=False)
    budget = next(f for f in a.findings if f.rule == "association-budget")
    assert (
        budget.change == "new" and budget.source == "PACS" and "Up to 7" in budget.title
    )  # 3 + 3 + WS (unstated: 1)
    move = next(f for f in a.findings if f.rule == "move-sop-class-not-accepted")
    assert move.change == "changed" and move.sop_classes == [MR, US]  # it existed for MR
    untouched = [f for f in a.findings if f.rule == "move-destination-unknown"]
    assert untouched and all(f.change == "" for f in untouched)
    summary = _summary(a)
    assert summary.change == "new" and "changed" in summary.title
