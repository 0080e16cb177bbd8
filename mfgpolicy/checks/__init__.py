"""Validation of the raw and curated data: every problem found, each naming where it is.

``validate()`` returns a list of ``Problem``; ``check()`` raises ``ValidationError`` with all of
them, or returns the ``Checked`` data (typed tables and raw texts, each file read once) that
``mfgpolicy.catalog`` loads. The checks, in order: the raw folder (sidecars readable, every
raw text present, UTF-8 and matching its checksum); the generated ``documents.csv`` and
``datapackage.json``; ``VERSION``; each table's columns, cells, types, allowed values and ids;
unique ids and foreign keys; every quote at its offsets in the raw text, with the value's
number inside it; years in a sensible order; baselines agreeing with the targets that cite
them; target kinds agreeing with their units and flags. No input makes validation stop early.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from mfgpolicy import schema
from mfgpolicy.checks import cells, files, logic, quotes
from mfgpolicy.checks.problems import Problem
from mfgpolicy.errors import InputTooLargeError, ReadError, ValidationError
from mfgpolicy.project import Project
from mfgpolicy.read.curated import read_strings

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

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def _project(root: Project | str | Path | None) -> Project:
    return root if isinstance(root, Project) else Project.find(root)


def inspect(root: Project | str | Path | None = None) -> Checked:
    """Read and check everything once; return the problems and the typed tables (never raises on bad data).

    The raw folder (thousands of small files, read and parsed in Python) is read in a second
    thread while the curated tables are parsed and checked (in polars, which releases the GIL).
    """
    project = _project(root)
    out = Checked(project)
    documents = _read(project.curated / schema.DOCUMENTS.path, schema.DOCUMENTS.path, out.problems)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mfgpolicy-raw") as pool:
        reading = pool.submit(_raw_and_generated, project, documents)
        strings = {name: documents if name == "documents" else _read(project.curated / table.path, table.path,
                                                                       out.problems)
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
    return out


def _raw_and_generated(project: Project, documents: pl.DataFrame | None) -> tuple[files.RawFolder, list[Problem]]:
    """Read the raw folder; check it, the generated files and VERSION (the work of the second thread)."""
    raw = files.read_raw_folder(project.raw, recorded=files.recorded_checksums(documents))
    problems = [*raw.problems, *files.check_generated(raw, project.curated), *files.check_version(project.curated)]
    return raw, problems


def _read(path: Path, name: str, problems: list[Problem]) -> pl.DataFrame | None:
    if not path.exists():
        problems.append(Problem(name, "", "", "", "file is missing"))
        return None
    try:
        return read_strings(path)
    except ReadError as exc:
        problems.append(Problem(name, "", "", "", exc.message, exc.line))
    except InputTooLargeError as exc:
        problems.append(Problem(name, "", "", "", str(exc).split(": ", 1)[-1]))
    return None


def _check_rows(lined: dict[str, pl.DataFrame], texts: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for name in quotes.NUMBER_COLUMNS:
        if name in lined:
            problems += quotes.check_quotes(name, lined[name], texts)
    if "places" in lined:
        problems += logic.check_places(lined["places"])
    for name in ("targets", "baselines"):
        if name in lined and "places" in lined:
            problems += logic.check_city_codes(name, lined[name], lined["places"])
    if {"targets", "documents"} <= lined.keys():
        problems += logic.check_years(lined["targets"], lined["documents"])
        problems += logic.check_target_logic(lined["targets"])
        if "baselines" in lined:
            problems += logic.check_baseline_links(lined["targets"], lined["baselines"])
        if "implications" in lined:
            problems += logic.check_implications(lined["implications"], lined["targets"])
    if "baselines" in lined:
        problems += logic.check_baseline_kinds(lined["baselines"])
    if "sources" in lined:
        problems += logic.check_sources(lined["sources"])
    if "observations" in lined:
        problems += logic.check_observations(lined["observations"])
    if {"cited_targets", "cited_documents"} <= lined.keys():
        problems += logic.check_cited_targets(lined["cited_targets"], lined["cited_documents"])
    return problems


def validate(root: Project | str | Path | None = None) -> list[Problem]:
    """Return every problem in the raw and curated data (``root``: a project folder or ``Project``).

    Examples
    --------
    >>> validate()
    []
    """
    return inspect(root).problems


def check(root: Project | str | Path | None = None) -> Checked:
    """Return the checked data, or raise ``ValidationError`` listing every problem."""
    checked = inspect(root)
    if checked.problems:
        raise ValidationError(checked.problems)
    return checked
