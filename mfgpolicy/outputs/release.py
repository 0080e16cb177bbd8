"""The data release: one zip, named by the data version, as data publishers offer for download.

``mfgpolicy-data-<version>.zip`` holds one folder of the same name (without ``.zip``)::

    README.md          one page, generated from the data: what, version, counts, files, licence, citation
    datapackage.json   the release's Frictionless descriptor: its version, every CSV and its columns
    columns.csv        every column of every CSV: English label, type, unit, meaning (the column guide)
    CITATION.cff       how to cite the data
    LICENSE-DATA       the data's licence (CC BY 4.0)
    LICENSE            the MIT licence of the mfgpolicy software, which checks and harmonises the data
    data/curated/      the curated tables, byte for byte (with their datapackage.json and VERSION)
    data/raw/          the plans' texts and their sidecars, byte for byte: what the quotes are checked against

The folder is a project folder: ``mfgpolicy --root FOLDER validate`` checks it, every command
works on it, and its data version, recomputed from ``data/curated``, is the one in its name. The
zip depends only on the data: entries sorted, fixed timestamps (``mfgpolicy.outputs.zipped``).
It is made only from data that validate, and written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from mfgpolicy import safecsv, schema
from mfgpolicy._io import atomic_path, guard_output
from mfgpolicy.errors import MfgPolicyError, UsageError
from mfgpolicy.outputs.about import (
    AUTHORS,
    LICENCE_NAME,
    LICENCE_URL,
    WHAT_THIS_IS,
    citation,
    column_guide,
    counts,
    counts_line,
    release_name,
)
from mfgpolicy.project import Project

ROOT_FILES = ("CITATION.cff", "LICENSE", "LICENSE-DATA")
"""Files of the project folder every release carries."""
GUIDE_FILE = "columns.csv"
GUIDE_COLUMNS = ("file", "label", "name", "type", "unit", "description")
"""The columns of the release's column guide (those of ``mfgpolicy.outputs.about.column_guide``)."""


def guide_parts() -> list[tuple[str, list[str], tuple[str, ...]]]:
    """Return the column guide's parts for the release: every curated CSV, and the guide itself."""
    parts = [(f"data/curated/{t.path}", t.columns, (t.name,)) for t in schema.CURATED.values()]
    return [*parts, (GUIDE_FILE, list(GUIDE_COLUMNS), ("column_guide",))]


def release_files(project: Project, con: duckdb.DuckDBPyConnection) -> dict[str, bytes]:
    """Return the files of the release of ``project``'s data, by path inside the release folder.

    ``con`` must hold the same data (its version is checked against the files read), so the
    counts in the README describe the files shipped.
    """
    from mfgpolicy.catalog import version_of
    from mfgpolicy.versions.version import curated_files, format_version, hash_files, semantic_version

    version = version_of(con)
    curated = curated_files(project.curated)
    if format_version(semantic_version(project.curated), hash_files(curated)) != version:
        raise MfgPolicyError(f"the data in {project.curated} are not those of the database read (data {version}); "
                             "rebuild it with `mfgpolicy build`, or run again if the data were being edited")
    files = {f"data/curated/{name}": data for name, data in curated.items()}
    files |= {f"data/raw/{name}": data for name, data in _raw_files(project.raw).items()}
    files |= _root_files(project, semantic_version(project.curated))
    files[GUIDE_FILE] = safecsv.write_csv(column_guide(guide_parts(), where="file")).encode("utf-8")
    files["datapackage.json"] = descriptor(json.loads(curated["datapackage.json"]), version)
    files["README.md"] = readme(con, version, files).encode("utf-8")
    return dict(sorted(files.items()))


def _raw_files(raw: Path) -> dict[str, bytes]:
    from mfgpolicy.read.limits import read_bytes
    from mfgpolicy.versions.version import included

    return {p.name: read_bytes(p) for p in sorted(raw.iterdir()) if p.is_file() and included(p.name)}


def _root_files(project: Project, semantic: str) -> dict[str, bytes]:
    import yaml

    root = project.root
    missing = [name for name in ROOT_FILES if root is None or not (root / name).is_file()]
    if missing:
        where = "the bundled data" if root is None else str(root)
        raise UsageError(f"a release is made from a project folder holding {', '.join(ROOT_FILES)}; {where} lacks "
                         f"{', '.join(missing)} (use --root with a checkout of mfgpolicy)")
    files = {name: (root / name).read_bytes() for name in ROOT_FILES}
    cited = str(yaml.safe_load(files["CITATION.cff"]).get("version", ""))
    if cited != semantic:
        raise MfgPolicyError(f"CITATION.cff names version {cited!r} but data/curated/VERSION says {semantic}: update "
                             "CITATION.cff (version, date-released) before releasing")
    return files


def descriptor(curated: dict, version: str) -> bytes:
    """Return the release's ``datapackage.json``: the curated descriptor with the version, paths into
    ``data/curated`` and the column guide as a resource."""
    guide = schema.COLUMN_GUIDE
    fields = tuple(guide.field(name) for name in GUIDE_COLUMNS)
    resources = [{**r, "path": f"data/curated/{r['path']}"} for r in curated["resources"]]
    resources.append({
        "name": "columns", "path": GUIDE_FILE, "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "description": guide.description,
        "schema": {k: v for k, v in schema.table_schema(guide, fields).items() if k != "primaryKey"},
    })
    package = {"profile": curated["profile"], "name": curated["name"], "version": version,
               **{k: v for k, v in curated.items() if k not in ("profile", "name", "resources", "sources")},
               "contributors": [{"title": AUTHORS, "role": "author"}],
               "sources": [{"title": "Zhejiang city government plans (data/raw, with their .meta.yml sidecars)",
                            "path": "data/raw/"}, {"title": "Outside sources cited (data/curated/sources.csv)",
                                                   "path": "data/curated/sources.csv"}],
               "resources": resources}
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def readme(con: duckdb.DuckDBPyConnection, version: str, files: dict[str, bytes]) -> str:
    """Return the release's one-page README (Markdown), generated from the data in ``con`` and the ``files``."""
    rows = {t: con.sql(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in schema.CURATED}
    hash8 = version.rsplit(".", 1)[-1]
    raw = [n for n in files if n.startswith("data/raw/")]
    contents = counts_line(counts(con))
    lines = [
        f"# mfgpolicy data {version}", "",
        f"{WHAT_THIS_IS}", "",
        f"Contents: {contents}.", "",
        "## Files", "",
        "| File | Rows | What it holds |", "|---|---:|---|",
        *(f"| `data/curated/{t.path}` | {rows[name]} | {t.description} |" for name, t in schema.CURATED.items()),
        "| `data/curated/datapackage.json`, `VERSION` | | The tables' Frictionless descriptor; the release number. |",
        (f"| `data/raw/` | {len(raw)} files | The plans' texts as received, each with a `.meta.yml` sidecar "
         "(source, date, sha256): every quote is their text at its offsets. |"),
        (f"| `{GUIDE_FILE}` | {len(column_guide(guide_parts(), where='file'))} | Every column of every CSV: English "
         "label, name, type, unit, meaning. |"),
        "| `datapackage.json` | | This release's Frictionless descriptor, with its version. |",
        "| `CITATION.cff`, `LICENSE-DATA`, `LICENSE` | | How to cite; the data's licence; the software's. |", "",
        "CSV files are UTF-8, comma-separated, with a header row; an empty field is missing.", "",
        "## Licence", "",
        (f"The data are licensed under {LICENCE_NAME}, {LICENCE_URL}; see `LICENSE-DATA` for "
         "what it does not cover (the plans' texts in `data/raw`). The mfgpolicy software is under the MIT "
         "licence (`LICENSE`)."), "",
        "## How to cite", "",
        citation(version), "",
        "## Check it", "",
        ("This folder is an mfgpolicy project folder. With the Python package `mfgpolicy` installed, "
         "`mfgpolicy --root . validate` checks every table and every quote against the plans' texts, and "
         f"`python -c \"import mfgpolicy as mp; print(mp.data_version('.'))\"` prints `{version}`: the hash is "
         "recomputed from the files of `data/curated`. Without Python, `cd data/curated && ls -A | grep -v -e "
         f"'^[._]' -e '^VERSION$' | LC_ALL=C sort | xargs sha256sum | sha256sum` starts with `{hash8}`."),
    ]
    return "\n".join(lines) + "\n"


def to_release(out_dir: Path | str | None = None, *, con: duckdb.DuckDBPyConnection | None = None,
               project: Project | None = None) -> Path:
    """Write the data release ``mfgpolicy-data-<version>.zip`` into ``out_dir`` (default: the output folder).

    The data are validated first (through ``con``, default ``mfgpolicy.connect()`` of the
    project). Returns the path written; a failure leaves any previous file untouched.
    """
    from mfgpolicy.catalog import version_of
    from mfgpolicy.outputs.zipped import write_zip

    project = project or Project.find()
    if con is None:
        from mfgpolicy.catalog import connect

        con = connect(project=project)
    out = guard_output(Path(out_dir) if out_dir is not None else project.output, project, what="the release",
                       folder=True)
    name = release_name(version_of(con))
    target = guard_output(out / name, project, what="the release", kind="zip")
    folder = name.removesuffix(".zip")
    files = release_files(project, con)
    with atomic_path(target) as tmp:
        write_zip(tmp, ((f"{folder}/{path}", data) for path, data in files.items()))
    return target
