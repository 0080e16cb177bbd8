"""Validation of the raw and curated data: every problem found, each naming where it is.

``validate()`` returns a list of ``Problem``; ``check()`` raises ``ValidationError`` with all of
them. The checks, in order: files and columns; types; required cells and allowed values; unique
ids; foreign keys; raw checksums and the sidecar-generated ``documents.csv``; the published
``datapackage.json``; every quote at its offsets in the raw text; the value's number inside the
quote; years in a sensible order; baselines agreeing with the targets that cite them; target
kinds agreeing with their units and flags.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from mfgpolicy import documents, paths, schema, tables
from mfgpolicy.errors import ValidationError
from mfgpolicy.numerals import number_in_text
from mfgpolicy.rawtext import decode_raw

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
    sidecars = documents.read_sidecars(raw)
    raw_bytes = _raw_bytes(sidecars)
    problems = list(_check_sidecars(raw, curated, sidecars, raw_bytes))
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
    texts, undecodable = _raw_texts(sidecars, raw_bytes)
    problems += undecodable
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


def _raw_bytes(sidecars: dict[Path, dict[str, str]]) -> dict[Path, bytes]:
    """Read each raw text file once (its checksum and its text both come from these bytes)."""
    files = (documents.raw_file_of(sidecar) for sidecar in sidecars)
    return {path: path.read_bytes() for path in files if path.exists()}


def _check_sidecars(raw: Path, curated: Path, sidecars: dict[Path, dict[str, str]],
                    raw_bytes: dict[Path, bytes]) -> Iterator[Problem]:
    if not sidecars:
        yield Problem("data/raw", "", "", "", "no *.meta.yml sidecars found")
    for sidecar, meta in sidecars.items():
        text_path = documents.raw_file_of(sidecar)
        name = f"data/raw/{sidecar.name}"
        if text_path not in raw_bytes:
            yield Problem(name, meta.get("doc_id", ""), "raw_file", text_path.name, "raw text file is missing")
            continue
        actual = hashlib.sha256(raw_bytes[text_path]).hexdigest()
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
    if csv_path.exists() and csv_path.read_bytes().decode("utf-8") != documents.documents_csv(raw, sidecars):
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


def _raw_texts(sidecars: dict[Path, dict[str, str]], raw_bytes: dict[Path, bytes]
               ) -> tuple[dict[str, str], list[Problem]]:
    """Decode each raw text with ``rawtext.decode_raw``; undecodable files are problems."""
    texts, problems = {}, []
    for sidecar, meta in sidecars.items():
        text_path = documents.raw_file_of(sidecar)
        doc_id = meta.get("doc_id", "")
        if text_path not in raw_bytes or not doc_id:
            continue
        try:
            texts[doc_id] = decode_raw(raw_bytes[text_path])
        except UnicodeDecodeError as exc:
            problems.append(Problem(f"data/raw/{text_path.name}", doc_id, "", "",
                                    f"is not valid UTF-8 ({exc.reason} at byte {exc.start}); store raw texts as UTF-8"))
    return texts, problems


def _check_provenance(name: str, frame: pl.DataFrame, texts: dict[str, str]) -> Iterator[Problem]:
    table = schema.TABLES[name]
    key = table.primary_key
    frame = frame.with_columns(_span_ok=_spans_match(frame, texts))
    for row in frame.filter(~pl.col("_span_ok")).iter_rows(named=True):
        text, start, end = texts[row["doc_id"]], row["char_start"], row["char_end"]
        span = text[start:end] if 0 <= start <= end <= len(text) else None
        yield Problem(table.path, row[key], "quote", _short(row["quote"]),
                      f"raw text at [{start}:{end}] is {_short(span)!r}, not the quote; {_where(text, row['quote'])}",
                      row["_line"])
    for column in ("value", "value_high"):
        if column not in frame.columns:
            continue
        suspects = frame.filter(pl.col(column).is_not_null() & pl.col("quote").is_not_null()
                                & ~_ascii_number_in_quote(column))
        for row in suspects.iter_rows(named=True):
            if not number_in_text(row[column], row["quote"]):  # Chinese numerals, full-width digits
                yield Problem(table.path, row[key], column, _num(row[column]), "number does not appear in the quote",
                              row["_line"])


def _spans_match(frame: pl.DataFrame, texts: dict[str, str]) -> pl.Series:
    """True where the quote is exactly the raw text at its offsets (null inputs count as true:
    they are reported as missing values or unknown documents already)."""
    docs, quotes = frame["doc_id"].to_list(), frame["quote"].to_list()
    starts, ends = frame["char_start"].to_list(), frame["char_end"].to_list()
    ok = [
        text is None or quote is None or start is None or end is None or text[start:end] == quote
        and 0 <= start <= end <= len(text)
        for text, quote, start, end in zip((texts.get(d) for d in docs), quotes, starts, ends)
    ]
    return pl.Series("_span_ok", ok, dtype=pl.Boolean)


def _ascii_number_in_quote(column: str) -> pl.Expr:
    """Vectorised fast path: the value is one of the quote's ASCII numbers."""
    numbers = pl.col("quote").str.extract_all(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?").list.eval(
        pl.element().str.replace_all(",", "").cast(pl.Float64, strict=False))
    return numbers.list.contains(pl.col(column)).fill_null(False)


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


Rule = tuple[pl.Expr, str, Callable[[dict], str], Callable[[dict], str]]
"""A row check: (condition that flags a row, column, the value to show, the message)."""


def _apply(frame: pl.DataFrame, rules: list[Rule], table: str = "targets.csv", key: str = "target_id"
           ) -> Iterator[Problem]:
    """Yield a Problem for every row each rule flags (vectorised: only flagged rows reach Python)."""
    for condition, column, value, message in rules:
        for row in frame.filter(condition.fill_null(False)).iter_rows(named=True):
            yield Problem(table, row[key], column, value(row), message(row), row["_line"])


def _text(column: str) -> Callable[[dict], str]:
    return lambda row: "" if row[column] is None else (_num(row[column]) if isinstance(row[column], float)
                                                       else str(row[column]))


def _says(text: str) -> Callable[[dict], str]:
    return lambda row: text


def _check_years(targets: pl.DataFrame, docs: pl.DataFrame) -> Iterator[Problem]:
    frame = targets.join(docs.select("doc_id", "period_start", "period_end"), on="doc_id", how="left")
    base, target = pl.col("base_year"), pl.col("target_year")
    start, end = pl.col("period_start"), pl.col("period_end")
    rules: list[Rule] = [
        (base >= target, "base_year", _text("base_year"), lambda r: f"must be before target_year {r['target_year']}"),
        (~target.is_between(start - 1, end + TARGET_YEAR_SLACK), "target_year", _text("target_year"),
         lambda r: f"outside the plan period {r['period_start']}-{r['period_end']} "
                   f"(allowed {r['period_start'] - 1}-{r['period_end'] + TARGET_YEAR_SLACK})"),
        (~base.is_between(start - BASE_YEAR_SLACK, end), "base_year", _text("base_year"),
         lambda r: f"implausible for the plan period {r['period_start']}-{r['period_end']}"),
    ]
    yield from _apply(frame, rules)


def _check_city_codes(name: str, frame: pl.DataFrame, cities: pl.DataFrame) -> Iterator[Problem]:
    table = schema.TABLES[name]
    codes = cities.select("city", pl.col("gb2260_code").alias("_code"))
    joined = frame.join(codes, on="city", how="inner").filter(
        pl.col("city_code").is_not_null() & (pl.col("city_code") != pl.col("_code")))
    for row in joined.iter_rows(named=True):
        yield Problem(table.path, row[table.primary_key], "city_code", str(row["city_code"]),
                      f"is not the GB/T 2260 code of {row['city']} ({row['_code']})", row["_line"])


def _check_target_logic(targets: pl.DataFrame) -> Iterator[Problem]:
    kind, unit, value, high = pl.col("kind"), pl.col("unit"), pl.col("value"), pl.col("value_high")
    has_high, is_range = high.is_not_null(), pl.col("comparator") == "range"
    rules: list[Rule] = [
        (kind.is_in(RATE_KINDS) & unit.is_not_null() & (unit != "%"), "unit", _text("unit"),
         lambda r: f"a {r['kind']} target is a percentage: unit must be %"),
        ((kind == "change_over_period") & pl.col("base_year").is_null(), "base_year", _says(""),
         _says("a change_over_period target needs a base_year (stated or implied)")),
        ((kind == "annual_growth") & pl.col("per_year").not_(), "per_year", _says("false"),
         _says("an annual_growth target is per year")),
        (pl.col("base_year").is_not_null() & pl.col("base_year_stated").is_null(), "base_year_stated", _says(""),
         _says("say whether the base year is stated (true) or implied (false)")),
        (has_high != is_range.fill_null(False), "comparator", _text("comparator"),
         _says("value_high is set exactly when comparator is range")),
        (has_high & (high <= value), "value_high", _text("value_high"), _says("must exceed value")),
        (value < 0, "value", _text("value"), _says("must be non-negative (direction carries the sign)")),
        (pl.col("same_as") == pl.col("target_id"), "same_as", _text("same_as"),
         _says("a target cannot be the same as itself")),
    ]
    yield from _apply(targets, rules)
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
    frame = targets.join(base, on="baseline_id", how="left")
    linked = pl.col("baseline_id").is_not_null() & pl.col("_byear").is_not_null()
    rules: list[Rule] = [
        (pl.col("base_value").is_not_null() & pl.col("baseline_id").is_null(), "baseline_id", _says(""),
         _says("base_value is set, so baseline_id must name its baselines row")),
        (linked & pl.col("_bvalue").ne_missing(pl.col("base_value")), "base_value", _text("base_value"),
         lambda r: f"differs from baselines {r['baseline_id']} value {_num(r['_bvalue'])}"),
        (linked & pl.col("_byear").ne_missing(pl.col("base_year")), "base_year", _text("base_year"),
         lambda r: f"differs from baselines {r['baseline_id']} year {r['_byear']}"),
        (linked & (pl.col("_bdoc") != pl.col("doc_id")), "baseline_id", _text("baseline_id"),
         _says("baseline comes from another document")),
    ]
    yield from _apply(frame, rules)
