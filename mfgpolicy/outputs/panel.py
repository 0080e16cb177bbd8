"""Panel-ready exports: long tables for Stata, R and pandas, keyed on the GB/T 2260 code.

Two tables, each written as CSV, Parquet or Stata ``.dta`` (``to_panel``), with a data
dictionary ``panel_codebook.csv`` beside them.

``targets_panel`` — one row per canonical target and year (unique key ``target_id × year``)
    A target with an implied path (table ``target_paths``: changes over a period, stated annual
    rates, levels with a stated baseline) has one row for every year from ``base_year`` to
    ``target_year``, both included: ``path_index`` (base year = 100) and, for levels with a
    baseline, ``path_value`` in the target's unit. Every other target has a single row at
    ``target_year`` with both empty. ``is_target_year`` = 1 marks the one row per target at its
    target year, so ``keep if is_target_year`` gives one row per target. A city sets several
    targets in a year, so the panel is *not* unique on city × year: merge it many-to-one onto
    city-year data.
``targets_canonical`` — one row per canonical target (restatements, ``same_as`` set, dropped)
    The same target columns plus the indicator's Chinese words, ``years``, the per-year and
    plan-total values of counts, ``why_not``, the verbatim ``quote`` and its offsets.

Merging
-------
``gb2260_code`` is the 6-digit GB/T 2260 code of the city (Ningbo 330200, Wenzhou 330300,
Jinhua 330700, Yuyao 330281), an integer in every format; ``year`` is an integer. Yuyao is a
county-level city inside Ningbo: ``parent_code`` (330200 for Yuyao, 330000 Zhejiang for the
others) and ``admin_level`` say so; to attach prefecture-level data to Yuyao's rows, merge on
``parent_code`` instead. ::

    * Stata
    use targets_panel, clear
    merge m:1 gb2260_code year using city_year, keep(match master)
    # R
    panel <- haven::read_dta("targets_panel.dta")    # or arrow::read_parquet / readr::read_csv
    dplyr::left_join(panel, city_year, by = c("gb2260_code", "year"))
    # pandas
    pd.read_parquet("targets_panel.parquet").merge(city_year, on=["gb2260_code", "year"], validate="m:1")

Conventions
-----------
* Numbers are the database's (``targets_harmonised``; rules in ``mfgpolicy.harmonise``): rates in
  percent units, signed (−3.89 means −3.89% a year); ``value`` as written, non-negative, with
  ``direction`` carrying the sign; ``bound_low``/``bound_high`` the interval the target commits
  to, empty on an open side.
* Yes/no columns (``comparable``, ``is_target_year``, ``base_year_stated``) are integers 1/0 in
  every format, so the three files hold the same values.
* CSV is plain UTF-8 without a byte-order mark, comma-separated, empty field = missing
  (Stata: ``import delimited using targets_panel.csv, encoding(utf-8) clear``; Excel users should
  open the ``.xlsx`` summary instead). Text that a spreadsheet would run as a formula (a cell
  starting with ``=``, ``+``, ``-``, ``@``, such as the comparator ``=``) carries a leading
  apostrophe (``mfgpolicy.safecsv``); ``safecsv.read_csv`` restores it, and the Parquet and
  Stata files hold the text exactly.
* Stata files are format 118 (Stata 14 and later, UTF-8, so Chinese text survives) with an
  English variable label on every variable (``VARIABLE_LABELS``) and a dataset label; integer
  columns stay integers (``long``; a missing ``base_year`` is ``.``); missing strings are ``""``.
* Parquet keeps the column types (32-bit integers, doubles, UTF-8 strings).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl

from mfgpolicy import safecsv, schema
from mfgpolicy._io import atomic_path, guard_output
from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.errors import MfgPolicyError, check_choice
from mfgpolicy.project import Project

PANEL_FORMATS = ("csv", "parquet", "dta")
CODEBOOK = "panel_codebook.csv"
STATA_VERSION = 14
"""pyreadstat's ``version`` for dta format 118 (Stata 14 and later, UTF-8); 15 would write 119."""

_IDENTITY = ("gb2260_code", "city", "city_zh", "admin_level", "parent_code")
_TARGET = (
    "doc_id", "plan_vintage", "indicator_key", "indicator_en", "domain", "target_year", "base_year",
    "kind", "direction", "comparator", "bound", "hedge", "commitment", "value", "value_high", "unit",
    "base_value", "bound_low", "bound_high",
)
_MEASURES = ("annualised_pct", "pp_per_year", "comparable", "rule", "scope", "tier", "binding")
PANEL_COLUMNS = (*_IDENTITY, "year", "target_id", "is_target_year", *_TARGET, "path_value", "path_index", *_MEASURES)
CANONICAL_COLUMNS = (
    *_IDENTITY, "target_id", *_TARGET[:5], "indicator_zh", *_TARGET[5:7], "base_year_stated", "years",
    *_TARGET[7:], "per_year_value", "plan_total_value", *_MEASURES, "why_not", "quote", "char_start", "char_end",
)
VARIABLE_LABELS: dict[str, str] = {
    name: schema.column(name, "panel_extra", "targets_harmonised").header for name in dict.fromkeys(
        (*PANEL_COLUMNS, *CANONICAL_COLUMNS))
}
"""English variable labels (Stata: at most 80 characters), from ``mfgpolicy.schema``: one home per column."""

_FILE_LABELS = {
    "targets_panel": "mfgpolicy: Zhejiang city targets, one row per target and year",
    "targets_canonical": "mfgpolicy: Zhejiang city targets, one row per target",
}
_NEEDED = {
    "targets_harmonised": ("target_id", "doc_id", "city", "indicator_key", "indicator_zh", "same_as",
                           "plan_vintage", "bound_low", "bound_high", "bound", "commitment", "years",
                           "annualised_pct", "pp_per_year", "rule", "comparable", "why_not"),
    "cities": ("city", "gb2260_code", "name_zh", "admin_level", "parent_code"),
    "indicators": ("indicator_key", "name_en", "domain"),
    "target_paths": ("target_id", "year", "value", "index"),
}
_STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")

_CANONICAL_SQL = """
    SELECT c.gb2260_code, h.city, c.name_zh AS city_zh, c.admin_level, c.parent_code,
           i.name_en AS indicator_en, i.domain, h.* EXCLUDE (city, city_code)
    FROM targets_harmonised h
    JOIN cities c USING (city)
    JOIN indicators i USING (indicator_key)
    WHERE h.same_as IS NULL
"""


def require_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Raise ``MfgPolicyError`` naming every table column the panel needs and ``con`` lacks."""
    missing = []
    for table, needed in _NEEDED.items():
        have = {r[0] for r in con.sql(f'DESCRIBE "{table}"').fetchall()}
        missing += [f"{table}.{c}" for c in needed if c not in have]
    if missing:
        raise MfgPolicyError(f"the panel export needs column(s) the database lacks: {', '.join(missing)} "
                             "(rebuild with `mfgpolicy build`)")


def panel_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Return the exported tables by file stem, exactly as they are written.

    Yes/no columns are already 0/1 integers; rows are ordered by code, indicator, target, year.
    """
    require_columns(con)
    order = "gb2260_code, indicator_key, target_id"
    canonical = frame_of(con.sql(f"SELECT {', '.join(CANONICAL_COLUMNS)} FROM ({_CANONICAL_SQL}) ORDER BY {order}"))
    panel_sql = f"""
        WITH canon AS ({_CANONICAL_SQL}),
        steps AS (
            SELECT p.target_id, p.year, p.value AS path_value, p."index" AS path_index
            FROM target_paths p SEMI JOIN canon USING (target_id)
            UNION ALL BY NAME
            SELECT target_id, target_year AS year FROM canon
            WHERE target_id NOT IN (SELECT target_id FROM target_paths)
        )
        SELECT *, s.year = canon.target_year AS is_target_year
        FROM canon JOIN steps s USING (target_id)
    """
    panel = frame_of(con.sql(f"SELECT {', '.join(PANEL_COLUMNS)} FROM ({panel_sql}) ORDER BY {order}, year"))
    frames = {"targets_panel": panel, "targets_canonical": canonical}
    frames = {name: _booleans_as_int(frame) for name, frame in frames.items()}
    for name, frame in frames.items():
        nulls = frame.filter(pl.col("gb2260_code").is_null())
        if nulls.height:
            raise MfgPolicyError(f"{name}: no gb2260_code for target(s) {nulls['target_id'].to_list()[:5]} "
                                 "(column cities.gb2260_code)")
    return frames


def _booleans_as_int(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.Boolean).cast(pl.Int8))


def codebook(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Return the data dictionary: one row per table and variable, with type, label, unit and meaning.

    Examples
    --------
    >>> codebook({"t": pl.DataFrame({"gb2260_code": [330200]})}).row(0)
    ('t', 'gb2260_code', 'integer', 'GB/T 2260 code of the city (6 digits)', '', 'GB/T 2260 code of the city (6 digits).')
    """
    rows = []
    for table, frame in frames.items():
        for name, dtype in frame.schema.items():
            if name not in VARIABLE_LABELS:
                raise MfgPolicyError(f"{table}.{name} is not declared in mfgpolicy.schema")
            declared = schema.column(name, "panel_extra", "targets_harmonised")
            kind = ("integer (1/0)" if dtype == pl.Int8 else "integer" if dtype.is_integer()
                    else "number" if dtype.is_float() else "string")
            rows.append((table, name, kind, VARIABLE_LABELS[name], declared.unit, declared.description))
    return pl.DataFrame(rows, schema=["table", "variable", "type", "label", "unit", "description"], orient="row")


def to_panel(out_dir: Path | str | None = None, *, fmt: str, con: duckdb.DuckDBPyConnection | None = None,
             project: Project | None = None) -> list[Path]:
    """Write ``targets_panel`` and ``targets_canonical`` as ``fmt`` plus ``panel_codebook.csv``.

    Parameters
    ----------
    out_dir
        Folder to write into (default: the project's ``panel`` output folder); created if needed.
    fmt
        "csv", "parquet" or "dta".
    con
        Connection to read from (default: ``mfgpolicy.connect()`` of the project).

    Returns the paths written. Each file is written atomically: a failure leaves any previous
    file untouched.
    """
    check_choice("fmt", fmt, PANEL_FORMATS)
    project = project or Project.find()
    if con is None:
        from mfgpolicy.catalog import connect

        con = connect(project=project)
    out = guard_output(Path(out_dir) if out_dir is not None else project.panel_dir, project,
                       what="the panel tables", folder=True)
    frames = panel_frames(con)
    book = codebook(frames)
    written = []
    for name, frame in frames.items():
        target = out / f"{name}.{fmt}"
        with atomic_path(target) as tmp:
            _WRITERS[fmt](frame, tmp, name)
        written.append(target)
    target = out / CODEBOOK
    with atomic_path(target) as tmp:
        safecsv.write_csv(book, tmp)
    return [*written, target]


def _write_csv(frame: pl.DataFrame, path: Path, name: str) -> None:
    safecsv.write_csv(frame, path)


def _write_parquet(frame: pl.DataFrame, path: Path, name: str) -> None:
    frame.write_parquet(path)


def _write_dta(frame: pl.DataFrame, path: Path, name: str) -> None:
    import pandas as pd
    import pyreadstat

    bad = [c for c in frame.columns if not _STATA_NAME.match(c)]
    long_labels = [c for c in frame.columns if len(VARIABLE_LABELS[c]) > 80]
    if bad or long_labels:
        raise MfgPolicyError(f"{name}: not valid in Stata: names {bad}, labels over 80 characters {long_labels}")
    # Stata has no 64-bit integer (pyreadstat would store int64 as double): keep codes and years long.
    frame = frame.with_columns(pl.col(pl.Int64, pl.UInt32, pl.UInt64).cast(pl.Int32, strict=True))
    data = frame.to_pandas()
    for column, dtype in frame.schema.items():
        if dtype.is_integer() and frame[column].null_count():  # nullable integers stay integers, missing as "."
            data[column] = pd.array(frame[column].to_list(), dtype="Int32")
    labels = {c: VARIABLE_LABELS[c] for c in frame.columns}
    pyreadstat.write_dta(data, path, file_label=_FILE_LABELS[name], column_labels=labels, version=STATA_VERSION)


_WRITERS = {"csv": _write_csv, "parquet": _write_parquet, "dta": _write_dta}
