"""Services stated in sentences and bullets, in several languages, and what states none.

Statements written for this test in the manner of open-source and small-vendor documents:
prose only ("acts as SCP for the Verification and Storage service classes"), roles given
per bullet or per heading, tables in Portuguese, Spanish and German without UIDs, status
columns that mark a row as planned, and glossaries or tutorials that name services only as
examples. Each asserts the exact (SOP class, role) set, and syntaxes where a sentence gives them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.model import Role, Statement
from conformance.parsers import parse_statement
from conformance.uids import keyword_uid

VERIFY = keyword_uid("Verification")
COMMIT = keyword_uid("StorageCommitmentPushModel")
MWL = keyword_uid("ModalityWorklistInformationModelFind")
MPPS = keyword_uid("ModalityPerformedProcedureStep")
CT = keyword_uid("CTImageStorage")
MR = keyword_uid("MRImageStorage")
SC = keyword_uid("SecondaryCaptureImageStorage")
ILE = keyword_uid("ImplicitVRLittleEndian")
ELE = keyword_uid("ExplicitVRLittleEndian")
JPEG = keyword_uid("JPEGBaseline8Bit")


def _parse(tmp_path: Path, name: str, text: str) -> Statement:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_statement(path, use_cache=False)


def _pairs(st: Statement) -> set[tuple[str, str]]:
    return {(uid, str(role)) for uid, role in st.services()}


CASES: dict[str, tuple[str, str, set[tuple[str, str]]]] = {
    # prose only: roles before a list of services, a list of classes with no role, a negation
    "prose-only": (
        "relay.md",
        "# Relay 3 – DICOM Conformance Statement\n\n## 1 Overview\n\n"
        "Relay acts as an SCP for the Verification and Storage service classes, and as an SCU for the "
        "Modality Worklist service class. It does not support Modality Performed Procedure Step.\n\n"
        "The following SOP classes are supported:\n\n- CT Image Storage\n- MR Image Storage\n"
        "- Secondary Capture Image Storage\n\n"
        "Storage Commitment Push Model is supported as SCP.\n\n"
        "Remote Storage SCUs send their images to Relay.\n",
        {(VERIFY, "SCP"), (MWL, "SCU"), (COMMIT, "SCP"), (CT, "SCP"), (MR, "SCP"), (SC, "SCP")},
    ),
    # roles per heading, services as bullets
    "roles-per-heading": (
        "services.md",
        "# Gateway DICOM Conformance Statement\n\n## 2 Services\n\n### 2.1 As SCP\n\n- Verification\n"
        "- Modality Worklist\n\n### 2.2 As SCU\n\n- Storage Commitment\n- Verification\n"
        "- Modality Performed Procedure Step (MPPS)\n",
        {(VERIFY, "SCP"), (MWL, "SCP"), (COMMIT, "SCU"), (VERIFY, "SCU"), (MPPS, "SCU")},
    ),
    # role per bullet, storage classes in a table without roles, an "accepts associations for:" list
    "role-per-bullet": (
        "pacs.md",
        "# DICOM Conformance Statement\n\n## 2 Functional Definitions\n\n"
        "- **Storage SCP**: Accepts and stores DICOM objects\n"
        "- **Storage Commitment SCP**: Ensures data persistence\n"
        "- **Query/Retrieve SCP**: Provides C-FIND, C-MOVE, C-GET services\n\n"
        "## 3 Association Acceptance\n\nThe PACS accepts associations for:\n\n- Verification (C-ECHO)\n"
        "- Query (C-FIND)\n\n## 4 Supported Storage SOP Classes\n\n"
        "| SOP Class Name | SOP Class UID |\n|---|---|\n| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 |\n"
        "| MR Image Storage | 1.2.840.10008.5.1.4.1.1.4 |\n",
        {(CT, "SCP"), (MR, "SCP"), (COMMIT, "SCP"), (VERIFY, "SCP")},
    ),
    # a glossary and a tutorial paragraph name services as examples: no support stated
    "glossary-and-tutorial": (
        "guide.md",
        "# Archive DICOM Conformance Statement\n\n## 1 Glossary\n\n"
        "- Storage SCP: an application that receives images\n- Verification SCU: sends C-ECHO requests\n\n"
        "## 2 DICOM Background\n\nFor example, a modality acts as a Storage SCU and an archive as a "
        "Storage SCP; both may act as Verification SCP.\n\n"
        "## 3 Networking\n\nThe Archive acts as Verification SCP.\n",
        {(VERIFY, "SCP")},
    ),
    # a Portuguese table without UIDs, and a Portuguese sentence
    "portuguese": (
        "declaracao.md",
        "# Declaração de Conformidade DICOM\n\n## 1 Visão geral\n\n"
        "O sistema atua como SCP para os serviços de Verificação e Armazenamento.\n\n"
        "## 2 Classes SOP suportadas\n\n"
        "| Classe SOP | Papel | Sintaxes de Transferência |\n|---|---|---|\n"
        "| CT Image Storage | SCP | Implicit VR Little Endian, Explicit VR Little Endian |\n"
        "| MR Image Storage | SCP | Implicit VR Little Endian |\n"
        "| Modality Worklist Information Model - FIND | SCU | Implicit VR Little Endian |\n",
        {(VERIFY, "SCP"), (CT, "SCP"), (MR, "SCP"), (MWL, "SCU")},
    ),
    # a Spanish service table with a status column: the planned row is no service
    "spanish-status": (
        "declaracion.md",
        "# Declaración de Conformidad DICOM\n\n## 1 Servicios\n\n"
        "| Servicio | Rol | Estado |\n|---|---|---|\n| Verificación (C-ECHO) | SCP | Implementado |\n"
        "| Compromiso de almacenamiento | SCU | Implementado |\n"
        "| Lista de trabajo (MWL) | SCU | Planeado |\n",
        {(VERIFY, "SCP"), (COMMIT, "SCU")},
    ),
    # a German service table: "SCP (Server)" role cells with remarks, a generic Storage row
    "german-services": (
        "erklaerung.md",
        "# DICOM Conformance Statement — Broker\n\n## 1 Rollen im Überblick\n\n"
        "| Dienst | Rolle | Wann |\n|---|---|---|\n| Modality Worklist C-FIND | SCP (Server) | immer |\n"
        "| Verifizierung (C-ECHO) | SCP | immer |\n| Storage (C-STORE) | SCU | Weiterleitung |\n"
        "| Modality Performed Procedure Step (MPPS) | SCP (N-CREATE, N-SET) | wenn aktiviert |\n"
        "| Arbeitsliste | SCU | geplant |\n",
        {(MWL, "SCP"), (VERIFY, "SCP"), (MPPS, "SCP")},
    ),
    # an English status column
    "english-status": (
        "status.md",
        "# DICOM Conformance Statement\n\n## 3 SOP Classes\n\n"
        "| SOP Class | SOP Class UID | Role | Status |\n|---|---|---|---|\n"
        "| Verification | 1.2.840.10008.1.1 | SCP | Available |\n"
        "| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | SCU | Available |\n"
        "| MR Image Storage | 1.2.840.10008.5.1.4.1.1.4 | SCU | Planned (release 2) |\n",
        {(VERIFY, "SCP"), (CT, "SCU")},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_services_in_prose_and_other_languages(tmp_path: Path, case: str) -> None:
    name, text, expected = CASES[case]
    st = _parse(tmp_path, name, text)
    assert _pairs(st) == expected
    for cap in st.capabilities():  # every service cites the sentence or row it was read from
        assert cap.provenance and cap.provenance[0].text and cap.provenance[0].line


def test_only_a_glossary_states_nothing(tmp_path: Path) -> None:
    st = _parse(
        tmp_path,
        "primer.md",
        "# DICOM Primer\n\n## Glossary\n\n- Storage SCP: receives images\n- Verification SCU: sends C-ECHO\n"
        "- Modality Worklist SCU: queries the RIS\n",
    )
    assert _pairs(st) == set()
    assert any("no SOP classes found" in w for w in st.warnings)


def test_sentence_syntaxes_stay_with_their_class(tmp_path: Path) -> None:
    """One paragraph, two sentences: CT's syntaxes are not Verification's."""
    st = _parse(
        tmp_path,
        "para.txt",
        "1 NETWORKING\n\n"
        "The Verification SOP Class (1.2.840.10008.1.1) is supported as SCP. CT Image Storage "
        "(1.2.840.10008.5.1.4.1.1.2) is accepted as SCP with JPEG Baseline and Explicit VR Little Endian. "
        "MR Image Storage (1.2.840.10008.5.1.4.1.1.4) is not supported.\n",
    )
    services = {(uid, str(role)): sorted(cap.transfer_syntaxes) for (uid, role), cap in st.services().items()}
    assert services == {(VERIFY, "SCP"): [], (CT, "SCP"): sorted([JPEG, ELE])}


PORTUGUESE_STATEMENT = """# Declaração de Conformidade DICOM

**Produto:** Ipê PACS
**Versão:** 2.3
**Fabricante:** Ipê Sistemas Médicos Ltda.

## 1. Introdução

Este documento descreve a conformidade DICOM do sistema Ipê PACS.

## 2. Serviços Suportados

### 2.1 Classes SOP de Armazenamento (Storage SCP)

O sistema aceita as seguintes classes SOP como SCP:

- CT Image Storage
- MR Image Storage
- Computed Radiography Image Storage

### 2.2 Consulta/Recuperação (Query/Retrieve SCP)

- Study Root Query/Retrieve Information Model – FIND
- Study Root Query/Retrieve Information Model – MOVE

### 2.3 Verificação

O sistema suporta o serviço de Verificação (C-ECHO) como SCP e SCU.

## 3. Sintaxes de Transferência

O sistema aceita as seguintes sintaxes de transferência:

- Implicit VR Little Endian
- Explicit VR Little Endian
- JPEG Baseline (Process 1)

## 4. Rede

- Número máximo de associações simultâneas: 10
- Tamanho máximo de PDU: 16384 bytes
- TLS: não suportado
"""


def test_portuguese_statement_without_uids(tmp_path: Path) -> None:
    """Headings, lists and labels in Portuguese; SOP classes by their (English) names, no UID."""
    st = _parse(tmp_path, "declaracao.md", PORTUGUESE_STATEMENT)
    cr = keyword_uid("ComputedRadiographyImageStorage")
    find, move = (
        keyword_uid("StudyRootQueryRetrieveInformationModelFind"),
        keyword_uid("StudyRootQueryRetrieveInformationModelMove"),
    )
    assert _pairs(st) == {
        (CT, "SCP"), (MR, "SCP"), (cr, "SCP"), (find, "SCP"), (move, "SCP"), (VERIFY, "SCP"), (VERIFY, "SCU"),
    }  # fmt: skip
    for uid in (CT, MR, cr):
        assert sorted(st.services()[(uid, Role.SCP)].transfer_syntaxes) == sorted([ILE, ELE, JPEG])
    assert (
        st.vendor and st.vendor.value,
        st.product and st.product.value,
        st.version and st.version.value,
    ) == (
        "Ipê Sistemas Médicos Ltda.",
        "Ipê PACS",
        "2.3",
    )
    assert st.max_associations_accepted is not None and st.max_associations_accepted.value == 10
    assert st.max_pdu_receive is not None and st.max_pdu_receive.value == 16384
    assert st.tls is not None and st.tls.value is False
    assert not any("no SOP classes" in w for w in st.warnings)


def test_prose_only_text_statement(tmp_path: Path) -> None:
    """A plain-text statement in sentences only: roles in one paragraph, the classes in a sentence
    that lists their names; both lines are cited."""
    text = (
        "DICOM Conformance Statement\nTiny Router 1.2\n\n1. Overview\n\n"
        "Tiny Router is a DICOM router. It acts as a Storage SCP to receive images from modalities and as a "
        "Storage SCU to forward them to archives. It also responds to Verification requests "
        "(C-ECHO) as an SCP.\n\n"
        "2. Supported SOP Classes\n\nThe following are tested:\n\n"
        "CT Image Storage, MR Image Storage, Ultrasound Image Storage and Secondary Capture Image Storage.\n"
    )
    st = _parse(tmp_path, "router.txt", text)
    us = keyword_uid("UltrasoundImageStorage")
    storage = {(uid, role) for uid in (CT, MR, us, SC) for role in ("SCU", "SCP")}
    assert _pairs(st) == storage | {(VERIFY, "SCP")}
    cited = {p.line for p in st.services()[(CT, Role.SCU)].provenance}
    assert cited == {6, 12}
