"""The gap report in a real headless Chromium: it loads clean, shows the matrix and findings.

Chromium is driven over the DevTools protocol (a websocket, via websocket-client): no
driver binary whose version must match the browser. The page is checked for console
errors, blocked or external requests, scripts or images smuggled in by hostile strings,
and dangling in-page links; a screenshot and a print PDF are taken. Set
REPORT_SCREENSHOT_DIR to keep them. Without Chromium the tests skip, except under CI=true
where a missing browser is a failure.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.report import write_reports
from conformance.report.chromium import find_chromium
from tests.report_samples import IMG, SCRIPT, sample_analysis

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
]
TIMEOUT = 60.0


def _unavailable(reason: str) -> None:
    """Skip locally; under CI a missing browser must fail, not pass silently."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run)")
    pytest.skip(reason)


class Browser:
    """One headless Chromium and one page, spoken to over the DevTools protocol."""

    def __init__(self, exe: str, workdir: Path) -> None:
        import websocket  # websocket-client

        self.profile = workdir / "profile"
        self.profile.mkdir(parents=True)
        self.log = (workdir / "chromium.log").open("wb")
        self.proc = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: we can end exactly what we started
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"chromium did not start (see {workdir / 'chromium.log'})")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}{path}", timeout=TIMEOUT, suppress_origin=True
        )
        self._id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)
        self.viewport(1280, 900)

    def viewport(self, width: int, height: int) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )

    def call(self, method: str, params: dict | None = None, *, session: bool = False) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, since: int) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == method for e in self.events[since:]):
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self.events.append(json.loads(self.ws.recv()))

    def open(self, url: str) -> None:
        mark = len(self.events)
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for("Page.loadEventFired", mark)
        time.sleep(0.3)  # let late console / CSP reports arrive
        self.eval("1")  # and collect them

    def eval(self, expression: str) -> Any:
        res = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"])
        return res["result"].get("value")

    def problems(self, since: int = 0) -> list[str]:
        """Console errors, uncaught exceptions, error log entries (CSP, failed loads)."""
        out = []
        for e in self.events[since:]:
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and p.get("type") in {"error", "assert", "warning"}:
                out.append(f"console.{p['type']}: {[a.get('value') for a in p.get('args', [])]}")
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {p['exceptionDetails'].get('text')}")
            elif method == "Log.entryAdded" and p["entry"].get("level") in {"error", "warning"}:
                out.append(f"log {p['entry']['level']}: {p['entry'].get('text')}")
            elif method == "Network.loadingFailed":
                out.append(f"load failed: {p.get('errorText')}")
        return out

    def requested_urls(self, since: int = 0) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events[since:]
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def clip(self, selector: str) -> dict[str, float]:
        """The page rectangle of the first element matching ``selector`` (CSS pixels)."""
        box = self.eval(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; })()"
        )
        return {k: float(v) for k, v in box.items()}

    def screenshot_clip(self, path: Path, clip: dict[str, float], width: int = 1280) -> bytes:
        """A PNG of one rectangle of the page (the top of the report, the diagram)."""
        self.viewport(width, 900)
        height = int(self.eval("document.documentElement.scrollHeight")) + 1
        self.viewport(width, min(height, 16000))
        params = {"format": "png", "clip": {**clip, "scale": 1}, "captureBeyondViewport": True}
        data = base64.b64decode(self.call("Page.captureScreenshot", params, session=True)["data"])
        path.write_bytes(data)
        self.viewport(1280, 900)
        return data

    def screenshot(self, path: Path, width: int = 1280, max_height: int = 16000) -> tuple[int, int]:
        self.viewport(width, 900)  # measure at the width we shoot
        height = min(int(self.eval("document.documentElement.scrollHeight")) + 1, max_height)
        self.viewport(width, height)
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        path.write_bytes(base64.b64decode(data))
        self.viewport(1280, 900)
        return width, height

    def print_pdf(self, path: Path) -> bytes:
        data = self.call(
            "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}, session=True
        )
        pdf = base64.b64decode(data["data"])
        path.write_bytes(pdf)
        return pdf

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            with contextlib.suppress(Exception):  # may already be gone; we stop it below anyway
                self.call("Browser.close")
            ws.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group this test started, by id
            self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    exe = find_chromium()
    if exe is None:
        _unavailable("headless Chromium not installed (apt-get install chromium)")
    try:
        import websocket  # noqa: F401
    except ImportError:
        _unavailable("websocket-client not installed (pip install -e '.[test]')")
    b = Browser(str(exe), tmp_path_factory.mktemp("chromium"))
    try:
        yield b
    finally:
        b.close()


def _keep(path: Path) -> None:
    """Copy an artefact to REPORT_SCREENSHOT_DIR when set, to look at it by eye."""
    out = os.environ.get("REPORT_SCREENSHOT_DIR")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(out) / path.name)


PAGE_FACTS = """(() => {
  const q = s => document.querySelectorAll(s);
  const ids = new Set([...q('[id]')].map(e => e.id));
  const dangling = [...q('a[href^="#"]')].map(a => a.getAttribute('href').slice(1)).filter(h => !ids.has(h));
  return {
    title: document.title,
    matrixRows: q('table.matrix tbody tr').length,
    matrixCells: q('table.matrix td').length,
    colouredCells: [...q('table.matrix td a')].map(a => a.parentElement.className),
    legend: q('.legend li').length,
    findings: q('article.finding').length,
    findingIds: [...q('article.finding .id')].map(e => e.textContent),
    evidenceLinks: q('article.finding table.evidence a[href^="#st-"]').length,
    silent: q('article.finding td.silent').length,
    scripts: q('script').length,
    images: q('img').length,
    handlers: [...q('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    dangling: dangling,
    svgEdges: q('svg.network a.edge').length,
    svgNodes: q('svg.network a.node').length,
    svgTitle: (q('svg.network > title')[0] || {}).textContent,
    decisionsTop: (q('#decisions')[0] || {offsetTop: -1}).offsetTop,
    decisionRows: q('#decisions table.verdicts tbody tr').length,
    fixes: q('#decisions ol.fixes > li').length,
    skipped: q('#skipped ul.skipped li').length,
    chains: q('#chains .group').length,
    bodyText: document.body.innerText,
    externalLinks: [...q('a[href], link[href]')].map(a => a.getAttribute('href'))
      .filter(h => !h.startsWith('#')),
    width: document.documentElement.scrollWidth,
  };
})()"""


def test_report_renders_clean_in_chromium(browser: Browser, tmp_path: Path) -> None:
    html = write_reports(sample_analysis(), tmp_path / "report.html")[0]
    mark = len(browser.events)
    browser.open(html.as_uri())
    facts = browser.eval(PAGE_FACTS)

    assert browser.problems(mark) == []
    assert all(u.startswith(("file:", "data:", "about:")) for u in browser.requested_urls(mark))
    assert facts["externalLinks"] == []
    # hostile strings are shown as text, not executed or turned into elements
    assert facts["scripts"] == 0 and facts["images"] == 0 and facts["handlers"] == 0
    assert SCRIPT in facts["bodyText"] and IMG in facts["bodyText"]
    assert SCRIPT in facts["title"]
    # 5 devices -> 5x5 matrix; coloured cells link to the findings of that connection
    assert facts["matrixRows"] == 5 and facts["matrixCells"] == 25
    assert sorted(facts["colouredCells"]) == ["blocking", "blocking", "degrading", "ok", "ok"]
    assert facts["legend"] == 6 + 5  # the diagram's six, the matrix's five
    assert facts["findings"] == 6
    assert facts["findingIds"] == [f"F-00{i}" for i in range(1, 7)]
    assert facts["evidenceLinks"] >= 4 and facts["silent"] == 2
    assert facts["skipped"] == 2 and facts["chains"] == 1
    assert facts["dangling"] == []
    assert facts["width"] <= 1400, "the page should not need horizontal scrolling"

    shot = tmp_path / "report-sample.png"
    _w, h = browser.screenshot(shot)
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and h > 800
    _keep(shot)
    pdf = browser.print_pdf(tmp_path / "report-sample.pdf")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    _keep(tmp_path / "report-sample.pdf")


def test_harness_sees_console_errors_and_blocked_loads(browser: Browser, tmp_path: Path) -> None:
    """The clean-page assertions above mean something: a bad page is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<img src="http://127.0.0.1:9/x.png"><p>bad</p>',
        encoding="utf-8",
    )
    mark = len(browser.events)
    browser.open(bad.as_uri())
    assert browser.problems(mark), "a CSP-blocked external image must be reported"
    worse = tmp_path / "worse.html"
    worse.write_text("<!DOCTYPE html><script>console.error('boom'); undefinedCall();</script>", "utf-8")
    mark = len(browser.events)
    browser.open(worse.as_uri())
    found = browser.problems(mark)
    assert any("boom" in p for p in found) and any("exception" in p for p in found)


def test_large_site_lists_connections_instead_of_grid(browser: Browser, tmp_path: Path) -> None:
    html = write_reports(sample_analysis(extra_devices=60), tmp_path / "big.html")[0]
    mark = len(browser.events)
    browser.open(html.as_uri())
    facts = browser.eval(PAGE_FACTS)
    assert browser.problems(mark) == []
    assert facts["matrixRows"] == 0 and facts["findings"] == 6 and facts["dangling"] == []
    assert browser.eval("document.querySelectorAll('table.links tbody tr').length") >= 5


def test_demo_report_in_chromium(browser: Browser, tmp_path: Path) -> None:
    """The shipped example inventory's report, as `conformance demo` writes it."""
    from typer.testing import CliRunner

    from conformance.cli import app

    if not (REPO / "statements" / "inventory.yaml").is_file():
        pytest.skip("statements/inventory.yaml not written yet")
    out = tmp_path / "demo.html"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--no-pdf"])
    assert result.exit_code == 0, result.output
    mark = len(browser.events)
    browser.open(out.as_uri())
    facts = browser.eval(PAGE_FACTS)
    assert browser.problems(mark) == []
    assert facts["matrixRows"] >= 6 and facts["matrixCells"] == facts["matrixRows"] ** 2
    assert facts["findings"] >= 1 and any(c != "ok" for c in facts["colouredCells"])
    assert facts["scripts"] == 0 and facts["dangling"] == []
    # decisions first: on the first screen, every connection with a verdict, five fixes
    assert 0 < facts["decisionsTop"] < 900
    assert facts["decisionRows"] == 8 and facts["fixes"] == 5
    # the diagram: one box per device, one arrow per connection
    assert facts["svgNodes"] == 7 and facts["svgEdges"] == 8
    assert facts["svgTitle"].startswith("Network diagram of St. Brigid")
    top = browser.screenshot_clip(
        tmp_path / "report-demo-top.png", {"x": 0, "y": 0, "width": 1280, "height": 900}
    )
    assert _png_size(top) == (1280, 900)
    svg = browser.clip("svg.network")
    assert svg["width"] > 600 and 150 < svg["height"] < 600
    picture = browser.screenshot_clip(tmp_path / "report-demo-svg.png", svg)
    assert _png_size(picture) == (round(svg["width"]), round(svg["height"]))
    assert _colours(picture) > 4, "the diagram is drawn (boxes, coloured arrows), not blank"
    _keep(tmp_path / "report-demo-top.png")
    _keep(tmp_path / "report-demo-svg.png")
    shot = tmp_path / "report-demo.png"
    browser.screenshot(shot)
    _keep(shot)
    data = json.loads(out.with_suffix(".json").read_text("utf-8"))
    assert data["schema"] == "conformance-report/1"
    assert len(data["findings"]) == facts["findings"]


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _colours(png: bytes) -> int:
    """How many distinct colours a PNG has (a blank or failed capture has one or two)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        return len(im.convert("RGB").getcolors(maxcolors=1 << 20) or [])


def _pdf_pages(path: Path) -> list[str]:
    """Each page's text with all white space removed (Chromium's page-margin text comes out spaced)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return ["".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()


def test_check_pdf_is_paged_with_site_name_and_page_numbers(browser: Browser, tmp_path: Path) -> None:
    """`check --pdf` on the example: A4 pages, the site in every header, "Page n of N", findings."""
    from typer.testing import CliRunner

    from conformance.cli import app

    out = tmp_path / "site.html"
    inventory = REPO / "statements" / "inventory.yaml"
    result = CliRunner().invoke(app, ["check", "-i", str(inventory), "--out", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = out.with_suffix(".pdf")
    assert f"wrote {pdf}" in result.output
    pages = _pdf_pages(pdf)
    assert len(pages) > 1
    data = json.loads(out.with_suffix(".json").read_text("utf-8"))
    site = "".join(data["site"].split())
    assert site.startswith("St.BrigidCommunityHospital")
    for n, text in enumerate(pages, start=1):
        assert site in text, n
        assert f"Page{n}of{len(pages)}" in text, n
    whole = "".join(pages)
    for f in data["findings"][:5]:
        assert "".join(f["title"].split()) in whole, f["title"]
    _keep(pdf)


def test_pdf_prints_the_lists_of_a_grouped_finding_open(browser: Browser, tmp_path: Path) -> None:
    from conformance.report.render import write_pdf
    from conformance.uids import uid_name
    from tests.report_samples import NOT_ACCEPTED, grouped_analysis

    pdf = write_pdf(grouped_analysis(), tmp_path / "grouped.pdf")
    whole = "".join(_pdf_pages(pdf))
    assert "4SOPclassesconcerned" in whole
    for uid in NOT_ACCEPTED:  # the collapsible list is open in print
        assert "".join(uid_name(uid).split()) in whole and uid in whole
