"""A statement that names transfer syntaxes no service got: one warning per device, with its places."""

from __future__ import annotations

from conformance.model import Provenance, Sighting
from conformance.report import build_view, to_json
from conformance.strict import analysis_warnings
from tests.matcher_kit import J2K_LOSSLESS, archive, device, modality, rules, run

CT_DEV, PACS_DEV = device("CT", "modality"), device("PACS", "archive")


def test_unused_syntaxes_give_one_warning_with_their_first_places() -> None:
    pacs = archive()
    first = Provenance(
        "pacs.md", line=77, section="4.3 Supported Transfer Syntaxes", text="JPEG 2000 (Lossless)"
    )
    pacs.coverage.unattached_transfer_syntaxes = [Sighting(J2K_LOSSLESS, "JPEG 2000 Lossless", 2, first)]
    a = run([CT_DEV, PACS_DEV], {"CT": modality(), "PACS": pacs}, [("CT", "PACS", "store")])
    [f] = rules(a, "statement-unused-transfer-syntaxes")
    assert f.source == "PACS" and f.severity.value == "info"
    assert "lists 1 transfer syntax(es) that no service was read with" in f.title
    assert f.evidence[0].provenance == first and "JPEG 2000 Lossless" in f.detail
    assert any("no service was read with" in w for w in analysis_warnings(a))  # --strict counts it
    row = next(d for d in to_json(build_view(a))["devices"] if d["name"] == "PACS")
    assert row["statement_read"]["unused_transfer_syntaxes"] == 1


def test_a_statement_read_whole_gives_no_warning() -> None:
    a = run([CT_DEV, PACS_DEV], {"CT": modality(), "PACS": archive()}, [("CT", "PACS", "store")])
    assert rules(a, "statement-unused-transfer-syntaxes") == []
