"""Suggesting an ``indicator_key`` for a candidate, with a confidence for the reviewer.

Known indicators come from the curated ``indicators`` table (``data/curated/indicators.csv``
and, while curation is under way, ``data/curated/_staging/*.indicators.csv``): a candidate whose
quote contains an indicator's Chinese name gets that key. A few standing synonyms of the fixed
keys (全员劳动生产率, 两化融合 …) cover the ways plans word them differently.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from mfgpolicy.extract import scan
from mfgpolicy.extract.normalise import normalise

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

SYNONYMS: dict[str, tuple[str, ...]] = {
    "labour_productivity": ("全员劳动生产率",),
    "energy_intensity": (r"单位工业增加值(?:综合)?能耗", r"万元工业增加值能耗"),
    "rd_share_gdp": (r"研究与试验发展经费支出占地区生产总值", r"R&D.{0,6}占(?:地区生产总值|GDP)"),
    "rd_share_revenue": (r"(?:研发|R&D|研究与试验发展).{0,12}(?:主营业务收入|营业收入)比重",),
    "value_added_rate": (r"(?:工业|制造业)增加值率",),
    "new_product_output_rate": (r"新产品产值率",),
    "informatisation_index": (r"两化.{0,2}融合发展水平(?:总)?指数",),
    "tech_transformation_investment": (r"技术改造投资(?!占)", r"技改投资(?!占)"),
    "manufacturing_investment": (r"制造业投资",),
    "industrial_investment": (r"工业投资",),
    "high_tech_firms": (r"高新技术企业",),
    "smart_factories": (r"智能工厂",),
    "digital_workshops": (r"数字化车间",),
    "industrial_robots": (r"机器人",),
    "sector_output": (r"(?:行业|产业)(?:达到|产值达到).{0,12}产值", r"的产值规模"),
    "industrial_output": (r"工业(?:总)?产值",),
    "industrial_value_added": (r"工业增加值(?:年均|增长|增速)",),
}
_COMPILED = {key: tuple(re.compile(p) for p in pats) for key, pats in SYNONYMS.items()}
_RUST_SYNONYMS = {key: "|".join(f"(?:{p.replace('(?!占)', '(?:[^占]|$)')})" for p in pats)
                  for key, pats in SYNONYMS.items()}
"""The synonyms of each key for polars (Rust ``regex``): "not followed by 占" is 占's absence, or the end."""
_RUST_ANY = "|".join(f"(?:{p})" for p in _RUST_SYNONYMS.values())
_ANY_SYNONYM = re.compile("|".join(f"(?:{p})" for pats in SYNONYMS.values() for p in pats))
"""Matches where any synonym matches: a text it misses has no synonym at all."""


@lru_cache(maxsize=4)
def known_indicators(curated: str | None = None) -> tuple[tuple[str, str, str], ...]:
    """Return ``(indicator_key, name_zh normalised, unit)`` for every curated indicator."""
    from mfgpolicy.project import Project

    folder = Path(curated) if curated else Project.find().curated
    files = [folder / "indicators.csv", *sorted((folder / "_staging").glob("*.indicators.csv"))]
    seen: dict[str, tuple[str, str, str]] = {}
    for path in files:
        try:
            with path.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    key, name = (row.get("indicator_key") or "").strip(), (row.get("name_zh") or "").strip()
                    if key and name and key not in seen:
                        seen[key] = (key, normalise(name), (row.get("unit") or "").strip())
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
    return tuple(seen.values())


def suggest(quote: str, indicator: str, unit: str, kind: str,
            known: tuple[tuple[str, str, str], ...] = ()) -> tuple[str, float]:
    """Return ``(indicator_key, confidence)`` for a candidate; ``("", 0.0)`` when nothing fits.

    Examples
    --------
    >>> suggest("规模以上工业全员劳动生产率年均增长8%左右", "规模以上工业全员劳动生产率", "%", "annual_growth")
    ('labour_productivity', 0.7)
    >>> suggest("新增机器人应用1200台以上", "机器人应用", "台", "count",
    ...         (("industrial_robots", "工业机器人", "台"),))
    ('industrial_robots', 0.7)
    """
    return suggest_normalised(normalise(quote), normalise(indicator), unit, kind, known, name_index(known))


@lru_cache(maxsize=4)
def name_index(known: tuple[tuple[str, str, str], ...]) -> dict[str, tuple[int, ...]]:
    """Return, for each first character of a known indicator's name, the positions in ``known``.

    >>> name_index((("a", "上云企业", "家"), ("b", "上云标杆企业", "家"), ("c", "", "")))
    {'上': (0, 1)}
    """
    index: dict[str, list[int]] = {}
    for i, (_, name, _) in enumerate(known):
        if name:
            index.setdefault(name[0], []).append(i)
    return {first: tuple(found) for first, found in index.items()}


def suggest_normalised(quote_n: str, indicator_n: str, unit: str, kind: str,
                       known: tuple[tuple[str, str, str], ...], index: dict[str, tuple[int, ...]]) -> tuple[str, float]:
    """``suggest`` for a normalised quote and indicator, with ``index = name_index(known)``.

    Only the known names that occur in the quote are scored (found from their first characters).
    """
    present = set()
    for pos, ch in enumerate(quote_n):
        for i in index.get(ch, ()):
            if quote_n.startswith(known[i][1], pos):
                present.add(i)
    return _score(present, quote_n, indicator_n, unit, kind, known)


def suggest_many(questions: list[tuple[str, str, str, str]],
                 known: tuple[tuple[str, str, str], ...]) -> list[tuple[str, float]]:
    """``suggest_normalised`` for many ``(quote_n, indicator_n, unit, kind)`` at once (``suggest_columns``).

    >>> suggest_many([("新增机器人应用1200台", "机器人应用", "台", "count"), ("新增10家", "", "家", "count")],
    ...              (("industrial_robots", "工业机器人", "台"), ("robots", "机器人应用", "台")))
    [('robots', 0.75), ('', 0.0)]
    """
    import polars as pl

    if not questions:
        return []
    if len(questions) < _COLUMNS_FROM:  # polars' fixed cost outweighs scoring them one by one
        index = name_index(known)
        return [suggest_normalised(*question, known, index) for question in questions]
    columns = [pl.Series(c, dtype=pl.String) for c in zip(*questions)]
    keys, confidence = suggest_columns(*columns, known)
    return list(zip(keys.tolist(), confidence.tolist()))


_COLUMNS_FROM = 200
"""Candidates from which ``suggest_many`` scores as columns."""


def suggest_columns(quote: pl.Series, indicator: pl.Series, unit: pl.Series, kind: pl.Series,
                    known: tuple[tuple[str, str, str], ...]) -> tuple[np.ndarray, np.ndarray]:
    """``suggest_normalised`` for every row of the columns; return the keys ('' for none) and confidences.

    The known names in every quote are found in one pass over all the quotes (Aho-Corasick,
    every occurrence of every name, through polars) and scored as columns: each candidate's
    names in the order of ``known``, the best kept as ``_score`` keeps it; then the synonyms for
    the candidates whose best is under 0.7.
    """
    import numpy as np

    best_key = np.full(quote.len(), "", dtype=object)
    best = np.zeros(quote.len())
    row, i = _present(quote, known)
    if row.size:
        import polars as pl

        key, name, key_unit = (pl.Series(c, dtype=pl.String) for c in zip(*known))
        name, key_unit, key = name.gather(i), key_unit.gather(i), key.gather(i).to_numpy()
        unit, kind = unit.gather(row), kind.gather(row)
        first = np.searchsorted(row, row)  # pairs are sorted by candidate, then by place in known
        k = np.arange(row.size) - first
        confidence = np.minimum(0.9, 0.4 + 0.05 * name.str.len_chars().to_numpy())
        same = (name == indicator.gather(row)).to_numpy()
        confidence = np.where(same, np.minimum(0.95, confidence + 0.1), confidence)
        mismatch = (kind.is_in(["level", "count", "amount"]) & (key_unit != "") & (unit != "")
                    & (key_unit != unit)).to_numpy()
        confidence = np.where(mismatch, confidence - 0.2, confidence)
        values, inverse = np.unique(confidence, return_inverse=True)
        rounded = np.array([round(v, 2) for v in values.tolist()])[inverse]
        for step in range(int(k.max()) + 1):  # the names of each candidate, in the order of ``known``
            at = np.flatnonzero(k == step)
            better = at[confidence[at] > best[row[at]]]
            best_key[row[better]], best[row[better]] = key[better], rounded[better]
    low = np.flatnonzero(best < 0.7)
    if low.size:
        some = low[quote.gather(low).str.contains(_RUST_ANY).to_numpy()]
        texts = quote.gather(some)
        for key, pattern in _RUST_SYNONYMS.items():  # the first synonym that occurs
            if not some.size:
                break
            hit = texts.str.contains(pattern).to_numpy()
            best_key[some[hit]], best[some[hit]] = key, 0.7
            some, texts = some[~hit], texts.filter(~hit)
    return best_key, best


def _present(quotes: pl.Series, known: tuple[tuple[str, str, str], ...]) -> tuple[np.ndarray, np.ndarray]:
    """``(candidate, place in known)`` of every known name in every quote, each pair once, sorted."""
    import numpy as np
    import polars as pl

    names, ids, counts, flat, offsets = _places(known)
    if not names:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    found = quotes.str.extract_many(names, overlapping=True)
    rows = np.repeat(np.arange(quotes.len()), found.list.len().fill_null(0).to_numpy())
    pairs = scan.unique(rows * len(names) + found.explode().drop_nulls().replace_strict(ids, return_dtype=pl.Int64)
                      .to_numpy())
    row, name = pairs // len(names), pairs % len(names)
    take = np.repeat(offsets[name], counts[name]) + (np.arange(counts[name].sum()) - np.repeat(
        np.cumsum(counts[name]) - counts[name], counts[name]))
    row = np.repeat(row, counts[name])
    order = np.lexsort((flat[take], row))
    return row[order], flat[take][order]


@lru_cache(maxsize=4)
def _places(known: tuple[tuple[str, str, str], ...]) -> tuple[list[str], dict[str, int], np.ndarray, np.ndarray,
                                                             np.ndarray]:
    """The known names (sorted), their numbers, and for each the places in ``known`` that have it
    (``flat[offsets[n]:offsets[n] + counts[n]]``)."""
    import numpy as np

    places: dict[str, list[int]] = {}
    for i, (_, name, _) in enumerate(known):
        if name:
            places.setdefault(name, []).append(i)
    names = sorted(places)
    counts = np.array([len(places[n]) for n in names], dtype=np.int64)
    flat = np.array([i for n in names for i in places[n]], dtype=np.int64)
    return names, {n: k for k, n in enumerate(names)}, counts, flat, np.cumsum(counts) - counts


def _score(present: set[int], quote_n: str, indicator_n: str, unit: str, kind: str,
           known: tuple[tuple[str, str, str], ...]) -> tuple[str, float]:
    """Score the known indicators ``present`` in the quote, in the order of ``known`` (the first
    best stays the best, as in a scan of all of them), then the synonyms."""
    best: tuple[str, float] = ("", 0.0)
    for i in sorted(present):
        key, name, key_unit = known[i]
        confidence = min(0.9, 0.4 + 0.05 * len(name))
        if name == indicator_n:
            confidence = min(0.95, confidence + 0.1)
        if kind in ("level", "count", "amount") and key_unit and unit and key_unit != unit:
            confidence -= 0.2
        if confidence > best[1]:
            best = (key, round(confidence, 2))
    if best[1] < 0.7 and _ANY_SYNONYM.search(quote_n):
        for key, patterns in _COMPILED.items():
            if any(p.search(quote_n) for p in patterns):
                return key, 0.7
    return best
