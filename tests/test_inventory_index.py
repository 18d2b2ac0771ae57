"""Device lookup by name is a dict, kept right when the device list changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.inventory import AE, Device, DeviceRole, Inventory, load_inventory


class CountingList(list):
    """A list that counts the items its scans and slices go over (what lookups cost)."""

    visited = 0

    def __iter__(self):  # type: ignore[override]
        CountingList.visited += len(self)
        return super().__iter__()

    def __getitem__(self, key):  # type: ignore[override]
        got = super().__getitem__(key)
        if isinstance(key, slice):
            CountingList.visited += len(got)
        return got


def _device(name: str, row: str = "") -> Device:
    return Device(name, DeviceRole.MODALITY, [AE(name[:16])], None, row or name)


def test_lookups_do_not_scan_the_device_list() -> None:
    inv = Inventory(Path("site.yaml"), devices=CountingList(_device(f"D{i}") for i in range(500)))
    CountingList.visited = 0
    for i in range(500):
        assert inv.device(f"D{i}").name == f"D{i}"  # type: ignore[union-attr]
    assert inv.device("nope") is None
    assert CountingList.visited <= 500  # one index build, not one scan per lookup


def test_appending_while_looking_up_stays_linear() -> None:
    # what loading does: look the new name up, then append the device
    inv = Inventory(Path("site.yaml"), devices=CountingList())
    CountingList.visited = 0
    for i in range(1000):
        assert inv.device(f"D{i}") is None
        inv.devices.append(_device(f"D{i}"))
        assert inv.device(f"D{i}") is inv.devices[-1]
    assert CountingList.visited <= 3 * 1000  # a scan (or rebuild) per lookup would visit ~500,000


def test_index_follows_appends_removals_and_a_new_list() -> None:
    inv = Inventory(Path("site.yaml"), devices=[_device("A"), _device("B")])
    assert inv.device("C") is None
    inv.devices.append(_device("C"))
    assert inv.device("C") is inv.devices[-1]
    removed = inv.devices.pop(0)
    inv.devices.append(_device("D"))  # same length as before, other last item
    assert inv.device(removed.name) is None and inv.device("D") is inv.devices[-1]
    inv.devices = [_device("E")]
    assert inv.device("B") is None and inv.device("E") is inv.devices[0]


def test_first_of_a_duplicate_name_wins() -> None:
    first, second = _device("A", "row 1"), _device("A", "row 2")
    inv = Inventory(Path("site.yaml"), devices=[first, second])
    assert inv.device("A") is first


def test_duplicate_device_name_names_the_first_row(tmp_path: Path) -> None:
    lines = ["devices:"]
    for i in range(1, 1001):
        lines.append(f"  - {{name: D{i}, role: modality, ae_title: AE{i}, port: 104, host: h{i}}}")
    lines.append("  - {name: D7, role: modality, ae_title: OTHER, port: 104}")
    path = tmp_path / "site.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inv = load_inventory(path)
    assert len(inv.devices) == 1000
    (dup,) = [p for p in inv.problems if "duplicate device name" in p.message]
    assert "'D7'" in dup.message and "device 7 (D7)" in dup.message and "device 1001" in dup.where


@pytest.mark.parametrize("name", ["D1", "D500", "D1000"])
def test_loaded_site_finds_every_device(tmp_path: Path, name: str) -> None:
    lines = ["devices:"] + [
        f"  - {{name: D{i}, role: modality, ae_title: AE{i}, port: 104, host: h{i}}}" for i in range(1, 1001)
    ]
    path = tmp_path / "site.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inv = load_inventory(path)
    assert inv.device(name) is not None and inv.device(name).ae_title == f"AE{name[1:]}"  # type: ignore[union-attr]
