"""Incremental validation: recheck only the rows a change can reach, against the record of the last clean run.

The record (``checks.cache``) cuts each curated table into chunks of whole records, each with
its sha1. A table whose size and mtime are as recorded is not read. A changed table is read and
its chunks hashed from both ends, which bounds the changed span (``checks.changes``); only the
span is parsed, and its rows' hashes tell which rows changed. The rows to recheck (the *subjects*) are the changed
rows, every row sharing a key with one (duplicates), every row whose foreign key names a key
that went, and, where a check reads the rows a foreign key names (``checks.LOOKUPS``), every
row naming a key whose row changed. The rows the subjects look up (the rows their foreign keys
name) are read too, from their chunks. The usual checks run on these rows and only the
subjects' problems are kept: the same problems, in the same order, as a full run, since every
other row passed last time and nothing it depends on changed.

Anything the record cannot bound means a full run: no record, a change in the checks (their
source, the schema, the versions), any change in ``data/raw`` (names, sizes, mtimes), a table
missing or with another header, a span that does not end on a whole record.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from mfgpolicy import schema
from mfgpolicy.checks import LOOKUPS, Checked, _check_rows, cache, cells, files, full, quotes
from mfgpolicy.checks.cache import Layout, Record
from mfgpolicy.checks.changes import Change, Fallback, File, change_of
from mfgpolicy.checks.problems import Problem
from mfgpolicy.errors import InputTooLargeError, MfgPolicyError, ReadError
from mfgpolicy.project import Project
from mfgpolicy.read.curated import parse_csv
from mfgpolicy.read.limits import read_bytes

RAW_UNCHANGED = "raw files unchanged since the last clean run"


@dataclass
class Report:
    """How a run with ``incremental=True`` went."""

    incremental: bool
    reason: str
    """Why the run was full, or what it relied on."""
    changed: dict[str, int] = field(default_factory=dict)
    """Table file → rows added or edited since the last clean run."""
    removed: dict[str, int] = field(default_factory=dict)
    """Table file → rows gone (deleted, or edited away) since the last clean run."""
    rechecked: dict[str, int] = field(default_factory=dict)
    """Table file → rows whose problems were looked for (changed rows and rows they reach)."""
    saved: bool = False
    """True when this run wrote the record (a clean run)."""
    note: str = ""
    """Why the record could not be written, if it could not."""

    def summary(self) -> str:
        """Return one line saying what the run checked.

        Examples
        --------
        >>> Report(True, RAW_UNCHANGED, {"targets.csv": 1}, {}, {"targets.csv": 1}).summary()
        'checked 1 changed row of targets.csv (raw files unchanged since the last clean run)'
        >>> Report(False, "no record of a clean run yet").summary()
        'checked everything (no record of a clean run yet)'
        """
        if not self.incremental:
            return f"checked everything ({self.reason})"
        parts = [f"{n:,} changed row{_s(n)} of {t}" for t, n in self.changed.items() if n]
        parts += [f"{n:,} removed row{_s(n)} of {t}" for t, n in self.removed.items() if n]
        if not parts:
            return f"checked nothing: no row changed ({self.reason})"
        reached = sum(self.rechecked.values()) - sum(self.changed.values())
        also = f" and {reached:,} row{_s(reached)} they reach" if reached > 0 else ""
        return f"checked {', '.join(parts)}{also} ({self.reason})"


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def inspect_incremental(project: Project, *, force_full: bool = False) -> Checked:
    """Check what changed since the last clean run (everything when that cannot be bounded).

    A clean run writes the record (never for bundled data; a folder that cannot be written is
    noted in the report, not raised). ``force_full``: check everything, reading and writing no record.
    """
    if force_full or project.is_bundled:
        checked = full(project)
        checked.report = Report(False, "--full" if force_full else "the bundled data keeps no record")
        return checked
    folder = cache.folder_of(project.output)
    stamp = cache.fingerprint()
    record = cache.load(folder)
    if record is None:
        reason = "no record of a clean run yet"
    elif record.fingerprint != stamp:
        reason = "the checks changed since the last clean run"
    else:
        try:
            return _recheck(project, record, folder)
        except Fallback as exc:
            reason = str(exc)
        except Exception as exc:  # noqa: BLE001 - the record must never make validation fail: check in full
            reason = f"the record of the last clean run could not be used ({type(exc).__name__}: {exc})"
    seen = cache.Seen()
    checked = full(project, seen)
    checked.report = Report(False, reason)
    if checked.ok:
        _save(checked.report, project, folder, lambda: _full_record(seen, stamp))
    return checked


def _recheck(project: Project, record: Record, folder: Path) -> Checked:
    if set(record.tables) != set(schema.CURATED) or set(record.indexes) != set(schema.CURATED):
        raise Fallback("the record of the last clean run is incomplete")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mfgpolicy-raw") as pool:
        raw = pool.submit(cache.raw_digest, project.raw)
        changes = {name: change for name in schema.CURATED
                   if (change := change_of(project.curated, name, record.tables[name])) is not None}
        if not record.raw or raw.result() != record.raw:
            raise Fallback("raw files changed since the last clean run")
    for name, change in changes.items():
        if change.layout.height == 0 and not schema.CURATED[name].may_be_empty:
            raise Fallback(f"{schema.CURATED[name].path} has no rows")
    indexes = _Indexes(folder, record, changes)
    report = Report(True, RAW_UNCHANGED)
    diffs = {name: _diff(schema.CURATED[name], change, indexes.old(name))
             for name, change in changes.items() if change.span is not None}
    for name, diff in diffs.items():
        report.changed[schema.CURATED[name].path] = diff.positions.len()
        report.removed[schema.CURATED[name].path] = diff.gone
    subjects = _subjects(diffs, indexes)
    wanted = _lookups(subjects, indexes)
    layouts = {name: changes[name].layout if name in changes else record.tables[name] for name in schema.CURATED}
    frames = {}
    for name, table in schema.CURATED.items():
        rows = pl.concat([subjects.get(name, _NONE), *wanted.get(name, [])]).unique().sort()
        frames[name] = _rows(table, project.curated / table.path, layouts[name], rows,
                             indexes.now(name) if rows.len() else None, changes.get(name))
    texts = _texts(project, folder, record, subjects, frames)
    problems = _generated(project, record, changes.get("documents"))
    found: list[Problem] = []
    lined = {}
    for name, table in schema.CURATED.items():
        lined[name], bad = cells.check_cells(table, frames[name])
        found += bad
    found += cells.check_keys(lined)
    found += _check_rows(lined, texts)
    lines = {schema.CURATED[name].path: set((rows + 2).to_list()) for name, rows in subjects.items()}
    problems += [p for p in found if p.line in lines.get(p.table, ())]
    report.rechecked = {schema.CURATED[name].path: rows.len() for name, rows in subjects.items()}
    checked = Checked(project, problems, report=report)
    if checked.ok and changes:
        _save(report, project, folder, lambda: _next_record(record, changes, indexes))
    return checked


_NONE = pl.Series("_pos", [], dtype=pl.Int64)


class _Indexes:
    """Each table's index (key, foreign keys, row hash per row), as recorded and as it is now."""

    def __init__(self, folder: Path, record: Record, changes: dict[str, Change]) -> None:
        self.folder, self.record, self.changes = folder, record, changes
        self._old: dict[str, pl.DataFrame] = {}
        self._now: dict[str, pl.DataFrame] = {}

    def old(self, name: str) -> pl.DataFrame:
        """Return the index of the table at the last clean run (its base with the patches applied)."""
        if name not in self._old:
            files = self.record.indexes[name]
            try:
                frame = pl.read_parquet(self.folder / files.base)
                for first, rows, patch in files.patches:
                    frame = _splice(frame, first, rows, pl.read_parquet(self.folder / patch))
            except (OSError, ValueError, pl.exceptions.PolarsError):
                raise Fallback("the record of the last clean run cannot be read") from None
            if frame.height != self.record.tables[name].height:
                raise Fallback("the record of the last clean run is inconsistent")
            self._old[name] = frame
        return self._old[name]

    def span(self, name: str) -> pl.DataFrame:
        """Return the index of the changed span of the table."""
        return cache.index_of(schema.CURATED[name], self.changes[name].span)

    def now(self, name: str) -> pl.DataFrame:
        """Return the index of the table as it is now (the changed span spliced in)."""
        if name not in self._now:
            frame, change = self.old(name), self.changes.get(name)
            if change is not None and change.span is not None:
                frame = _splice(frame, change.first, change.old_rows, self.span(name))
            self._now[name] = frame
        return self._now[name]


def _splice(frame: pl.DataFrame, first: int, rows: int, span: pl.DataFrame) -> pl.DataFrame:
    """Return ``frame`` with its rows ``first:first + rows`` replaced by ``span``."""
    if span.columns != frame.columns or first + rows > frame.height:
        raise Fallback("the record of the last clean run is inconsistent")
    return pl.concat([frame.slice(0, first), span, frame.slice(first + rows)])


@dataclass
class _Diff:
    positions: pl.Series
    """Rows (of the table now) added or edited."""
    keys: pl.Series
    """Their keys."""
    touched: pl.Series
    """Every key whose row was added, edited or removed."""
    removed: pl.Series
    """Keys of recorded rows that no row added or edited has."""

    @property
    def gone(self) -> int:
        """How many keys were removed."""
        return self.removed.len()


def _diff(table: schema.Table, change: Change, old: pl.DataFrame) -> _Diff:
    """Compare the changed span's rows with the rows it replaced (by key and row hash, duplicates counted)."""
    key = table.primary_key
    on = [key, "_hash", "_n"]
    now = cache.index_of(table, change.span).with_row_index("_pos", offset=change.first)
    before = old.slice(change.first, change.old_rows)
    now, before = (f.with_columns(_n=pl.int_range(pl.len()).over(key, "_hash")) for f in (now, before))
    added = now.join(before.select(on), on=on, how="anti")
    gone = before.join(now.select(on), on=on, how="anti")
    removed = gone.filter(~pl.col(key).is_in(added[key].drop_nulls().implode()))[key].drop_nulls().unique()
    return _Diff(added["_pos"].cast(pl.Int64), added[key].drop_nulls().unique(),
                 pl.concat([added[key], gone[key]]).drop_nulls().unique(), removed)


def _subjects(diffs: dict[str, _Diff], indexes: _Indexes) -> dict[str, pl.Series]:
    """Return, per table, the rows whose problems may have changed (sorted positions).

    The changed rows; rows sharing a key with one; rows whose foreign key names a key that went;
    and, where a check of the table reads the rows a foreign key names (``checks.LOOKUPS``), rows
    naming a key whose row changed in any way.
    """
    out = {}
    for name, table in schema.CURATED.items():
        parts = [diffs[name].positions] if name in diffs else []
        wanted = [(table.primary_key, diffs[name].keys)] if name in diffs and diffs[name].keys.len() else []
        for column, (ref, _) in table.foreign_keys.items():
            if ref in diffs:
                keys = diffs[ref].touched if (name, ref) in LOOKUPS else diffs[ref].removed
                wanted += [(column, keys)] if keys.len() else []
        if wanted:
            index = indexes.now(name)
            hit = pl.any_horizontal(pl.col(column).is_in(keys.implode()) for column, keys in wanted)
            parts.append(index.select(pl.int_range(pl.len(), dtype=pl.Int64).filter(hit)).to_series())
        rows = pl.concat([_NONE, *parts]).unique().sort()
        if rows.len():
            out[name] = rows
    return out


def _lookups(subjects: dict[str, pl.Series], indexes: _Indexes) -> dict[str, list[pl.Series]]:
    """Return, per table, the rows the subjects' foreign keys name (what their checks look up)."""
    out: dict[str, list[pl.Series]] = {}
    for name, rows in subjects.items():
        index = indexes.now(name)
        for column, (ref, ref_column) in schema.CURATED[name].foreign_keys.items():
            if ref_column != schema.CURATED[ref].primary_key:
                raise Fallback(f"{name}.{column} names a column that is not a primary key")
            values = index[column].gather(rows).drop_nulls().unique()
            if values.len():
                found = indexes.now(ref).select(pl.int_range(pl.len(), dtype=pl.Int64).filter(
                    pl.col(ref_column).is_in(values.implode()))).to_series()
                out.setdefault(ref, []).append(found)
    return out


def _rows(table: schema.Table, path: Path, layout: Layout, rows: pl.Series, index: pl.DataFrame | None,
          change: Change | None) -> pl.DataFrame:
    """Return the table's rows at ``rows`` as text, with ``_line``: from the changed span as parsed,
    the others read from their chunks of the file (and checked against the record's keys)."""
    empty = pl.DataFrame(schema={"_line": pl.UInt32, **{c: pl.String for c in table.columns}})
    if not rows.len() or index is None:
        return empty
    parts = []
    if change is not None and change.span is not None:
        inside = rows.is_between(change.first, change.first + change.span.height - 1)
        parts.append(change.span.with_columns(_pos=pl.int_range(pl.len(), dtype=pl.Int64) + change.first).filter(
            pl.col("_pos").is_in(rows.filter(inside).implode())))
        rows = rows.filter(~inside)
    if rows.len():
        parts.append(_read_rows(table, path, layout, rows, index))
    frame = pl.concat(parts, how="diagonal_relaxed").sort("_pos") if len(parts) > 1 else parts[0]
    line = (pl.col("_pos") + 2).cast(pl.UInt32).alias("_line")
    return frame.select(line, *(c for c in frame.columns if c in table.columns))


def _read_rows(table: schema.Table, path: Path, layout: Layout, rows: pl.Series, index: pl.DataFrame
               ) -> pl.DataFrame:
    """Return the rows at ``rows`` (with ``_pos``), parsed from their chunks; their keys must be the record's."""
    firsts = list(itertools.accumulate(layout.rows, initial=0))
    chunks = (pl.Series(firsts[1:]).search_sorted(rows, side="right")).unique().sort().to_list()
    with File(path) as read:
        pieces = [read(0, layout.bounds[0]), *(read(layout.bounds[c], layout.bounds[c + 1]) for c in chunks)]
    if hashlib.sha1(pieces[0]).hexdigest() != layout.header:
        raise Fallback(f"{table.path} changed during the run")
    try:
        frame = parse_csv(b"".join(pieces), table.path)
    except (ReadError, InputTooLargeError):
        raise Fallback(f"{table.path} changed during the run") from None
    if frame.height != sum(layout.rows[c] for c in chunks):
        raise Fallback(f"the record of {table.path} does not match the file")
    numbers = pl.concat([pl.int_range(firsts[c], firsts[c + 1], dtype=pl.Int64, eager=True) for c in chunks])
    frame = frame.with_columns(_pos=numbers).filter(pl.col("_pos").is_in(rows.implode()))
    key = table.primary_key
    if not frame[key].equals(index[key].gather(frame["_pos"]), check_names=False):
        raise Fallback(f"the record of {table.path} does not match the file")
    return frame


def _texts(project: Project, folder: Path, record: Record, subjects: dict[str, pl.Series],
           frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Return the raw texts the subjects' quotes stand in (the raw folder is as recorded)."""
    doc_ids = [frames[name].filter((pl.col("_line").cast(pl.Int64) - 2).is_in(subjects[name].implode()))["doc_id"]
               for name in quotes.NUMBER_COLUMNS if name in subjects]
    if not doc_ids:
        return pl.DataFrame(schema=files.TEXTS_SCHEMA)
    wanted = pl.concat(doc_ids).drop_nulls().unique()
    try:
        where = pl.read_parquet(folder / record.texts).filter(pl.col("doc_id").is_in(wanted.implode()))
        datas = [read_bytes(project.raw / raw_file) for raw_file in where["raw_file"]]
    except (OSError, pl.exceptions.PolarsError, ReadError, InputTooLargeError):
        raise Fallback("raw files changed since the last clean run") from None
    problems: list[Problem] = []
    texts = files.decode_texts(where["doc_id"].to_list(), datas, where["raw_file"].to_list(), problems)
    if problems:
        raise Fallback("raw files changed since the last clean run")
    return texts


def _generated(project: Project, record: Record, documents: Change | None) -> list[Problem]:
    """The checks of the generated files and VERSION (``documents.csv`` against the sidecars' via the record)."""
    problems = []
    if documents is not None:
        try:
            text = read_bytes(documents.path).decode("utf-8", "replace").encode("utf-8")
        except (ReadError, InputTooLargeError):
            raise Fallback("documents.csv cannot be read") from None
        if hashlib.sha1(text).hexdigest() != record.documents:
            problems.append(Problem("documents.csv", "", "", "", files.OUTDATED_DOCUMENTS))
    problems += files.check_datapackage(project.curated)
    problems += files.check_version(project.curated)
    return problems


def _full_record(seen: cache.Seen, stamp: str) -> tuple[Record, dict[str, pl.DataFrame]]:
    if set(seen.layouts) != set(schema.CURATED) or set(seen.strings) != set(schema.CURATED) or not seen.raw:
        raise OSError("a table or the raw folder could not be stated")
    out, indexes = {}, {}
    for name, table in schema.CURATED.items():
        indexes[name] = cache.IndexFiles(cache.file_name(name))
        out[indexes[name].base] = cache.index_of(table, seen.strings[name])
    texts = cache.file_name("texts")
    out[texts] = pl.DataFrame({"doc_id": list(seen.texts), "raw_file": list(seen.texts.values())},
                              schema={"doc_id": pl.String, "raw_file": pl.String})
    return Record(stamp, seen.raw, seen.documents, texts, dict(seen.layouts), indexes), out


def _next_record(record: Record, changes: dict[str, Change], indexes: _Indexes
                 ) -> tuple[Record, dict[str, pl.DataFrame]]:
    """Return the record of this run: each changed span's index added as a patch (the table's index
    rewritten whole after ``cache.MAX_PATCHES``)."""
    out, names = {}, dict(record.indexes)
    for name, change in changes.items():
        if change.span is None:
            continue
        files = names[name]
        if len(files.patches) >= cache.MAX_PATCHES:
            names[name] = cache.IndexFiles(cache.file_name(name))
            out[names[name].base] = indexes.now(name)
        else:
            patch = cache.file_name(f"{name}-patch")
            names[name] = cache.IndexFiles(files.base, [*files.patches, [change.first, change.old_rows, patch]])
            out[patch] = indexes.span(name)
    tables = {**record.tables, **{name: change.layout for name, change in changes.items()}}
    return replace(record, tables=tables, indexes=names), out


def _save(report: Report, project: Project, folder: Path,
          make: Callable[[], tuple[Record, dict[str, pl.DataFrame]]]) -> None:
    """Write the record; a folder that cannot be written only leaves a note in the report."""
    from mfgpolicy._io import guard_output

    try:
        guard_output(folder, project, what="the validation record", folder=True)
        record, frames = make()
        cache.save(folder, record, frames)
        report.saved = True
    except (OSError, MfgPolicyError, pl.exceptions.PolarsError) as exc:
        report.note = f"the record of this clean run was not saved ({exc})"
