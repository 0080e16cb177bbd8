"""The ``mfgpolicy figures`` subcommand: regenerate every figure of the project.

Registered by :func:`add_parser`; matplotlib is imported only when the command runs, so the
rest of the command line stays fast.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

# The names of mfgpolicy.plots.FIGURES, in order (kept here so --help needs no matplotlib;
# tests/test_plots.py checks the two agree).
FIGURE_NAMES = ("headline", "timelines", "annex", "coverage", "paths")

_DESCRIPTION = """\
Regenerate every figure of the project, in English and Chinese, as PDF (vector) and PNG
(300 dpi). Files are named figN_NAME_LANG.{pdf,png}, e.g. fig1_headline_en.pdf, and are
byte-for-byte identical when the data are unchanged (fixed font from the mplfonts package, no
timestamps or software versions in the files). Each file is written atomically.

figures:
  headline   annualised headline targets per city (labour productivity, energy intensity,
             R&D/GDP, firms' R&D/revenue); floors, '~' and non-comparable cities shown
  timelines  which plan covers which years, with base and target years
  annex      Ningbo 2016 annex: 2015 baseline -> 2019 target, per indicator (2015 = 100)
  coverage   which city sets which indicator
  paths      implied paths: energy intensity (index) and R&D shares (values)
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``figures`` subcommand on ``subparsers`` (its handler returns an exit code)."""
    from mfgpolicy import paths

    parser = subparsers.add_parser(
        "figures", help="regenerate every figure (PDF + PNG, English and Chinese) into figures/",
        description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help=f"folder to write the figures to (default: {paths.FIGURES})")
    parser.add_argument("--lang", choices=("en", "zh", "both"), default="both",
                        help="labels in English, Chinese or both (default: both)")
    parser.add_argument("--only", action="append", choices=FIGURE_NAMES, metavar="NAME", default=None,
                        help=f"render only this figure; repeat for several ({', '.join(FIGURE_NAMES)})")
    parser.add_argument("--database", type=Path, default=None, metavar="FILE",
                        help="DuckDB file written by `mfgpolicy build` (default: load data/curated in memory)")
    parser.set_defaults(func=cmd_figures)


def cmd_figures(args: argparse.Namespace) -> int:
    """Render the figures asked for; return 0 on success, 1 if the data cannot be loaded."""
    from mfgpolicy import paths
    from mfgpolicy.catalog import connect
    from mfgpolicy.errors import MfgPolicyError

    langs = ("en", "zh") if args.lang == "both" else (args.lang,)
    out = Path(args.out) if args.out is not None else paths.FIGURES
    try:
        con = connect(args.database) if args.database is not None else connect()
    except (FileNotFoundError, MfgPolicyError) as exc:
        print(textwrap.fill(f"figures: cannot load the data: {exc}", 100), file=sys.stderr)
        return 1
    from mfgpolicy.plots import write_all

    written = write_all(out, langs, only=args.only, con=con)
    print(f"[figures] wrote {len(written)} files to {out}", file=sys.stderr, flush=True)
    return 0
