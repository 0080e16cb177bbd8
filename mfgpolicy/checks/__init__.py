"""Validation of the raw and curated data: every problem found, each naming where it is.

``validate()`` returns a list of ``Problem``; ``check()`` raises ``ValidationError`` with all of
them, or returns the ``Checked`` data (typed tables and raw texts, each file read once) that
``mfgpolicy.catalog`` loads. The checks, in order: the raw folder (sidecars readable, every
raw text present, UTF-8 and matching its checksum); the generated ``documents.csv`` and
``datapackage.json``; ``VERSION``; each table's columns, cells, types, allowed values and ids;
unique ids and foreign keys; every quote at its offsets in the raw text, with the value's
number inside it; years in a sensible order; baselines agreeing with the targets that cite
them; target kinds agreeing with their units and flags. No input makes validation stop early.

With ``incremental=True`` a run compares the data with the record of the last clean run (kept
in ``<output>/validation/``, see ``checks.incremental``) and rechecks only the rows a change can
reach, reporting the same problems as a full run; the record is written after every clean run
of this kind. The default is a full run that reads and writes no record.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from mfgpolicy import schema
from mfgpolicy.checks import cells, files, logic, quotes
from mfgpolicy.checks.problems import Problem
from mfgpolicy.errors import InputTooLargeError, ReadError, ValidationError
from mfgpolicy.project import Project
from mfgpolicy.read import curated
from mfgpolicy.read.limits import read_bytes

if TYPE_CHECKING:
    from mfgpolicy.checks.cache import Seen
    from mfgpolicy.checks.incremental import Report

__all__ = ["Checked", "Problem", "check", "inspect", "validate"]


@dataclass
class Checked:
    """The result of one validation run: the problems, and the data as read (each file once)."""

    project: Project
    problems: list[Problem] = field(default_factory=list)
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    """Curated tables with their declared types (what the catalog loads)."""
    texts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=files.TEXTS_SCHEMA))
    """Raw plan texts: ``doc_id``, ``text``, ``chars``."""
    report: Report | None = None
    """How an ``incremental=True`` run went (None for a plain full run). When it was incremental,
    ``frames`` and ``texts`` are empty: only the changed rows and those they reach were read."""

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def _project(root: Project | str | Path | None) -> Project:
    return root if isinstance(root, Project) else Project.find(root)


def inspect(root: Project | str | Path | None = None, *, incremental: bool = False) -> Checked:
    """Read and check everything once; return the problems and the typed tables (never raises on bad data).

    The raw folder (thousands of small files, read and parsed in Python) is read in a second
    thread while the curated tables are parsed and checked (in polars, which releases the GIL).
    ``incremental=True``: recheck only what changed since the last clean run (see the module's docstring).
    """
    project = _project(root)
    if incremental:
        from mfgpolicy.checks.incremental import inspect_incremental

        return inspect_incremental(project)
    return full(project)


def full(project: Project, seen: Seen | None = None) -> Checked:
    """Check everything (``seen``: keep what a record of this run needs)."""
    out = Checked(project)
    documents = _read(project.curated / schema.DOCUMENTS.path, "documents", out.problems, seen)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mfgpolicy-raw") as pool:
        reading = pool.submit(_raw_and_generated, project, documents, seen)
        strings = {name: documents if name == "documents" else _read(project.curated / table.path, name,
                                                                       out.problems, seen)
                   for name, table in schema.CURATED.items()}
        lined: dict[str, pl.DataFrame] = {}
        for name, table in schema.CURATED.items():
            frame = strings[name]
            if frame is None:
                continue
            out.problems += cells.check_columns(table, frame)
            frame = frame.select(c for c in frame.columns if c in table.columns).with_row_index("_line", offset=2)
            lined[name], found = cells.check_cells(table, frame)
            out.problems += found
        out.problems += cells.check_keys(lined)
        raw, found = reading.result()
    out.problems = found + out.problems
    out.problems += _check_rows(lined, raw.texts)
    out.frames = {name: frame.drop("_line") for name, frame in lined.items()}
    out.texts = raw.texts
    if seen is not None:
        seen.strings = {name: frame for name, frame in strings.items() if frame is not None}
    return out


def _raw_and_generated(project: Project, documents: pl.DataFrame | None, seen: Seen | None = None
                       ) -> tuple[files.RawFolder, list[Problem]]:
    """Read the raw folder; check it, the generated files and VERSION (the work of the second thread)."""
    if seen is not None:
        from mfgpolicy.checks.cache import raw_digest

        seen.raw = raw_digest(project.raw)  # before reading: a file changed meanwhile invalidates the record
    raw = files.read_raw_folder(project.raw, recorded=files.recorded_checksums(documents))
    problems = [*raw.problems, *files.check_generated(raw, project.curated), *files.check_version(project.curated)]
    if seen is not None:
        seen.texts = {meta["doc_id"]: meta["raw_file"] for meta in raw.sidecars.values() if meta.get("doc_id")}
    return raw, problems


def _read(path: Path, name: str, problems: list[Problem], seen: Seen | None = None) -> pl.DataFrame | None:
    label = schema.CURATED[name].path
    if not path.exists():
        problems.append(Problem(label, "", "", "", "file is missing"))
        return None
    stat = _stat(path) if seen is not None else None
    try:
        data = read_bytes(path)
        frame = curated.parse_csv(data, str(path))
    except ReadError as exc:
        problems.append(Problem(label, "", "", "", exc.message, exc.line))
    except InputTooLargeError as exc:
        problems.append(Problem(label, "", "", "", str(exc).split(": ", 1)[-1]))
    else:
        if seen is not None and stat is not None:
            from mfgpolicy.checks.cache import layout_of

            seen.layouts[name] = layout_of(data, stat, frame.height)
            if name == "documents":
                seen.documents = hashlib.sha1(data).hexdigest()
        return frame
    return None


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


ROW_CHECKS: tuple[tuple[Callable[..., Iterator[Problem]], tuple[str, ...], tuple[str, ...]], ...] = (
    (logic.check_places, ("places",), ()),
    (partial(logic.check_city_codes, "targets"), ("targets", "places"), ()),
    (partial(logic.check_city_codes, "baselines"), ("baselines", "places"), ()),
    (logic.check_years, ("targets", "documents"), ()),
    (logic.check_target_logic, ("targets",), ("documents",)),
    (logic.check_baseline_links, ("targets", "baselines"), ("documents",)),
    (logic.check_implications, ("implications", "targets"), ("documents",)),
    (logic.check_baseline_kinds, ("baselines",), ()),
    (logic.check_sources, ("sources",), ()),
    (logic.check_observations, ("observations",), ()),
    (logic.check_cited_targets, ("cited_targets", "cited_documents"), ()),
)
"""The checks across columns and tables, in order: each is given the tables it names (problems are
about rows of the first; rows of the others, and of the first, are read only through the first's
foreign keys: ``checks.incremental`` relies on it) and runs when those and the tables after them
could be read."""

LOOKUPS = frozenset((tables[0], other) for _, tables, _ in ROW_CHECKS for other in tables)
"""(table, other): a check of the table's rows reads rows of the other (through foreign keys)."""


def _check_rows(lined: dict[str, pl.DataFrame], texts: pl.DataFrame) -> list[Problem]:
    problems: list[Problem] = []
    for name in quotes.NUMBER_COLUMNS:
        if name in lined:
            problems += quotes.check_quotes(name, lined[name], texts)
    for check_of, tables, needed in ROW_CHECKS:
        if {*tables, *needed} <= lined.keys():
            problems += check_of(*(lined[name] for name in tables))
    return problems


def validate(root: Project | str | Path | None = None, *, incremental: bool = False) -> list[Problem]:
    """Return every problem in the raw and curated data (``root``: a project folder or ``Project``).

    ``incremental=True`` rechecks only what changed since the last clean run (same problems).

    Examples
    --------
    >>> validate()
    []
    """
    return inspect(root, incremental=incremental).problems


def check(root: Project | str | Path | None = None, *, incremental: bool = False) -> Checked:
    """Return the checked data, or raise ``ValidationError`` listing every problem.

    ``incremental=True``: see ``inspect`` (the tables are not read when the run was incremental).
    """
    checked = inspect(root, incremental=incremental)
    if checked.problems:
        raise ValidationError(checked.problems)
    return checked
