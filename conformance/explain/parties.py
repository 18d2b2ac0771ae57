"""Who the AE titles in a log are: inventory devices and their statements, or bare titles.

A log knows AE titles only. With an inventory, a title names the device(s) whose AE has
it (two devices with the same title are both named: the log cannot tell them apart). With
``--statement FILE`` a statement speaks for the AE titles it gives itself (its AE title
facts), or for the title it is bound to with ``--statement TITLE=FILE``. A title nothing
names stays a bare AE title: its findings still come from the log, without statement
evidence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from conformance.errors import ConformanceError
from conformance.findings import Evidence, Skipped
from conformance.inventory import AE, Device, Inventory, load_inventory
from conformance.model import Provenance, Role, Statement
from conformance.parsers import parse_many

LOGGER = logging.getLogger(__name__)

NEAR_TITLE_SCORE = 70  # rapidfuzz ratio for "did you mean" AE titles


@dataclass
class Party:
    """One side of an association as the site knows it."""

    ae_title: str
    name: str  # the device name(s) from the inventory, else the AE title
    devices: list[Device] = field(default_factory=list)
    statement: Statement | None = None

    @property
    def known(self) -> bool:
        return bool(self.devices) or self.statement is not None

    def ae(self) -> AE | None:
        """The inventory AE with this title (host and port for fixes)."""
        for device in self.devices:
            for ae in device.aes:
                if ae.title == self.ae_title:
                    return ae
        return None


@dataclass
class Site:
    """Everything the logs are explained against: inventory devices and parsed statements."""

    inventory: Inventory | None = None
    by_title: dict[str, list[Device]] = field(default_factory=dict)
    statements: dict[str, Statement] = field(default_factory=dict)  # device name -> statement
    bound: dict[str, Statement] = field(default_factory=dict)  # AE title -> statement (--statement)
    loose: list[Statement] = field(default_factory=list)  # --statement files bound to no title
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def source(self) -> str:
        """What the report names as its input: the inventory file, or ""."""
        return self.inventory.path.name if self.inventory is not None else ""

    def party(self, ae_title: str) -> Party:
        devices = self.by_title.get(ae_title, [])
        if devices:
            names = " / ".join(d.name for d in devices)
            sts = {id(st): st for d in devices if (st := self.statements.get(d.name)) is not None}
            statement = next(iter(sts.values())) if len(sts) == 1 else None
            return Party(ae_title, names, list(devices), statement)
        statement = self.bound.get(ae_title)
        return Party(ae_title, ae_title or "(no AE title)", [], statement)

    def titles(self) -> dict[str, str]:
        """Every AE title the site knows -> who has it (device name or statement file)."""
        out: dict[str, str] = {}
        for title, devices in self.by_title.items():
            out.setdefault(title, " / ".join(d.name for d in devices))
        for title, st in self.bound.items():
            out.setdefault(title, st.source)
        return out

    def near_titles(self, title: str, limit: int = 3) -> list[tuple[str, str]]:
        """Site AE titles close to ``title`` (a typo, another case, a missing suffix), best first."""
        known = self.titles()
        if not title or not known:
            return []
        exact_case = [t for t in known if t.lower() == title.lower() and t != title]
        found = process.extract(title.upper(), {t: t.upper() for t in known}, scorer=fuzz.ratio, limit=limit)
        near = [key for _match, score, key in found if score >= NEAR_TITLE_SCORE and key != title]
        return [(t, known[t]) for t in dict.fromkeys([*exact_case, *near])][:limit]

    def offering(self, uid: str, role: Role, exclude: set[str]) -> list[tuple[Device, Statement]]:
        """Inventory devices (other than ``exclude``) whose statement supports ``uid`` in ``role``."""
        out: list[tuple[Device, Statement]] = []
        if self.inventory is None:
            return out
        for device in self.inventory.devices:
            st = self.statements.get(device.name)
            if device.name not in exclude and st is not None and st.supports(uid, role) is not None:
                out.append((device, st))
        return out

    def inventory_evidence(self, party: Party, claim: str) -> Evidence | None:
        """The inventory row that gives this party its AE title, as evidence."""
        if self.inventory is None or not party.devices:
            return None
        device = party.devices[0]
        prov = Provenance(self.inventory.path.name, section=device.row, text=claim)
        return Evidence(device.name, self.inventory.path.name, claim, prov)


def load_site(
    inventory: Path | None, statements: list[str], *, titles: set[str], use_cache: bool = True
) -> Site:
    """Inventory and statements for the AE titles the logs name; unreadable statements are skipped.

    ``statements`` items are paths, or ``TITLE=path`` to bind a statement to an AE title it
    does not name itself.
    """
    site = Site()
    if inventory is not None:
        inv = load_inventory(inventory)
        site.inventory = inv
        for device in inv.devices:
            for ae in device.aes:
                site.by_title.setdefault(ae.title, [])
                if device not in site.by_title[ae.title]:
                    site.by_title[ae.title].append(device)
        # every statement is parsed (cached, on all cores): a fix may point at a device the
        # logs never name ("the archive offers Q/R FIND"); only the named ones' problems count
        named = {id(d) for t in titles for d in site.by_title.get(t, [])}
        paths = list(dict.fromkeys(d.statement for d in inv.devices if d.statement is not None))
        parsed = parse_many(paths, use_cache=use_cache) if paths else {}
        for device in inv.devices:
            result = parsed.get(Path(device.statement)) if device.statement is not None else None
            if isinstance(result, Statement):
                site.statements[device.name] = result
            elif id(device) in named:
                why = result.message if result is not None else "no statement file in the inventory"
                site.skipped.append(Skipped(device.name, why))
    _bind_statements(site, statements, titles, use_cache=use_cache)
    return site


def _bind_statements(site: Site, items: list[str], titles: set[str], *, use_cache: bool) -> None:
    pairs: list[tuple[str | None, Path]] = []
    for item in items:
        given, sep, rest = item.partition("=")
        if sep and not Path(item).exists() and given.strip():
            pairs.append((given.strip(), Path(rest)))
        else:
            pairs.append((None, Path(item)))
    parsed = parse_many([p for _t, p in pairs], use_cache=use_cache) if pairs else {}
    for title, path in pairs:
        result = parsed[path]
        if isinstance(result, ConformanceError):
            site.skipped.append(Skipped(path.name, result.message))
            continue
        if title is not None:
            site.bound[title] = result
            continue
        own = [ae.ae_title.value.strip() for ae in result.aes if ae.ae_title is not None]
        if not own:
            site.loose.append(result)
            site.skipped.append(
                Skipped(
                    result.source,
                    "the statement gives no AE title, so no association can be matched to it; "
                    "bind it with --statement TITLE=FILE",
                )
            )
        for t in own:
            site.bound.setdefault(t, result)
        if own and not titles & set(own):
            names = ", ".join(own)
            site.skipped.append(
                Skipped(result.source, f"its AE title(s) {names} appear in no association of the logs")
            )
