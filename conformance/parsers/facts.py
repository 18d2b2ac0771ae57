"""Statements that are already data: ``conformance-facts/1`` files and the model JSON.

A site writes down what a device without a statement supports, or keeps the export of a
parsed PDF after fixing it by hand; ``parse --json`` and ``probe --save`` write the full
model. All of these are statements like a document: this reader turns them into the same
:class:`~conformance.model.Statement`, and every fact cites the file and the entry it came
from (with its line for YAML), so a finding resting on it quotes the hand-written entry.

SOP classes and transfer syntaxes may be written as UIDs, dictionary names or pydicom
keywords and resolve as in documents. An entry that cannot be used (unknown name, bad role,
bad UID, unknown key) is left out with a warning naming the file, the entry and its line;
the rest still loads. Only a file that is not one of these formats at all is an error.

These files are cheap to read, so they bypass the parse cache.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from conformance import datafile, uids
from conformance.datafile import EntryError, Located
from conformance.errors import StatementError
from conformance.model import (
    ApplicationEntity,
    Direction,
    Fact,
    Provenance,
    Role,
    ServiceClass,
    Sighting,
    Statement,
    Support,
    TransferCapability,
    UnresolvedName,
    Wildcard,
)

LOGGER = logging.getLogger(__name__)

FACTS_SCHEMA = "conformance-facts/1"
CORRECTIONS_SCHEMA = "conformance-corrections/1"
FACTS_AE = "facts"  # the one AE a facts file describes (the format has no AEs)
SERVICE_KEYS = frozenset(
    {"sop_class_uid", "sop_class", "name", "role", "transfer_syntaxes", "pages", "option", "direction", "aes"}
)
AE_KEYS = frozenset({"name", "ae_title", "port", "max_associations"})
TOP_KEYS = (
    frozenset({"schema", "document", "services", "aes", "any_storage", "not_supported"})
    | datafile.SCALAR_KEYS
)


def read_data_statement(path: str | Path) -> Statement:
    """A facts file (JSON/YAML) or a model JSON as a Statement; StatementError if it is neither."""
    from conformance.fileio import file_sha256

    path = Path(path)
    located = datafile.load_mapping(path, StatementError, f"a {FACTS_SCHEMA} file or a statement model")
    data = located.data
    schema = data.get("schema")
    if schema == FACTS_SCHEMA:
        st = _FactsReader(located, path.name).read()
        st.sha256 = file_sha256(path)
    elif schema is None and "source" in data and "aes" in data:
        st = model_statement(data, path)
    elif schema == CORRECTIONS_SCHEMA:
        raise StatementError(
            str(path), "a corrections file, not a statement (name it in the inventory's corrections:)"
        )
    elif schema is not None:
        raise StatementError(str(path), f"unsupported schema {schema!r} (expected {FACTS_SCHEMA})")
    else:
        raise StatementError(
            str(path),
            f"not a statement: neither {FACTS_SCHEMA} (no 'schema' key) nor a statement model "
            "('source' and 'aes', as parse --json writes it)",
        )
    LOGGER.info("%s: %d services from data", path, len(st.services()))
    return st


def model_statement(data: dict[str, Any], path: Path) -> Statement:
    """The model JSON of ``parse --json`` / ``probe --save``: machine-written, so all or nothing."""
    try:
        st = Statement.from_dict(data)
        _check_model(st)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc).splitlines()[0][:200]
        raise StatementError(str(path), f"not a valid statement model ({detail})") from exc
    return st


def _check_model(st: Statement) -> None:
    """from_dict trusts its input; a hand-edited model must still give strings where UIDs go."""
    if not isinstance(st.source, str) or not st.source:
        raise ValueError("'source' must be a file name")
    for cap in st.capabilities():
        if not isinstance(cap.sop_class_uid, str) or not all(
            isinstance(t, str) for t in cap.transfer_syntaxes
        ):
            raise ValueError(f"capability {cap.sop_class_uid!r}: UIDs must be strings")


class _FactsReader:
    """One facts file into a Statement; problems become warnings and unresolved names."""

    def __init__(self, located: Located, name: str) -> None:
        self.located = located
        self.name = name
        self.data: dict[str, Any] = located.data
        self.st = Statement(source=name)

    def read(self) -> Statement:
        extra = datafile.unknown_keys(self.data, TOP_KEYS)
        if extra:
            first = next(str(k) for k in self.data if str(k) not in TOP_KEYS)
            self.warn(f"{extra}; ignored", (first,), "top level")
        document = self.data.get("document")
        self.document = document.strip() if isinstance(document, str) else ""
        self._scalars()
        services = self.data.get("services")
        if services is not None and not isinstance(services, list):
            self.warn("services: expected a list; no service read", ("services",))
            services = []
        self.aes = self._aes()
        self.st.aes = list(self.aes.values())
        loose = ApplicationEntity(FACTS_AE)  # services that name no AE, when the file has several
        for i, entry in enumerate(services or [], start=1):
            service = self._service(i, entry)
            if service is None:
                continue
            caps, names = service
            if not names and len(self.st.aes) == 1:
                names = [self.st.aes[0].name]
            for target in [self.aes[n] for n in names] or [loose]:
                target.capabilities.extend(
                    dataclasses.replace(c, provenance=list(c.provenance)) for c in caps
                )
        if loose.capabilities or not self.st.aes:
            self.st.aes.append(loose)
        self._any_storage()
        self._not_supported()
        return self.st

    def _any_storage(self) -> None:
        """``any_storage``: per role, a claim for every storage SOP class (a Wildcard)."""
        raw = self.data.get("any_storage")
        if raw is None:
            return
        if not isinstance(raw, dict):
            self.warn("any_storage: expected a mapping of SCP/SCU to true/false; ignored", ("any_storage",))
            return
        for key, value in raw.items():
            role = str(key).upper()
            if role not in ("SCP", "SCU") or not isinstance(value, bool):
                self.warn(
                    f"any_storage: {key!s}: expected SCP/SCU with true/false; ignored", ("any_storage",)
                )
                continue
            if value:
                text = f"any_storage: {role}: true"
                prov = self.provenance(("any_storage", key), "any_storage", text)
                self.st.wildcards.append(Wildcard(ServiceClass.STORAGE, Role(role), [], [prov]))

    def _not_supported(self) -> None:
        """``not_supported``: SOP classes stated as not supported (a refusal is evidence, not silence)."""
        raw = self.data.get("not_supported")
        if raw is None:
            return
        if not isinstance(raw, list):
            self.warn("not_supported: expected a list; ignored", ("not_supported",))
            return
        for i, entry in enumerate(raw, start=1):
            path, label = ("not_supported", i - 1), f"not_supported {i}"
            uid_text = entry.get("sop_class_uid") if isinstance(entry, dict) else None
            uid = uids.resolve_sop_class(str(uid_text)) if uid_text else None
            if uid is None:
                self.warn(f"expected a known sop_class_uid, not {uid_text!r}; left out", path, label)
                continue
            said = entry.get("text")
            text = str(said) if said else f"{uids.uid_name(uid)}: not supported"
            prov = self.provenance(path, label, text)
            self.st.coverage.declined_sop_classes.append(Sighting(uid, uids.uid_name(uid), 1, prov))

    def _aes(self) -> dict[str, ApplicationEntity]:
        """The optional ``aes`` list: names, titles, ports and each AE's own association limits."""
        raw = self.data.get("aes")
        if raw is None:
            return {}
        if not isinstance(raw, list):
            self.warn("aes: expected a list; ignored", ("aes",))
            return {}
        out: dict[str, ApplicationEntity] = {}
        for i, entry in enumerate(raw, start=1):
            label, path = f"ae {i}", ("aes", i - 1)
            try:
                entry = datafile.mapping(entry, AE_KEYS, "a name")
                name = datafile.text(entry.get("name"), self.located.raw((*path, "name")))
                if not name or name in out:
                    raise EntryError(f"AE name {name!r} is empty or used twice")
                ae = ApplicationEntity(name)
                title = entry.get("ae_title")
                if title is not None:
                    title = datafile.text(title, self.located.raw((*path, "ae_title")))
                    ae.ae_title = Fact(
                        title, self.provenance((*path, "ae_title"), label, f"{name}: AE title {title}")
                    )
                port = entry.get("port")
                if port is not None:
                    number = datafile.port(port)
                    ae.port = Fact(number, self.provenance((*path, "port"), label, f"{name}: port {number}"))
            except EntryError as exc:
                self.warn(f"{exc}; left out", path, label)
                continue
            limits = entry.get("max_associations")
            if limits is not None:
                for item in datafile.scalars(
                    {"max_associations": limits}, self.located, path, self._scalar_problem
                ):
                    if item.value is not None:
                        text = f"{name}: {item.key} {item.value}"
                        setattr(ae, item.attribute, Fact(item.value, self.provenance(item.path, label, text)))
            out[name] = ae
        return out

    # -- problems ------------------------------------------------------------------
    def warn(self, message: str, path: datafile.Path_, entry: str = "") -> None:
        line = self.located.line(path)
        label = entry or (str(path[0]) if path else "")
        at = f"{label} (line {line})" if line else label
        self.st.warnings.append(f"{at}: {message}" if at else message)

    def _problem(self, exc: EntryError, path: datafile.Path_, label: str, prefix: str = "") -> None:
        """An unknown name is an unresolved name (as in documents, cited by entry); others warn."""
        if exc.kind:
            self.st.unresolved.append(
                UnresolvedName(exc.name, exc.kind, self.provenance(path, label, exc.name))
            )
        else:
            self.warn(f"{prefix}{exc}; left out", path, label)

    def provenance(self, path: datafile.Path_, section: str, text: str) -> Provenance:
        return Provenance(self.name, line=self.located.line(path), section=section, text=text)

    # -- scalars ---------------------------------------------------------------------
    def _scalar_problem(self, key: str, message: str, path: datafile.Path_) -> None:
        in_ae = path[:1] == ("aes",) and len(path) > 1 and isinstance(path[1], int)
        self.warn(
            f"{key}: {message}; left out" if in_ae else f"{message}; left out",
            path,
            f"ae {int(path[1]) + 1}" if in_ae else key,
        )

    def _scalars(self) -> None:
        for item in datafile.scalars(self.data, self.located, (), self._scalar_problem):
            if item.value is None:
                continue  # null: the statement is silent on it
            prov = self.provenance(item.path, item.key, f"{item.key}: {_show(item.value)}")
            if item.attribute == "character_sets":
                self.st.character_sets = [Fact(term, prov) for term in item.value]
            else:
                setattr(self.st, item.attribute, Fact(item.value, prov))

    # -- services --------------------------------------------------------------------
    def _service(self, i: int, entry: Any) -> tuple[list[TransferCapability], list[str]] | None:
        """One service's capabilities (one per stated direction) and the AEs that carry it."""
        label = f"service {i}"
        path: datafile.Path_ = ("services", i - 1)
        try:
            entry = datafile.mapping(entry, SERVICE_KEYS, "sop_class_uid and role")
            uid, role = datafile.service_key(entry, self.located, path)
            support = Support.OPTION if _flag(entry.get("option"), "option") else Support.YES
            directions = [_direction(d) for d in datafile.string_list(entry.get("direction"))]
            names = [datafile.text(n) for n in datafile.string_list(entry.get("aes"))]
            unknown = [n for n in names if n not in self.aes]
            if unknown:
                raise EntryError(f"AE(s) {', '.join(map(repr, unknown))} not in the file's aes list")
        except EntryError as exc:
            self._problem(exc, path, label)
            return None
        syntaxes = self._syntaxes(entry.get("transfer_syntaxes"), (*path, "transfer_syntaxes"), label)
        pages = [p for p in datafile.string_list(entry.get("pages")) if isinstance(p, int)]
        name = uids.uid_name(uid)
        listed = ", ".join(uids.uid_name(ts) for ts in syntaxes)
        origin = f"{self.document} p. {', '.join(map(str, pages))}" if self.document and pages else ""
        text = (
            f"{name} as {role.value}" + (f": {listed}" if listed else "") + (f" ({origin})" if origin else "")
        )
        prov = self.provenance(path, label, text)
        written = str(entry.get("name") or "") or name
        caps = [
            TransferCapability(uid, role, list(syntaxes), d, support, written, [prov])
            for d in dict.fromkeys(directions or [Direction.UNSPECIFIED])
        ]
        return caps, list(dict.fromkeys(names))

    def _syntaxes(self, value: Any, path: datafile.Path_, label: str) -> list[str]:
        """Transfer syntaxes of one service; an unknown one is left out, the service stays."""
        if isinstance(value, dict):
            self.warn("transfer_syntaxes: expected a list; none read", path, label)
            return []
        out: list[str] = []
        for j, item in enumerate(datafile.string_list(value)):
            try:
                uid = datafile.transfer_syntax(item, self.located.raw((*path, j)))
            except EntryError as exc:
                self._problem(exc, (*path, j), label, f"transfer syntax {j + 1}: ")
                continue
            if uid not in out:
                out.append(uid)
        return out


def _flag(value: Any, key: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    raise EntryError(f"{key}: expected true or false, got {value!r:.40}")


def _direction(value: Any) -> Direction:
    """``initiate`` (proposed presentation contexts) or ``accept`` (accepted ones)."""
    written = value.strip().lower() if isinstance(value, str) else value
    if written in (Direction.INITIATE.value, Direction.ACCEPT.value):
        return Direction(written)
    raise EntryError(f"bad direction {value!r} (use initiate, accept or both as a list)")


def _show(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
