"""Where a number stands in its document: clause, sentence, paragraph, section, years.

``Doc`` indexes a plan's normalised text once (boundaries, quoted spans, year phrases, section
headings) so that every question the rules ask about a position is a binary search, and
extraction stays linear in the length of the text, however long its lines. The boundaries are
found with one lookup of every code point in a table of character classes (numpy), not a loop
over the characters.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mfgpolicy.extract import scan
from mfgpolicy.extract.scan import CLAUSE_END, SENTENCE_END

__all__ = ["CLAUSE_END", "MAX_CONTEXT", "SENTENCE_END", "Doc", "YearPhrase", "infer_period"]

MAX_CONTEXT = 300
"""How far (characters) any rule looks back or ahead; keeps very long lines linear."""

_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉", '"': '"'}
_MAX_QUOTED = 30
_QUOTE_STOP = {
    opening: re.compile("[" + re.escape(close + "\n" + (opening if close != '"' else "")) + "]")
    for opening, close in _QUOTE_PAIRS.items()
}
"""Where the scan for a quote's closing mark stops: the mark, a line break, or the same opening mark."""

_YEAR_PHRASE = re.compile(
    r"(?P<pre>力争到|争取到|力争|争取|截至|截止到|截止|到|至|于|比|较)?\s?"
    r"(?P<y1>(?:19|20)\d{2})(?:\s?年?\s?[-~—–至到]\s?(?P<y2>(?:19|20)\d{2}))?\s?年(?P<post>底|末|前|内)?"
)
_YEAR_LEAD = 4
"""At most this many characters (a 3-character 力争到, one space) stand before a phrase's year."""
_LEAD_FIRST = frozenset("力争截到至于比较")
"""The first characters of the words that may stand before a phrase's year."""
_HEADING = re.compile(r"\s*(?:(?P<l1>[一二三四五六七八九十]+、)|(?P<l2>\([一二三四五六七八九十]+\))|(?P<l3>\d+[.、](?!\d)))")
_TIER1_HEADING = "目标"
_PERIOD_IN_TITLE = re.compile(r"\((?P<y1>(?:19|20)\d{2})\s?[-~—–至到]\s?(?P<y2>(?:19|20)\d{2})年?\)")
_ONE_YEAR_TITLE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:度)?(?:工作要点|工作计划|行动计划|实施计划)")


class YearPhrase(NamedTuple):
    """A year written in the text ("到2020年", "2022年,", "比2015年", "2022-2024年")."""

    start: int
    end: int
    year: int
    role: str
    """``target`` (到/至 …, or a sentence-initial year), ``base`` (比/较), ``range`` or ``other``."""
    first: int | None = None


@dataclass
class Doc:
    """A plan's text, its normalised copy and the indexes the rules use."""

    text: str
    norm: str
    period: tuple[int | None, int] | None = None
    sentence_ends: list[int] = field(default_factory=list)
    clause_ends: list[int] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)
    quoted: list[tuple[int, int]] = field(default_factory=list)
    years: list[YearPhrase] = field(default_factory=list)
    year_starts: list[int] = field(default_factory=list)
    year_ends: list[int] = field(default_factory=list)
    target_years: list[YearPhrase] = field(default_factory=list)
    target_year_ends: list[int] = field(default_factory=list)
    tier_of_line: list[int] = field(default_factory=list)
    flags: Any = None
    """The ``scan.classes`` of every character of ``norm`` (a numpy array)."""
    _starts: dict[tuple[int, int], int] = field(default_factory=dict, repr=False, compare=False)
    """Clause and sentence starts already looked up: the rules ask each several times."""

    @classmethod
    def build(cls, text: str, norm: str, period: tuple[int, int] | None = None) -> Doc:
        """Index ``norm`` (the normalised ``text``)."""
        import numpy as np

        doc = cls(text, norm)
        points = scan.code_points(norm)
        doc.flags = flags = scan.flags_of(points)
        doc.sentence_ends = np.flatnonzero(flags & scan.SENTENCE).tolist()
        doc.clause_ends = np.flatnonzero(flags & scan.CLAUSE).tolist()
        doc.line_starts = [0, *(np.flatnonzero(flags & scan.LINE) + 1).tolist()]
        doc.quoted = _quoted_spans(norm, np.flatnonzero(flags & scan.OPENING).tolist())
        doc.years = _year_phrases(norm, doc, scan.year_starts(norm, points, flags))
        doc.year_starts = [y.start for y in doc.years]
        doc.year_ends = [y.end for y in doc.years]
        doc.target_years = [y for y in doc.years if y.role in ("target", "range")]
        doc.target_year_ends = [y.end for y in doc.target_years]
        doc.tier_of_line = _tiers(norm, doc.line_starts, _maybe_headed_lines(doc.line_starts, flags))
        doc.period = period or infer_period(norm, doc.years)
        return doc

    @property
    def first_year(self) -> int | None:
        """First year of the plan period (None when unknown)."""
        return self.period[0] if self.period else None

    @property
    def last_year(self) -> int | None:
        """Last year of the plan period (None when unknown)."""
        return self.period[1] if self.period else None

    @property
    def one_year_plan(self) -> bool:
        """True for a one-year plan (a year's work points)."""
        return self.period is not None and self.period[0] == self.period[1]

    # -- boundaries -------------------------------------------------------------------------
    def _before(self, ends: list[int], pos: int) -> int:
        i = bisect_left(ends, pos) - 1
        start = ends[i] + 1 if i >= 0 else 0
        return max(start, pos - MAX_CONTEXT)

    def _after(self, ends: list[int], pos: int) -> int:
        i = bisect_left(ends, pos)
        end = ends[i] if i < len(ends) else len(self.norm)
        return min(end, pos + MAX_CONTEXT)

    def clause_start(self, pos: int) -> int:
        """Start of the clause (after , ; 。 : or a line break) holding ``pos``."""
        found = self._starts.get((0, pos))
        if found is None:
            found = self._starts[0, pos] = self._before(self.clause_ends, pos)
        return found

    def clause_end(self, pos: int) -> int:
        """End of the clause holding ``pos`` (the offset of its closing punctuation)."""
        return self._after(self.clause_ends, pos)

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence (after 。 ; ! ? or a line break) holding ``pos``."""
        found = self._starts.get((1, pos))
        if found is None:
            found = self._starts[1, pos] = self._before(self.sentence_ends, pos)
        return found

    def sentence_end(self, pos: int) -> int:
        """End of the sentence holding ``pos``."""
        return self._after(self.sentence_ends, pos)

    def item_start(self, pos: int) -> int:
        """Start of the list item (after 、, or the clause start) holding ``pos``."""
        clause = self.clause_start(pos)
        return max(clause, self.norm.rfind("、", clause, pos) + 1)

    def line_index(self, pos: int) -> int:
        """Index of the line holding ``pos``."""
        return bisect_right(self.line_starts, pos) - 1

    def line_start(self, pos: int) -> int:
        """Offset of the first character of the line holding ``pos``."""
        return self.line_starts[self.line_index(pos)]

    # -- questions ----------------------------------------------------------------------------
    def in_quotes(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies inside a short quoted span (a label such as “3511”)."""
        i = bisect_right(self.quoted, (start, len(self.norm))) - 1
        return i >= 0 and self.quoted[i][0] < start and end <= self.quoted[i][1]

    def tier(self, pos: int) -> int:
        """1 for a headline goal (under a heading with 目标, or a "发展目标:" paragraph), else 2."""
        return self.tier_of_line[self.line_index(pos)]

    def years_before(self, pos: int, since: int) -> list[YearPhrase]:
        """Year phrases ending in ``[since, pos]``, nearest last."""
        lo, hi = bisect_left(self.year_ends, since), bisect_right(self.year_ends, pos)
        return self.years[lo:hi]

    def last_target_year(self, pos: int, since: int) -> YearPhrase | None:
        """The nearest target-year phrase ("到2020年", "2022年,") ending in ``[since, pos]``."""
        i = bisect_right(self.target_year_ends, pos) - 1
        if i >= 0 and self.target_years[i].end >= since:
            return self.target_years[i]
        return None

    def year_phrase_at(self, pos: int) -> YearPhrase | None:
        """The year phrase covering ``pos``, if any."""
        i = bisect_right(self.year_starts, pos) - 1
        if i >= 0 and self.years[i].start <= pos < self.years[i].end:
            return self.years[i]
        return None


def _quoted_spans(norm: str, openings: list[int] | None = None) -> list[tuple[int, int]]:
    """Return the short quoted spans ``(open, close)`` of the text, on one line each.

    A span closes at its closing mark within ``_MAX_QUOTED`` characters, before any line break
    and before the same opening mark again; the scan goes on after it. ``openings`` are the
    offsets of every opening mark (found here when not given).

    Examples
    --------
    >>> _quoted_spans("“3511”工程、《规划》和“未闭合\\n")
    [(0, 6), (9, 13)]
    """
    if openings is None:
        openings = [i for i, ch in enumerate(norm) if ch in _QUOTE_PAIRS]
    spans = []
    n, resume = len(norm), 0
    for i in openings:
        if i < resume:
            continue
        opening = norm[i]
        stop = _QUOTE_STOP[opening].search(norm, i + 1, min(n, i + 1 + _MAX_QUOTED))
        if stop is not None and stop.group() == _QUOTE_PAIRS[opening]:
            spans.append((i, stop.end()))
            resume = stop.end()
    return spans


def _year_phrase_matches(norm: str, starts: list[int] | None = None) -> list[re.Match[str]]:
    """Return what ``_YEAR_PHRASE.finditer(norm)`` returns, trying only near the years.

    A phrase starts at most ``_YEAR_LEAD`` characters before its year (``starts``: where every
    "19xx"/"20xx" starts), on a word of ``_LEAD_FIRST`` or a space, or at the year itself; so
    the positions tried, in order and after the last match as ``finditer`` does, are those.

    >>> [m.group() for m in _year_phrase_matches("力争到2020年,比2015年 1920192019年")]
    ['力争到2020年', '比2015年', '2019年']
    """
    if starts is None:
        starts = scan.year_starts(norm, scan.code_points(norm), scan.classes(norm))
    out: list[re.Match[str]] = []
    end, tried = 0, -1
    for at in starts:
        for pos in range(max(at - _YEAR_LEAD, end, tried + 1), at + 1):
            tried = pos
            if pos < at and norm[pos] not in _LEAD_FIRST and not norm[pos].isspace():
                continue
            if m := _YEAR_PHRASE.match(norm, pos):
                out.append(m)
                end = m.end()
                break
    return out


def _year_phrases(norm: str, doc: Doc, starts: list[int] | None = None) -> list[YearPhrase]:
    phrases = []
    for m in _year_phrase_matches(norm, starts):
        after = norm[m.end():m.end() + 1]
        if after in ("月", "度") or doc.in_quotes(m.start("y1"), m.end()):
            continue
        pre = m.group("pre") or ""
        year = int(m.group("y2") or m.group("y1"))
        first = int(m.group("y1")) if m.group("y2") else None
        if pre in ("比", "较"):
            role = "base"
        elif pre:
            role = "target"
        elif _sentence_initial(norm, m.start()) and after in (",", " ", ":"):
            role = "range" if first else "target"
        else:
            role = "other"
        phrases.append(YearPhrase(m.start(), m.end(), year, role, first))
    return phrases


def _sentence_initial(norm: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and norm[i] in " \t":
        i -= 1
    return i < 0 or norm[i] in SENTENCE_END + ",:"


_INLINE_GOAL = re.compile(r"\s*(?:发展目标|主要目标|总体目标|攻坚目标|目标任务)[:]")
_LABEL_END = re.compile(r"[。:]")


def _maybe_headed_lines(line_starts: list[int], flags: Any) -> list[int]:
    """Return the lines whose first character after spaces may open a heading or an inline goal."""
    import numpy as np

    solid = np.flatnonzero((flags & scan.SPACE) == 0)
    at = np.searchsorted(solid, np.asarray(line_starts))
    found = at < solid.size
    maybe = (flags[solid[at[found]]] & scan.HEADING) != 0
    return np.flatnonzero(found)[maybe].tolist()


def _tiers(norm: str, line_starts: list[int], candidates: list[int] | None = None) -> list[int]:
    """Return the tier of every line from the section headings above it.

    Only ``candidates``, the lines that may open with a heading or an inline "发展目标:", are
    read (all lines when not given); the tier holds from one heading to the next.

    Examples
    --------
    >>> text = "一、发展目标\\n到2020年\\n二、重点任务\\n主要目标:x\\n"
    >>> _tiers(text, [0, *(i + 1 for i, ch in enumerate(text) if ch == "\\n")])
    [1, 1, 2, 1, 2]
    """
    tiers = [2] * len(line_starts)
    stack: dict[int, str] = {}
    headline, since, last = False, 0, len(line_starts) - 1
    lines = range(len(line_starts)) if candidates is None else candidates
    inline = []
    for k in lines:
        start = line_starts[k]
        end = line_starts[k + 1] - 1 if k < last else len(norm)
        text = norm[start:min(end, start + 200)]
        if _INLINE_GOAL.match(text):
            inline.append(k)
        m = _HEADING.match(text)
        if not m:
            continue
        if headline:
            tiers[since:k] = [1] * (k - since)
        level = 1 if m.group("l1") else 2 if m.group("l2") else 3
        label = _LABEL_END.split(text[m.end():], maxsplit=1)[0][:40]
        stack = {lv: lab for lv, lab in stack.items() if lv < level}
        stack[level] = label
        headline = any(_TIER1_HEADING in label for label in stack.values())
        since = k
    if headline:
        tiers[since:] = [1] * (len(tiers) - since)
    for k in inline:
        tiers[k] = 1
    return tiers


def infer_period(norm: str, years: list[YearPhrase]) -> tuple[int | None, int] | None:
    """Guess the plan period when no sidecar gives it; the first year may stay unknown (None).

    A one-year title ("2018年工作要点") gives that year; else the most common target year
    ("到2020年") is the end, and a title range ending there ("(2018-2020年)") the start.

    Examples
    --------
    >>> infer_period("方案(2018-2020年)\\n", [YearPhrase(0, 0, 2020, "target")])
    (2018, 2020)
    >>> infer_period("到2020年,新增10家。", [YearPhrase(0, 7, 2020, "target")])
    (None, 2020)
    """
    head = norm[:3000]
    if m := _ONE_YEAR_TITLE.search(head):
        return int(m.group("y")), int(m.group("y"))
    targets = [y.year for y in years if y.role == "target"]
    ranges = [(int(m.group("y1")), int(m.group("y2"))) for m in _PERIOD_IN_TITLE.finditer(head)]
    if targets:
        end = max(set(targets), key=lambda y: (targets.count(y), -y))
        return next((a for a, b in ranges if b == end), None), end
    if ranges:
        return ranges[0]
    return None
