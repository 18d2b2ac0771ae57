"""The ``conformance`` command line."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from conformance.errors import ConformanceError

if TYPE_CHECKING:
    from conformance.report import ReportView

app = typer.Typer(
    name="conformance",
    help="Parse DICOM conformance statements and check devices against each other.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_REPORT = Path("reports/report.html")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps \t and \n
_VERBOSE = [False]  # set by --verbose; run() shows a bug's traceback only then
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Parse again; neither read nor write the parse cache.")
]
CallingAE = Annotated[str, typer.Option("--calling-ae", help="Our AE title when probing.")]
ProbeTimeout = Annotated[
    float, typer.Option("--timeout", help="Probe: seconds to wait for connect, association, each DIMSE.")
]
Strict = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Exit 2 when anything was skipped, a name stayed unresolved or a statement is silent "
        "on a needed fact (outputs are still written).",
    ),
]


def _printable(text: str) -> str:
    """Statement text for a terminal: control characters (escape sequences, bells) made visible as '?'."""
    return _CONTROL.sub("?", text)


def _strict_exit(strict: bool, warnings: list[str] | dict[str, list[str]]) -> None:
    """Exit status 2 under --strict when the run produced warnings (each printed, one line).

    Grouped warnings (a check: inventory errors, statement warnings, probe warnings) are printed
    group by group with their label, and the summary counts each group.
    """
    from conformance.strict import GROUPS, STRICT_EXIT

    groups = warnings if isinstance(warnings, dict) else {"": warnings}
    if not strict or not any(groups.values()):
        return
    counts = []
    for group, lines in groups.items():
        label = GROUPS.get(group, "warning")
        for line in lines:
            typer.echo(f"{label}: {_printable(line)}", err=True)
        if lines:
            counts.append(f"{len(lines)} {label}(s)" if group else f"{len(lines)} warning(s)")
    typer.echo(f"strict: {', '.join(counts)}", err=True)
    raise typer.Exit(STRICT_EXIT)


def _fail(exc: ConformanceError) -> typer.Exit:
    typer.echo(f"error: {exc.message}", err=True)
    return typer.Exit(1)


def _show_version(value: bool) -> None:
    if value:
        from conformance import __version__

        typer.echo(f"conformance {__version__}")
        raise typer.Exit()


def _write_or_fail(write: Callable[[], list[Path]], out: Path) -> list[Path]:
    """Run a report writer; an unwritable folder or full disk is one line and exit 1."""
    try:
        return write()
    except OSError as exc:
        typer.echo(f"error: {exc.filename or out}: cannot write report ({exc.strerror or exc})", err=True)
        raise typer.Exit(1) from None


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(name)s: %(message)s")
    _VERBOSE[0] = verbose


@app.command()
def parse(
    statement: Annotated[
        Path,
        typer.Argument(help="Statement file (PDF, text, Markdown, RST, HTML; facts or model JSON/YAML)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full normalized model.")] = False,
    no_cache: NoCache = False,
    strict: Strict = False,
) -> None:
    """Read one statement and show what it claims."""
    from conformance.parsers import parse_statement
    from conformance.strict import statement_warnings
    from conformance.summary import summarize

    try:
        st = parse_statement(statement, use_cache=not no_cache)
    except ConformanceError as exc:
        raise _fail(exc) from None
    if as_json:
        typer.echo(json.dumps(st.to_dict(), indent=2, sort_keys=True))
    else:
        typer.echo(_printable(summarize(st)))
    _strict_exit(strict, statement_warnings(st))


class FactsFormat(StrEnum):
    JSON = "json"
    YAML = "yaml"


@app.command()
def facts(
    statements: Annotated[list[Path], typer.Argument(help="Statement files.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for <stem>.json (or .yaml) files.")] = Path(
        "facts"
    ),
    fmt: Annotated[
        FactsFormat,
        typer.Option(
            "--format", help="json: data (scored by the bench); yaml: for editing, sources as comments."
        ),
    ] = FactsFormat.JSON,
    no_cache: NoCache = False,
    strict: Strict = False,
) -> None:
    """Export conformance-facts/1 per statement (docs/facts-schema.md); usable as a statement again."""
    from conformance.facts import to_facts
    from conformance.fileio import atomic_write
    from conformance.parsers import parse_many
    from conformance.strict import statement_warnings

    failed = 0
    warnings: list[str] = []
    parsed = parse_many(statements, use_cache=not no_cache)
    inputs = {p.resolve() for p in parsed}
    stems: dict[str, Path] = {}
    for path, result in parsed.items():
        if isinstance(result, ConformanceError):
            typer.echo(f"error: {result.message}", err=True)
            failed += 1
            continue
        target = out / f"{path.stem}.{fmt.value}"
        if stems.setdefault(path.stem, path) != path:  # a/ct.pdf and b/ct.md would share ct.json
            clash = f"{target.name} would overwrite the facts of {stems[path.stem]}"
            typer.echo(f"error: {path}: {clash}", err=True)
            failed += 1
            continue
        if target.resolve() in inputs:  # facts/ct.yaml exported into facts/ again
            typer.echo(
                f"error: {path}: writing {target} would overwrite an input; choose another --out", err=True
            )
            failed += 1
            continue
        warnings.extend(statement_warnings(result))
        if fmt is FactsFormat.YAML:
            from conformance.facts_yaml import to_facts_yaml  # pydicom's UID names: YAML only

            text = to_facts_yaml(result)
        else:
            text = json.dumps(to_facts(result), indent=1, sort_keys=True) + "\n"
        try:
            atomic_write(target, text)
        except OSError as exc:
            typer.echo(f"error: {target}: cannot write ({exc.strerror or exc})", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"wrote {len(parsed) - failed} facts file(s) to {out}")
    if failed:
        raise typer.Exit(1)
    _strict_exit(strict, warnings)


@app.command()
def check(
    inventory: Annotated[Path, typer.Option("--inventory", "-i", help="Inventory (YAML, CSV or XLSX).")],
    out: Annotated[Path, typer.Option("--out", help="HTML report path.")] = DEFAULT_REPORT,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="XLSX: read this sheet only (default: every sheet with the columns)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json/--no-json", help="Also write <out>.json.")] = True,
    csv_out: Annotated[bool, typer.Option("--csv/--no-csv", help="Also write <out>.csv.")] = True,
    no_cache: NoCache = False,
    strict: Strict = False,
    probe: Annotated[
        bool,
        typer.Option(
            "--probe",
            help="Probe every inventory AE with a host and port (live) and match the links on what "
            "the devices do; the statements fill in what a probe cannot see.",
        ),
    ] = False,
    calling_ae: CallingAE = "CONFORMANCE",
    timeout: ProbeTimeout = 10.0,
    candidate: Annotated[
        Path | None,
        typer.Option("--candidate", help="What-if: statement of a device not bought yet, added to the site."),
    ] = None,
    as_role: Annotated[
        str | None,
        typer.Option("--as", help="What-if: the candidate's role (modality, archive, worklist, ...)."),
    ] = None,
    replace: Annotated[
        str | None,
        typer.Option("--replace", help="What-if: the device whose statement the candidate replaces."),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write <out>.pdf, printed by headless Chromium.")
    ] = False,
) -> None:
    """Parse every statement the inventory names, match all links, write the gap report.

    Exit status: 0 report written (skipped inputs are listed in it); 1 no report (unusable
    inventory, unwritable output, --pdf without Chromium); 2 report written but --strict found
    warnings.
    """
    from conformance.pipeline import run_check
    from conformance.report import build_view, write_reports
    from conformance.report.chromium import MISSING, find_chromium
    from conformance.strict import grouped_warnings

    if pdf and find_chromium() is None:  # say so before a long run, not after it
        typer.echo(f"error: {out.with_suffix('.pdf')}: cannot write the PDF: {MISSING}", err=True)
        raise typer.Exit(1)
    observer = None
    if probe:
        from conformance.probe.site import CheckProbe, quiet_network_log

        quiet_network_log()
        observer = CheckProbe(calling_ae=calling_ae, timeout=timeout)
    try:
        analysis = run_check(
            inventory,
            use_cache=not no_cache,
            candidate=candidate,
            as_role=as_role,
            replace=replace,
            sheet=sheet,
            observe=observer,
        )
    except ConformanceError as exc:
        raise _fail(exc) from None
    outputs = [out] + [
        out.with_suffix(ext) for ext, on in ((".json", json_out), (".csv", csv_out), (".pdf", pdf)) if on
    ]
    clash = _output_clash(
        outputs,
        {
            inventory: "inventory",
            **({candidate: "candidate statement"} if candidate is not None else {}),
            **{d.statement: f"statement of {d.name}" for d in analysis.devices if d.statement is not None},
            **{
                d.corrections: f"corrections of {d.name}"
                for d in analysis.devices
                if d.corrections is not None
            },
        },
    )
    if clash:
        typer.echo(f"error: {clash}; choose another --out", err=True)
        raise typer.Exit(1)
    if candidate is not None:
        typer.echo(analysis.title)
    if observer is not None and observer.site is not None:
        site = observer.site
        typer.echo(
            f"probed {len(site.results)} AE(s) in {site.seconds:.1f} s; links matched on what "
            f"{len(site.matched)} device(s) were observed to accept"
        )
    view = build_view(analysis)
    written = _write_or_fail(lambda: write_reports(view, out, json_out=json_out, csv_out=csv_out), out)
    typer.echo(_summary_line(view, len(analysis.skipped)))
    for item in analysis.skipped:  # each left-out row or device with its reason, not only a count
        typer.echo(f"  skipped {_printable(item.item)}: {_printable(item.reason)}")
    for path in written:
        typer.echo(f"wrote {path}")
    if pdf:
        from conformance.report.render import write_pdf

        try:
            typer.echo(f"wrote {write_pdf(view, out.with_suffix('.pdf'))}")
        except ConformanceError as exc:
            raise _fail(exc) from None
        except OSError as exc:
            typer.echo(
                f"error: {exc.filename or out}: cannot write the PDF ({exc.strerror or exc})", err=True
            )
            raise typer.Exit(1) from None
    _strict_exit(strict, grouped_warnings(analysis))


def _summary_line(view: ReportView, skipped: int) -> str:
    """'8 connections: 3 do not work, 4 work with changes, 1 works; 7 blocking, ... findings; 0 skipped'."""
    from conformance.report.decisions import STATE_PHRASES, count

    states = ", ".join(f"{n} {STATE_PHRASES[s][0 if n == 1 else 1]}" for s, n in view.states.items() if n)
    c = view.counts
    conns = count(len(view.connections), "connection") + (f": {states}" if states else "")
    return (
        f"{conns}; {c['blocking']} blocking, {c['degrading']} degrading, {c['info']} info "
        f"{'finding' if view.total == 1 else 'findings'}; {skipped} skipped"
    )


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The statement before (document or facts file).")],
    new: Annotated[Path, typer.Argument(help="The statement after: the version you upgrade to.")],
    out: Annotated[Path, typer.Option("--out", help="HTML report path.")] = Path("reports/diff.html"),
    json_out: Annotated[
        bool, typer.Option("--json", help="Also write <out>.json (conformance-diff/1).")
    ] = False,
    csv_out: Annotated[bool, typer.Option("--csv", help="Also write <out>.csv, one row per change.")] = False,
    inventory: Annotated[
        Path | None,
        typer.Option(
            "--inventory", "-i", help="Site inventory: also show which links the upgrade breaks or fixes."
        ),
    ] = None,
    device: Annotated[
        str | None, typer.Option("--device", help="With --inventory: the device that runs OLD today.")
    ] = None,
    no_cache: NoCache = False,
) -> None:
    """Compare two versions of a statement: services, transfer syntaxes and facts added or removed.

    Exit status: 0 report written (whether or not anything changed); 1 no report (a statement
    or the inventory cannot be read, an output cannot be written).
    """
    from conformance.diff import compare, site_impact, write_diff
    from conformance.errors import StatementError
    from conformance.parsers import parse_many

    if (inventory is None) != (device is None):
        given, missing = ("--inventory", "--device") if device is None else ("--device", "--inventory")
        typer.echo(f"error: {given} needs {missing} (the site and the device that runs OLD)", err=True)
        raise typer.Exit(1)
    outputs = [out] + [out.with_suffix(ext) for ext, on in ((".json", json_out), (".csv", csv_out)) if on]
    clash = _output_clash(
        outputs,
        {old: "OLD statement", new: "NEW statement", **({inventory: "inventory"} if inventory else {})},
    )
    if clash:
        typer.echo(f"error: {clash}; choose another --out", err=True)
        raise typer.Exit(1)
    parsed = parse_many([old, new], use_cache=not no_cache)
    try:
        sides = []
        for path in (old, new):
            result = parsed[path]
            if isinstance(result, ConformanceError):
                raise result
            if not result.capabilities():  # everything would read as removed (or added)
                raise StatementError(str(path), "no SOP classes found (not a conformance statement?)")
            sides.append(result)
        result_diff = compare(sides[0], sides[1])
        impact = None
        if inventory is not None and device is not None:
            impact = site_impact(inventory, device, old, new, use_cache=not no_cache)
    except ConformanceError as exc:
        raise _fail(exc) from None
    written = _write_or_fail(
        lambda: write_diff(result_diff, out, impact=impact, json_out=json_out, csv_out=csv_out), out
    )
    typer.echo(_printable(result_diff.summary))
    counts = result_diff.counts()
    typer.echo(
        f"{counts['removal']} removal(s), {counts['addition']} addition(s), {counts['neutral']} neutral"
    )
    if impact is not None:
        ic = impact.counts()
        typer.echo(
            f"site: {ic['blocking']} new blocking, {ic['degrading']} new degrading, {ic['resolved']} fixed, "
            f"{ic['changed']} changed on {len(impact.links)} link(s)"
        )
    for path in written:
        typer.echo(f"wrote {path}")


@app.command()
def probe(
    host: Annotated[str, typer.Option("--host", help="Device host (the only host contacted).")],
    port: Annotated[int, typer.Option("--port", help="Device DICOM port.")],
    ae_title: Annotated[str, typer.Option("--ae-title", help="The device's (called) AE title.")],
    calling_ae: CallingAE = "CONFORMANCE",
    statement: Annotated[
        Path | None, typer.Option("--statement", help="The device's statement: report declared vs observed.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="HTML report path.")] = Path("reports/probe.html"),
    save: Annotated[
        Path | None, typer.Option("--save", help="Write the observation as a statement model (JSON).")
    ] = None,
    timeout: ProbeTimeout = 10.0,
    max_contexts: Annotated[
        int, typer.Option("--max-contexts", help="Presentation contexts per association (1-128).")
    ] = 128,
    sop_class: Annotated[
        list[str] | None,
        typer.Option("--sop-class", help="Also probe this SOP class (UID or name); repeatable."),
    ] = None,
) -> None:
    """Probe a live device: accepted/refused contexts, max PDU, implementation, C-ECHO."""
    from conformance.fileio import atomic_write
    from conformance.findings import count_severities
    from conformance.parsers import parse_statement
    from conformance.probe.site import probe_analysis, probe_device, quiet_network_log
    from conformance.report import write_reports

    quiet_network_log()
    try:
        extra = [_sop_class_uid(text) for text in sop_class or []]
        declared = parse_statement(statement) if statement is not None else None
        result, findings = probe_device(
            host,
            port,
            ae_title,
            declared=declared,
            calling_ae=calling_ae,
            timeout=timeout,
            max_contexts=max_contexts,
            sop_classes=extra,
        )
        observed = result.to_statement()
        if save is not None:
            atomic_write(save, json.dumps(observed.to_dict(), indent=2, sort_keys=True) + "\n")
        written = write_reports(probe_analysis(result, findings, declared=declared), out)
    except ConformanceError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        typer.echo(f"error: {exc.filename or out}: cannot write ({exc.strerror or exc})", err=True)
        raise typer.Exit(1) from None
    accepted = result.accepted()
    typer.echo(
        f"{result.called_ae}@{result.address}: {len(result.associations)} association(s) "
        f"in {result.seconds:.2f} s; "
        f"{len(accepted)} SOP class(es) accepted, {len(set(result.refused()) - set(accepted))} refused"
    )
    counts = count_severities(findings)
    typer.echo(f"{counts['blocking']} blocking, {counts['degrading']} degrading, {counts['info']} info")
    for f in sorted(findings, key=lambda f: f.sort_key()):
        if f.severity.value != "info" or f.rule == "probe-observed":
            typer.echo(f"  [{f.severity.value}] {f.title}")
    for path in [*written, *([save] if save else [])]:
        typer.echo(f"wrote {path}")


@app.command()
def explain(
    logs: Annotated[
        list[Path], typer.Argument(help="Association logs: DCMTK -d/-v, pynetdicom debug, Orthanc --verbose.")
    ],
    inventory: Annotated[
        Path | None,
        typer.Option("--inventory", "-i", help="Site inventory: AE titles -> devices, statements."),
    ] = None,
    statement: Annotated[
        list[str] | None,
        typer.Option(
            "--statement", help="A statement for the AE titles it names, or TITLE=FILE; repeatable."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="HTML report path.")] = Path("reports/explain.html"),
    json_out: Annotated[bool, typer.Option("--json/--no-json", help="Also write <out>.json.")] = True,
    no_cache: NoCache = False,
    strict: Strict = False,
) -> None:
    """Explain failed associations from their logs, against the statements.

    Exit status: 0 report written (unreadable logs are listed in it); 1 no report (no log
    readable, unusable inventory, unwritable output); 2 with --strict when anything was skipped.
    """
    from conformance.explain import explain_logs
    from conformance.explain.render import write

    if inventory is not None and statement:
        typer.echo("error: use --inventory or --statement, not both", err=True)
        raise typer.Exit(1)
    try:
        result = explain_logs(logs, inventory=inventory, statements=statement or [], use_cache=not no_cache)
    except ConformanceError as exc:
        raise _fail(exc) from None
    for err in result.errors:
        typer.echo(f"error: {err.message}", err=True)
    if not result.logs:
        raise typer.Exit(1)
    inputs: dict[Path, str] = {p: "log" for p in logs}
    if inventory is not None:
        inputs[inventory] = "inventory"
    inputs.update({Path(s.partition("=")[2] or s): "statement" for s in statement or []})
    clash = _output_clash([out, *([out.with_suffix(".json")] if json_out else [])], inputs)
    if clash:
        typer.echo(f"error: {clash}; choose another --out", err=True)
        raise typer.Exit(1)
    try:
        written = write(result, out, json_out=json_out)
    except OSError as exc:
        typer.echo(f"error: {exc.filename or out}: cannot write report ({exc.strerror or exc})", err=True)
        raise typer.Exit(1) from None
    for log in result.logs:
        if not log.associations:
            typer.echo(f"{log.path}: {log.format.value} log with no association in it")
    counts = {
        s: sum(1 for f in result.findings if f.severity.value == s) for s in ("blocking", "degrading", "info")
    }
    typer.echo(
        f"{len(result.associations)} association(s) in {len(result.logs)} log(s); "
        f"{counts['blocking']} blocking, {counts['degrading']} degrading, {counts['info']} info"
    )
    for path in written:
        typer.echo(f"wrote {path}")
    _strict_exit(strict, [f"skipped {s.item}: {s.reason}" for s in result.skipped])


def _sop_class_uid(text: str) -> str:
    from conformance.probe import ProbeError
    from conformance.uids import is_sop_class, is_standard, resolve_sop_class

    uid = resolve_sop_class(text)
    if uid is None or (is_standard(uid) and not is_sop_class(uid)):
        raise ProbeError("--sop-class", f"unknown SOP class {text!r}")
    return uid


def _output_clash(outputs: list[Path], inputs: dict[Path, str]) -> str | None:
    """Why writing ``outputs`` would destroy an input or one another (``-i site.csv --out site.html``)."""
    written: dict[Path, Path] = {}
    sources = {src.resolve(): what for src, what in inputs.items() if src.exists()}
    for path in outputs:
        key = path.resolve()
        if key in written:
            return f"{path}: the report's HTML and {path.suffix} outputs would be the same file"
        written[key] = path
        if key in sources:
            return f"{path}: writing the report would overwrite the {sources[key]}"
    return None


def example_inventory() -> Path:
    """The example inventory in the checkout's statements/ (the README installs editable).

    When it is missing, `check` says so in its usual one line ("no such file").
    """
    return Path(__file__).resolve().parent.parent / "statements" / "inventory.yaml"


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="HTML report path.")] = DEFAULT_REPORT,
    pdf: Annotated[
        bool, typer.Option("--pdf/--no-pdf", help="Also write <out>.pdf when Chromium is installed.")
    ] = True,
) -> None:
    """Run `check` on the shipped example inventory and say where the report is."""
    from conformance.report.chromium import MISSING, find_chromium

    if pdf and find_chromium() is None:
        typer.echo(f"note: no PDF: {MISSING}")
        pdf = False
    check(inventory=example_inventory(), out=out, json_out=True, csv_out=True, pdf=pdf)
    typer.echo(f"open {out.resolve()} in a browser")


def run() -> None:
    """Console entry point: a bug on some odd input ends in one line and exit 1, not a traceback."""
    try:
        app()
    except Exception as exc:
        detail = (str(exc).splitlines() or [""])[0][:200]
        typer.echo(f"error: internal error ({type(exc).__name__}: {detail}); -v shows a traceback", err=True)
        if _VERBOSE[0]:
            import traceback

            traceback.print_exc()
        raise SystemExit(1) from None


if __name__ == "__main__":
    run()
