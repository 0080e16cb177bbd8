"""The reject rules of ``rules.py`` as columns: every candidate of a batch judged at once.

``context_of(b, cands)`` adds to the candidate table (``candidates.table``) where each number's
clause, sentence, line and list item start, the characters around it and the windows of text
the rules read; ``reject(frame)`` then says, for every row at once, whether any rule of
``rules.REJECT_RULES`` rejects it. Each rule is a polars expression named as the rule it mirrors
(``RULES``); the tests hold each to its Python form on generated text. A row whose windows the
rules would cut at ``context.MAX_CONTEXT`` is marked ``fallback``: the Python rules read it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from mfgpolicy.extract import scan
from mfgpolicy.extract.batch import UNKNOWN, Batch, slices, take
from mfgpolicy.extract.context import MAX_CONTEXT
from mfgpolicy.extract.regex import sub
from mfgpolicy.extract.rules import _MEASURE_HEADS, CREATION_VERBS

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_AFTER_UNIT = 16
"""Characters after a unit that the rules read (a threshold word, 的, a measure noun)."""


def context_of(b: Batch, cands: pl.DataFrame) -> pl.DataFrame:
    """Return ``cands`` with the positions, characters and windows the rules and the reading use.

    Positions: ``lo``/``hi`` (the plan), ``cs`` (clause start), ``ss`` (sentence start), ``ce``
    (end of the clause after the number), ``ls`` (line start), ``item`` (list item start).
    Characters (code points, -1 for none): ``c_prev`` before the number, ``c_e0``/``c_e1`` after
    it and ``c_after``, the first of those two that is not a space, ``c_ue0``/``c_ue1``/``c_ue2``
    after the unit. The plan's ``first_year`` and ``last_year`` (null when unknown). Windows: ``before8`` (eight characters
    before the number), ``clause`` (from the clause start to the number), ``rest`` (from the
    number to the end of its clause), ``after_unit``.
    """
    import numpy as np
    import polars as pl

    s, e, ue = (cands[c].to_numpy() for c in ("start", "end", "unit_end"))
    doc = cands["doc"].to_numpy()
    lo, hi = b.starts[doc], b.ends[doc]
    cs = b.starts_before(b.clause_ends, s)
    ss = b.starts_before(b.sentence_ends, s)
    ce = b.ends_after(b.clause_ends, e)
    items = b.occurrences("、")
    last_item = take(items, np.searchsorted(items, s) - 1, -1)
    item = np.maximum(cs, np.where(last_item >= cs, last_item + 1, cs))
    ls = b.line_start(s)
    norm = b.norm
    before8 = np.maximum(lo, s - 8)
    c_e0, c_e1 = b.char(e, lo, hi), b.char(e + 1, lo, hi)
    first_year = b.first_year[doc]
    return cands.with_columns(
        lo=lo, hi=hi, cs=cs, ss=ss, ce=ce, ls=ls, item=item,
        first_year=pl.Series(first_year).replace(UNKNOWN, None), last_year=pl.Series(b.last_year[doc]).replace(
            UNKNOWN, None),
        c_prev=b.char(s - 1, lo, hi), c_e0=c_e0, c_e1=c_e1,
        c_after=np.where(c_e0 != 32, c_e0, np.where(c_e1 != 32, c_e1, -1)),
        c_ue0=b.char(ue, lo, hi), c_ue1=b.char(ue + 1, lo, hi), c_ue2=b.char(ue + 2, lo, hi),
        head_blank=_blank_head(b, ls, s), in_quotes=b.in_quotes(s, e), year_at=_year_at(b, s),
        background_year=_background_year(b, s, ss),
        fallback=(s - ss >= MAX_CONTEXT - 8) | (ce - e >= MAX_CONTEXT - 8),
        **_windows(norm, {"before8": (before8, s), "clause": (cs, s), "rest": (e, ce),
                          "after_unit": (ue, np.minimum(ue + _AFTER_UNIT, hi))}),
    ).with_columns(pl.col("background_year").replace(-1, None))


def _windows(norm: str, spans: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, pl.Expr]:
    """``norm[start:end]`` for each named pair of columns: one slice of ``norm`` per row covering them
    all (a Python string each), cut into the windows by polars."""
    import numpy as np
    import polars as pl

    first = np.minimum.reduce([start for start, _ in spans.values()])
    last = np.maximum.reduce([end for _, end in spans.values()])
    whole = slices(norm, first, last)
    return {name: whole.str.slice(pl.Series(start - first), pl.Series(np.maximum(end - start, 0)))
            for name, (start, end) in spans.items()}


def _blank_head(b: Batch, ls: np.ndarray, s: np.ndarray) -> np.ndarray:
    """True where at most 8 characters, all spaces, tabs or "(", stand between line start and number."""
    import numpy as np

    at = ls[:, None] + np.arange(8)
    inside = at < s[:, None]
    chars = b.points[np.minimum(at, b.points.size - 1)]
    return (s - ls <= 8) & (scan.one_of(chars, " \t(") | ~inside).all(axis=1)


def _year_at(b: Batch, pos: np.ndarray) -> np.ndarray:
    """``Doc.year_phrase_at``: a year phrase covers ``pos``."""
    import numpy as np

    i = np.searchsorted(b.year_start, pos, side="right") - 1
    return (i >= 0) & (pos < take(b.year_end, i, -1))


def _background_year(b: Batch, s: np.ndarray, ss: np.ndarray) -> np.ndarray:
    """The year of the nearest target (or range) year phrase ending in ``[ss, s]``, else -1."""
    import numpy as np

    target = np.flatnonzero(np.isin(b.year_role, [0, 2]))
    ends = b.year_end[target]
    i = np.searchsorted(ends, s, side="right") - 1
    found = (i >= 0) & (take(ends, i, -1) >= ss)
    return np.where(found, take(b.year[target], i, -1), -1)


def _codes(chars: str) -> list[int]:
    return [ord(c) for c in chars]


def _is(column: str, chars: str) -> pl.Expr:
    import polars as pl

    return pl.col(column).is_in(_codes(chars))


def rules() -> dict[str, pl.Expr]:
    """Each rule of ``rules.REJECT_RULES`` as a boolean expression (true: the rule rejects the row)."""
    from mfgpolicy.extract import regex

    return _rules(regex._WIDE)


@lru_cache(maxsize=2)
def _rules(wide: bool) -> dict[str, pl.Expr]:
    import polars as pl

    c = pl.col
    year_first = c("first_year").is_not_null()
    unit_first = c("unit").str.slice(0, 1)
    creation = "(?:" + "|".join(CREATION_VERBS) + ")\n?$"
    heads = "^(?:" + "|".join(_MEASURE_HEADS) + ")"
    measure = c("after_unit").str.extract(sub(r"^(\s?(?:\(含\))?(?:及)?(?:以上|以下|以内)?(?:的)?)"), 1)
    beyond = c("after_unit").str.slice(measure.str.len_chars())
    nxt = beyond.str.slice(0, 1)
    rest_before_project = c("rest").str.split("项目").list.first()
    return {
        "section_number": (c("start") - c("ls") <= 8) & c("head_blank") & _is("c_e0", ".、)") & c("high").is_null(),
        "date_or_document_number": (c("c_after") == ord("号")) | (_is("c_prev", "〔[【") & _is("c_after", "〕]】"))
        | _is("c_after", "月日:时") | c("year_at"),
        "ordinal": c("c_prev") == ord("第"),
        "quoted_label": c("in_quotes"),
        "latin_code": _is("c_prev", _LATIN) | (_is("c_e0", _LATIN) & ~unit_first.is_in(list(_LATIN))),
        "chinese_numeral": c("chinese") & (c("c_ue0") != ord("级")) & ~(
            (c("category") == "count") & c("before8").str.contains(creation) & ~_is("c_ue0", "大级星")),
        "grade": (c("c_ue0") == ord("级")) & (((c("c_ue1") == ord("以")) & (c("c_ue2") == ord("上"))) | ~(
            c("clause").str.contains("(?:达到|形成)$") | c("clause").str.contains("(?:达到|形成)[^,;。、]*级[^,;。]*、$"))),
        "no_unit": pl.lit(False),
        "reference_clause": c("clause").str.contains(sub(r"^\s*(?:根据|按照|依据|对照|参照|依照)")),
        "capacity": c("clause").str.slice(c("item") - c("cs")).str.contains(
            "年产(?:[^值]|$)|日产(?:[^值]|$)|日处理|年处理|年加工|年吞吐|年生产(?:$|[^总]|总$|总[^值])")
        & ~rest_before_project.str.contains("产能", literal=True),
        "measure_attribute": c("category").is_in(["money", "quantity"]) & (c("c_ue0") != ord("级"))
        & ~((nxt == "") | nxt.is_in(list(",;。:!?\n、)”’")))
        & ~(measure.str.ends_with("的") & beyond.str.contains(heads))
        & ~nxt.is_in(list("和及与或")),
        "appositive_count": (c("category") == "count") & c("high").is_null()
        & c("clause").str.contains("^[^、]*(?:、[^、]{1,4})+$")
        & (c("clause").str.count_matches("、", literal=True) + 1 == c("value")),
        "indefinite_description": c("clause").str.contains(sub(r"(?:一批|若干|一些|一系列)[^\d]*$"))
        & c("rest").str.contains("的", literal=True),
        "background": c("clause").str.contains("已|现有|目前")
        | (year_first & c("background_year").is_not_null() & (c("background_year") < c("first_year"))),
    }


def reject(frame: pl.DataFrame) -> pl.Series:
    """True for every row that some rule of ``rules.REJECT_RULES`` rejects."""
    import polars as pl

    return frame.select(pl.any_horizontal(*rules().values()).fill_null(False)).to_series()
