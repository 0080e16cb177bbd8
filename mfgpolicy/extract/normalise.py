"""Decoding plan files and normalising their text for matching, offsets unchanged.

The extractor matches patterns on a *normalised* copy of the text that has exactly the same
length as the original: traditional characters become simplified (OpenCC ``t2s``, one character
at a time), full-width ASCII becomes ASCII, the ideographic space a space. An offset found in the
normalised copy is therefore an offset into the original text.

Both foldings are one code-point lookup table (``code_point_table``), filled from OpenCC's own
answer for each character its dictionaries know (once per process, when a text first holds it),
and applied to a whole text at once with numpy.
"""

from __future__ import annotations

import codecs
from functools import lru_cache
from typing import TYPE_CHECKING

from mfgpolicy.extract.errors import ExtractError

if TYPE_CHECKING:
    import numpy as np

_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x301C: ord("~"), 0x2236: ord(":"), 0x2030: ord("%")})

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@lru_cache(maxsize=1)
def _converter() -> object:
    """Return the OpenCC traditional-to-simplified converter (built once)."""
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplify_char(ch: str) -> str:
    """Return the simplified form of one character (itself when OpenCC would change the length).

    Examples
    --------
    >>> simplify_char("萬"), simplify_char("爭"), simplify_char("a")
    ('万', '争', 'a')
    """
    if ch < "\u2e80":  # no traditional characters below the CJK radicals block
        return ch
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


@lru_cache(maxsize=1)
def _table() -> tuple[np.ndarray, np.ndarray]:
    """Return the lookup table with the width folding in, and which characters OpenCC has yet to be
    asked about (the keys of its ``t2s`` dictionaries: only those can change)."""
    import numpy as np

    table = np.arange(0x110000, dtype=np.uint32)
    for cp, folded in _WIDTH.items():
        table[cp] = folded
    unasked = np.zeros(0x110000, dtype=bool)
    converter = _converter()
    converter.convert("")  # loads the dictionaries
    for _, _, mapping in converter.dict_cache.values():
        for key in mapping:
            if len(key) == 1 and ord(key) not in _WIDTH:  # width folding wins: it is applied first
                unasked[ord(key)] = True
    return table, unasked


def code_point_table(points: np.ndarray | None = None) -> np.ndarray:
    """Return the normalisation as a lookup table: ``table[ord(ch)]`` is ``ord`` of the folded ``ch``.

    Width folding wins over simplification (it is applied first); every other character maps to
    ``simplify_char`` of itself. OpenCC is asked about a character once per process, when a text
    first holds it (``points``: the text's code points), or about all of them (about 4,000) when
    ``points`` is not given.

    Examples
    --------
    >>> table = code_point_table()
    >>> chr(table[ord("萬")]), chr(table[ord("，")]), chr(table[ord("a")]), table.size
    ('万', ',', 'a', 1114112)
    """
    import numpy as np

    table, unasked = _table()
    if points is None:
        ask = set(np.flatnonzero(unasked).tolist())
    elif (pending := unasked[points]).any():
        ask = set(points[pending].tolist())  # (np.unique would import numpy.ma: 50 ms)
    else:
        return table
    for cp in sorted(ask):
        table[cp] = ord(simplify_char(chr(cp)))
        unasked[cp] = False
    return table


def normalise(text: str) -> str:
    """Return ``text`` simplified and width-folded, with exactly the same length.

    Examples
    --------
    >>> normalise("力爭到２０２３年，規上工業畝均稅收２２萬元")
    '力争到2023年,规上工业亩均税收22万元'
    >>> len(normalise("臺")) == 1
    True
    """
    if text.isascii():
        return text
    return normalised_points(text)[1]


def normalised_points(text: str) -> tuple[np.ndarray, str]:
    """Return the code points of ``normalise(text)`` (``uint32``) and the normalised text itself.

    >>> points, norm = normalised_points("萬元")
    >>> points.tolist(), norm
    ([19975, 20803], '万元')
    """
    import numpy as np

    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if text.isascii():
        return points, text
    folded = code_point_table(points)[points]
    return folded, folded.tobytes().decode("utf-32-le", "surrogatepass")


def decode(data: bytes, source: str = "<bytes>", encoding: str | None = None) -> tuple[str, str]:
    """Decode a plan's bytes; return ``(text, encoding)``.

    With ``encoding`` given, decode strictly with it. Otherwise try UTF-8 (as the curated offsets
    assume: a BOM stays in the text as character 0), UTF-16/32 when a BOM says so, then GB18030
    (a superset of GBK and GB2312). Raise ``ExtractError`` naming ``source`` when nothing fits or
    the bytes are binary.

    Examples
    --------
    >>> decode("到2020年".encode("gbk"))
    ('到2020年', 'gb18030')
    >>> decode(b"abc", encoding="utf-8")
    ('abc', 'utf-8')
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ExtractError(source, f"unknown encoding {encoding!r}") from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise ExtractError(source, f"not valid {encoding} at byte {exc.start}: {exc.reason}") from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise ExtractError(source, f"has a {name} byte-order mark but is not valid {name} "
                                           f"at byte {exc.start}") from None
    if b"\x00" in data:
        raise ExtractError(source, "contains NUL bytes: a binary file, not a plan's text "
                                   "(UTF-16 without a byte-order mark? name it with --encoding utf-16)")
    for name in ("utf-8", "gb18030"):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    raise ExtractError(source, "is neither UTF-8 nor GB18030/GBK text; name the encoding with --encoding")
