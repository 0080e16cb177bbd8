"""``python -m mfgpolicy.extract``: the ``extract`` subcommand on its own."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mfgpolicy.extract.cli import add_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` as ``mfgpolicy extract`` would and run it."""
    parser = argparse.ArgumentParser(prog="python -m mfgpolicy")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_parser(sub)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "extract":
        argv = ["extract", *argv]
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
