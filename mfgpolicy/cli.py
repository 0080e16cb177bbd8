"""The ``mfgpolicy`` command line: one subcommand per step of the flow.

raw → curated (``validate``, ``documents``, ``datapackage``) → DuckDB (``build``) →
harmonised views (``headline``) → outputs; ``run`` does the whole main job.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from mfgpolicy import paths

Handler = Callable[[argparse.Namespace], int]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate raw and curated data; print every problem; exit 1 if there are any."""
    from mfgpolicy.validate import validate

    problems = validate(args.root)
    for problem in problems:
        print(problem)
    if problems:
        _say(f"validation failed: {len(problems)} problem(s)")
        return 1
    _say("validation passed: raw checksums, schema, keys, quotes at their offsets, years")
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    """Regenerate data/curated/documents.csv from the data/raw sidecars."""
    from mfgpolicy.documents import write_documents_csv

    root = Path(args.root) if args.root else paths.ROOT
    out = write_documents_csv(root / "data" / "raw", root / "data" / "curated")
    _say(f"wrote {out}")
    return 0


def cmd_datapackage(args: argparse.Namespace) -> int:
    """Regenerate data/curated/datapackage.json from mfgpolicy/schema.py."""
    from mfgpolicy.schema import write_datapackage

    root = Path(args.root) if args.root else paths.ROOT
    _say(f"wrote {write_datapackage(root / 'data' / 'curated')}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, then write the DuckDB database atomically."""
    from mfgpolicy.catalog import build
    from mfgpolicy.errors import ValidationError

    try:
        out = build(args.out, root=args.root)
    except ValidationError as exc:
        print(exc)
        _say("build stopped: the data did not validate; the previous database (if any) is untouched")
        return 1
    _say(f"wrote {out}")
    return 0


def cmd_headline(args: argparse.Namespace) -> int:
    """Print the cross-city table of headline targets."""
    from mfgpolicy.report import headline_table

    print(headline_table(args.database))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Print the harmonised cross-city comparison (or ranking) of one indicator."""
    import polars as pl

    from mfgpolicy.compare import compare, rank
    from mfgpolicy.errors import MfgPolicyError

    try:
        frame = rank(args.indicator) if args.rank else compare(args.indicator)
    except MfgPolicyError as exc:
        _say(f"error: {exc}")
        return 2
    columns = ["city", "doc_id", "scope", "comparator", "hedge", "value", "unit", "base_year", "target_year",
               "annualised_pct", "pp_per_year", "rule", "why_not"]
    if args.rank:
        columns = ["rank", *columns, "rank_note"]
    with pl.Config(tbl_rows=200, tbl_cols=30, fmt_str_lengths=60, tbl_width_chars=250,
                   tbl_hide_column_data_types=True, tbl_hide_dataframe_shape=True):
        print(frame.select(columns))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print which city sets which indicator (number of targets per city)."""
    import polars as pl

    from mfgpolicy.compare import coverage

    with pl.Config(tbl_rows=500, tbl_cols=30, fmt_str_lengths=50, tbl_width_chars=250,
                   tbl_hide_column_data_types=True, tbl_hide_dataframe_shape=True):
        print(coverage())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the Excel summary workbook, or the panel tables for Stata, R and pandas (atomically)."""
    from mfgpolicy.panel_cli import run_panel_export

    for written in run_panel_export(args.path, args.format):
        _say(f"wrote {written}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """The main job: validate, build the database, print the headline comparison, write outputs."""
    steps: list[tuple[str, Handler, argparse.Namespace]] = [
        ("validate", cmd_validate, argparse.Namespace(root=None)),
        ("build", cmd_build, argparse.Namespace(out=None, root=None)),
        ("headline", cmd_headline, argparse.Namespace(database=None)),
        ("figures", _figures_handler(), argparse.Namespace(out=None, lang="both", only=None, database=None)),
        ("export", cmd_export, argparse.Namespace(path=None, format="xlsx")),
    ]
    for name, handler, step_args in steps:
        started = time.perf_counter()
        _say(f"[run] {name} …")
        code = handler(step_args)
        if code:
            _say(f"[run] {name} failed (exit {code})")
            return code
        _say(f"[run] {name} done in {time.perf_counter() - started:.1f} s")
    return 0


def _figures_handler() -> Handler:
    from mfgpolicy.figures_cli import cmd_figures

    return cmd_figures


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="mfgpolicy",
        description="Curated, validated manufacturing-upgrade targets of Zhejiang city plans.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, handler: Handler, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=handler.__doc__)
        p.set_defaults(func=handler)
        return p

    root_help = "project root holding data/raw and data/curated (default: this project)"
    add("validate", cmd_validate, "check raw and curated data, report every problem").add_argument(
        "--root", type=Path, default=None, help=root_help)
    add("documents", cmd_documents, "regenerate documents.csv from the raw sidecars").add_argument(
        "--root", type=Path, default=None, help=root_help)
    add("datapackage", cmd_datapackage, "regenerate datapackage.json from the schema").add_argument(
        "--root", type=Path, default=None, help=root_help)
    p = add("build", cmd_build, "validate and write the DuckDB database")
    p.add_argument("--out", type=Path, default=None, help=f"database file (default: {paths.DATABASE})")
    p.add_argument("--root", type=Path, default=None, help=root_help)
    add("headline", cmd_headline, "print the cross-city headline comparison").add_argument(
        "--database", type=Path, default=None, help="DuckDB file to read (default: load data/curated in memory)")
    p = add("compare", cmd_compare, "compare one indicator across cities, harmonised")
    p.add_argument("indicator", help="indicator_key, e.g. energy_intensity (see `mfgpolicy coverage`)")
    p.add_argument("--rank", action="store_true", help="order cities by ambition, ties and exclusions explained")
    add("coverage", cmd_coverage, "which city sets which indicator")
    p = add("export", cmd_export, "write the Excel summary, or panel tables for Stata/R/pandas")
    p.add_argument("path", nargs="?", type=Path, default=None,
                   help="workbook (xlsx; default data/build/mfgpolicy-summary.xlsx) or folder "
                        "(csv/parquet/dta; default data/build/panel/)")
    p.add_argument("--format", choices=("xlsx", "csv", "parquet", "dta"), default="xlsx",
                   help="xlsx: summary workbook; csv/parquet/dta: targets_panel + targets_canonical + panel_codebook.csv")
    add("run", cmd_run, "the main job: validate, build, headline table, figures, Excel summary")
    for module in ("mfgpolicy.figures_cli", "mfgpolicy.extract.cli", "mfgpolicy.diff_cli"):
        _add_optional(sub, module)
    return parser


def _add_optional(sub: argparse._SubParsersAction, module: str) -> None:
    """Register the subcommands of a module that provides ``add_parser(subparsers)``."""
    import importlib

    importlib.import_module(module).add_parser(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
