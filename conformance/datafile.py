"""Hand-written data files (facts, corrections): loading that keeps line numbers, shared checks.

A person edits these files, so a problem must point at the entry and its line, and one bad
entry must not cost the others. YAML is composed into nodes first (their marks give the
line of every value) and then constructed; JSON has no line information, so its entries are
named by position only. Aliases are allowed (a repeated transfer-syntax list), but a
document whose aliases expand into a huge or recursive structure is refused.

The checks resolve SOP classes and transfer syntaxes the way documents are resolved
(:mod:`conformance.uids`: UID, dictionary name, pydicom keyword, vendor spelling), and read
the facts-shaped scalars (``max_associations``, ``max_pdu_receive`` ...) that both the facts
format and a correction's ``set`` use. Each check raises :class:`EntryError`; the caller
decides what is left out.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from conformance import uids
from conformance.errors import ConformanceError
from conformance.fileio import JSON_SUFFIXES
from conformance.model import UNLIMITED, Role

LOGGER = logging.getLogger(__name__)

MAX_NODES = 200_000  # values after alias expansion; a facts file of every SOP class has ~20,000
MAX_BYTES = 20 * 2**20
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_UIDISH = re.compile(r"^[0-9.\s]+$")

Path_ = tuple[str | int, ...]  # a value's place: ("services", 3, "role")


class EntryError(ValueError):
    """One entry's problem; ``name``/``kind`` when it is a name no dictionary knows."""

    def __init__(self, message: str, *, name: str = "", kind: str = "") -> None:
        super().__init__(message)
        self.name = name
        self.kind = kind


@dataclass
class Located:
    """Loaded data and, for YAML, the node tree that says where each value was written."""

    data: Any
    root: yaml.Node | None = None

    def node(self, path: Path_) -> yaml.Node | None:
        node = self.root
        for step in path:
            if isinstance(node, yaml.MappingNode):
                node = next(
                    (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(step)),
                    None,
                )
            elif (
                isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value)
            ):
                node = node.value[step]
            else:
                return None
        return node

    def line(self, path: Path_) -> int | None:
        """1-based line where the value at ``path`` starts (None for JSON or a missing value)."""
        node = self.node(path)
        return node.start_mark.line + 1 if node is not None else None

    def raw(self, path: Path_) -> str | None:
        """The scalar as written (``version: 3.10`` is the text "3.10", not the float 3.1)."""
        node = self.node(path)
        return node.value if isinstance(node, yaml.ScalarNode) else None


def load_mapping(path: Path, error: type[ConformanceError], expected: str) -> Located:
    """A data file whose top level is a mapping (``expected`` says of what, for the error)."""
    if not path.is_file():
        raise error(str(path), "no such file")
    located = load(path, error)
    if not isinstance(located.data, dict):
        raise error(str(path), f"expected a mapping: {expected}")
    return located


def load(path: Path, error: type[ConformanceError]) -> Located:
    """Read a JSON or YAML data file; ``error`` (naming the file) when it cannot be read at all."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(str(path), f"cannot read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise error(str(path), "empty file")
    if len(data) > MAX_BYTES:
        raise error(str(path), f"larger than {MAX_BYTES // 2**20} MB; not a hand-written data file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    if path.suffix.lower() in JSON_SUFFIXES:
        try:
            return Located(json.loads(text))
        except json.JSONDecodeError as exc:
            raise error(str(path), f"invalid JSON ({exc.msg}, line {exc.lineno})") from exc
        except RecursionError as exc:
            raise error(str(path), "invalid JSON (nested too deeply)") from exc
    return _load_yaml(text, str(path), error)


def _load_yaml(text: str, name: str, error: type[ConformanceError]) -> Located:
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise error(name, "empty YAML document")
        _check_size(root, name, error)
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise error(name, f"invalid YAML ({first}{where})") from exc
    except RecursionError as exc:
        raise error(name, "invalid YAML (nested too deeply)") from exc
    finally:
        loader.dispose()
    return Located(data, root)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_size(root: yaml.Node, name: str, error: type[ConformanceError]) -> None:
    """Refuse recursive aliases and alias bombs: count values as if every alias were expanded."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            if size[key] > MAX_NODES:
                raise error(name, f"YAML expands to more than {MAX_NODES:,} values (alias bomb?)")
            continue
        if key in size:
            continue
        if key in open_:
            raise error(name, "recursive YAML alias")
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)


# --------------------------------------------------------------------------- entries
def text(value: Any, raw: str | None = None) -> str:
    """A value meant as text: YAML turns ``3.10`` into a float, so prefer the text as written."""
    if isinstance(value, str):
        return value.strip()
    if value is None or isinstance(value, (list, dict)):
        raise EntryError(f"expected text, got {_kind(value)}")
    return (raw if raw is not None else str(value)).strip()


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "true/false", list: "a list", dict: "a mapping"}.get(type(value), repr(value))


def _uid(written: str) -> str:
    uid = "".join(written.split())
    if not uids.is_valid_uid(uid):
        raise EntryError(f"{written!r} is not a valid UID")
    return uid


def _resolved(
    value: Any,
    raw: str | None,
    what: str,
    kind: str,
    fits: Callable[[str], bool],
    resolve: Callable[[str], str | None],
) -> str:
    """A UID written as a UID (checked), a dictionary name or a pydicom keyword (resolved)."""
    written = text(value, raw)
    if not written:
        raise EntryError(f"no {what} given")
    if _UIDISH.match(written):
        uid = _uid(written)
        if uids.is_standard(uid) and not fits(uid):
            found = uids.uid_kind(uid)
            why = f"a {found} UID" if found else "not in the UID dictionary (typo?)"
            raise EntryError(f"{uid} is not a {what} ({why})")
        return uid
    resolved = resolve(written)
    if resolved is None or (uids.is_standard(resolved) and not fits(resolved)):
        raise EntryError(f"unknown {what} {written!r}", name=written, kind=kind)
    return resolved


def sop_class(value: Any, raw: str | None = None) -> str:
    """A SOP class UID from a UID, a dictionary name or a pydicom keyword."""
    return _resolved(value, raw, "SOP class", "sop_class", uids.is_sop_class, uids.resolve_sop_class)


def transfer_syntax(value: Any, raw: str | None = None) -> str:
    """A transfer syntax UID from a UID, a dictionary name or a pydicom keyword."""
    return _resolved(
        value,
        raw,
        "transfer syntax",
        "transfer_syntax",
        uids.looks_like_transfer_syntax,
        uids.resolve_transfer_syntax,
    )


def mapping(entry: Any, known: frozenset[str], expected: str) -> dict[Any, Any]:
    """An entry that must be a mapping of known keys (a typo'd key must not be silently ignored)."""
    if not isinstance(entry, dict):
        raise EntryError(f"expected a mapping with {expected}, got {entry!r:.60}")
    extra = unknown_keys(entry, known)
    if extra:
        raise EntryError(extra)
    return entry


def service_key(entry: dict[Any, Any], located: Located, path: Path_) -> tuple[str, Role]:
    """(SOP class UID, role) of a service entry: ``sop_class_uid`` and/or ``sop_class``, ``role``."""
    written = [k for k in ("sop_class_uid", "sop_class") if entry.get(k) not in (None, "")]
    if not written:
        raise EntryError("needs sop_class_uid or sop_class (a UID, name or keyword)")
    found = [sop_class(entry[k], located.raw((*path, k))) for k in written]
    if len(set(found)) > 1:
        raise EntryError(f"sop_class_uid {found[0]} and sop_class {entry['sop_class']!r} disagree")
    if "role" not in entry:
        raise EntryError("needs role (SCU or SCP)")
    return found[0], role(entry["role"])


def role(value: Any) -> Role:
    written = value.strip().upper() if isinstance(value, str) else value
    try:
        return Role(written)
    except ValueError:
        raise EntryError(f"bad role {value!r} (use SCU or SCP)") from None


def string_list(value: Any) -> list[Any]:
    """A list, or one value written without brackets."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def unknown_keys(entry: dict[Any, Any], known: frozenset[str] | set[str]) -> str | None:
    extra = sorted(str(k) for k in entry if str(k) not in known)
    if not extra:
        return None
    return f"unknown key(s) {', '.join(repr(k) for k in extra)} (known: {', '.join(sorted(known))})"


# --------------------------------------------------------------------------- scalars
# facts-format place -> (Statement attribute, kind of value)
SCALARS: dict[tuple[str, ...], tuple[str, str]] = {
    ("product", "vendor"): ("vendor", "text"),
    ("product", "name"): ("product", "text"),
    ("product", "version"): ("version", "text"),
    ("implementation_class_uid",): ("implementation_class_uid", "uid"),
    ("implementation_version_name",): ("implementation_version_name", "text"),
    ("max_associations", "initiated"): ("max_associations_initiated", "limit"),
    ("max_associations", "accepted"): ("max_associations_accepted", "limit"),
    ("max_pdu_receive",): ("max_pdu_receive", "count"),
    ("character_sets",): ("character_sets", "charsets"),
    ("security", "tls"): ("tls", "bool"),
    ("network", "ipv6"): ("ipv6", "bool"),
}
GROUPS = frozenset(path[0] for path in SCALARS if len(path) == 2)
SCALAR_KEYS = frozenset(path[0] for path in SCALARS)


@dataclass
class Scalar:
    """One facts-shaped value read from a file: where it goes and where it was written."""

    attribute: str  # Statement attribute
    key: str  # as written: "max_associations.accepted"
    value: Any  # None: stated as unknown (null)
    path: Path_


def scalars(
    mapping: dict[Any, Any], located: Located, base: Path_, problem: Callable[[str, str, Path_], None]
) -> Iterator[Scalar]:
    """The facts-shaped scalars of ``mapping`` (its other keys are the caller's business).

    A bad value is reported through ``problem(key, message, path)`` and left out; the others
    are yielded.
    """
    for path, (attribute, kind) in SCALARS.items():
        group = mapping.get(path[0]) if len(path) == 2 else mapping
        if path[0] not in mapping or not isinstance(group, dict) or path[-1] not in group:
            continue
        where = (*base, *path)
        try:
            value = _scalar(kind, group[path[-1]], located.raw(where))
        except EntryError as exc:
            problem(".".join(path), str(exc), where)
            continue
        yield Scalar(attribute, ".".join(path), value, where)
    for key in sorted(GROUPS & {str(k) for k in mapping}):
        group = mapping[key]
        if group is None:
            continue
        if not isinstance(group, dict):
            problem(key, f"expected a mapping, got {_kind(group)}", (*base, key))
            continue
        known = {p[1] for p in SCALARS if p[0] == key}
        extra = unknown_keys(group, known)
        if extra:
            problem(key, extra, (*base, key))


def _scalar(kind: str, value: Any, raw: str | None) -> Any:
    if value is None:
        return None
    if kind == "text":
        written = text(value, raw)
        if not written:
            raise EntryError("empty text")
        return written
    if kind == "uid":
        return _uid(text(value, raw))
    if kind == "bool":
        if not isinstance(value, bool):
            raise EntryError(f"expected true or false, got {_kind(value)}")
        return value
    if kind == "charsets":
        from pydicom.charset import python_encoding

        out = []
        for item in string_list(value):
            term = " ".join(text(item).split())
            if term not in python_encoding or not term:
                raise EntryError(f"unknown character set {term!r} (use a defined term such as ISO_IR 100)")
            if term not in out:
                out.append(term)
        return out
    if kind == "limit" and isinstance(value, str) and value.strip().lower() == UNLIMITED:
        return UNLIMITED
    number = _count(value)
    if number is None:
        expected = "a number or 'unlimited'" if kind == "limit" else "a number"
        raise EntryError(f"expected {expected}, got {_kind(value)}")
    return number


def port(value: Any) -> int:
    number = _count(value)
    if number is None or not 1 <= number <= 65535:
        raise EntryError(f"port {value!r} is not a number in 1-65535")
    return number


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value >= 0 else None


def place(file: str, entry: str, line: int | None) -> str:
    """How a problem names its place: "site.yaml service 3 (line 14)"."""
    return f"{file} {entry}" + (f" (line {line})" if line else "")
