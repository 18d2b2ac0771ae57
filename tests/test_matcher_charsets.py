"""Character sets on every service that carries patient data (issue 17, item 6): MPPS and C-STORE
carry names in the sender's sets, C-FIND keys in the requester's, answers in the answering side's."""

from __future__ import annotations

from conformance.findings import Severity
from tests.matcher_kit import archive, device, modality, only, ris, rules, run

SITE = [device("US", "modality"), device("RIS", "worklist"), device("PACS", "archive")]


def test_utf8_modality_reporting_mpps_to_a_latin1_ris_is_degrading() -> None:
    sts = {"US": modality(character_sets=["ISO_IR 192"]), "RIS": ris(character_sets=["ISO_IR 100"])}
    f = only(run(SITE[:2], sts, [("US", "RIS", "mpps")]), "character-set-unsupported")
    assert (f.severity, f.source, f.target, f.service) == (Severity.DEGRADING, "US", "RIS", "mpps")
    assert "ISO_IR 192" in f.title and "MPPS N-CREATE/N-SET" in f.detail
    assert {e.device for e in f.evidence} == {"US", "RIS"}


def test_stored_objects_carry_the_senders_character_set() -> None:
    sts = {"US": modality(character_sets=["ISO_IR 192"]), "PACS": archive(character_sets=["ISO_IR 100"])}
    f = only(run([SITE[0], SITE[2]], sts, [("US", "PACS", "store")]), "character-set-unsupported")
    assert (f.severity, f.target, f.service) == (Severity.DEGRADING, "PACS", "store")
    same = {
        "US": modality(character_sets=["ISO_IR 100"]),
        "PACS": archive(character_sets=["ISO 2022 IR 100"]),
    }
    assert not rules(run([SITE[0], SITE[2]], same, [("US", "PACS", "store")]), "character-set-unsupported")


def test_a_writer_that_also_speaks_the_readers_set_is_a_configuration_note() -> None:
    sts = {
        "US": modality(character_sets=["ISO_IR 100", "ISO_IR 192"]),
        "RIS": ris(character_sets=["ISO_IR 100"]),
    }
    f = only(run(SITE[:2], sts, [("US", "RIS", "mpps")]), "character-set-unsupported")
    assert f.severity is Severity.INFO and "configure US to use it" in f.detail


def test_worklist_answers_and_keys_are_two_directions() -> None:
    sts = {"US": modality(character_sets=["ISO_IR 100"]), "RIS": ris(character_sets=["ISO_IR 192"])}
    found = rules(run(SITE[:2], sts, [("US", "RIS", "worklist")]), "character-set-unsupported")
    assert sorted(f.title.split(" may ")[0] for f in found) == ["RIS", "US"]
    assert all(f.service == "worklist" and f.severity is Severity.DEGRADING for f in found)
