"""Site corrections: what a site knows better than a statement, kept next to the inventory.

A parser misreads a table, a licence was never bought, a vendor enabled a syntax on site:
a ``conformance-corrections/1`` file lists such changes, each with a reason, and an
inventory device names it (``corrections:``). Every check then runs on the parsed statement
with the changes applied, and a finding that rests on a corrected fact cites the
corrections file, the entry's line and the reason, because the corrected capability or
scalar carries that as its provenance (the matcher's evidence builders need no change).

    schema: conformance-corrections/1
    statement: haloarchive-3.6.pdf      # checked against the device's statement
    changes:
      - add: {sop_class: Enhanced CT Image Storage, role: SCP,
              transfer_syntaxes: [JPEG 2000 Image Compression (Lossless Only)]}
        reason: enabled by vendor service, ticket 4711
      - remove: {sop_class: 1.2.840.10008.5.1.4.1.1.9.1.1, role: SCP}
        reason: licence not bought
      - set: {max_associations: {accepted: 40}, max_pdu_receive: 65536}
        reason: site configuration

A change that cannot be read is left out with an error naming the file, the change and its
line; the others apply. A change that changes nothing is applied as a no-op and warned
about. The statement itself is never modified: each device gets a corrected copy, so two
devices sharing a statement can carry different corrections.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance import datafile, uids
from conformance.datafile import EntryError, Located
from conformance.errors import ConformanceError
from conformance.findings import Skipped
from conformance.inventory import Inventory
from conformance.model import (
    ApplicationEntity,
    Correction,
    Direction,
    Fact,
    Provenance,
    Role,
    Statement,
    Support,
    TransferCapability,
)

LOGGER = logging.getLogger(__name__)

SCHEMA = "conformance-corrections/1"
ACTIONS = ("add", "remove", "set")
TOP_KEYS = frozenset({"schema", "statement", "changes"})
ENTRY_KEYS = frozenset({*ACTIONS, "reason"})
ADD_KEYS = frozenset({"sop_class", "sop_class_uid", "role", "transfer_syntaxes", "option"})
REMOVE_KEYS = frozenset({"sop_class", "sop_class_uid", "role", "transfer_syntaxes"})
CORRECTIONS_AE = "site corrections"  # where services the statement never listed are added


class CorrectionsError(ConformanceError):
    """A corrections file that cannot be used at all (unreadable, wrong schema, wrong statement)."""


@dataclass
class Change:
    """One validated entry of a corrections file."""

    index: int  # 1-based, as messages name it ("change 3")
    line: int | None
    action: str
    reason: str
    sop_class_uid: str = ""
    role: Role | None = None
    transfer_syntaxes: list[str] = field(default_factory=list)
    option: bool | None = None  # add: make the service an option (True) or always there (False)
    values: list[datafile.Scalar] = field(default_factory=list)  # set

    @property
    def label(self) -> str:
        return f"change {self.index}"


@dataclass
class CorrectionsFile:
    path: Path
    statement: str  # the file name of the statement these changes apply to
    changes: list[Change] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, change and line; problem)


# ------------------------------------------------------------------------------ loading
def load_corrections(path: str | Path) -> CorrectionsFile:
    """Read and validate a corrections file; bad changes are collected in ``errors``, not raised."""
    path = Path(path)
    located = datafile.load_mapping(path, CorrectionsError, f"schema: {SCHEMA}, statement: and changes:")
    data = located.data
    if data.get("schema") != SCHEMA:
        raise CorrectionsError(str(path), f"schema is {data.get('schema')!r}, expected {SCHEMA}")
    statement = data.get("statement")
    if not isinstance(statement, str) or not statement.strip():
        raise CorrectionsError(str(path), "needs 'statement:', the file name of the statement it corrects")
    out = CorrectionsFile(path, Path(statement.strip()).name)
    extra = datafile.unknown_keys(data, TOP_KEYS)
    if extra:
        out.errors.append((path.name, f"{extra}; ignored"))
    changes = data.get("changes")
    if not isinstance(changes, list):
        raise CorrectionsError(str(path), "needs 'changes:', a list of add / remove / set entries")
    for i, entry in enumerate(changes, start=1):
        where = ("changes", i - 1)
        try:
            out.changes.append(_change(i, entry, located, where))
        except EntryError as exc:
            out.errors.append(
                (datafile.place(path.name, f"change {i}", located.line(where)), f"{exc}; not applied")
            )
    return out


def _change(index: int, entry: Any, located: Located, where: datafile.Path_) -> Change:
    entry = datafile.mapping(entry, ENTRY_KEYS, "add, remove or set and a reason")
    actions = [a for a in ACTIONS if a in entry]
    if len(actions) != 1:
        raise EntryError("needs exactly one of add, remove or set")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise EntryError("needs a reason (it is shown in the report)")
    action = actions[0]
    change = Change(index, located.line(where), action, " ".join(reason.split()))
    path = (*where, action)
    try:
        if action == "set":
            _set_values(
                change, datafile.mapping(entry[action], datafile.SCALAR_KEYS, "facts fields"), located, path
            )
        else:
            _service_change(change, entry[action], located, path)
    except EntryError as exc:
        raise EntryError(f"{action}: {exc}", name=exc.name, kind=exc.kind) from None
    return change


def _service_change(change: Change, body: Any, located: Located, path: datafile.Path_) -> None:
    body = datafile.mapping(body, ADD_KEYS if change.action == "add" else REMOVE_KEYS, "sop_class and role")
    change.sop_class_uid, change.role = datafile.service_key(body, located, path)
    syntaxes = body.get("transfer_syntaxes")
    if isinstance(syntaxes, dict):
        raise EntryError("transfer_syntaxes must be a list")
    for j, item in enumerate(datafile.string_list(syntaxes)):
        ts = datafile.transfer_syntax(item, located.raw((*path, "transfer_syntaxes", j)))
        if ts not in change.transfer_syntaxes:
            change.transfer_syntaxes.append(ts)
    if "transfer_syntaxes" in body and not change.transfer_syntaxes:
        raise EntryError(f"transfer_syntaxes is empty (leave it out to {change.action} the whole service)")
    option = body.get("option")
    if option is not None and not isinstance(option, bool):
        raise EntryError("option must be true or false")
    change.option = option


def _set_values(change: Change, body: dict[str, Any], located: Located, path: datafile.Path_) -> None:
    problems: list[str] = []
    change.values = list(
        datafile.scalars(body, located, path, lambda key, message, _p: problems.append(f"{key}: {message}"))
    )
    if problems:
        raise EntryError("; ".join(problems))
    empty = [v.key for v in change.values if v.value is None]
    if empty:
        raise EntryError(f"{', '.join(empty)} needs a value (null cannot be set)")
    if not change.values:
        raise EntryError("nothing to set")


# ----------------------------------------------------------------------------- applying
def correct(statement: Statement, corrections: CorrectionsFile, statement_file: str | Path) -> Statement:
    """A copy of ``statement`` with every change applied, recorded in ``corrections``.

    CorrectionsError when the file names another statement: corrections written for one
    release of a product must not silently apply to the next.
    """
    names = {Path(statement_file).name, statement.source}
    if corrections.statement not in names:
        raise CorrectionsError(
            str(corrections.path),
            f"statement: {corrections.statement!r} does not match {Path(statement_file).name}; "
            "no change applied",
        )
    out = copy.deepcopy(statement)
    for change in corrections.changes:
        record = _apply(out, change, corrections.path.name)
        out.corrections.append(record)
        if not record.changed:
            line = f" (line {change.line})" if change.line else ""
            out.warnings.append(
                f"{corrections.path.name} {change.label}{line}: changed nothing: {record.summary}"
            )
    return out


def _provenance(file: str, change: Change, summary: str) -> Provenance:
    text = f"{summary}; reason: {change.reason}"
    return Provenance(file, line=change.line, section=change.label, text=text)


def _names(syntaxes: list[str]) -> str:
    return ", ".join(uids.uid_name(ts) for ts in syntaxes)


def _apply(st: Statement, change: Change, file: str) -> Correction:
    if change.action == "set":
        return _apply_set(st, change, file)
    assert change.role is not None
    key = (change.sop_class_uid, change.role)
    service = f"{uids.uid_name(change.sop_class_uid)} as {change.role.value}"
    caps = [c for ae in st.aes for c in ae.capabilities if (c.sop_class_uid, c.role) == key]
    have = [ts for c in caps for ts in c.transfer_syntaxes]
    if change.action == "add":
        summary, changed = _add(st, change, caps, have, service)
    else:
        summary, changed = _remove(st, change, caps, have, service)
    prov = _provenance(file, change, summary)
    if changed:
        for cap in [c for ae in st.aes for c in ae.capabilities if (c.sop_class_uid, c.role) == key]:
            cap.provenance.insert(0, prov)  # a finding about this service cites the correction first
    return Correction(
        change.action,
        summary,
        change.reason,
        prov,
        change.sop_class_uid,
        change.role,
        list(change.transfer_syntaxes),
        changed,
    )


def _add(
    st: Statement, change: Change, caps: list[TransferCapability], have: list[str], service: str
) -> tuple[str, bool]:
    support = None if change.option is None else (Support.OPTION if change.option else Support.YES)
    if not caps:
        assert change.role is not None
        cap = TransferCapability(
            change.sop_class_uid,
            change.role,
            list(change.transfer_syntaxes),
            Direction.UNSPECIFIED,
            support or Support.YES,
            uids.uid_name(change.sop_class_uid),
        )
        _corrections_ae(st).capabilities.append(cap)
        listed = f" with {_names(change.transfer_syntaxes)}" if change.transfer_syntaxes else ""
        return f"added {service}{listed}", True
    new = [ts for ts in change.transfer_syntaxes if ts not in have]
    flips = support is not None and any(c.support is not support for c in caps)
    for cap in caps:
        cap.transfer_syntaxes.extend(ts for ts in new if ts not in cap.transfer_syntaxes)
        if support is not None:
            cap.support = support
    parts = [f"added {_names(new)} to {service}"] if new else []
    if flips and support is not None:
        parts.append(f"made {service} {'an option' if support is Support.OPTION else 'always available'}")
    if not parts:
        return f"add {service}: the statement already lists it as given", False
    return "; ".join(parts), True


def _remove(
    st: Statement, change: Change, caps: list[TransferCapability], have: list[str], service: str
) -> tuple[str, bool]:
    if not caps:
        return f"remove {service}: the statement does not list it", False
    if not change.transfer_syntaxes:
        for ae in st.aes:
            ae.capabilities = [c for c in ae.capabilities if c not in caps]
        return f"removed {service}", True
    gone = [ts for ts in change.transfer_syntaxes if ts in have]
    if not gone:
        listed = _names(change.transfer_syntaxes)
        return f"remove {listed} from {service}: the statement does not list them", False
    for cap in caps:
        cap.transfer_syntaxes = [ts for ts in cap.transfer_syntaxes if ts not in gone]
    summary = f"removed {_names(gone)} from {service}"
    if not any(c.transfer_syntaxes for c in caps):
        summary += " (no transfer syntax left: the service now states none; remove the service instead?)"
    return summary, True


def _corrections_ae(st: Statement) -> ApplicationEntity:
    for ae in st.aes:
        if ae.name == CORRECTIONS_AE:
            return ae
    ae = ApplicationEntity(CORRECTIONS_AE)
    st.aes.append(ae)
    return ae


def _apply_set(st: Statement, change: Change, file: str) -> Correction:
    done = []
    for item in change.values:
        old = getattr(st, item.attribute)
        if item.attribute == "character_sets":
            same = sorted(f.value for f in old) == sorted(item.value)
        else:
            same = old is not None and old.value == item.value
        if not same:
            done.append(item)
    shown = ", ".join(f"{v.key} {_show(v.value)}" for v in change.values)
    summary = f"set {shown}" + ("" if done else ": the statement already says so")
    prov = _provenance(file, change, summary)
    for item in done:
        if item.attribute == "character_sets":
            st.character_sets = [Fact(term, prov) for term in item.value]
        else:
            setattr(st, item.attribute, Fact(item.value, prov))
    return Correction("set", summary, change.reason, prov, changed=bool(done))


def _show(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


# ------------------------------------------------------------------------------ the site
def apply_site_corrections(inventory: Inventory, statements: dict[str, Statement]) -> list[Skipped]:
    """Replace each corrected device's statement by its corrected copy; problems as Skipped rows.

    A corrections file shared by several devices is read once and its bad entries reported
    once. A device whose file cannot be used keeps its uncorrected statement, and says so.
    """
    skipped: list[Skipped] = []
    loaded: dict[Path, CorrectionsFile | CorrectionsError] = {}
    for device in inventory.devices:
        path = device.corrections
        if path is None:
            continue
        st = statements.get(device.name)
        if st is None or device.statement is None:
            skipped.append(Skipped(Path(path).name, f"not applied: {device.name} has no analyzed statement"))
            continue
        if path not in loaded:
            try:
                loaded[path] = read = load_corrections(path)
                skipped.extend(Skipped(item, problem) for item, problem in read.errors)
            except CorrectionsError as exc:
                loaded[path] = exc
        result = loaded[path]
        if isinstance(result, CorrectionsFile):
            try:
                statements[device.name] = correct(st, result, device.statement)
                LOGGER.info("%s: %d correction(s) from %s", device.name, len(result.changes), path)
                continue
            except CorrectionsError as exc:
                result = exc
        skipped.append(Skipped(device.name, f"corrections not applied: {result.message}"))
    return skipped
