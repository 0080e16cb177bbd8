"""Writing the data browser: every page built in a new folder beside the destination, then swapped in."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import duckdb

from mfgpolicy._io import atomic_folder, guard_output
from mfgpolicy.errors import OutputError
from mfgpolicy.outputs.site.layout import CSS, GENERATOR, JS
from mfgpolicy.project import Project

ASSETS = (CSS, JS)
"""Files copied as they are from ``mfgpolicy/outputs/site/assets`` (package data)."""


def pages(con: duckdb.DuckDBPyConnection, project: Project) -> dict[str, bytes]:
    """Return every file of the browser by name: the pages (UTF-8) and the assets."""
    from mfgpolicy.outputs.site.data import site_data
    from mfgpolicy.outputs.site.document import plan_pages
    from mfgpolicy.outputs.site.evidence import evidence_page
    from mfgpolicy.outputs.site.index import index_page
    from mfgpolicy.outputs.site.layout import plan_page

    data = site_data(con, project)
    out = {"index.html": index_page(data), "evidence.html": evidence_page(data)}
    out |= {plan_page(doc_id): text for doc_id, text in plan_pages(data).items()}
    assets = files("mfgpolicy.outputs.site") / "assets"
    return {**{name: text.encode("utf-8") for name, text in sorted(out.items())},
            **{name: (assets / name).read_bytes() for name in ASSETS}}


def write_site(out: str | Path | None = None, *, con: duckdb.DuckDBPyConnection | None = None,
               project: Project | None = None) -> Path:
    """Write the static data browser into the folder ``out`` and return it (``out/index.html`` opens it).

    Parameters
    ----------
    out
        The folder (default: the project's ``site`` output folder, ``data/build/site`` of a checkout or
        ``mfgpolicy-output/site`` for the bundled data). It is replaced as a whole, so it must be new,
        empty, or a data browser written before; a folder holding anything else is refused.
    con
        The catalog to read (default: ``mfgpolicy.connect()`` of the project).
    project
        Which data (default: ``Project.find()``); the plans' texts are read from its ``raw`` folder.

    The pages need no server and no network: open ``index.html`` from the file system. They are
    written atomically (a failure leaves any previous browser as it was) and are byte-for-byte the
    same for the same data.
    """
    project = project or Project.find()
    target = guard_output(Path(out) if out is not None else project.site_dir, project, what="the data browser",
                          folder=True)
    _check_replaceable(target)
    own = con is None
    if own:
        from mfgpolicy.catalog import connect

        con = connect(project=project)
    try:
        contents = pages(con, project)
    finally:
        if own:
            con.close()
    with atomic_folder(target) as tmp:
        for name, data in contents.items():
            (tmp / name).write_bytes(data)
    return target


def _check_replaceable(folder: Path) -> None:
    """Raise ``OutputError`` unless ``folder`` is absent, empty, or a data browser written by ``write_site``."""
    if not folder.is_dir() or not any(folder.iterdir()):
        return
    index = folder / "index.html"
    if index.is_file():
        with index.open("rb") as fh:
            if f'<meta name="generator" content="{GENERATOR}">'.encode() in fh.read(4096):
                return
    raise OutputError(f"refusing to replace {folder}: it holds files that are not a data browser written by "
                      "`mfgpolicy site`; give a new or empty folder")
