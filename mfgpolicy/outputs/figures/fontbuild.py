"""Build the figures' font: Noto Sans CJK SC from ``mplfonts``, with TrueType outlines, for Type 42 PDFs.

Why: matplotlib's PDF backend embeds a font as Type 42 (``pdf.fonttype = 42``) only from TrueType
(``glyf``) outlines; given the CFF-flavoured OpenType Noto Sans CJK SC it writes the CFF data as
a TrueType font file, which viewers render wrongly, so the figures used Type 3, which journals'
checks reject. This module converts the font once, at development time, and the result ships in
the package (``fonts/``), so figures need nothing but the wheel and take no time to set up.

What: the glyphs of GB 2312 (every simplified character in common use), Big5 level 1 (common
traditional characters), Latin, punctuation, arrows and mathematical operators, fullwidth forms,
and every character of the project's curated and raw data and of the figures' own labels; the
cubic outlines approximated by quadratic ones within 1 unit of 1000 (``fontTools.cu2qu``); no
hinting; the metrics unchanged, so text lays out exactly as with the original. The family is
renamed ("Noto Sans CJK SC TT") so no system copy of the original is picked instead; the SIL
Open Font License (``fonts/OFL.txt``) allows the conversion and reserves only the name "Source".
A character outside the set falls back to another TrueType font (``style.FALLBACK_FAMILY``).

Run ``python -m mfgpolicy.outputs.figures.fontbuild`` (``make font``) after a change to the data
brings a character the font lacks (``missing`` lists them); the output is byte-identical run to run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
OUTPUT = FONT_DIR / "NotoSansCJKscTT-Regular.ttf"
SOURCE_FILE = "NotoSansCJKsc-Regular.otf"
FAMILY = "Noto Sans CJK SC TT"
POSTSCRIPT = "NotoSansCJKscTT-Regular"
BLOCKS = ((0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2100, 0x214F), (0x2190, 0x21FF),
          (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x3000, 0x303F),
          (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def source_path() -> Path:
    """Return the path of Noto Sans CJK SC (CFF outlines) inside the installed ``mplfonts``."""
    import importlib.util

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the PyPI package mplfonts (which ships Noto Sans CJK SC) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / SOURCE_FILE


def _double_byte(codec: str, leads: range, trails: Iterable[int]) -> set[int]:
    chars = set()
    trails = list(trails)
    for lead in leads:
        for trail in trails:
            try:
                chars.update(map(ord, bytes([lead, trail]).decode(codec)))
            except UnicodeDecodeError:
                pass
    return chars


def charset(root: Path | None = None) -> set[int]:
    """Return the code points the font keeps: the blocks, GB 2312, Big5 level 1, the data's and labels' characters."""
    chars = {c for lo, hi in BLOCKS for c in range(lo, hi + 1)}
    chars |= _double_byte("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    chars |= _double_byte("big5", range(0xA1, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    chars |= {ord(c) for c in _project_text(root)}
    return {c for c in chars if c >= 0x20 and not 0xD800 <= c <= 0xDFFF}


def _project_text(root: Path | None) -> str:
    from mfgpolicy.outputs.figures import style

    parts = [str(v) for table in (style.LABELS, style.SCOPES, style.DOMAINS) for d in table.values()
             for v in d.values()]
    parts += list(style.CITY_ZH.values()) + list(style.UNITS_EN.values())
    if root is not None:
        for pattern in ("data/curated/*.csv", "data/raw/*.txt", "data/raw/*.meta.yml"):
            parts += [p.read_text(encoding="utf-8") for p in sorted(root.glob(pattern))]
    return "".join(parts)


def build(out: Path = OUTPUT, root: Path | None = None) -> Path:
    """Convert the ``mplfonts`` Noto Sans CJK SC to TrueType outlines for :func:`charset`; write it to ``out``."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(source_path(), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features, options.name_IDs, options.name_languages = [], ["*"], ["*"]
    options.notdef_outline, options.hinting, options.glyph_names = True, False, False
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "GSUB", "GPOS", "GDEF", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=charset(root))
    subsetter.subset(font)

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 3.0, [], {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    _rename(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    font.save(tmp, reorderTables=True)
    tmp.replace(out)
    return out


def _rename(font) -> None:
    name = font["name"]
    full = f"{FAMILY} Regular"
    for record in list(name.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (3, 4):
            record.string = full
        elif record.nameID == 6:
            record.string = POSTSCRIPT
        elif record.nameID == 2 or record.nameID == 17:
            record.string = "Regular"
    name.setName("Converted to TrueType outlines (GB 2312, Big5 level 1 and the data's characters) by mfgpolicy "
                 "from Noto Sans CJK SC as shipped by mplfonts.", 10, 3, 1, 0x409)


# The curated columns a figure draws (names, populations, hedges, units); quotes are shown in tables.
DRAWN_COLUMNS = ("name_zh", "name_en", "scope", "hedge", "unit", "indicator_zh", "place", "city")


def missing(root: Path, font: Path = OUTPUT) -> list[str]:
    """Return the characters figures draw (labels, and the curated columns in ``DRAWN_COLUMNS``) that ``font`` lacks.

    Such a character would still be drawn, by the TrueType fallback, but in another face: run
    ``make font``. Characters only in quotes or raw texts are not checked (tables show them).
    """
    import csv

    from fontTools.ttLib import TTFont

    text = _project_text(None)
    for path in sorted((root / "data" / "curated").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text += "".join(v or "" for k, v in row.items() if k in DRAWN_COLUMNS)
    cmap = TTFont(font, lazy=True).getBestCmap()
    return sorted({c for c in text if ord(c) >= 0x20 and ord(c) not in cmap and not c.isspace()})


if __name__ == "__main__":
    here = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    print(build(root=here))
