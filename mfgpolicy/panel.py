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
  open the ``.xlsx`` summary instead).
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

from mfgpolicy import paths
from mfgpolicy._io import atomic_path
from mfgpolicy.errors import MfgPolicyError, check_choice

PANEL_FORMATS = ("csv", "parquet", "dta")
DEFAULT_DIR = paths.BUILD / "panel"
CODEBOOK = "panel_codebook.csv"
STATA_VERSION = 14
"""pyreadstat's ``version`` for dta format 118 (Stata 14 and later, UTF-8); 15 would write 119."""

VARIABLE_LABELS: dict[str, str] = {
    "gb2260_code": "GB/T 2260 code of the city (6 digits)",
    "city": "City (English)",
    "city_zh": "City (Chinese)",
    "admin_level": "Administrative level of the city",
    "parent_code": "GB/T 2260 code of the administrative parent",
    "year": "Year of this row (base year to target year on the implied path)",
    "is_target_year": "1 = this row is the target year of the target",
    "target_id": "Target id (<doc_id>-tNNN); key with year",
    "doc_id": "Source plan id",
    "plan_vintage": "National Five-Year-Plan period containing the target year",
    "indicator_key": "Indicator key (one quantity across cities)",
    "indicator_en": "Indicator name (English)",
    "indicator_zh": "Indicator words as written in the plan (Chinese)",
    "domain": "Policy domain of the indicator",
    "target_year": "Year by which the target is to be met",
    "base_year": "Year the change is measured from (missing if none)",
    "base_year_stated": "1 = base year stated in the text, 0 = implied",
    "years": "Span in years: target_year - base_year",
    "kind": "Form of target: level, annual_growth, change_over_period, count, amount",
    "direction": "Direction: increase, decrease or reach a level",
    "comparator": "Comparator as written: >= floor, ~ about, = point, <= ceiling, range",
    "bound": "Shape of the commitment: point, floor, ceiling, about, range",
    "hedge": "Hedge word as written (Chinese), empty if none",
    "commitment": "Commitment from hedge: firm, aspirational or stated",
    "value": "Stated value, as written, non-negative (low end of a range)",
    "value_high": "High end of a stated range",
    "unit": "Unit as written (Chinese multipliers kept, e.g. yi yuan)",
    "base_value": "Baseline value stated in the plan",
    "bound_low": "Lower bound of the committed interval (missing = open)",
    "bound_high": "Upper bound of the committed interval (missing = open)",
    "path_value": "Implied level in this year, in the target's unit",
    "path_index": "Implied index in this year (base year = 100)",
    "annualised_pct": "Harmonised yearly rate, percent, signed",
    "pp_per_year": "Harmonised change in percentage points per year, signed",
    "per_year_value": "Count or amount per year",
    "plan_total_value": "Count or amount over the whole plan",
    "comparable": "1 = a harmonised measure exists (see rule), 0 = see why_not",
    "rule": "Harmonisation rule (documented in mfgpolicy.harmonise)",
    "why_not": "Why no harmonised measure exists",
    "scope": "Population covered, as written (Chinese)",
    "tier": "1 = headline goal or target annex, 2 = task paragraph",
    "binding": "binding, indicative or unknown",
    "quote": "Verbatim words of the plan stating the number",
    "char_start": "Offset of the quote's first character in the raw text",
    "char_end": "Offset one past the quote's last character",
}
"""English variable labels (Stata: at most 80 characters), shared by every table and the codebook."""

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
    canonical = con.sql(f"SELECT {', '.join(CANONICAL_COLUMNS)} FROM ({_CANONICAL_SQL}) ORDER BY {order}").pl()
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
    panel = con.sql(f"SELECT {', '.join(PANEL_COLUMNS)} FROM ({panel_sql}) ORDER BY {order}, year").pl()
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
    """Return the data dictionary: one row per table and variable, with type and label.

    Examples
    --------
    >>> codebook({"t": pl.DataFrame({"gb2260_code": [330200], "comparable": pl.Series([1], dtype=pl.Int8)})}).rows()
    [('t', 'gb2260_code', 'integer', 'GB/T 2260 code of the city (6 digits)'), ('t', 'comparable', 'integer (1/0)', '1 = a harmonised measure exists (see rule), 0 = see why_not')]
    """
    rows = []
    for table, frame in frames.items():
        for name, dtype in frame.schema.items():
            if name not in VARIABLE_LABELS:
                raise MfgPolicyError(f"{table}.{name} has no entry in mfgpolicy.panel.VARIABLE_LABELS")
            kind = ("integer (1/0)" if dtype == pl.Int8 else "integer" if dtype.is_integer()
                    else "number" if dtype.is_float() else "string")
            rows.append((table, name, kind, VARIABLE_LABELS[name]))
    return pl.DataFrame(rows, schema=["table", "variable", "type", "label"], orient="row")


def to_panel(out_dir: Path | str | None = None, *, fmt: str,
             con: duckdb.DuckDBPyConnection | None = None) -> list[Path]:
    """Write ``targets_panel`` and ``targets_canonical`` as ``fmt`` plus ``panel_codebook.csv``.

    Parameters
    ----------
    out_dir
        Folder to write into (default ``data/build/panel``); created if needed.
    fmt
        "csv", "parquet" or "dta".
    con
        Connection to read from (default: the curated data loaded in memory).

    Returns the paths written. Each file is written atomically: a failure leaves any previous
    file untouched.
    """
    check_choice("fmt", fmt, PANEL_FORMATS)
    if con is None:
        from mfgpolicy.catalog import connect

        con = connect()
    out = Path(out_dir or DEFAULT_DIR)
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
        book.write_csv(tmp)
    return [*written, target]


def _write_csv(frame: pl.DataFrame, path: Path, name: str) -> None:
    frame.write_csv(path)


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
