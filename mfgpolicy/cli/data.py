"""Commands on the data itself: ``validate``, ``documents``, ``datapackage``, ``build``."""

from __future__ import annotations

import argparse
from pathlib import Path

from mfgpolicy.cli.common import common_options, option, project_of, say


def register(sub: argparse._SubParsersAction) -> None:
    """Register the data commands on ``sub``."""
    parents = [common_options()]
    p = sub.add_parser("validate", parents=parents, help="check raw and curated data, report every problem",
                       description=cmd_validate.__doc__)
    p.add_argument("--full", action="store_true",
                   help="check everything and read or write no record of the last clean run (as CI does); by "
                        "default only what changed since that run is rechecked, with the same result")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("documents", parents=parents, help="regenerate documents.csv from the raw sidecars",
                       description=cmd_documents.__doc__)
    p.set_defaults(func=cmd_documents)
    p = sub.add_parser("datapackage", parents=parents, help="regenerate datapackage.json from the schema",
                       description=cmd_datapackage.__doc__)
    p.set_defaults(func=cmd_datapackage)
    p = sub.add_parser("build", parents=parents, help="validate and write the DuckDB database",
                       description=cmd_build.__doc__)
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="database file (default: data/build/mfgpolicy.duckdb of the project; for bundled data "
                        "mfgpolicy-output/mfgpolicy.duckdb in the current folder)")
    p.set_defaults(func=cmd_build)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate raw and curated data: print every problem (file, row, line, column, value); exit 1 if any.

    Incremental by default: a clean run records what it checked in data/build/validation/ (in the
    project's output folder; safe to delete), and the next run rechecks only the rows changed
    since and the rows they reach, reporting exactly what a full check would. Any change in
    data/raw or in the checks means a full check; --full forces one (and leaves the record alone).
    """
    from mfgpolicy.checks.incremental import inspect_incremental

    project = project_of(args)
    checked = inspect_incremental(project, force_full=bool(option(args, "full", False)))
    problems = checked.problems
    if checked.report is not None:
        say(args, checked.report.summary())
        if checked.report.note:
            say(args, f"note: {checked.report.note}")
    for problem in problems:
        print(problem)
    where = project.root if project.root is not None else "the bundled data"
    if problems:
        say(args, f"validation failed: {len(problems)} problem(s) in {where}")
        return 1
    say(args, f"validation passed for {where}: raw checksums, schema, ids and keys, quotes at their offsets, years")
    return 0


def _writable(project: object, what: str) -> None:
    from mfgpolicy.errors import UsageError

    if project.is_bundled:
        raise UsageError(f"{what} regenerates a file of a project folder; the bundled data is read-only "
                         "(run it inside a checkout, or give --root)")


def cmd_documents(args: argparse.Namespace) -> int:
    """Regenerate data/curated/documents.csv from the data/raw sidecars (refused if a sidecar is unreadable)."""
    from mfgpolicy.read.documents import write_documents_csv

    project = project_of(args)
    _writable(project, "documents")
    say(args, f"wrote {write_documents_csv(project.raw, project.curated)}")
    return 0


def cmd_datapackage(args: argparse.Namespace) -> int:
    """Regenerate data/curated/datapackage.json from mfgpolicy/schema.py."""
    from mfgpolicy.schema import write_datapackage

    project = project_of(args)
    _writable(project, "datapackage")
    say(args, f"wrote {write_datapackage(project.curated)}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, then write the DuckDB database atomically (a failed run leaves the previous file untouched)."""
    from mfgpolicy.catalog import build

    project = project_of(args)
    say(args, f"wrote {build(option(args, 'out'), project=project)}")
    return 0
