"""``mfgpolicy run``: the main job, with the catalog as the hub.

Validates once, loads once (into the DuckDB file, harmonising once), then every output — the
headline table, the figures, the Excel summary, the data browser — reads that one database through
one read-only connection.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from mfgpolicy.cli.common import common_options, option, project_of, say


def register(sub: argparse._SubParsersAction) -> None:
    """Register ``run`` on ``sub``."""
    p = sub.add_parser("run", parents=[common_options()],
                       help="the main job: validate, build, headline table, figures, Excel summary, data browser",
                       description=cmd_run.__doc__)
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="folder for the database, workbook, data browser (and, for bundled data, figures); default: "
                        "data/build of a project folder, or mfgpolicy-output/ in the current folder for the bundled "
                        "data")
    p.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    """The main job: validate, build the DuckDB catalog, print the headline comparison, write figures, Excel and
    the data browser."""
    from mfgpolicy.catalog import connect
    from mfgpolicy.catalog.store import write_database
    from mfgpolicy.checks import check
    from mfgpolicy.outputs.excel import to_excel
    from mfgpolicy.outputs.figures.save import write_all
    from mfgpolicy.outputs.headline import headline_table
    from mfgpolicy.outputs.site import write_site

    project = project_of(args).with_output(option(args, "out"))
    checked = _step(args, "validate", lambda: check(project))
    database = _step(args, "build", lambda: write_database(project.database, checked, project))
    con = connect(database, project=project)
    try:
        _step(args, "headline", lambda: print(headline_table(con)))
        _step(args, "figures", lambda: write_all(project.figures, con=con, progress=not option(args, "quiet", False)))
        _step(args, "export", lambda: to_excel(project.workbook, con=con, project=project))
        _step(args, "site", lambda: write_site(project.site_dir, con=con, project=project))
    finally:
        con.close()
    say(args, f"[run] done: {project.database}, {project.workbook}, figures in {project.figures}, "
              f"data browser {project.site_dir / 'index.html'}")
    return 0


def _step(args: argparse.Namespace, name: str, work: Callable[[], object]) -> object:
    started = time.perf_counter()
    say(args, f"[run] {name} …")
    result = work()
    say(args, f"[run] {name} done in {time.perf_counter() - started:.1f} s")
    return result
