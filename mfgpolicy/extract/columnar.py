"""Extraction of many plans at once, as columns: from their texts to one frame of candidates.

``extract(plans)`` indexes the plans together (``batch.Batch``), finds the numbers that have a
unit (``candidates``), drops those a rule rejects (``rules_table``), reads the others
(``reading_table``), adds the targets of annex tables (``table``, plan by plan: few plans have
one) and makes the rows of ``core.COLUMNS``: ids, quotes and indicator names cut from the
original text, the "(约束性)" after each quote, the suggested indicator keys. A plan holding a row
the columns cannot vouch for (``fallback``, e.g. a clause longer than ``context.MAX_CONTEXT``),
or a text polars cannot hold (a lone surrogate), is extracted by the Python rules instead
(``core.rows_of``), with the same result; so are plans too short to repay the columns' fixed
cost (``COLUMNS_FROM``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mfgpolicy.extract import candidates, reading_table, rules_table, scan
from mfgpolicy.extract.batch import Batch, slices

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

_PERIOD_LIMIT = 10**9
"""Plan years beyond this (a broken sidecar) are left to the Python rules."""


class Plan(NamedTuple):
    """A plan's text and what its sidecar says."""

    text: str
    period: tuple[int, int] | None
    doc_id: str
    city: str


COLUMNS_FROM = 40_000
"""Plans with fewer characters than this in all go through the Python rules. The columns cost some
20 ms however little text they read (about 80 polars queries) and 0.2 ms a thousand characters;
the Python rules 3 ms a plan and about 0.6 ms a thousand characters of the real plans. One plan
(``mfgpolicy extract FILE``) is faster by the Python rules; the five real plans together (50,000
characters) by the columns."""


def extract(plans: list[Plan], curated: Path | None = None, *, columns_from: int = COLUMNS_FROM) -> pl.DataFrame:
    """Return the candidates of ``plans``, plan after plan: the frame ``core.frame_of(core.rows_of(…))`` gives.

    The plans go through the columns when they hold ``columns_from`` characters or more in all.
    """
    import polars as pl

    from mfgpolicy.extract.core import empty_frame, frame_of

    if sum(len(p.text) for p in plans) < columns_from:
        return frame_of(_python_rows(plans, curated))
    python = [k for k, p in enumerate(plans) if not _fits(p)]
    frames = []
    if python:
        frames.append(_by_python([plans[k] for k in python], python, curated))
    columnar = [k for k in range(len(plans)) if k not in set(python)]
    if columnar:
        frames.extend(_by_columns([plans[k] for k in columnar], columnar, curated))
    frames = [f for f in frames if f.height]
    if not frames:
        return empty_frame()
    return pl.concat(frames).sort("_plan", maintain_order=True).drop("_plan")


def _fits(plan: Plan) -> bool:
    """Whether a plan's period fits the columns (a text polars cannot hold is found later)."""
    return not plan.period or all(abs(y) < _PERIOD_LIMIT for y in plan.period if y is not None)


def _python_rows(plans: list[Plan], curated: Path | None) -> list[tuple]:
    """The rows of ``plans`` from the Python rules (``core.rows_of``)."""
    from mfgpolicy.extract.context import Doc
    from mfgpolicy.extract.core import rows_of
    from mfgpolicy.extract.normalise import normalise

    return rows_of([(Doc.build(p.text, normalise(p.text), p.period), p.doc_id, p.city) for p in plans], curated)


def _by_python(plans: list[Plan], index: list[int], curated: Path | None) -> pl.DataFrame:
    """The rows of ``plans`` from the Python rules, tagged with their plan's place (``_plan``)."""
    import polars as pl

    from mfgpolicy.extract.core import frame_of

    frames = [frame_of(_python_rows([p], curated)).with_columns(_plan=pl.lit(k, dtype=pl.Int64))
              for k, p in zip(index, plans)]
    return pl.concat(frames)


def _by_columns(plans: list[Plan], index: list[int], curated: Path | None) -> list[pl.DataFrame]:
    """The rows of ``plans`` from the columns (and from the Python rules for any plan they leave)."""
    import numpy as np
    import polars as pl

    b = Batch.build([p.text for p in plans], [p.period for p in plans])
    odd = b.surrogates()
    if odd.size:  # polars holds no lone surrogate
        frames = [_by_python([plans[k] for k in odd.tolist()], [index[k] for k in odd.tolist()], curated)]
        rest = [k for k in range(len(plans)) if k not in set(odd.tolist())]
        return frames + (_by_columns([plans[k] for k in rest], [index[k] for k in rest], curated) if rest else [])
    tables, regions = _tables(b)
    cands = rules_table.context_of(b, candidates.table(b, regions))
    kept = cands.filter(~rules_table.reject(cands))
    read = reading_table.read_all(b, kept)
    left = np.union1d(cands.filter("fallback")["doc"].to_numpy(), read.filter("fallback")["doc"].to_numpy())
    frames = []
    if left.size:
        frames.append(_by_python([plans[k] for k in left.tolist()], [index[k] for k in left.tolist()], curated))
        read = read.filter(~pl.col("doc").is_in(left.tolist()))
        tables = tables.filter(~pl.col("doc").is_in(left.tolist()))
    rows = _rows(b, tables, read)
    if rows.height:
        frames.append(_finish(b, rows, plans, index, curated))
    return frames


def _tables(b: Batch) -> tuple[pl.DataFrame, list[tuple[int, int]]]:
    """The targets of the annex tables of every plan holding 指标 (``table.table_targets``), as rows
    in offsets of the joined text, and the spans the tables cover."""
    import polars as pl

    from mfgpolicy.extract.core import _table_row
    from mfgpolicy.extract.table import table_targets

    docs = _tabled(b)
    rows, regions = [], []
    for k in docs:
        doc, lo = b.lines(k), int(b.starts[k])
        found, spans = table_targets(doc)
        regions.extend((s + lo, e + lo) for s, e in spans)
        for t in found:
            row = _table_row(doc, t)
            start, end = row["indicator_span"]
            rows.append({"doc": k, "indicator_start": start + lo, "indicator_end": end + lo,
                         "value": row["value"], "high": row["value_high"], "unit": row["unit"], "kind": row["kind"],
                         "direction": row["direction"], "comparator": row["comparator"], "hedge": "",
                         "base_year": row["base_year"], "base_year_stated": row["base_year_stated"],
                         "target_year": row["target_year"], "per_year": row["per_year"], "scope": row["scope"],
                         "tier": 1, "quote_start": row["char_start"] + lo, "quote_end": row["char_end"] + lo,
                         "notes": row["notes"], "rule": "table", "binding": row["binding"]})
    return pl.DataFrame(rows, schema=_row_schema()), regions


def _tabled(b: Batch) -> list[int]:
    """The plans where some 指标 stands alone in its cell, as a table's anchor cell must.

    The cell of an anchor (``table._ANCHOR``: 指标, 具体指标, 指标名称 …) is bounded by a line break,
    a space, a tab or "|" (``table._CELL_SPLIT``), or the text's ends; a plan with no such 指标 has
    no table.
    """
    import numpy as np

    zhi = b.occurrences("指")
    at = zhi[b.points[zhi + 1] == ord("标")]
    lo, hi = b.starts[b.doc_of(at)], b.ends[b.doc_of(at)]

    def bounded(pos: np.ndarray) -> np.ndarray:
        inside = (pos >= lo) & (pos < hi)
        return ~inside | b.is_space(np.clip(pos, 0, None), hi) | (b.char(pos, lo, hi) == ord("|"))

    def word(pos: np.ndarray, words: tuple[str, ...]) -> np.ndarray:
        return np.any([(b.char(pos, lo, hi) == ord(w[0])) & (b.char(pos + 1, lo, hi) == ord(w[1])) for w in words],
                      axis=0)

    before = bounded(at - 1) | (word(at - 2, ("具体", "主要", "核心", "考核", "发展")) & bounded(at - 3))
    after = bounded(at + 2) | (word(at + 2, ("名称", "内容")) & bounded(at + 4))
    return scan.unique(b.doc_of(at[before & after])).tolist()


def _row_schema() -> dict[str, pl.DataType]:
    import polars as pl

    ints, strings = pl.Int64(), pl.String()
    return {"doc": ints, "indicator_start": ints, "indicator_end": ints, "value": pl.Float64(), "high": pl.Float64(),
            "unit": strings, "kind": strings, "direction": strings, "comparator": strings, "hedge": strings,
            "base_year": ints, "base_year_stated": pl.Boolean(), "target_year": ints, "per_year": pl.Boolean(),
            "scope": strings, "tier": ints, "quote_start": ints, "quote_end": ints, "notes": strings, "rule": strings,
            "binding": strings}


def _rows(b: Batch, tables: pl.DataFrame, read: pl.DataFrame) -> pl.DataFrame:
    """The rows of every plan in text order (``core.candidates``): table rows, then sentence rows, one
    per item before 各 ("A、B各5家"), sorted by quote start and end; with each quote's normalised text
    (``quote_norm``: cut from its sentence for a sentence row)."""
    import polars as pl

    from mfgpolicy.extract.core import each_spans

    schema = _row_schema()
    binding = pl.Series(_binding(b, read["quote_end"].to_numpy(), read["hi"].to_numpy()), dtype=pl.String)
    quote_norm = pl.col("scope_text").str.slice(pl.col("quote_start") - pl.col("ss"),
                                                pl.col("quote_end") - pl.col("quote_start"))
    sentences = read.with_columns(rule=pl.lit("sentence"), binding=binding, quote_norm=quote_norm)
    sentences = sentences.select(*schema, "quote_norm").with_columns(_group=pl.lit(1),
                                                                      _seq=pl.int_range(pl.len()) * 1000)
    each = read.select((pl.col("c_prev") == ord("各")) & (pl.col("start") - 1 > pl.col("indicator_start"))).to_series()
    if each.any():
        items = []
        for i, row in zip(each.arg_true().to_list(), sentences.filter(each).iter_rows(named=True)):
            spans = each_spans(b.norm, read["start"][i], row["indicator_start"])
            for j, (start, end) in enumerate(spans or [(row["indicator_start"], row["indicator_end"])]):
                items.append({**row, "indicator_start": start, "indicator_end": end, "_seq": i * 1000 + j,
                              "rule": "sentence, 各: one row per item" if spans else "sentence"})
        sentences = pl.concat([sentences.filter(~each), pl.DataFrame(items, schema=sentences.schema)])
    tables = tables.with_columns(quote_norm=slices(b.norm, tables["quote_start"].to_numpy(),
                                                               tables["quote_end"].to_numpy()),
                                 _group=pl.lit(0), _seq=pl.int_range(pl.len()))
    rows = pl.concat([tables, sentences], how="vertical_relaxed")
    return rows.sort("doc", "quote_start", "quote_end", "_group", "_seq").drop("_group", "_seq")


def _binding(b: Batch, end: np.ndarray, hi: np.ndarray) -> list[str]:
    """``core.binding_after`` at each quote end: "(约束性)" binding, "(预期性)" indicative."""
    import numpy as np

    opening = b.char(end, end, hi) == ord("(")
    at = end + opening
    word = np.stack([b.char(at + k, end, hi) for k in range(3)], axis=1)
    binding = (word == [ord(c) for c in "约束性"]).all(axis=1)
    indicative = (word == [ord(c) for c in "预期性"]).all(axis=1)
    return np.where(binding, "binding", np.where(indicative, "indicative", "unknown")).tolist()


def _finish(b: Batch, rows: pl.DataFrame, plans: list[Plan], index: list[int], curated: Path | None) -> pl.DataFrame:
    """The frame of ``core.COLUMNS``: ids, places, quotes and indicator names from the original text,
    offsets into each plan, suggested indicator keys; tagged with each plan's place (``_plan``).

    An indicator's words lie inside its quote, so they are cut from the quote (original and
    normalised) by polars."""
    import numpy as np
    import polars as pl

    from mfgpolicy.extract import indicators as ind
    from mfgpolicy.extract.core import _SCHEMA, COLUMNS, city_codes

    doc = rows["doc"].to_numpy()
    q_start, q_end = rows["quote_start"].to_numpy(), rows["quote_end"].to_numpy()
    codes = city_codes(str(curated) if curated else None)
    code = [codes.get(p.city, "") for p in plans]
    per_plan = pl.DataFrame({
        "doc": np.arange(len(plans)), "_plan": np.asarray(index, dtype=np.int64),
        "doc_id": [p.doc_id or None for p in plans], "city": [p.city or None for p in plans],
        "city_code": [int(c) if c.isdigit() else None for c in code]},
        schema={"doc": pl.Int64, "_plan": pl.Int64, "doc_id": pl.String, "city": pl.String, "city_code": pl.Int64})
    inside = (pl.col("indicator_start") - pl.col("quote_start"), pl.col("indicator_end") - pl.col("indicator_start"))
    filled = rows.with_columns(
        quote=slices(b.text, q_start, q_end), char_start=q_start - b.starts[doc],
        char_end=q_end - b.starts[doc],
    ).with_columns(indicator_zh=pl.col("quote").str.slice(*inside), indicator_norm=pl.col("quote_norm").str.slice(
        *inside), value_high=pl.col("high"))
    keys, confidence = ind.suggest_columns(filled["quote_norm"], filled["indicator_norm"], filled["unit"],
                                           filled["kind"], ind.known_indicators(str(curated) if curated else None))
    filled = filled.join(per_plan, on="doc", how="left", maintain_order="left").with_columns(
        indicator_key=pl.Series(keys, dtype=pl.String).replace("", None), confidence=confidence,
        target_id=pl.col("doc_id").fill_null("doc") + "-t"
        + (pl.int_range(pl.len()).over("doc") + 1).cast(pl.String).str.zfill(3),
    )
    return filled.select(*(pl.col(c).cast(_SCHEMA[c]) if c in filled.columns else pl.lit(None, _SCHEMA[c]).alias(c)
                           for c in COLUMNS), "_plan")
