"""The ``conformance`` command line."""

from __future__ import annotations

import json
import logging
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from conformance.errors import ConformanceError

app = typer.Typer(
    name="conformance",
    help="Parse DICOM conformance statements and check devices against each other.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_REPORT = Path("reports/report.html")
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Parse again; neither read nor write the parse cache.")
]


def _fail(exc: ConformanceError) -> typer.Exit:
    typer.echo(f"error: {exc.message}", err=True)
    return typer.Exit(1)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(name)s: %(message)s")


@app.command()
def parse(
    statement: Annotated[Path, typer.Argument(help="Statement file (PDF, text, Markdown, RST, HTML).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full normalized model.")] = False,
    no_cache: NoCache = False,
) -> None:
    """Read one statement and show what it claims."""
    from conformance.parsers import parse_statement
    from conformance.summary import summarize

    try:
        st = parse_statement(statement, use_cache=not no_cache)
    except ConformanceError as exc:
        raise _fail(exc) from None
    if as_json:
        typer.echo(json.dumps(st.to_dict(), indent=2, sort_keys=True))
    else:
        typer.echo(summarize(st))


@app.command()
def facts(
    statements: Annotated[list[Path], typer.Argument(help="Statement files.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for <stem>.json files.")] = Path("facts"),
    no_cache: NoCache = False,
) -> None:
    """Export conformance-facts/1 JSON per statement (docs/facts-schema.md)."""
    from conformance.facts import to_facts
    from conformance.parsers import parse_many
    from conformance.report.render import atomic_write

    failed = 0
    parsed = parse_many(statements, use_cache=not no_cache)
    for path, result in parsed.items():
        if isinstance(result, ConformanceError):
            typer.echo(f"error: {result.message}", err=True)
            failed += 1
            continue
        data = to_facts(result)
        atomic_write(out / f"{path.stem}.json", json.dumps(data, indent=1, sort_keys=True) + "\n")
    typer.echo(f"wrote {len(parsed) - failed} facts file(s) to {out}")
    if failed:
        raise typer.Exit(1)


@app.command()
def check(
    inventory: Annotated[Path, typer.Option("--inventory", "-i", help="Inventory (YAML, CSV or XLSX).")],
    out: Annotated[Path, typer.Option("--out", help="HTML report path.")] = DEFAULT_REPORT,
    json_out: Annotated[bool, typer.Option("--json/--no-json", help="Also write <out>.json.")] = True,
    csv_out: Annotated[bool, typer.Option("--csv/--no-csv", help="Also write <out>.csv.")] = True,
    no_cache: NoCache = False,
) -> None:
    """Parse every statement the inventory names, match all links, write the gap report."""
    from conformance.pipeline import run_check
    from conformance.report import write_reports

    try:
        analysis = run_check(inventory, use_cache=not no_cache)
    except ConformanceError as exc:
        raise _fail(exc) from None
    written = write_reports(analysis, out, json_out=json_out, csv_out=csv_out)
    counts = analysis.counts()
    typer.echo(
        f"{counts['blocking']} blocking, {counts['degrading']} degrading, {counts['info']} info; "
        f"{len(analysis.skipped)} skipped"
    )
    for path in written:
        typer.echo(f"wrote {path}")


def example_inventory() -> Path:
    """The shipped example inventory (statements/ in a checkout)."""
    here = Path(__file__).resolve().parent.parent / "statements" / "inventory.yaml"
    if here.is_file():
        return here
    return Path(str(resources.files("conformance").joinpath("data", "inventory.yaml")))


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="HTML report path.")] = DEFAULT_REPORT,
) -> None:
    """Run `check` on the shipped example inventory and say where the report is."""
    check(inventory=example_inventory(), out=out, json_out=True, csv_out=True)
    typer.echo(f"open {out.resolve()} in a browser")


if __name__ == "__main__":
    app()
