"""Where the quotes stand in a plan's text: the text cut into pieces at every quote's ends.

Quotes may overlap or coincide (two targets stated by one sentence), so marks cannot simply be
nested: the text is cut at every start and end, and each piece knows which quotes cover it and
which begin at it (where their anchors go).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

KINDS = ("target", "baseline", "link", "span")
"""What a marked quote is: a target, a baseline, the name of a parent plan, the years of the plan's effort."""


@dataclass(frozen=True, order=True)
class Span:
    """One quote in a text: ``text[start:end]``, anchored by the HTML id ``anchor``."""

    start: int
    end: int
    anchor: str
    kind: str
    label: str
    """One line saying what the quote is (shown when the pointer rests on it)."""


@dataclass(frozen=True)
class Piece:
    """A stretch of text, the spans covering it and the spans that begin at its start."""

    text: str
    covering: tuple[Span, ...]
    starting: tuple[Span, ...]


def pieces(text: str, spans: Sequence[Span]) -> list[Piece]:
    """Return ``text`` cut at every start and end of ``spans``, in order; joined they give ``text``.

    Examples
    --------
    >>> cut = pieces("abcdef", [Span(1, 4, "x", "target", ""), Span(2, 4, "y", "target", "")])
    >>> [(p.text, [s.anchor for s in p.covering]) for p in cut]
    [('a', []), ('b', ['x']), ('cd', ['x', 'y']), ('ef', [])]
    """
    spans = sorted(s for s in spans if 0 <= s.start < s.end <= len(text))
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in pairwise(cuts):
        covering = tuple(s for s in spans if s.start <= a and b <= s.end)
        starting = tuple(s for s in spans if s.start == a)
        out.append(Piece(text[a:b], covering, starting))
    return out
