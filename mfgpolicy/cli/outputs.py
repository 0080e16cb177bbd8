"""Commands that write outputs from the catalog: ``figures``, ``export`` (Excel or panels), ``site`` (the data
browser) and ``release`` (the data release zip)."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from mfgpolicy.cli.common import common_options, open_catalog, option, project_of, say
from mfgpolicy.outputs.figures.registry import FIGURES, LANGS

EXPORT_FORMATS = ("xlsx", "csv", "parquet", "dta")
"""``xlsx``: the Excel summary workbook; the others: the panel tables of ``mfgpolicy.outputs.panel``."""


_RELEASE_DESCRIPTION = """\
Write the data release mfgpolicy-data-<version>.zip (e.g. mfgpolicy-data-1.0.0+sha.1a2b3c4d.zip),
as data publishers offer for download: one folder holding a one-page README.md (version, counts,
files, licence, citation), datapackage.json (the Frictionless descriptor, with the version),
columns.csv (every column of every CSV: label, type, unit, meaning), CITATION.cff, LICENSE-DATA,
LICENSE, and data/curated and data/raw byte for byte. The folder is itself a project folder:
`mfgpolicy --root FOLDER validate` checks it and its data version is the one in its name.

The data are validated first; the zip is the same, byte for byte, whenever the data are (sorted
entries, fixed timestamps), and written atomically. Made from a project folder (a checkout),
which holds CITATION.cff and the licences; CITATION.cff must name the data's VERSION.
"""


def _figures_description() -> str:
    lines = [
        "Regenerate every figure of the project, in English and Chinese, as PDF (vector) and PNG (300 dpi). Files",
        "are named figN_NAME_LANG.{pdf,png}, e.g. fig1_headline_en.pdf, are byte-for-byte identical when the data",
        "are unchanged (fixed font from a package, no timestamps or software versions in the files), and are",
        "written atomically. The default folder is figures/ of a project folder, or mfgpolicy-output/figures/ in",
        "the current folder for the bundled data.", "", "figures:",
    ]
    for name, (_, what) in FIGURES.items():
        lines += textwrap.wrap(what, 88, initial_indent=f"  {name:<11}", subsequent_indent=" " * 13)
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction) -> None:
    """Register the output commands on ``sub``."""
    parents = [common_options(database=True)]
    p = sub.add_parser("figures", parents=parents, help="regenerate every figure (PDF + PNG, English and Chinese)",
                       description=_figures_description(), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="folder to write the figures to")
    p.add_argument("--lang", choices=(*LANGS, "both"), default="both",
                   help="labels in English, Chinese or both (default: both)")
    p.add_argument("--only", action="append", choices=tuple(FIGURES), metavar="NAME", default=None,
                   help=f"render only this figure; repeat for several ({', '.join(FIGURES)})")
    p.set_defaults(func=cmd_figures)
    p = sub.add_parser("export", parents=parents, help="write the Excel summary, or panel tables for Stata/R/pandas",
                       description=cmd_export.__doc__)
    p.add_argument("path", nargs="?", type=Path, default=None,
                   help="workbook (xlsx; default mfgpolicy-summary.xlsx in the output folder) or folder "
                        "(csv/parquet/dta; default panel/ in the output folder)")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="xlsx",
                   help="xlsx: summary workbook; csv/parquet/dta: targets_panel + targets_canonical + "
                        "panel_codebook.csv")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("site", parents=parents, help="write the static data browser (HTML pages, no server needed)",
                       description=cmd_site.__doc__)
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="folder to write the pages to, replaced as a whole (default: site/ in the output folder: "
                        "data/build/site of a project folder, mfgpolicy-output/site for the bundled data)")
    p.set_defaults(func=cmd_site)
    p = sub.add_parser("release", parents=parents, help="write the data release: one zip named by the data version",
                       description=_RELEASE_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="folder to write mfgpolicy-data-<version>.zip into (default: data/build of a project folder)")
    p.set_defaults(func=cmd_release)


def cmd_figures(args: argparse.Namespace) -> int:
    """Render the figures asked for from the validated catalog."""
    from mfgpolicy._io import guard_output
    from mfgpolicy.outputs.figures.save import write_all

    project = project_of(args)
    out = guard_output(args.out if args.out is not None else project.figures, project, what="figures", folder=True)
    langs = LANGS if args.lang == "both" else (args.lang,)
    written = write_all(out, langs, con=open_catalog(args, project), only=args.only,
                        progress=not option(args, "quiet", False))
    say(args, f"[figures] wrote {len(written)} files to {out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the Excel summary workbook, or the panel tables for Stata, R and pandas (each file atomically)."""
    project = project_of(args)
    for written in export(args.format, args.path, con=open_catalog(args, project), project=project):
        say(args, f"wrote {written}")
    return 0


def export(fmt: str, path: Path | None, *, con: object, project: object) -> list[Path]:
    """Write the export in ``fmt`` (``EXPORT_FORMATS``) to ``path`` (or the project's default); return the files."""
    from mfgpolicy.errors import check_choice

    check_choice("format", fmt, EXPORT_FORMATS)
    if fmt == "xlsx":
        from mfgpolicy.outputs.excel import to_excel

        return [to_excel(path, con=con, project=project)]
    from mfgpolicy.outputs.panel import to_panel

    return to_panel(path, fmt=fmt, con=con, project=project)


def cmd_site(args: argparse.Namespace) -> int:
    """Write the static data browser: index.html lists every target with filters by city, indicator and plan; a
    page per plan shows its full text with every quote marked, and each number links to its quote; the outside
    evidence links each cited figure to its source. Open index.html from the file system: no server, no network.
    The folder is written atomically and replaced as a whole (a folder holding anything else is refused)."""
    from mfgpolicy.outputs.site import write_site

    project = project_of(args)
    out = write_site(args.out, con=open_catalog(args, project), project=project)
    say(args, f"[site] wrote {out / 'index.html'}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    """Write the data release zip from the validated data."""
    from mfgpolicy.outputs.release import to_release

    project = project_of(args)
    say(args, f"wrote {to_release(args.out, con=open_catalog(args, project), project=project)}")
    return 0
