"""Validation of the raw and curated data: every problem found, each naming where it is.

``validate()`` returns a list of ``Problem``; ``check()`` raises ``ValidationError`` with all of
them. The checks, in order: files and columns; types; required cells and allowed values; unique
ids; foreign keys; raw checksums and the sidecar-generated ``documents.csv``; the published
``datapackage.json``; every quote at its offsets in the raw text; the value's number inside the
quote; years in a sensible order; baselines agreeing with the targets that cite them; target
kinds agreeing with their units and flags.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from mfgpolicy import documents, paths, schema, tables
from mfgpolicy.errors import ValidationError
from mfgpolicy.numerals import number_in_text
from mfgpolicy.rawtext import read_raw, sha256_of

TARGET_YEAR_SLACK = 6
"""How far past its period a plan may set a target year (Ningbo 2016–2019 has aims to 2025)."""

BASE_YEAR_SLACK = 10
"""How far before its period a plan may set a base year."""

RATE_KINDS = ("annual_growth", "change_over_period")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    table: str
    row: str
    column: str
    value: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.table}"
        if self.row:
            where += f" row {self.row}"
        if self.line is not None:
            where += f" (line {self.line})"
        if self.column:
            where += f", column {self.column}"
        value = f" = {self.value!r}" if self.value != "" else ""
        return f"{where}{value}: {self.message}"


def validate(root: Path | None = None) -> list[Problem]:
    """Return every problem in the raw and curated data under ``root`` (the project by default).

    Examples
    --------
    >>> validate()
    []
    """
    raw, curated = _dirs(root)
    problems = list(_check_sidecars(raw, curated))
    strings: dict[str, pl.DataFrame] = {}
    for name, table in schema.TABLES.items():
        path = curated / table.path
        if not path.exists():
            problems.append(Problem(table.path, "", "", "", "file is missing"))
            continue
        try:
            frame = tables.read_strings(path)
        except Exception as exc:  # noqa: BLE001 - a broken CSV is itself a problem to report
            problems.append(Problem(table.path, "", "", "", f"cannot be read as CSV: {exc}"))
            continue
        problems += _check_columns(table, frame)
        strings[name] = frame.with_row_index("_line", offset=2)
    problems += _check_datapackage(curated)
    for name, frame in strings.items():
        problems += _check_cells(schema.TABLES[name], frame)
    typed = {n: _typed_with_line(schema.TABLES[n], f) for n, f in strings.items()}
    problems += _check_keys(typed)
    texts = _raw_texts(raw)
    for name in ("targets", "baselines"):
        if name in typed:
            problems += _check_provenance(name, typed[name], texts)
    if "cities" in typed:
        for name in ("targets", "baselines"):
            if name in typed:
                problems += _check_city_codes(name, typed[name], typed["cities"])
    if {"targets", "documents"} <= typed.keys():
        problems += _check_years(typed["targets"], typed["documents"])
        problems += _check_target_logic(typed["targets"])
        if "baselines" in typed:
            problems += _check_baseline_links(typed["targets"], typed["baselines"])
    return problems


def check(root: Path | None = None) -> None:
    """Raise ``ValidationError`` listing every problem, or return None when the data is valid."""
    problems = validate(root)
    if problems:
        raise ValidationError(problems)


def _dirs(root: Path | None) -> tuple[Path, Path]:
    if root is None:
        return paths.RAW, paths.CURATED
    return Path(root) / "data" / "raw", Path(root) / "data" / "curated"


def _id_of(table: schema.Table, row: dict) -> str:
    return str(row.get(table.primary_key) or "")


def _typed_with_line(table: schema.Table, frame: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([tables.typed(table, frame), frame.select("_line")], how="horizontal")


def _check_sidecars(raw: Path, curated: Path) -> Iterator[Problem]:
    sidecars = documents.sidecar_paths(raw)
    if not sidecars:
        yield Problem("data/raw", "", "", "", "no *.meta.yml sidecars found")
    for sidecar in sidecars:
        meta = documents.read_sidecar(sidecar)
        text_path = documents.raw_file_of(sidecar)
        name = f"data/raw/{sidecar.name}"
        if not text_path.exists():
            yield Problem(name, meta.get("doc_id", ""), "raw_file", text_path.name, "raw text file is missing")
            continue
        actual = sha256_of(text_path)
        if meta.get("sha256") != actual:
            yield Problem(name, meta.get("doc_id", ""), "sha256", meta.get("sha256", ""),
                          f"raw file {text_path.name} has sha256 {actual}: the raw file changed (raw files are never edited)")
        for f in schema.DOCUMENTS.fields:
            if f.required and f.name != "raw_file" and not meta.get(f.name):
                yield Problem(name, meta.get("doc_id", ""), f.name, "", "required sidecar field is missing or empty")
    for txt in sorted(raw.glob("*.txt")):
        if not txt.with_name(txt.stem + documents.SIDECAR_SUFFIX).exists():
            yield Problem("data/raw", "", "", txt.name, "raw text file has no .meta.yml sidecar")
    csv_path = curated / "documents.csv"
    if csv_path.exists() and csv_path.read_bytes().decode("utf-8") != documents.documents_csv(raw):
        yield Problem("documents.csv", "", "", "", "out of date with the data/raw sidecars; run `mfgpolicy documents` to regenerate it")


def _check_datapackage(curated: Path) -> Iterator[Problem]:
    path = curated / "datapackage.json"
    if not path.exists():
        yield Problem("datapackage.json", "", "", "", "file is missing; run `mfgpolicy datapackage`")
    elif path.read_bytes().decode("utf-8") != schema.datapackage_json():
        yield Problem("datapackage.json", "", "", "", "out of date with mfgpolicy/schema.py; run `mfgpolicy datapackage`")


def _check_columns(table: schema.Table, frame: pl.DataFrame) -> Iterator[Problem]:
    for column in table.columns:
        if column not in frame.columns:
            yield Problem(table.path, "", column, "", "column is missing")
    for column in frame.columns:
        if column not in table.columns:
            yield Problem(table.path, "", column, "", "column is not in the schema (declare it in mfgpolicy/schema.py)")


def _check_cells(table: schema.Table, frame: pl.DataFrame) -> Iterator[Problem]:
    typed = tables.typed(table, frame)
    for f in table.fields:
        if f.name not in frame.columns:
            continue
        raw_col, typed_col = frame[f.name], typed[f.name]
        bad_type = raw_col.is_not_null() & typed_col.is_null()
        missing = raw_col.is_null() if f.required else pl.Series([False] * frame.height)
        bad_enum = pl.Series([False] * frame.height)
        if f.enum is not None:
            allowed = [v for v in f.enum if v]
            bad_enum = raw_col.is_not_null() & ~raw_col.is_in(allowed)
        flagged = frame.with_columns(_t=bad_type, _m=missing, _e=bad_enum).filter(
            pl.col("_t") | pl.col("_m") | pl.col("_e"))
        for row in flagged.iter_rows(named=True):
            value = row[f.name] or ""
            if row["_m"]:
                message = "required value is empty"
            elif row["_t"]:
                message = f"is not a valid {f.type}" + (" (write true or false)" if f.type == "boolean" else "")
            else:
                message = f"is not an allowed value; expected one of {', '.join(v for v in f.enum if v)}"
            yield Problem(table.path, _id_of(table, row), f.name, value, message, row["_line"])


def _check_keys(typed: dict[str, pl.DataFrame]) -> Iterator[Problem]:
    for name, frame in typed.items():
        table = schema.TABLES[name]
        key = table.primary_key
        dupes = frame.filter(pl.col(key).is_not_null() & pl.col(key).is_duplicated())
        for row in dupes.iter_rows(named=True):
            yield Problem(table.path, row[key], key, row[key], "duplicate id", row["_line"])
        for column, (ref_table, ref_col) in table.foreign_keys.items():
            if ref_table not in typed:
                continue
            known = typed[ref_table][ref_col].drop_nulls()
            orphans = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(known.implode()))
            for row in orphans.iter_rows(named=True):
                yield Problem(table.path, _id_of(table, row), column, row[column],
                              f"not found in {ref_table}.{ref_col}", row["_line"])


def _raw_texts(raw: Path) -> dict[str, str]:
    texts = {}
    for sidecar in documents.sidecar_paths(raw):
        text_path = documents.raw_file_of(sidecar)
        doc_id = documents.read_sidecar(sidecar).get("doc_id", "")
        if text_path.exists() and doc_id:
            texts[doc_id] = read_raw(text_path)
    return texts


def _check_provenance(name: str, frame: pl.DataFrame, texts: dict[str, str]) -> Iterator[Problem]:
    table = schema.TABLES[name]
    columns = [table.primary_key, "doc_id", "quote", "char_start", "char_end", "value", "_line"]
    has_high = "value_high" in frame.columns
    for row in frame.select([*columns, *(["value_high"] if has_high else [])]).iter_rows(named=True):
        rid, quote, start, end, line = row[table.primary_key], row["quote"], row["char_start"], row["char_end"], row["_line"]
        text = texts.get(row["doc_id"])
        if text is None or quote is None or start is None or end is None:
            continue  # reported as a missing value or foreign key already
        span = text[start:end] if 0 <= start <= end <= len(text) else None
        if span != quote:
            found = _where(text, quote)
            yield Problem(table.path, rid, "quote", _short(quote),
                          f"raw text at [{start}:{end}] is {_short(span)!r}, not the quote; {found}", line)
        for column in ("value", "value_high"):
            value = row.get(column)
            if value is not None and not number_in_text(value, quote):
                yield Problem(table.path, rid, column, _num(value), "number does not appear in the quote", line)


def _where(text: str, quote: str) -> str:
    at = text.find(quote)
    if at < 0:
        return "the quote is nowhere in the raw text"
    return f"the quote stands at [{at}:{at + len(quote)}]"


def _short(text: str | None, width: int = 40) -> str:
    if text is None:
        return "<out of range>"
    return text if len(text) <= width else text[: width - 1] + "…"


def _num(value: float) -> str:
    return f"{value:g}"


def _check_years(targets: pl.DataFrame, docs: pl.DataFrame) -> Iterator[Problem]:
    joined = targets.join(docs.select("doc_id", "period_start", "period_end"), on="doc_id", how="left")
    for row in joined.iter_rows(named=True):
        tid, line, base, target = row["target_id"], row["_line"], row["base_year"], row["target_year"]
        start, end = row["period_start"], row["period_end"]
        if base is not None and target is not None and base >= target:
            yield Problem("targets.csv", tid, "base_year", str(base), f"must be before target_year {target}", line)
        if target is not None and start is not None and not (start - 1 <= target <= end + TARGET_YEAR_SLACK):
            yield Problem("targets.csv", tid, "target_year", str(target),
                          f"outside the plan period {start}-{end} (allowed {start - 1}-{end + TARGET_YEAR_SLACK})", line)
        if base is not None and start is not None and not (start - BASE_YEAR_SLACK <= base <= end):
            yield Problem("targets.csv", tid, "base_year", str(base),
                          f"implausible for the plan period {start}-{end}", line)


def _check_city_codes(name: str, frame: pl.DataFrame, cities: pl.DataFrame) -> Iterator[Problem]:
    table = schema.TABLES[name]
    codes = cities.select("city", pl.col("gb2260_code").alias("_code"))
    joined = frame.join(codes, on="city", how="inner").filter(
        pl.col("city_code").is_not_null() & (pl.col("city_code") != pl.col("_code")))
    for row in joined.iter_rows(named=True):
        yield Problem(table.path, row[table.primary_key], "city_code", str(row["city_code"]),
                      f"is not the GB/T 2260 code of {row['city']} ({row['_code']})", row["_line"])


def _check_target_logic(targets: pl.DataFrame) -> Iterator[Problem]:
    for row in targets.iter_rows(named=True):
        tid, line = row["target_id"], row["_line"]
        if row["kind"] in RATE_KINDS and row["unit"] not in ("%", None):
            yield Problem("targets.csv", tid, "unit", row["unit"], f"a {row['kind']} target is a percentage: unit must be %", line)
        if row["kind"] == "change_over_period" and row["base_year"] is None:
            yield Problem("targets.csv", tid, "base_year", "", "a change_over_period target needs a base_year (stated or implied)", line)
        if row["kind"] == "annual_growth" and row["per_year"] is False:
            yield Problem("targets.csv", tid, "per_year", "false", "an annual_growth target is per year", line)
        if row["base_year"] is not None and row["base_year_stated"] is None:
            yield Problem("targets.csv", tid, "base_year_stated", "", "say whether the base year is stated (true) or implied (false)", line)
        has_high, is_range = row["value_high"] is not None, row["comparator"] == "range"
        if has_high != is_range:
            yield Problem("targets.csv", tid, "comparator", row["comparator"] or "", "value_high is set exactly when comparator is range", line)
        if has_high and row["value"] is not None and row["value_high"] <= row["value"]:
            yield Problem("targets.csv", tid, "value_high", _num(row["value_high"]), "must exceed value", line)
        if row["value"] is not None and row["value"] < 0:
            yield Problem("targets.csv", tid, "value", _num(row["value"]), "must be non-negative (direction carries the sign)", line)
        if row["same_as"] is not None and row["same_as"] == tid:
            yield Problem("targets.csv", tid, "same_as", tid, "a target cannot be the same as itself", line)
    yield from _check_same_as(targets)


def _check_same_as(targets: pl.DataFrame) -> Iterator[Problem]:
    primary = targets.select(pl.col("target_id").alias("same_as"), pl.col("doc_id").alias("_pdoc"),
                             pl.col("indicator_key").alias("_pkey"), pl.col("same_as").alias("_psame"))
    linked = targets.filter(pl.col("same_as").is_not_null()).join(primary, on="same_as", how="inner")
    for row in linked.iter_rows(named=True):
        if row["_pdoc"] != row["doc_id"] or row["_pkey"] != row["indicator_key"]:
            yield Problem("targets.csv", row["target_id"], "same_as", row["same_as"],
                          "points at a target of another document or indicator", row["_line"])
        if row["_psame"] is not None:
            yield Problem("targets.csv", row["target_id"], "same_as", row["same_as"],
                          f"points at a secondary row (which is itself same_as {row['_psame']}); point at the primary", row["_line"])


def _check_baseline_links(targets: pl.DataFrame, baselines: pl.DataFrame) -> Iterator[Problem]:
    base = baselines.select("baseline_id", pl.col("year").alias("_byear"), pl.col("value").alias("_bvalue"),
                            pl.col("doc_id").alias("_bdoc"))
    linked = targets.join(base, on="baseline_id", how="left")
    for row in linked.iter_rows(named=True):
        tid, line = row["target_id"], row["_line"]
        if row["base_value"] is not None and row["baseline_id"] is None:
            yield Problem("targets.csv", tid, "baseline_id", "", "base_value is set, so baseline_id must name its baselines row", line)
        if row["baseline_id"] is None or row["_byear"] is None:
            continue
        if row["_bvalue"] != row["base_value"]:
            yield Problem("targets.csv", tid, "base_value", _num(row["base_value"]) if row["base_value"] is not None else "",
                          f"differs from baselines {row['baseline_id']} value {_num(row['_bvalue'])}", line)
        if row["_byear"] != row["base_year"]:
            yield Problem("targets.csv", tid, "base_year", str(row["base_year"] or ""),
                          f"differs from baselines {row['baseline_id']} year {row['_byear']}", line)
        if row["_bdoc"] != row["doc_id"]:
            yield Problem("targets.csv", tid, "baseline_id", row["baseline_id"], "baseline comes from another document", line)
