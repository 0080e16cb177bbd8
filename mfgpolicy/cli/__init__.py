"""The ``mfgpolicy`` command line: one subcommand per step of the flow, registered the same way.

raw → curated (``validate``, ``documents``, ``datapackage``) → DuckDB (``build``) → harmonised
views (``headline``, ``compare``, ``coverage``) → outputs (``figures``, ``export``, ``site``); ``run``
does the whole main job; ``extract`` and ``diff`` stand beside. Each group of commands is a module
of this package with a ``register(subparsers)`` function.

Exit status: 0 done, 1 invalid or out-of-date data, 2 a usage error (bad option, path or key).
Expected errors print one line (a validation report lists every problem); a traceback appears
only with ``-v`` or for a real bug.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from mfgpolicy.cli import common, data, outputs, query, run, versions
from mfgpolicy.cli import extract as extract_cli

GROUPS = (data, query, outputs, run, extract_cli, versions)
"""Modules that register subcommands, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="mfgpolicy", parents=[common.common_options()],
        description="Curated, validated manufacturing-upgrade targets of Zhejiang city plans: validate the data, "
                    "build the DuckDB catalog, compare cities, write figures, Excel and panels.",
        epilog="`mfgpolicy run` does the main job; `mfgpolicy COMMAND --help` describes each command.")
    parser.add_argument("--version", action="store_true", help="print the package and data versions and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for group in GROUPS:
        group.register(sub)
    return parser


def version_line() -> str:
    """Return ``mfgpolicy X; data V (where)`` for ``--version``."""
    from mfgpolicy import __version__
    from mfgpolicy.project import Project

    try:
        project = Project.find()
        where = "bundled" if project.is_bundled else str(project.root)
        data_version = f"data {project.data_version()} ({where})"
    except Exception as exc:  # noqa: BLE001 - --version must answer even when the data is broken
        data_version = f"data unavailable ({exc})"
    return f"mfgpolicy {__version__}; {data_version}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(version_line())
        return 0
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("mfgpolicy: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - expected errors become one line, the rest a bug report
        return _report(args, exc)


def _report(args: argparse.Namespace, exc: Exception) -> int:
    from mfgpolicy.errors import MfgPolicyError, ValidationError

    if common.option(args, "verbose", False):
        raise exc
    prefix = f"mfgpolicy {args.command}: error:"
    if isinstance(exc, ValidationError):
        for problem in exc.problems:
            print(problem)
        print(f"{prefix} the data did not validate ({len(exc.problems)} problem(s), listed above); "
              "nothing was written", file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, MfgPolicyError):
        print(f"{prefix} {exc}", file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, OSError):
        print(f"{prefix} {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""), file=sys.stderr)
        return 1
    print(f"{prefix} unexpected {type(exc).__name__}: {exc} (this is a bug; run again with -v for the traceback "
          "and report it)", file=sys.stderr)
    return 3


def console() -> None:
    """The ``mfgpolicy`` command: run ``main()``, flush, and exit with its status.

    It exits without interpreter teardown (``os._exit``, after every output is written and
    flushed): at teardown DuckDB's bindings list their Python types as "leaked" (dozens of lines
    on stderr) once polars has read a query result through the Arrow C stream. Nothing of the
    data is leaked; the lines are noise that would hide the command's own last line.
    """
    try:
        code = main()
    except SystemExit as exc:  # argparse's --help and usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            _silence_stdout()
    os._exit(code)


def _silence_stdout() -> None:
    """After a closed pipe (``mfgpolicy coverage | head``), send what Python still flushes to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    console()
