"""Comparing two versions of the curated data, field by field.

A version is named by a *spec*: a folder (a project root holding ``data/curated``, or a curated
folder itself) or, if no such folder exists, a git revision of this project (``HEAD``,
``HEAD~3``, a tag, a commit hash) read with ``git`` without touching the working tree.

:func:`diff_tables` compares two sets of tables by their primary keys
(``mfgpolicy.schema.TABLES``) and returns one row per changed field and one per added or
removed row. Every cell is compared as the text in the CSV (empty = null), so ``8`` → ``8.0`` is
reported as a change: the diff shows what a curator would see in the file.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from mfgpolicy.errors import MfgPolicyError

if TYPE_CHECKING:
    import polars as pl

COLUMNS = ("table", "id", "change", "field", "old", "new")
"""Columns of :func:`diff_tables`' result, all strings."""

CURATED = "data/curated"
"""The curated folder, relative to a project root or the root of a git revision."""


class VersionSpecError(MfgPolicyError):
    """A version spec that is neither a data folder nor a readable git revision."""


class DiffError(MfgPolicyError):
    """Tables that cannot be compared (missing or duplicate primary keys)."""


# --------------------------------------------------------------------------- reading versions


def _curated_folder(path: Path) -> Path | None:
    if (path / CURATED).is_dir():
        return path / CURATED
    if path.is_dir() and any((path / name).is_file() for name in _table_files()):
        return path
    return None


def _table_files() -> list[str]:
    from mfgpolicy import schema

    return [t.path for t in schema.TABLES.values()]


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise VersionSpecError("git is not installed; give two folders instead of revisions") from None
    if done.returncode:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise VersionSpecError(f"git {' '.join(args)} failed in {root}: {message}")
    return done.stdout


def _git_root() -> Path:
    """Return the project folder the revisions are read from: the project found, else the current folder."""
    from mfgpolicy.project import Project

    project = Project.find()
    return project.root if project.root is not None else Path.cwd()


def read_files(spec: str, *, root: Path | None = None) -> dict[str, bytes]:
    """Return ``{name: bytes}`` of the curated files of version ``spec`` (names as in ``data/curated``).

    ``spec`` is a folder if one exists at that path, else a git revision of the repository at
    ``root`` (default: this project). Hidden files and ``_``-prefixed work areas are left out;
    ``VERSION`` is kept. Raises :class:`VersionSpecError` naming the spec when it cannot be read.
    """
    from mfgpolicy.versions.version import VERSION_FILE, curated_files, included

    path = Path(spec)
    if path.exists():
        folder = _curated_folder(path)
        if folder is None:
            raise VersionSpecError(
                f"{spec!r} is a path but holds neither {CURATED}/ nor the curated tables ({', '.join(_table_files())})")
        return curated_files(folder)
    root = Path(root) if root is not None else _git_root()
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}")
    except VersionSpecError:
        raise VersionSpecError(
            f"{spec!r} is neither a folder nor a git revision of {root} (try HEAD, HEAD~1, a tag or a commit)") from None
    listing = _git(root, "ls-tree", "-r", "-z", "--name-only", spec, "--", f"{CURATED}/")
    names = [n.decode("utf-8") for n in listing.split(b"\0") if n]
    files = {}
    for full in names:
        name = full.removeprefix(f"{CURATED}/")
        if included(name) or name == VERSION_FILE:
            files[name] = _git(root, "cat-file", "blob", f"{spec}:{full}")
    if not files:
        raise VersionSpecError(f"git revision {spec!r} of {root} has no {CURATED}/ files")
    return dict(sorted(files.items()))


def tables_from_files(files: dict[str, bytes], *, source: str = "") -> dict[str, pl.DataFrame]:
    """Parse the curated tables among ``files`` with every column as a string (empty = null).

    The same reader as every curated table (:func:`mfgpolicy.read.curated.parse_csv`). Tables absent from ``files``
    are absent from the result.
    """
    from mfgpolicy import schema
    from mfgpolicy.errors import ReadError
    from mfgpolicy.read.curated import parse_csv

    tables = {}
    for name, table in schema.TABLES.items():
        if table.path not in files:
            continue
        try:
            tables[name] = parse_csv(files[table.path], f"{source}{table.path}")
        except ReadError as exc:
            raise DiffError(str(exc)) from None
    return tables


def load_version(spec: str, *, root: Path | None = None) -> dict[str, pl.DataFrame]:
    """Read the curated tables of version ``spec`` (a folder or a git revision), all columns as text.

    See :func:`read_files` for what ``spec`` may be.
    """
    return tables_from_files(read_files(spec, root=root), source=f"{spec}: ")


def version_label(files: dict[str, bytes]) -> str:
    """Return the data version of ``files`` (``1.0.0+sha.…``; ``unversioned+sha.…`` without ``VERSION``)."""
    from mfgpolicy.versions.version import VERSION_FILE, format_version, hash_files, parse_version

    text = files.get(VERSION_FILE)
    version = parse_version(text.decode("utf-8")) if text is not None else "unversioned"
    return format_version(version, hash_files(files))


# --------------------------------------------------------------------------- comparing


def _check_keys(frame: pl.DataFrame, table: str, key: str, side: str) -> None:
    if key not in frame.columns:
        raise DiffError(f"{side} {table}: no primary key column {key!r}")
    if frame[key].null_count():
        raise DiffError(f"{side} {table}: {frame[key].null_count()} row(s) with an empty {key}")
    dupes = frame.filter(frame[key].is_duplicated())[key].unique().sort().to_list()
    if dupes:
        raise DiffError(f"{side} {table}: duplicate {key} {', '.join(map(repr, dupes))}")


def _row_json(row: dict) -> str:
    return json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False)


def _diff_table(name: str, key: str, old: pl.DataFrame | None, new: pl.DataFrame | None,
                order: list[str]) -> pl.DataFrame:
    import polars as pl

    rows: list[dict] = []
    if old is not None and new is not None:  # columns one side lacks: one row each, id empty
        for column in order:
            if (column in old.columns) != (column in new.columns):
                rows.append({"table": name, "id": None, "change": "removed" if column in old.columns else "added",
                             "field": column, "old": None, "new": None})
    empty = pl.DataFrame(schema={key: pl.String})
    old = empty if old is None else old.cast(pl.String)
    new = empty if new is None else new.cast(pl.String)
    old_ids, new_ids = set(old[key]), set(new[key])
    for row in new.filter(~pl.col(key).is_in(old[key].implode())).iter_rows(named=True):
        rows.append({"table": name, "id": row[key], "change": "added", "field": None, "old": None,
                     "new": _row_json(row)})
    for row in old.filter(~pl.col(key).is_in(new[key].implode())).iter_rows(named=True):
        rows.append({"table": name, "id": row[key], "change": "removed", "field": None,
                     "old": _row_json(row), "new": None})
    if old_ids & new_ids:
        fields = [c for c in order if c != key]

        def aligned(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.select(key, *(pl.col(c) if c in frame.columns else pl.lit(None, pl.String).alias(c)
                                       for c in fields))

        joined = aligned(old).join(aligned(new), on=key, how="inner", suffix="__new")
        for column in fields:
            changed = joined.filter(~pl.col(column).eq_missing(pl.col(f"{column}__new")))
            for id_, before, after in changed.select(key, column, f"{column}__new").iter_rows():
                rows.append({"table": name, "id": id_, "change": "changed", "field": column,
                             "old": before, "new": after})
    position = {c: i for i, c in enumerate(order)}
    rows.sort(key=lambda r: (r["id"] is not None, r["id"] or "", position.get(r["field"], -1)))
    return pl.DataFrame(rows, schema={c: pl.String for c in COLUMNS})


def diff_tables(old: dict[str, pl.DataFrame], new: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Compare two versions of the curated tables by primary key, field by field.

    Returns a frame with string columns ``table, id, change, field, old, new``:

    * ``changed``: one row per field whose text differs (``old``/``new`` hold the two texts,
      null for an empty cell);
    * ``added`` / ``removed`` with ``field`` empty: one row per row added or removed, with the
      whole row as JSON in ``new`` / ``old``;
    * ``added`` / ``removed`` with ``id`` empty: a column that one version's table lacks.

    Tables are those of ``mfgpolicy.schema.TABLES`` (in load order); a table missing on one side
    counts as empty (all its rows added or removed); rows are ordered by id, fields in column order. Frames may hold any
    column types; values are compared as text.

    >>> import polars as pl
    >>> old = {"places": pl.DataFrame({"place": ["A", "B"], "name_zh": ["甲", "乙"]})}
    >>> new = {"places": pl.DataFrame({"place": ["A", "C"], "name_zh": ["丙", "丁"]})}
    >>> diff_tables(old, new).rows()  # doctest: +NORMALIZE_WHITESPACE
    [('places', 'A', 'changed', 'name_zh', '甲', '丙'),
     ('places', 'B', 'removed', None, '{"place": "B", "name_zh": "乙"}', None),
     ('places', 'C', 'added', None, None, '{"place": "C", "name_zh": "丁"}')]
    """
    import polars as pl

    from mfgpolicy import schema

    parts = []
    for name, table in schema.TABLES.items():
        if name not in old and name not in new:
            continue
        before, after = old.get(name), new.get(name)
        present = [f for f in (before, after) if f is not None]
        for frame, side in ((before, "old"), (after, "new")):
            if frame is not None:
                _check_keys(frame, name, table.primary_key, side)
        columns = [c for f in present for c in f.columns]
        order = [c for c in table.columns if c in columns] + [c for c in dict.fromkeys(columns) if c not in table.columns]
        parts.append(_diff_table(name, table.primary_key, before, after, order))
    if not parts:
        return pl.DataFrame(schema={c: pl.String for c in COLUMNS})
    return pl.concat(parts)


def changed_files(old: dict[str, bytes], new: dict[str, bytes]) -> list[tuple[str, str]]:
    """Return ``(name, "added" | "removed" | "changed")`` for every file whose bytes differ.

    >>> changed_files({"a": b"1", "b": b"2"}, {"a": b"1", "b": b"3", "c": b""})
    [('b', 'changed'), ('c', 'added')]
    """
    out = []
    for name in sorted(set(old) | set(new)):
        if name not in old:
            out.append((name, "added"))
        elif name not in new:
            out.append((name, "removed"))
        elif old[name] != new[name]:
            out.append((name, "changed"))
    return out
