"""The one-row table ``about``: which data and which schema a database was built from.

A database records its data version (``mfgpolicy.versions``), a fingerprint of the schema and
the package version that built it, and where its data came from. ``connect`` uses it to refuse
(or, for the default in-memory catalog, rebuild) a database whose data or schema is not current.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from mfgpolicy.project import Project


@dataclass(frozen=True)
class About:
    """What a database was built from."""

    data_version: str
    schema_fingerprint: str
    package_version: str
    source: str
    """The project folder the data came from, or ``bundled``."""


DERIVING = ("schema.py", "vocab.py", "harmonise", "comparison", "catalog/views.py", "catalog/tables.py")
"""The package's files that decide what a database holds: a change to any of them makes a built database stale."""


def schema_fingerprint() -> str:
    """Return a short hash of the code that declares and derives every table (curated and derived).

    A database built by other code than the installed package's (another version, or a checkout
    edited since) is not current, so it is rebuilt or refused rather than silently used.
    """
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in DERIVING:
        path = package / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:12]


def about_of(project: Project, data_version: str) -> About:
    """Return the ``About`` of a database built now from ``project``."""
    from mfgpolicy import __version__

    source = "bundled" if project.is_bundled else str(project.root)
    return About(data_version, schema_fingerprint(), __version__, source)


def stamp(con: duckdb.DuckDBPyConnection, about: About) -> None:
    """Write ``about`` into ``con`` as the one-row table ``about``."""
    con.execute("CREATE OR REPLACE TABLE about (data_version VARCHAR, schema_fingerprint VARCHAR, "
                "package_version VARCHAR, source VARCHAR)")
    con.execute("INSERT INTO about VALUES (?, ?, ?, ?)",
                [about.data_version, about.schema_fingerprint, about.package_version, about.source]).fetchall()


def read_about(con: duckdb.DuckDBPyConnection) -> About | None:
    """Return the ``about`` row of ``con`` (None if the database has none)."""
    try:
        cursor = con.execute("SELECT * FROM about")  # one query: this runs on every connect()
    except duckdb.CatalogException:
        return None
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    if not rows:
        return None
    if columns != ["data_version", "schema_fingerprint", "package_version", "source"]:
        return About(str(rows[0][columns.index("data_version")]) if "data_version" in columns else "", "", "", "")
    return About(*rows[0])


def why_stale(about: About | None, project: Project | None = None) -> str | None:
    """Return why a database described by ``about`` must not be used, or None when it is current.

    The data is compared with the folder it was built from when that folder still exists
    (``project`` when given: the data the caller is using).
    """
    if about is None:
        return "it was not built by `mfgpolicy build` (no about table)"
    if about.schema_fingerprint != schema_fingerprint():
        built_by = f"mfgpolicy {about.package_version}" if about.package_version else "another mfgpolicy"
        return f"it was built by {built_by} with another schema"
    current = _current_version(about, project)
    if current is not None and current != about.data_version:
        return f"it holds data {about.data_version} but the curated data is now {current}"
    return None


def _current_version(about: About, project: Project | None) -> str | None:
    from mfgpolicy.errors import MfgPolicyError

    if project is None:
        if about.source == "bundled":
            project = Project.bundled()
        elif about.source and Project.holds_data(Path(about.source)):
            project = Project.at(Path(about.source))
        else:
            return None
    try:
        return project.data_version()
    except (MfgPolicyError, OSError):
        return None
