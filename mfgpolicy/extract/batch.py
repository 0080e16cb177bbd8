"""Many plans indexed at once: one normalised text, its boundaries, quoted spans, years and tiers.

``Batch.build(texts, periods)`` joins the plans' texts, each followed by a line break, normalises
the whole once and indexes it with numpy, in offsets of the joined text: sentence and clause
ends, line starts, the short quoted spans, the year phrases ("到2020年", "比2015年") and the tier
of every line. The line break after each plan makes every boundary of ``context.Doc`` a boundary
here too; whatever else could look across it is cut at the plan's end. ``Batch.doc(k)`` is the
``Doc`` of plan ``k`` made from these indexes (the tests compare it with ``Doc.build``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from mfgpolicy.extract import regex, scan
from mfgpolicy.extract.context import _QUOTE_PAIRS, _TIER1_HEADING, MAX_CONTEXT, Doc, YearPhrase, infer_period
from mfgpolicy.extract.normalise import normalised_points

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

SEPARATOR = "\n"
"""What follows every plan in the joined text: a sentence, clause and line end."""
PAD = 64
"""Code points past the end of the joined text that read as nothing (-1)."""
UNKNOWN = -(2**62)
"""An unknown year (no plan period)."""
ROLES = ("target", "base", "range", "other")
"""The roles of year phrases, by their code in ``Batch.year_role``."""

_PRE_WORDS = ("力争到", "争取到", "力争", "争取", "截至", "截止到", "截止", "到", "至", "于", "比", "较")
"""The words that may open a year phrase, in the order ``context._YEAR_PHRASE`` tries them."""
_DASHES = "-~—–至到"
_POST = "底末前内"
_MAX_QUOTED = 30


@dataclass
class Batch:
    """Plans joined into one text, with the indexes of ``context.Doc`` for all of them at once."""

    texts: list[str]
    text: str
    norm: str
    points: np.ndarray
    """Code points of ``norm`` (int32), then ``PAD`` times -1."""
    flags: np.ndarray
    """``scan`` classes of every character of ``norm``."""
    starts: np.ndarray
    ends: np.ndarray
    """Where each plan starts in the joined text, and where it ends (its separator)."""
    sentence_ends: np.ndarray
    clause_ends: np.ndarray
    line_starts: np.ndarray
    quote_starts: np.ndarray
    quote_ends: np.ndarray
    year_start: np.ndarray
    year_end: np.ndarray
    year: np.ndarray
    year_role: np.ndarray
    year_first: np.ndarray
    tier_of_line: np.ndarray
    first_year: np.ndarray
    last_year: np.ndarray
    inferred: list[bool]
    """Whether each plan's period was inferred from its text (``period=None``)."""
    _found: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, texts: list[str], periods: list[tuple[int, int] | None] | None = None) -> Batch:
        """Join and index ``texts``; ``periods`` are their ``(first, last)`` years (inferred when None)."""
        import numpy as np

        periods = periods or [None] * len(texts)
        text = "".join(t + SEPARATOR for t in texts)
        raw, norm = normalised_points(text)
        flags = scan.flags_of(raw)
        regex.cover(raw)
        points = np.empty(raw.size + PAD, dtype=np.int32)
        points[:raw.size] = raw
        points[raw.size:] = -1
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        ends = np.cumsum(lengths) - 1
        b = cls(texts, text, norm, points, flags, ends - lengths + 1, ends, *([np.zeros(0, np.int64)] * 11),
                np.zeros(0, np.int64), np.zeros(0, np.int64), [])
        b.clause_ends = np.flatnonzero((flags & scan.CLAUSE) != 0)
        b.sentence_ends = b.clause_ends[(flags[b.clause_ends] & scan.SENTENCE) != 0]
        lines = b.sentence_ends[(flags[b.sentence_ends] & scan.LINE) != 0]
        b.line_starts = np.concatenate(([0], lines + 1))
        b.quote_starts, b.quote_ends = _quoted_spans(b)
        _year_phrases(b)
        b.tier_of_line = _tiers(b)
        _periods(b, periods)
        return b

    # -- positions --------------------------------------------------------------------------
    def doc_of(self, pos: np.ndarray) -> np.ndarray:
        """Index of the plan holding each position."""
        import numpy as np

        return np.searchsorted(self.starts, pos, side="right") - 1

    def char(self, pos: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Code points at ``pos`` (-1 outside ``[lo, hi)``)."""
        import numpy as np

        pos = np.asarray(pos, dtype=np.int64)
        inside = (pos >= lo) & (pos < hi)
        return np.where(inside, self.points[np.clip(pos, 0, self.points.size - 1)], -1)

    def is_space(self, pos: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """True where ``re``'s ``\\s`` matches the character at ``pos`` (before ``hi``)."""
        import numpy as np

        pos = np.minimum(pos, self.flags.size - 1)
        return (((self.flags[pos] & scan.SPACE) != 0) | (self.points[pos] == 10)) & (pos < hi)

    def starts_before(self, ends: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """``Doc._before``: the start of the clause or sentence (``ends``) holding each ``pos``."""
        import numpy as np

        i = np.searchsorted(ends, pos, side="left") - 1
        start = np.where(i >= 0, ends[np.maximum(i, 0)] + 1, 0)
        return np.maximum(start, pos - MAX_CONTEXT)

    def ends_after(self, ends: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """``Doc._after``: the end of the clause or sentence (``ends``) holding each ``pos``."""
        import numpy as np

        i = np.searchsorted(ends, pos, side="left")
        end = np.where(i < ends.size, ends[np.minimum(i, ends.size - 1)], len(self.norm))
        return np.minimum(end, pos + MAX_CONTEXT)

    def line_start(self, pos: np.ndarray) -> np.ndarray:
        """Offset of the first character of the line holding each ``pos``."""
        import numpy as np

        return self.line_starts[np.searchsorted(self.line_starts, pos, side="right") - 1]

    def tier(self, pos: np.ndarray) -> np.ndarray:
        """``Doc.tier`` of each ``pos``."""
        import numpy as np

        return self.tier_of_line[np.searchsorted(self.line_starts, pos, side="right") - 1]

    def in_quotes(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """``Doc.in_quotes`` for each ``[start, end)``."""
        import numpy as np

        i = np.searchsorted(self.quote_starts, start, side="right") - 1
        return (i >= 0) & (take(self.quote_starts, i, 0) < start) & (end <= take(self.quote_ends, i, 0))

    @property
    def digits(self) -> np.ndarray:
        """Every offset of a digit (``re``'s ``\\d``), found once."""
        import numpy as np

        found = self._found.get("\\d")
        if found is None:
            found = self._found["\\d"] = np.flatnonzero((self.flags & scan.DIGIT) != 0)
        return found

    def surrogates(self) -> np.ndarray:
        """The plans whose text holds a lone surrogate (which polars cannot hold)."""
        import numpy as np

        odd = np.flatnonzero((self.points >= 0xD800) & (self.points <= 0xDFFF))
        return scan.unique(self.doc_of(odd))

    def occurrences(self, ch: str) -> np.ndarray:
        """Every offset where ``ch`` stands in the joined text (found once)."""
        import numpy as np

        found = self._found.get(ch)
        if found is None and ch in scan.MARKED:
            marked = self._found.get("")
            if marked is None:
                marked = self._found[""] = np.flatnonzero((self.flags & scan.MARK) != 0)
            found = self._found[ch] = marked[self.points[marked] == ord(ch)]
        elif found is None:
            found = self._found[ch] = np.flatnonzero(self.points[:len(self.norm)] == ord(ch))
        return found

    # -- one plan as a Doc -----------------------------------------------------------------
    def period(self, k: int) -> tuple[int | None, int] | None:
        """The period of plan ``k`` as ``Doc.period`` holds it."""
        first, last = int(self.first_year[k]), int(self.last_year[k])
        if last == UNKNOWN:
            return None
        return (None if first == UNKNOWN else first), last

    def lines(self, k: int) -> Doc:
        """The ``Doc`` of plan ``k`` with its texts and line starts only (what ``table`` reads)."""
        import numpy as np

        lo, hi = int(self.starts[k]), int(self.ends[k])
        doc = Doc(self.texts[k], self.norm[lo:hi], self.period(k))
        doc.line_starts = (self.line_starts[slice(*np.searchsorted(self.line_starts, [lo, hi + 1]))] - lo).tolist()
        return doc

    def doc(self, k: int) -> Doc:
        """Return the ``Doc`` of plan ``k``, made from the batch's indexes (local offsets)."""
        import numpy as np

        lo, hi = int(self.starts[k]), int(self.ends[k])
        doc = Doc(self.texts[k], self.norm[lo:hi], self.period(k))
        doc.flags = self.flags[lo:hi]
        doc.sentence_ends = _local(self.sentence_ends, lo, hi)
        doc.clause_ends = _local(self.clause_ends, lo, hi)
        lines = slice(*np.searchsorted(self.line_starts, [lo, hi + 1]))
        doc.line_starts = (self.line_starts[lines] - lo).tolist()
        doc.tier_of_line = self.tier_of_line[lines].tolist()
        q = slice(*np.searchsorted(self.quote_starts, [lo, hi]))
        doc.quoted = list(zip((self.quote_starts[q] - lo).tolist(), (self.quote_ends[q] - lo).tolist()))
        y = slice(*np.searchsorted(self.year_start, [lo, hi]))
        doc.years = [YearPhrase(s - lo, e - lo, year, ROLES[role], None if first == UNKNOWN else first)
                     for s, e, year, role, first in zip(self.year_start[y].tolist(), self.year_end[y].tolist(),
                                                        self.year[y].tolist(), self.year_role[y].tolist(),
                                                        self.year_first[y].tolist())]
        doc.year_starts = [p.start for p in doc.years]
        doc.year_ends = [p.end for p in doc.years]
        doc.target_years = [p for p in doc.years if p.role in ("target", "range")]
        doc.target_year_ends = [p.end for p in doc.target_years]
        return doc


def slices(text: str, start: np.ndarray, end: np.ndarray) -> pl.Series:
    """``text[start:end]`` for each pair, as a polars column."""
    import polars as pl

    return pl.Series([text[s:e] for s, e in zip(start.tolist(), end.tolist())], dtype=pl.String)


def take(values: np.ndarray, i: np.ndarray, fill: int) -> np.ndarray:
    """``values[i]`` where ``0 <= i < len(values)``, else ``fill`` (``values`` may be empty)."""
    import numpy as np

    i = np.asarray(i)
    if not values.size:
        return np.full(i.shape, fill, dtype=values.dtype)
    inside = (i >= 0) & (i < values.size)
    return np.where(inside, values[np.clip(i, 0, values.size - 1)], fill)


def _local(positions: np.ndarray, lo: int, hi: int) -> list[int]:
    import numpy as np

    a, b = np.searchsorted(positions, [lo, hi])
    return (positions[a:b] - lo).tolist()


def _quoted_spans(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    """``context._quoted_spans`` of every plan: a mark, its closing mark within 30 characters."""
    import numpy as np

    opens = np.flatnonzero(b.flags & scan.OPENING)
    if not opens.size:
        return opens, opens
    opening = b.points[opens]
    closing = _closing_table()[opening]
    window = b.points[opens[:, None] + np.arange(1, _MAX_QUOTED + 1)]  # the separator stops a span at its plan
    stop = (window == closing[:, None]) | (window == 10) | ((window == opening[:, None]) & (opening[:, None] != 34))
    first = stop.argmax(axis=1)
    closed = stop[np.arange(opens.size), first] & (window[np.arange(opens.size), first] == closing)
    starts, ends = opens[closed], opens[closed] + first[closed] + 2
    kept = scan.non_overlapping(starts, ends)  # an opening inside a span already closed is text, not a mark
    return starts[kept], ends[kept]


class _Window:
    """The characters from each of many positions on, cut at the end of its plan (read as -1)."""

    def __init__(self, b: Batch, pos: np.ndarray, hi: np.ndarray, width: int) -> None:
        import numpy as np

        at = pos[:, None] + np.arange(width)
        inside = at < hi[:, None]
        at = np.minimum(at, b.flags.size - 1)
        self.rows = np.arange(pos.size)
        self.codes = np.where(inside, b.points[at], -1)
        flags = np.where(inside, b.flags[at], 0)
        self.space = ((flags & scan.SPACE) != 0) | (self.codes == 10)
        self.digit = (flags & scan.DIGIT) != 0

    def code(self, col: np.ndarray) -> np.ndarray:
        return self.codes[self.rows, col]

    def is_space(self, col: np.ndarray) -> np.ndarray:
        return self.space[self.rows, col]

    def is_year(self, col: np.ndarray) -> np.ndarray:
        """True where "19"/"20" and two more digits start at column ``col``."""
        first, second = self.code(col), self.code(col + 1)
        century = ((first == 49) & (second == 57)) | ((first == 50) & (second == 48))
        return century & self.digit[self.rows, col + 2] & self.digit[self.rows, col + 3]


@lru_cache(maxsize=1)
def _closing_table() -> np.ndarray:
    """The closing mark of each opening mark, indexed by code point."""
    import numpy as np

    table = np.zeros(max(map(ord, _QUOTE_PAIRS)) + 1, dtype=np.int64)
    for opening, closing in _QUOTE_PAIRS.items():
        table[ord(opening)] = ord(closing)
    return table


def _year_tail(w: _Window, y1: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For a year at column ``y1``: whether a phrase goes on from it, its end, whether it is a range,
    and where the range's second year starts.

    The rest of ``context._YEAR_PHRASE`` after its first year: an optional "-2020" (with an
    optional 年 and spaces), then ``\\s?年`` and an optional 底/末/前/内.
    """
    import numpy as np

    i = y1 + 4
    i = i + w.is_space(i)
    i = i + (w.code(i) == ord("年"))
    i = i + w.is_space(i)
    dash = scan.one_of(w.code(i), _DASHES)
    i = i + 1
    i = i + w.is_space(i)
    second, y2 = dash & w.is_year(i), i
    i = i + 4
    i = i + w.is_space(i)
    ranged = second & (w.code(i) == ord("年"))
    j = y1 + 4
    j = j + w.is_space(j)
    single = w.code(j) == ord("年")
    end = np.where(ranged, i, j) + 1
    end = end + scan.one_of(w.code(end), _POST)
    return ranged | single, end, ranged, y2




def _year_phrases(b: Batch) -> None:
    """Fill the year phrases: ``_YEAR_PHRASE.finditer`` of every plan, then ``context._year_phrases``.

    A phrase is an optional word and space, a year, and what may follow a year ("-2020", 年, 底);
    it starts at most four characters before its first year. So what may follow is read once
    from every year, then the words before it from the few positions before each.
    """
    import numpy as np

    at = _year_starts(b)
    at_hi = b.ends[b.doc_of(at)]
    w = _Window(b, at, at_hi, 20)
    goes_on, tail_end, ranged, y2 = _year_tail(w, np.zeros(at.size, dtype=np.int64))
    years = at[goes_on]
    tried = (at[:, None] - np.arange(4, -1, -1)).ravel()
    lo = np.repeat(b.starts[b.doc_of(at)], 5)
    tried = scan.unique(tried[tried >= lo])
    hi = b.ends[b.doc_of(tried)]
    lead = scan.one_of(b.points[tried], "力争截到至于比较") | (((b.flags[tried] & scan.SPACE) != 0) | (b.points[tried] == 10))
    keep = lead | scan.sorted_member(tried, years)
    tried, hi = tried[keep], hi[keep]
    pw = _Window(b, tried, hi, 5)
    matched = np.zeros(tried.size, dtype=bool)
    y1 = np.zeros(tried.size, dtype=np.int64)
    pre = np.full(tried.size, -1, dtype=np.int64)
    for k, word in enumerate((*_PRE_WORDS, "")):  # the first word after which a phrase goes on wins
        fits = ~matched
        for offset, ch in enumerate(word):
            fits &= pw.codes[:, offset] == ord(ch)
        start = tried + len(word) + pw.space[:, len(word)]
        fits &= scan.sorted_member(start, years)
        y1[fits], pre[fits] = start[fits], (k if word else -1)
        matched |= fits
    tried, y1, pre = tried[matched], y1[matched], pre[matched]
    which = np.searchsorted(at, y1)
    end = y1 + tail_end[which]
    rows = np.flatnonzero(scan.non_overlapping(tried, end))  # finditer: each match starts after the last
    start, y1, pre, end, which = tried[rows], y1[rows], pre[rows], end[rows], which[rows]
    after = b.points[end]
    after = np.where(end < b.ends[b.doc_of(start)], after, -1)
    keep = ~scan.one_of(after, "月度") & ~b.in_quotes(y1, end)
    start, y1, pre, end, which, after = (a[keep] for a in (start, y1, pre, end, which, after))
    ranged = ranged[which]
    first_year = _year_value(b, y1)
    year = np.where(ranged, _year_value(b, y1 + np.where(ranged, y2[which], 0)), first_year)
    base = np.isin(pre, [_PRE_WORDS.index("比"), _PRE_WORDS.index("较")])
    initial = _sentence_initial(b, start) & scan.one_of(after, ", :")
    role = np.where(base, 1, np.where(pre >= 0, 0, np.where(initial, np.where(ranged, 2, 0), 3)))
    b.year_start, b.year_end, b.year, b.year_role = start, end, year, role
    b.year_first = np.where(ranged, first_year, UNKNOWN)


def _year_starts(b: Batch) -> np.ndarray:
    """``scan.year_starts``: where "19" or "20" and two more digits start, read at the digits only."""
    import numpy as np

    d = b.digits
    first, second = b.points[d], b.points[d + 1]
    at = d[((first == 49) & (second == 57)) | ((first == 50) & (second == 48))]
    top = b.flags.size - 1
    third, fourth = b.flags[np.minimum(at + 2, top)], b.flags[np.minimum(at + 3, top)]
    return at[((third & scan.DIGIT) != 0) & ((fourth & scan.DIGIT) != 0)]


def _year_value(b: Batch, pos: np.ndarray) -> np.ndarray:
    """The value of the four digits at each ``pos`` (any Unicode decimal digits, as ``int`` reads them)."""
    import numpy as np

    digits = b.points[pos[:, None] + np.arange(4)]
    if (digits < 128).all():
        values = digits - 48
    else:
        import unicodedata

        values = np.vectorize(lambda c: unicodedata.decimal(chr(c)), otypes=[np.int64])(digits)
    return values @ np.array([1000, 100, 10, 1], dtype=np.int64)


def _sentence_initial(b: Batch, pos: np.ndarray) -> np.ndarray:
    """``context._sentence_initial``: only spaces or tabs since a clause end (or the plan's start)."""
    import numpy as np

    i = pos - 1
    blank = scan.one_of(b.points[np.maximum(i, 0)], " \t") & (i >= 0)
    while blank.any():  # the separator before each plan is a clause end
        i = np.where(blank, i - 1, i)
        blank = scan.one_of(b.points[np.maximum(i, 0)], " \t") & (i >= 0)
    return (i < 0) | ((b.flags[np.maximum(i, 0)] & scan.CLAUSE) != 0)


def _tiers(b: Batch) -> np.ndarray:
    """``context._tiers`` of every line of every plan: headings read from the lines that may open one."""
    import numpy as np
    import polars as pl

    starts = b.line_starts
    lines = np.asarray(_maybe_headed(b), dtype=np.int64)
    tiers = np.full(starts.size, 2, dtype=np.int64)
    if not lines.size:
        return tiers
    line_end = np.where(lines + 1 < starts.size, starts[np.minimum(lines + 1, starts.size - 1)] - 1, len(b.norm))
    begin = starts[lines]
    texts = pl.Series([b.norm[s:e] for s, e in zip(begin.tolist(), np.minimum(line_end, begin + _heading_reach(b, begin)
                                                                               ).tolist())], dtype=pl.String)
    from mfgpolicy.extract.regex import heading_parts, inline_goal

    inline = inline_goal(texts)
    level, label_has_goal = heading_parts(texts, _TIER1_HEADING)
    is_heading = level > 0
    heads, levels, goal = lines[is_heading], level[is_heading], label_has_goal[is_heading]
    if heads.size:
        head_doc = b.doc_of(starts[heads])
        index = np.arange(heads.size)
        headline = np.zeros(heads.size, dtype=bool)
        for lv in (1, 2, 3):  # the label at each level still on the stack after each heading
            last = np.maximum.accumulate(np.where(levels == lv, index, -1))
            cut = np.maximum.accumulate(np.where(levels < lv, index, -1))
            alive = (last >= 0) & (last > cut)
            alive &= head_doc[np.maximum(last, 0)] == head_doc
            headline |= alive & goal[np.maximum(last, 0)]
        every = np.arange(starts.size)
        governing = np.searchsorted(heads, every, side="right") - 1
        same_doc = (governing >= 0) & (head_doc[np.maximum(governing, 0)] == b.doc_of(starts))
        tiers = np.where(same_doc & headline[np.maximum(governing, 0)], 1, 2)
    tiers[lines[inline]] = 1
    return tiers


def _heading_reach(b: Batch, begin: np.ndarray) -> np.ndarray:
    """How much of each line ``_tiers`` reads: 200 characters, as ``context._tiers``; 64 when the spaces and
    the heading mark ("一、", "(二)", "3.") end within 24, since the label is read for 40 more."""
    import numpy as np

    flags = b.flags[np.minimum(begin[:, None] + np.arange(24), b.flags.size - 1)]
    mark = (flags & (scan.SPACE | scan.DIGIT | scan.NUMERAL | scan.HEADING)) != 0  # a mark's last character (、 ) .)
    return np.where(mark.all(axis=1), 200, 64)  # may be outside: then it ends within 24


def _maybe_headed(b: Batch) -> np.ndarray:
    """``context._maybe_headed_lines``: the lines whose first character after spaces may open a heading."""
    import numpy as np

    pos = b.line_starts.copy()
    last = b.flags.size - 1
    spaced = np.flatnonzero((b.flags[np.minimum(pos, last)] & scan.SPACE) != 0)
    for _ in range(8):  # most lines open with no space or a few
        pos[spaced] += 1
        spaced = spaced[(pos[spaced] <= last) & ((b.flags[np.minimum(pos[spaced], last)] & scan.SPACE) != 0)]
    if spaced.size:  # (a line break is not a space: a line of spaces ends at its break)
        solid = np.flatnonzero((b.flags & scan.SPACE) == 0)
        at = np.searchsorted(solid, pos[spaced])
        pos[spaced] = np.where(at < solid.size, solid[np.minimum(at, solid.size - 1)], last + 1)
    found = pos <= last
    return np.flatnonzero(found & ((b.flags[np.minimum(pos, last)] & scan.HEADING) != 0))


def _periods(b: Batch, periods: list[tuple[int, int] | None]) -> None:
    """Fill each plan's period: the one given, else ``infer_period`` from its text and year phrases."""
    import numpy as np

    first, last = [], []
    for k, period in enumerate(periods):
        b.inferred.append(not period)
        if not period:
            lo, hi = int(b.starts[k]), int(b.ends[k])
            y = slice(*np.searchsorted(b.year_start, [lo, hi]))
            years = [YearPhrase(0, 0, year, ROLES[role]) for year, role in
                     zip(b.year[y].tolist(), b.year_role[y].tolist())]
            period = infer_period(b.norm[lo:min(hi, lo + 3000)], years)
        first.append(UNKNOWN if not period or period[0] is None else period[0])
        last.append(UNKNOWN if not period else period[1])
    b.first_year = np.asarray(first, dtype=np.int64)
    b.last_year = np.asarray(last, dtype=np.int64)
