"""Read a site inventory (YAML, CSV or XLSX) into the site model, row by row.

Read from YAML (devices + links) or a table (CSV / XLSX, one row per AE, read with pandas).
Problems are collected per row: a broken row is reported and skipped, the other rows still
load. Problems that do not stop a row from being used (duplicate AE titles, titles that
differ only in case, a statement file that is missing) are kept as non-fatal problems, so
the matcher can still report them as findings with evidence.

Links are explicit (YAML ``links`` or the link columns of a table) or, for a device that
initiates none, implied by its role (:mod:`conformance.links`). The types live in
:mod:`conformance.site` and :mod:`conformance.services`; they are re-exported here because
most callers that load an inventory also name its types.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections import deque
from pathlib import Path
from typing import Any

import yaml

from conformance.errors import InventoryError
from conformance.fileio import BinaryDataError, decode_text
from conformance.links import implied_links
from conformance.services import Service, parse_service
from conformance.site import AE, Device, DeviceRole, Inventory, Link, Problem, parse_role

__all__ = [
    "AE",
    "AE_TITLE_MAX",
    "DEVICE_COLUMNS",
    "LINK_COLUMNS",
    "REQUIRED_COLUMNS",
    "Device",
    "DeviceRole",
    "Inventory",
    "Link",
    "Problem",
    "Service",
    "ae_title_problem",
    "finish",
    "load_inventory",
    "parse_role",
    "parse_service",
]

LOGGER = logging.getLogger(__name__)

AE_TITLE_MAX = 16
MAX_YAML_NODES = 1_000_000
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Table link columns: column -> (service, True when the row's device initiates).
LINK_COLUMNS: dict[str, Service] = {
    "sends_to": Service.STORE,
    "commits_to": Service.COMMITMENT,
    "worklist_from": Service.WORKLIST,
    "mpps_to": Service.MPPS,
    "queries": Service.QUERY,
    "retrieves_from": Service.MOVE,
    "gets_from": Service.GET,
    "prints_to": Service.PRINT,
    "echoes": Service.ECHO,
}
DEVICE_COLUMNS = ("device", "role", "ae_title", "host", "port", "statement", "tls", "sends", "corrections")
REQUIRED_COLUMNS = ("device", "ae_title")
YAML_DEVICE_KEYS = (
    "name",
    "role",
    "ae_title",
    "host",
    "port",
    "statement",
    "aes",
    "tls",
    "description",
    "sends",
    "corrections",
)
TRUE_WORDS = frozenset({"yes", "true", "1"})
FALSE_WORDS = frozenset({"no", "false", "0"})


# ---------------------------------------------------------------------------- checks
def ae_title_problem(title: str) -> str | None:
    """Why an AE title is not valid (PS3.5 AE VR: 1-16 chars, no backslash/control), or None."""
    if not title or not title.strip():
        return "empty AE title"
    bad = sorted({c for c in title if c == "\\" or ord(c) < 0x20 or ord(c) > 0x7E})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        return f"AE title {title!r} has characters outside the default repertoire ({shown})"
    if len(title.strip()) > AE_TITLE_MAX:
        return f"AE title {title!r} is {len(title.strip())} characters long (at most {AE_TITLE_MAX})"
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _port(value: Any) -> tuple[int | None, str | None]:
    """A port number, or the problem with it (blank is allowed: not listening / unknown)."""
    if _blank(value):
        return None, None
    text = str(value).strip()
    if text.endswith(".0"):  # spreadsheets turn 104 into 104.0
        text = text[:-2]
    if not text.isdigit():
        return None, f"port {value!r} is not a number"
    port = int(text)
    if not 1 <= port <= 65535:
        return None, f"port {port} is outside 1-65535"
    return port, None


def _flag(value: Any, label: str) -> tuple[bool | None, str | None]:
    """A yes/no cell, or the problem with it: 'Ja' or 'maybe' is an error, never a silent no."""
    if _blank(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    text = str(value).strip().lower()
    if text.endswith(".0"):  # a spreadsheet's 1.0
        text = text[:-2]
    if text in TRUE_WORDS:
        return True, None
    if text in FALSE_WORDS:
        return False, None
    return None, f"{label} {value!r} is not one of yes/no/true/false/1/0"


# ---------------------------------------------------------------------------- loading
def load_inventory(path: str | Path, *, sheet: str | None = None) -> Inventory:
    """Read and validate an inventory. Raises InventoryError only when nothing is usable.

    ``sheet``: the XLSX sheet to read; without it every sheet with the expected columns is read.
    """
    path = Path(path)
    if not path.is_file():
        raise InventoryError(str(path), "no such file")
    suffix = path.suffix.lower()
    if sheet is not None and suffix not in {".xlsx", ".xlsm"}:
        raise InventoryError(str(path), f"--sheet {sheet!r} applies to XLSX inventories only")
    if suffix in {".yaml", ".yml"}:
        inv = _load_yaml(path)
    elif suffix in {".csv", ".xlsx", ".xlsm"}:
        inv = _load_table(path, sheet)
    else:
        raise InventoryError(str(path), f"unsupported inventory type {suffix!r} (use .yaml, .csv or .xlsx)")
    finish(inv)
    if not inv.devices:
        first = f" (first problem: {inv.problems[0]})" if inv.problems else ""
        raise InventoryError(str(path), f"no usable device{first}")
    return inv


def _yaml_error(exc: Exception) -> str:
    """'invalid YAML at line 5, column 3: could not find expected ':'' (1-based, where PyYAML stopped)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    if mark is None:
        return f"invalid YAML ({problem})"
    return f"invalid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"


def _load_yaml(path: Path) -> Inventory:
    # Notepad "ANSI" saves cp1252: read it, and say so
    text, notes = _decode_table(path, "invalid YAML (binary data, not text)")
    try:
        # libyaml's loader when present: the pure-Python one takes seconds on a 1,000-device site
        data = yaml.load(text, Loader=SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        raise InventoryError(str(path), _yaml_error(exc)) from exc
    if _expanded_size(data) > MAX_YAML_NODES:  # aliases can expand a few lines into billions of nodes
        raise InventoryError(str(path), f"YAML expands to more than {MAX_YAML_NODES:,} values (alias bomb?)")
    if not isinstance(data, dict) or not isinstance(data.get("devices"), list):
        raise InventoryError(str(path), "expected a mapping with a 'devices' list")
    inv = Inventory(path=path, site=str(data.get("site") or ""))
    inv.problems.extend(Problem(path.name, note, False) for note in notes)
    for i, raw in enumerate(data["devices"], start=1):
        where = f"{path.name} device {i}"
        if not isinstance(raw, dict):
            inv.problems.append(Problem(where, "device must be a mapping"))
            continue
        unknown = sorted(str(k) for k in raw if str(k) not in YAML_DEVICE_KEYS and str(k) not in LINK_COLUMNS)
        if unknown:
            inv.problems.append(Problem(where, f"unknown key(s) {', '.join(unknown)} ignored", False))
        name = str(raw.get("name") or "").strip()
        if name:
            where = f"{where} ({name})"  # a device left out must be named where it is reported
        row = _Row(where)
        entries = raw.get("aes")
        if entries is None:
            entries = [{k: raw.get(k) for k in ("ae_title", "host", "port", "tls")}]
        aes = []
        if not isinstance(entries, list) or not entries:
            row.error("'aes' must be a non-empty list")
            entries = []
        for j, entry in enumerate(entries, start=1):
            ae_where = where if len(entries) == 1 else f"{where} ae {j}"
            if not isinstance(entry, dict):
                row.error("AE entry must be a mapping", ae_where)
                continue
            ae = _ae(
                entry.get("ae_title"), entry.get("host"), entry.get("port"), entry.get("tls"), ae_where, row
            )
            if ae is not None:
                aes.append(ae)
        if not aes and not row.errors:
            row.error(f"device {name or '?'} has no valid AE; left out")
        sends = _sop_list(raw.get("sends"), "sends", row, storage_only=True)
        _add_device(
            inv,
            raw.get("name"),
            raw.get("role"),
            raw.get("statement"),
            aes,
            row,
            path.parent,
            sends,
            require_ae=True,
            corrections=raw.get("corrections"),
        )
        for column, service in LINK_COLUMNS.items():  # per-device link keys, same as table columns
            for target in _targets(raw.get(column)):
                _add_link(inv, name, target, service, where, column)
    links = data.get("links") or []
    if not isinstance(links, list):
        inv.problems.append(Problem(path.name, "'links' must be a list"))
        links = []
    for i, raw in enumerate(links, start=1):
        where = f"{path.name} link {i}"
        if not isinstance(raw, dict):
            inv.problems.append(Problem(where, "link must be a mapping with from/to/service"))
            continue
        link_service = parse_service(raw.get("service"))
        if link_service is None:
            inv.problems.append(Problem(where, f"unknown service {raw.get('service')!r}"))
            continue
        _add_link(inv, str(raw.get("from") or ""), str(raw.get("to") or ""), link_service, where, "")
        row = _Row(where)
        excluded = _sop_list(raw.get("exclude"), "exclude", row)
        sends = _sop_list(raw.get("sends"), "sends", row, storage_only=True)
        inv.problems.extend(row.problems())
        if sends and link_service is not Service.STORE:
            inv.problems.append(
                Problem(where, f"'sends' applies to store links only; ignored on {link_service.value}", False)
            )
            sends = ()
        inv.links[-1].exclude, inv.links[-1].sends = excluded, sends
    return inv


class _Row:
    """Everything wrong with one device row (or YAML device), reported together.

    A person fixing a spreadsheet wants every problem of a row at once, not one per run.
    ``errors`` stop the device; ``warnings`` (an unknown name in ``sends``, a missing statement
    file) keep it and are reported as findings.
    """

    def __init__(self, where: str) -> None:
        self.where = where
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, message: str, where: str = "") -> None:
        self.errors.append(Problem(where or self.where, message))

    def warn(self, message: str) -> None:
        self.warnings.append(Problem(self.where, message, False))

    def problems(self) -> list[Problem]:
        return [*self.errors, *self.warnings]

    def reason(self) -> str:
        return "; ".join(p.message for p in self.errors)


def _expanded_size(root: Any, limit: int = MAX_YAML_NODES) -> int:
    """Values in ``root`` with every shared (aliased) list/mapping counted each time it is used.

    Iterative and memoized, so neither deep nesting nor a billion-laughs document costs more
    than its distinct nodes; stops counting once past ``limit``.
    """
    memo: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        obj, done = stack.pop()
        if not isinstance(obj, (list, dict)):
            continue
        key = id(obj)
        children = [*obj.keys(), *obj.values()] if isinstance(obj, dict) else obj
        if not done:
            if key in memo or key in visiting:
                continue
            visiting.add(key)
            stack.append((obj, True))
            stack.extend((c, False) for c in children if isinstance(c, (list, dict)))
            continue
        visiting.discard(key)
        memo[key] = 1 + sum(memo.get(id(c), 0) if isinstance(c, (list, dict)) else 1 for c in children)
        if memo[key] > limit:
            return memo[key]
    return memo.get(id(root), 1)


def _decode_table(path: Path, if_binary: str) -> tuple[str, list[str]]:
    """Text and notes (Excel/Notepad write UTF-8, UTF-16 or Windows-1252); ``if_binary`` is the error."""
    try:
        return decode_text(path.read_bytes())
    except BinaryDataError:
        raise InventoryError(str(path), if_binary) from None


def _read_frames(path: Path, sheet: str | None) -> tuple[list[tuple[str, Any]], list[str]]:
    """(sheet label, frame) pairs and notes: the CSV's one table, or the XLSX sheets to read.

    Without ``sheet`` every sheet that has the required columns is read (a workbook often keeps
    notes or a legend on other sheets: those are named in a warning, not read as devices).
    """
    import io

    import pandas as pd

    try:
        if path.suffix.lower() == ".csv":
            text, notes = _decode_table(path, "binary data, not a CSV table")
            header = text.split("\n", 1)[0]
            sep = max((",", ";", "\t"), key=header.count)  # European Excel uses ';', 'Unicode text' tabs
            frame = pd.read_csv(
                io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True
            )
            return [("", frame)], notes
        with warnings.catch_warnings():  # openpyxl warns on odd parts; the result or the error says enough
            warnings.simplefilter("ignore")
            with pd.ExcelFile(path) as book:
                names = [str(n) for n in book.sheet_names]
                if sheet is not None and sheet not in names:
                    raise InventoryError(str(path), f"no sheet {sheet!r} (sheets: {', '.join(names)})")
                chosen = [sheet] if sheet is not None else names
                frames = [(n, book.parse(n, dtype=str, keep_default_na=False)) for n in chosen]
    except InventoryError:
        raise
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InventoryError(str(path), f"cannot read table ({msg})") from exc
    except Exception as exc:  # openpyxl/zipfile raise their own types on corrupt XLSX
        raise InventoryError(str(path), f"cannot read table ({type(exc).__name__}: {exc})") from exc
    if sheet is not None or len(frames) == 1:
        return [("" if sheet is None else sheet, frames[0][1])], []
    usable = [(n, f) for n, f in frames if not _missing_columns(_columns(f))]
    if not usable:  # the first sheet's missing columns make the error
        return [("", frames[0][1])], []
    notes = [
        f"sheet {n!r} ignored: no {' / '.join(REQUIRED_COLUMNS)} columns"
        for n, f in frames
        if (n, f) not in usable
    ]
    labels = [n if len(usable) > 1 else "" for n, _ in usable]
    return [(label, f) for label, (_, f) in zip(labels, usable, strict=True)], notes


def _columns(frame: Any) -> list[str]:
    return [str(c).strip().lower().replace(" ", "_") for c in frame.columns]


def _missing_columns(columns: list[str]) -> list[str]:
    return [c for c in REQUIRED_COLUMNS if c not in columns]


def _load_table(path: Path, sheet: str | None = None) -> Inventory:
    frames, notes = _read_frames(path, sheet)
    inv = Inventory(path=path)
    inv.problems.extend(Problem(path.name, note, False) for note in notes)
    by_name: dict[str, Device] = {}
    rows: dict[str, _Row] = {}  # device -> its first row (where a device-level error is reported)
    pending_links: list[tuple[str, str, Service, str, str]] = []
    for label, frame in frames:
        columns = _columns(frame)
        frame.columns = columns
        where_file = f"{path.name} sheet {label!r}" if label else path.name
        missing = _missing_columns(columns)
        if missing:
            raise InventoryError(
                str(path),
                f"{'sheet ' + repr(label) + ': ' if label else ''}missing column(s) {', '.join(missing)} "
                f"(have: {', '.join(columns[:12])[:300]})",
            )
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        if repeated:  # "Port" and "port": say which one counts instead of letting pandas pick silently
            message = f"repeated column(s) {', '.join(repeated)}: the first is used"
            inv.problems.append(Problem(where_file, message, False))
            frame = frame.loc[:, ~frame.columns.duplicated()]
            columns = list(frame.columns)
        unknown = [c for c in columns if c not in DEVICE_COLUMNS and c not in LINK_COLUMNS]
        if unknown:
            inv.problems.append(Problem(where_file, f"unknown column(s) {', '.join(unknown)} ignored", False))
        for idx, rec in enumerate(frame.to_dict("records")):
            where = f"{where_file} row {idx + 2}"  # row 1 is the header
            rec = {k: ("" if v is None else str(v).strip()) for k, v in rec.items()}
            name = rec.get("device", "")
            if not name:
                if any(rec.values()):
                    inv.problems.append(Problem(where, "no device name"))
                continue
            row = _Row(f"{where} ({name})")
            ae = _ae(rec.get("ae_title"), rec.get("host"), rec.get("port"), rec.get("tls"), row.where, row)
            sends = _sop_list(rec.get("sends"), "sends", row, storage_only=True)
            device = by_name.get(name)
            if device is None and name not in rows:
                rows[name] = row
                before = len(inv.devices)
                _add_device(
                    inv,
                    name,
                    rec.get("role"),
                    rec.get("statement"),
                    [],
                    row,
                    path.parent,
                    sends,
                    corrections=rec.get("corrections"),
                )
                if len(inv.devices) > before:
                    device = by_name[name] = inv.devices[-1]
            elif device is not None:  # another AE of the same device: device-level cells agree or are blank
                role = parse_role(rec.get("role")) if rec.get("role") else device.role
                stmt = rec.get("statement")
                if role is not device.role or (
                    stmt and device.statement and (path.parent / stmt) != device.statement
                ):
                    what = f"role {rec.get('role')!r}" if role is not device.role else f"statement {stmt!r}"
                    row.error(
                        f"duplicate device name {name!r} with a different {what} (first in {device.row})"
                    )
                device.sends = device.sends + tuple(u for u in sends if u not in device.sends)
                _more_corrections(device, rec.get("corrections"), row, path.parent)
                inv.problems.extend(row.problems())
            else:  # the device's first row was left out: this one is reported, not read
                inv.problems.extend(row.problems())
                row.error(f"device {name!r} was left out at {rows[name].where}")
                inv.problems.append(row.errors[-1])
            if device is not None and ae is not None and not row.errors:
                device.aes.append(ae)
            for column, service in LINK_COLUMNS.items():
                for target in _targets(rec.get(column)):
                    pending_links.append((name, target, service, where, column))
    for device in list(inv.devices):
        if not device.aes:
            problems = [p for p in inv.errors() if p.where.startswith(device.row)]
            message = f"device {device.name} has no valid AE; left out"
            inv.problems.append(Problem(device.row, message))
            inv.devices.remove(device)
            _skip(inv, device.name, device.row, "; ".join([p.message for p in problems] or [message]))
    for source, target, service, where, column in pending_links:
        _add_link(inv, source, target, service, where, column)
    return inv


def _skip(inv: Inventory, name: str, where: str, reason: str) -> None:
    """Leave a device out; its links are kept and reported as not checked, with this reason."""
    inv.dropped.add(name)
    inv.skipped_devices.setdefault(name, Problem(where, reason))


def _targets(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [t.strip() for t in str(value).replace(",", ";").split(";") if t.strip()]


def _ae(title: Any, host: Any, port: Any, tls: Any, where: str, row: _Row) -> AE | None:
    """An AE, or None with every problem of its cells recorded on ``row``."""
    text = "" if title is None else str(title)
    port_value, port_problem = _port(port)
    tls_value, tls_problem = _flag(tls, "tls")
    problems = [p for p in (ae_title_problem(text), port_problem, tls_problem) if p]
    for msg in problems:
        row.error(msg, where)
    if problems:
        return None
    return AE(text.strip(), str(host or "").strip(), port_value, tls_value, where)


def _add_device(
    inv: Inventory,
    name: Any,
    role: Any,
    statement: Any,
    aes: list[AE],
    row: _Row,
    base: Path,
    sends: tuple[str, ...] = (),
    *,
    require_ae: bool = False,
    corrections: Any = None,
) -> None:
    """Add the device, or leave it out with every problem of its row (AE problems included).

    A YAML device needs a valid AE here; a table device gets its AEs from its rows afterwards.
    """
    name = str(name or "").strip()
    before = len(row.errors)
    if not name:
        row.error("device needs a 'name'")
    parsed = parse_role(role)
    if parsed is None:
        row.error(f"unknown role {role!r}" + (f" for {name}" if name else ""))
    first = inv.device(name) if name else None
    duplicate = first is not None
    if first is not None:
        row.error(f"duplicate device name {name!r} (first in {first.row})")
    stmt_path = (base / str(statement)) if statement not in (None, "") else None
    if stmt_path is not None and not stmt_path.is_file():
        row.warn(f"statement file {statement!s} not found")
    inv.problems.extend(row.problems())
    if len(row.errors) > before or parsed is None or (require_ae and not aes):
        if name and not duplicate:
            _skip(inv, name, row.where, row.reason())
        return
    inv.devices.append(
        Device(name, parsed, aes, stmt_path, row.where, corrections=_path(corrections, base), sends=sends)
    )


def _path(value: Any, base: Path) -> Path | None:
    """A file named in the inventory, relative to its folder (None for a blank cell)."""
    text = "" if value is None else str(value).strip()
    return base / text if text else None


def _more_corrections(device: Device, value: Any, row: _Row, base: Path) -> None:
    """A further table row of the device names its corrections file: the same one, or a warning."""
    path = _path(value, base)
    if path is None or path == device.corrections:
        return
    if device.corrections is not None:
        row.warn(f"corrections {value!s} ignored: {device.name} already has {device.corrections.name}")
        return
    device.corrections = path


def _sop_list(value: Any, key: str, row: _Row, *, storage_only: bool = False) -> tuple[str, ...]:
    """SOP classes named by UID, keyword or name (``exclude: [Raw Data Storage]``); bad names warned."""
    from conformance.uids import is_standard, is_storage_sop_class, resolve_sop_class, uid_name

    out: list[str] = []
    for text in _targets(value):
        uid = resolve_sop_class(text)
        if uid is None:
            row.warn(f"unknown SOP class {text!r} in {key}: not checked")
        elif storage_only and is_standard(uid) and not is_storage_sop_class(uid):
            row.warn(f"{uid_name(uid)} in {key} is not a storage SOP class: ignored")
        elif uid not in out:
            out.append(uid)
    return tuple(out)


def _add_link(inv: Inventory, source: str, target: str, service: Service, where: str, column: str) -> None:
    label = f"{column} " if column else ""
    inv.links.append(Link(source, target, service, f"{where} {label}".strip()))


def finish(inv: Inventory) -> None:
    """Validate links and AE titles across rows; add links implied by role. Idempotent."""
    names = {d.name for d in inv.devices}
    skipped = inv.dropped - names
    valid: list[Link] = []
    seen: set[tuple[str, str, str]] = set()
    for link in inv.links:
        if link.implied:
            continue
        # a link to a device left out for a row error stays: the matcher reports it as not checked
        # (with the row's reason), where dropping it would make a chain say the step is missing
        for end in (link.source, link.target):
            if end not in names and end not in skipped:
                inv.problems.append(
                    Problem(
                        link.row,
                        f"link {link.service.value} {link.source} -> {link.target}: unknown device {end!r}",
                    )
                )
                break
        else:
            if link.source == link.target:
                inv.problems.append(
                    Problem(link.row, f"link {link.service.value} from {link.source} to itself")
                )
            elif link.key() not in seen:
                seen.add(link.key())
                valid.append(link)
    inv.links = valid + implied_links(inv.devices, valid)
    _check_cycles(inv)
    _check_titles(inv)


def _check_cycles(inv: Inventory) -> None:
    """Store loops between archives (each forwards to the next) never settle: flag them.

    One warning per group of archives that forward to each other (a strongly connected
    component), naming its shortest loop: linear in the links, where listing every simple
    cycle is exponential (a 10-archive mesh has millions).
    """
    archives = {d.name for d in inv.devices if d.role is DeviceRole.ARCHIVE}
    graph: dict[str, list[str]] = {}
    for link in inv.links:
        if link.service is Service.STORE and link.source in archives and link.target in archives:
            graph.setdefault(link.source, []).append(link.target)
    for targets in graph.values():
        targets.sort()
    for group in sorted((sorted(c) for c in _loop_groups(graph)), key=lambda c: c[0]):
        start = group[0]
        cycle = _shortest_loop(graph, start, set(group))
        shown = " -> ".join([*cycle, start])
        more = len(group) - len(cycle)
        tail = f" (and {more} more archive(s) looping with them)" if more else ""
        message = f"store links form a forwarding loop between archives: {shown}{tail}"
        inv.problems.append(Problem(inv.path.name, message, False))


def _loop_groups(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (iterative Tarjan: no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph.get(root, [])))]
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph.get(nxt, []))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)
    return groups


def _shortest_loop(graph: dict[str, list[str]], start: str, group: set[str]) -> list[str]:
    """The shortest path start -> ... -> (back to start) inside one loop group (BFS)."""
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph.get(node, []):
            if nxt == start:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])  # type: ignore[arg-type]
                return path[::-1]
            if nxt in group and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return [start]


def _check_titles(inv: Inventory) -> None:
    """Duplicate titles and titles that differ only in case (kept: the matcher reports them)."""
    seen: dict[str, tuple[str, AE]] = {}
    folded: dict[str, tuple[str, AE]] = {}
    for device in inv.devices:
        for ae in device.aes:
            if ae.title in seen and seen[ae.title][0] != device.name:
                inv.problems.append(
                    Problem(
                        ae.row or device.row,
                        f"duplicate AE title {ae.title!r} (also {seen[ae.title][0]})",
                        False,
                        "ae-title-duplicate",
                    )
                )
            elif ae.title.upper() in folded and folded[ae.title.upper()][1].title != ae.title:
                other = folded[ae.title.upper()]
                inv.problems.append(
                    Problem(
                        ae.row or device.row,
                        f"AE title {ae.title!r} differs only in case from {other[1].title!r} ({other[0]})",
                        False,
                        "ae-title-case",
                    )
                )
            seen.setdefault(ae.title, (device.name, ae))
            folded.setdefault(ae.title.upper(), (device.name, ae))
