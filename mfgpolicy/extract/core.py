"""Extraction: from a plan's text to candidate rows of the ``targets`` table."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import polars as pl

from mfgpolicy.extract import columnar, scan
from mfgpolicy.extract import indicators as ind
from mfgpolicy.extract.context import Doc
from mfgpolicy.extract.errors import ExtractError
from mfgpolicy.extract.normalise import decode, normalise
from mfgpolicy.extract.numbers import Number, arabic_numbers, chinese_numbers
from mfgpolicy.extract.reading import Reading, read, scope
from mfgpolicy.extract.rules import rejection
from mfgpolicy.extract.sidecar import Meta, read_meta  # noqa: F401 (Meta is still importable from here)
from mfgpolicy.extract.table import TableTarget, table_targets
from mfgpolicy.extract.units import UNIT_FIRST, Unit, unit_at
from mfgpolicy.schema import TARGETS

EXTRA_COLUMNS = ("confidence", "rule")
"""Columns after the ``targets`` schema: the indicator suggestion's confidence, the rule that
proposed the row. Drop them when merging into ``data/curated/targets.csv``."""
COLUMNS = (*TARGETS.columns, *EXTRA_COLUMNS)
_INDEX_BEFORE = ("指数达到", "指数达", "指数为", "指数提高到", "指数提升到", "指数超过", "指数突破", "指数保持")
_INDEX_LAST = frozenset(word[-1] for word in _INDEX_BEFORE)
_SCHEMA: dict[str, pl.DataType] = {
    name: {"number": pl.Float64(), "integer": pl.Int64(), "boolean": pl.Boolean()}.get(f.type, pl.String())
    for name, f in ((f.name, f) for f in TARGETS.fields)
}
_SCHEMA.update({"confidence": pl.Float64(), "rule": pl.String()})


def empty_frame() -> pl.DataFrame:
    """Return an empty candidates frame with every column and type."""
    return pl.DataFrame(schema=_SCHEMA)


def _index_unit(doc: Doc, num: Number) -> Unit | None:
    """"总指数达到93": a bare number after an index's name is an index value."""
    norm, start = doc.norm, num.start
    if num.chinese or norm[start - 1:start] not in _INDEX_LAST:  # most numbers: no index word before
        return None
    if norm[max(0, start - 6):start].endswith(_INDEX_BEFORE):
        return Unit("index", num.end, "index")
    return None


def _numbers(doc: Doc, skip: list[tuple[int, int]]) -> list[Number]:
    norm, flags = doc.norm, doc.flags
    arabic = arabic_numbers(norm, scan.run_starts(flags, scan.DIGIT, not_after=scan.DOT))
    chinese = chinese_numbers(norm, scan.runs(flags, scan.NUMERAL))
    ordered = sorted((*arabic, *chinese), key=itemgetter(0))  # by start
    if not skip:
        return ordered
    starts = [s for s, _ in skip]
    out = []
    for num in ordered:
        i = bisect_right(starts, num.start) - 1
        if i >= 0 and skip[i][0] <= num.start < skip[i][1]:
            continue
        out.append(num)
    return out


def _unit(doc: Doc, num: Number) -> Unit | None:
    norm = doc.norm
    at = num.end + 1 if norm[num.end:num.end + 1] in ("多", "余") and not num.chinese else num.end
    first = norm[at + 1:at + 2] if norm[at:at + 1] == " " else norm[at:at + 1]
    unit = unit_at(norm, at) if first in UNIT_FIRST else None  # most numbers have none: skip the regex
    return unit or _index_unit(doc, num)


def decisions(doc: Doc, regions: list[tuple[int, int]] | None = None) -> list[tuple[Number, Unit | None, str]]:
    """Return every number outside tables with its unit and the reason it was dropped ("" = kept)."""
    if regions is None:
        _, regions = table_targets(doc)
    out = []
    for num in _numbers(doc, regions):
        unit = _unit(doc, num)
        out.append((num, unit, rejection(doc, num, unit) or ""))
    return out


def proposals(doc: Doc, regions: list[tuple[int, int]]) -> list[tuple[Number, Unit]]:
    """Return the numbers outside tables that ``decisions`` keeps, with their units.

    A number without a unit is never kept, so the rules run only on the numbers with one.
    """
    out = []
    for num in _numbers(doc, regions):
        unit = _unit(doc, num)
        if unit is not None and not rejection(doc, num, unit):
            out.append((num, unit))
    return out


def explain_text(text: str, period: tuple[int, int] | None = None) -> pl.DataFrame:
    """Return every number of ``text`` (outside tables) with its unit and why it is or is not proposed.

    Examples
    --------
    >>> explain_text("(浙政发〔2017〕23号)到2020年,新增10家。").select("number", "unit", "decision").rows()
    [('2017', '', 'document number'), ('23', '', 'document number'), ('2020', '', 'date'), ('10', '家', 'proposed')]
    """
    norm = normalise(text)
    doc = Doc.build(text, norm, period)
    rows = [{"char_start": n.start, "number": text[n.start:n.end], "unit": u.text if u else "",
             "decision": reason or "proposed", "context": text[max(0, n.start - 12):n.end + 12]}
            for n, u, reason in decisions(doc)]
    return pl.DataFrame(rows, schema={"char_start": pl.Int64, "number": pl.String, "unit": pl.String,
                                      "decision": pl.String, "context": pl.String})


def _each(doc: Doc, num: Number, words_start: int) -> list[tuple[int | None, int | None]]:
    """"A、B、C各50家" states 50 for each of A, B and C: return the span of each item.

    Without 各 before the number, return ``[(None, None)]`` (one row, the reading's indicator).
    """
    return each_spans(doc.norm, num.start, words_start) or [(None, None)]


def each_spans(norm: str, start: int, words_start: int) -> list[tuple[int, int]] | None:
    """The items before "各" at ``start - 1`` ("A、B、C各50家"), from ``words_start`` on; None unless two or more.

    >>> each_spans("鹿城、苍南各5家", 6, 0)
    [(0, 2), (3, 5)]
    """
    at = start - 1
    if norm[at:start] != "各" or at <= words_start:
        return None
    spans, pos = [], words_start
    for m in re.finditer(r"、|和|及|与", norm[words_start:at]):
        spans.append((pos, words_start + m.start()))
        pos = words_start + m.end()
    spans.append((pos, at))
    spans = [(s, e) for s, e in spans if e > s]
    return spans if len(spans) >= 2 else None


def _table_row(doc: Doc, t: TableTarget) -> dict:
    baseline = f"; baseline {t.baseline} (add it to baselines.csv)" if t.baseline else ""
    return {
        "indicator_zh": doc.text[t.indicator.start:t.indicator.end],
        "indicator_span": (t.indicator.start, t.indicator.end), "value": t.value, "value_high": t.value_high, "unit": t.unit, "kind": t.kind, "direction": t.direction,
        "comparator": t.comparator, "hedge": "", "base_year": t.base_year,
        "base_year_stated": True if t.base_year is not None else None, "target_year": t.target_year,
        "per_year": t.per_year, "scope": scope(t.indicator.text), "tier": 1, "char_start": t.indicator.start,
        "char_end": t.value_cell.end, "notes": "annex table row" + baseline, "rule": "table",
        "binding": t.binding,
    }


def _sentence_rows(doc: Doc, num: Number, r: Reading) -> list[dict]:
    rows = []
    for start, end in _each(doc, num, r.indicator_start):
        each = start is not None
        span = (start, end) if each else (r.indicator_start, r.indicator_end)
        rows.append({
            "indicator_zh": doc.text[span[0]:span[1]], "indicator_span": span,
            "value": num.value, "value_high": num.value_high, "unit": r.unit, "kind": r.kind,
            "direction": r.direction, "comparator": r.comparator, "hedge": r.hedge, "base_year": r.base_year,
            "base_year_stated": r.base_year_stated, "target_year": r.target_year, "per_year": r.per_year,
            "scope": r.scope, "tier": r.tier, "char_start": r.quote_start, "char_end": r.quote_end,
            "notes": r.notes, "rule": "sentence, 各: one row per item" if each else "sentence",
        })
    return rows


def candidates(doc: Doc) -> list[dict]:
    """Return the candidate rows of an indexed document, in text order (no ids yet)."""
    tables, regions = table_targets(doc)
    rows = [_table_row(doc, t) for t in tables]
    previous_end = -1
    for num, unit in proposals(doc, regions):
        reading = read(doc, num, unit, previous_end)
        previous_end = reading.quote_end
        rows.extend(_sentence_rows(doc, num, reading))
    rows.sort(key=lambda row: (row["char_start"], row["char_end"]))
    return rows


_BINDING = re.compile(r"[(]?(约束性|预期性)[)]?")


def binding_after(doc: Doc, end: int) -> str:
    """Return ``binding``/``indicative`` when "(约束性)"/"(预期性)" follows a quote, else ``unknown``.

    >>> d = Doc.build("能耗下降15%(约束性)", "能耗下降15%(约束性)")
    >>> binding_after(d, 7), binding_after(d, 3)
    ('binding', 'unknown')
    """
    m = _BINDING.match(doc.norm, end)
    if not m:
        return "unknown"
    return "binding" if m.group(1) == "约束性" else "indicative"


@lru_cache(maxsize=8)
def city_codes(curated: str | None = None) -> dict[str, str]:
    """Return ``{place: GB/T 2260 code}`` from the curated ``places`` table (empty if unreadable)."""
    import csv

    from mfgpolicy.project import Project

    path = (Path(curated) if curated else Project.find().curated) / "places.csv"
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return {row["place"]: row.get("gb2260_code") or "" for row in csv.DictReader(fh) if row.get("place")}
    except (OSError, KeyError, UnicodeDecodeError, csv.Error):
        return {}


def extract_text(text: str, *, doc_id: str = "", city: str = "", period: tuple[int, int] | None = None,
                 curated: Path | None = None) -> pl.DataFrame:
    """Return the candidate targets of a plan's text as a frame in the ``targets`` schema.

    ``char_start``/``char_end`` are offsets into ``text`` and ``quote`` is
    ``text[char_start:char_end]``; ``period`` is the plan's ``(first, last)`` year (inferred
    from the text when omitted); two extra columns, ``confidence`` (of the suggested
    ``indicator_key``) and ``rule``, close each row.

    Examples
    --------
    >>> df = extract_text("到2020年,新增智能工厂10家以上,规上工业增加值年均增长8%左右。", period=(2018, 2020))
    >>> df.select("value", "unit", "kind", "comparator", "target_year").rows()
    [(10.0, '家', 'count', '>=', 2020), (8.0, '%', 'annual_growth', '~', 2020)]
    """
    if not isinstance(text, str):
        raise ExtractError("<text>", f"expected str, got {type(text).__name__}")
    return columnar.extract([columnar.Plan(text, period, doc_id, city)], curated)


ROW_FIELDS = ("target_id", "doc_id", "city", "city_code", "indicator_key", "indicator_zh", "value", "value_high",
              "unit", "kind", "direction", "comparator", "hedge", "base_year", "base_year_stated", "target_year",
              "per_year", "scope", "tier", "binding", "quote", "char_start", "char_end", "notes", "confidence", "rule")
"""The columns the extractor fills, in the order of its row tuples; ``frame_of`` leaves the others
of ``COLUMNS`` (base_value, baseline_id, quote_en, same_as) empty."""
_KEY, _CONFIDENCE = ROW_FIELDS.index("indicator_key"), ROW_FIELDS.index("confidence")


def rows_of(docs: list[tuple[Doc, str, str]], curated: Path | None = None) -> list[tuple]:
    """Return the candidates of indexed documents ``(doc, doc_id, city)``, document after document.

    Each row is a tuple of ``ROW_FIELDS``. The indicator keys of all of them are suggested in one
    pass (``indicators.suggest_many``).
    """
    known = ind.known_indicators(str(curated) if curated else None)
    codes = city_codes(str(curated) if curated else None)
    rows: list[list] = []
    questions: list[tuple[str, str, str, str]] = []
    for doc, doc_id, city in docs:
        code = codes.get(city, "")
        city_code = int(code) if code.isdigit() else None
        text, norm = doc.text, doc.norm
        for k, row in enumerate(candidates(doc), start=1):
            start, end = row["char_start"], row["char_end"]
            ind_start, ind_end = row["indicator_span"]
            questions.append((norm[start:end], norm[ind_start:ind_end], row["unit"], row["kind"]))
            rows.append([
                f"{doc_id or 'doc'}-t{k:03d}", doc_id or None, city or None, city_code, None, row["indicator_zh"],
                row["value"], row["value_high"], row["unit"], row["kind"], row["direction"], row["comparator"],
                row["hedge"], row["base_year"], row["base_year_stated"], row["target_year"], row["per_year"],
                row["scope"], row["tier"], row.get("binding") or binding_after(doc, end), text[start:end], start, end,
                row["notes"], None, row["rule"],
            ])
    for row, (key, confidence) in zip(rows, ind.suggest_many(questions, known)):
        row[_KEY], row[_CONFIDENCE] = key or None, confidence
    return [tuple(row) for row in rows]


def frame_of(rows: list[tuple]) -> pl.DataFrame:
    """Return candidate rows (tuples of ``ROW_FIELDS``) as a frame of ``COLUMNS``, typed.

    Built column by column (twice as fast as from rows); a column of ``COLUMNS`` that the rows do
    not fill is empty.
    """
    if not rows:
        return empty_frame()
    filled = dict(zip(ROW_FIELDS, map(list, zip(*rows))))
    empty = [None] * len(rows)
    return pl.DataFrame({name: filled.get(name, empty) for name in COLUMNS}, schema=_SCHEMA)


def extract_file(path: str | Path, encoding: str | None = None, *, doc_id: str | None = None,
                 curated: Path | None = None) -> pl.DataFrame:
    """Read a plan file (UTF-8, GB18030/GBK detected, or ``encoding``) and extract its candidates.

    The sidecar ``<stem>.meta.yml`` beside the file, when there is one, gives ``doc_id``, ``city``
    and the plan period; ``doc_id`` overrides the sidecar's. Raise ``ExtractError`` naming the
    file when it cannot be read or decoded.
    """
    path = Path(path)
    text, _ = read_plan(path, encoding)
    meta = read_meta(path)
    return extract_text(text, doc_id=doc_id or meta.doc_id or path.stem, city=meta.city, period=meta.period,
                        curated=curated or curated_beside(path))


def extract_files(paths: Iterable[str | Path], encoding: str | None = None, *,
                  curated: Path | None = None) -> pl.DataFrame:
    """Extract the candidates of many plan files in one pass; return them in one frame.

    The frame holds, file after file, exactly the rows ``extract_file`` gives for each (their
    ``doc_id`` tells them apart), built once instead of once a file. Raise ``ExtractError``
    naming the first file that cannot be read or decoded.

    Examples
    --------
    >>> from mfgpolicy.project import Project
    >>> plans = sorted(Project.find().raw.glob("*.txt"))
    >>> extract_files(plans).equals(pl.concat([extract_file(p) for p in plans]))
    True
    """
    frames: list[pl.DataFrame] = []
    pending: list[columnar.Plan] = []
    pending_folder: Path | None = None
    beside: dict[str, Path | None] = {}
    for path in map(Path, paths):
        text, _ = read_plan(path, encoding)
        meta = read_meta(path)
        folder = curated or _curated_beside_cached(path, beside)
        if pending and (folder != pending_folder or len(pending) >= _DOCS_AT_ONCE):
            frames.append(columnar.extract(pending, pending_folder))
            pending = []
        pending_folder = folder
        pending.append(columnar.Plan(text, meta.period, meta.doc_id or path.stem, meta.city))
    if pending:
        frames.append(columnar.extract(pending, pending_folder))
    return pl.concat(frames) if frames else empty_frame()


_DOCS_AT_ONCE = 256
"""Plans extracted together (keeps the memory of a long batch bounded)."""


def _curated_beside_cached(path: Path, cache: dict[str, Path | None]) -> Path | None:
    """``curated_beside(path)``, asked once per folder (a symbolic link is asked on its own)."""
    import os

    name = os.fspath(path)
    if os.path.islink(name):
        return curated_beside(path)
    folder = os.path.dirname(name)
    if folder not in cache:
        cache[folder] = curated_beside(path)
    return cache[folder]


def read_plan(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Return a plan file's text and the encoding used (UTF-8, GB18030/GBK detected, or ``encoding``).

    Raise ``ExtractError`` naming the file when it cannot be read or decoded, or is larger than
    the input limit (``MFGPOLICY_MAX_INPUT_MB``; ``/dev/zero`` is refused, not read).
    """
    from mfgpolicy.errors import InputTooLargeError, ReadError
    from mfgpolicy.read.limits import read_bytes

    try:
        data = read_bytes(Path(path))
    except ReadError as exc:
        raise ExtractError(str(path), exc.message) from None
    except InputTooLargeError as exc:
        raise ExtractError(str(path), str(exc).split(": ", 1)[-1]) from None
    return decode(data, str(path), encoding)


def curated_beside(path: Path) -> Path | None:
    """Return ``<root>/data/curated`` for a file in ``<root>/data/raw/`` (else None: this project's).

    A plan dropped into another project's ``data/raw`` gets that project's cities and indicators.
    """
    from mfgpolicy.project import Project

    parent = Path(path).resolve().parent
    root = parent.parent.parent
    if parent.name == "raw" and parent.parent.name == "data" and Project.holds_data(root):
        return Project.at(root).curated
    return None
