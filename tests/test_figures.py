"""Figures: each renders in English and Chinese without warnings, byte-identical when rendered again."""

from __future__ import annotations

import argparse
import io
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
import pytest

from mfgpolicy import schema
from mfgpolicy.catalog import connect, in_memory, views
from mfgpolicy.catalog.views import HEADLINE_KEYS
from mfgpolicy.outputs.figures import annex, headline, marks, registry, save, style
from tests.conftest import PROJECT

LANGS = ("en", "zh")
FORMATS = ("pdf", "png", "svg")
CASES = [(name, lang) for name in registry.FIGURES for lang in LANGS]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def strict() -> Iterator[None]:
    """Turn every warning into an error and fail on any matplotlib log warning (findfont …)."""
    handler = _Records()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
    finally:
        logger.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]


def render(con, name: str, lang: str, out: Path) -> tuple[object, dict[str, bytes]]:
    with strict():
        fig = registry.figure_function(name)(con, lang=lang)
        files = save.save_figure(fig, registry.figure_stem(name, lang), out, formats=FORMATS)
    return fig, {f.suffix[1:]: f.read_bytes() for f in files}


@pytest.fixture(scope="module")
def con():
    return connect()


@pytest.fixture(scope="module")
def first_render(con, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("figures")
    return {case: render(con, *case, out) for case in CASES}


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_each_figure_renders_in_both_languages_without_warnings(first_render: dict, name: str, lang: str) -> None:
    from matplotlib.figure import Figure

    fig, files = first_render[(name, lang)]
    assert isinstance(fig, Figure)
    assert set(files) == set(FORMATS) and all(len(data) > 1000 for data in files.values())
    assert files["png"].startswith(b"\x89PNG") and files["pdf"].startswith(b"%PDF")


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_each_figure_carries_a_source_line_naming_documents(con, first_render: dict, name: str, lang: str) -> None:
    fig, _ = first_render[(name, lang)]
    line = marks.figure_source(fig)
    assert line is not None
    assert line.startswith("Source: " if lang == "en" else "来源：")
    from mfgpolicy.versions import data_version

    assert line.replace("\n", " ").endswith(data_version())  # every figure names the data version
    doc_ids = [r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()]
    assert any(d in line for d in doc_ids)


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_rendering_twice_gives_byte_identical_files(con, first_render: dict, tmp_path: Path,
                                                    name: str, lang: str) -> None:
    _, again = render(con, name, lang, tmp_path)
    _, first = first_render[(name, lang)]
    for fmt in FORMATS:
        assert again[fmt] == first[fmt], f"{name} {lang} {fmt} differs between two renderings"


def test_another_process_with_another_hash_seed_writes_the_same_bytes(first_render: dict, tmp_path: Path) -> None:
    code = ("import sys, mfgpolicy; from mfgpolicy.outputs.figures.save import write_all; "
            "write_all(sys.argv[1], ('en', 'zh'), con=mfgpolicy.connect(), only=['headline'], "
            "formats=('pdf', 'png', 'svg'))")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, env=env, capture_output=True)
    for lang in LANGS:
        _, first = first_render[("headline", lang)]
        for fmt in FORMATS:
            data = (tmp_path / f"{registry.figure_stem('headline', lang)}.{fmt}").read_bytes()
            assert data == first[fmt], f"headline {lang} {fmt} differs across processes"


def test_files_carry_no_timestamps_or_software_versions(first_render: dict) -> None:
    _, files = first_render[("timelines", "en")]
    assert b"CreationDate" not in files["pdf"] and b"Producer" not in files["pdf"]
    assert b"Software" not in files["png"]
    assert b"<dc:date>" not in files["svg"]
    from PIL import Image

    dpi = Image.open(io.BytesIO(files["png"])).info["dpi"]
    assert round(dpi[0]) == 300


def test_missing_glyphs_would_be_caught() -> None:
    """The warning the strict renders guard against does fire for a glyph the font lacks."""
    with style.house_style():
        fig = marks.new_figure(style.SINGLE, 1.0)
        fig.text(0.1, 0.5, "\U0001F600")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.savefig(io.BytesIO(), format="png", dpi=50)


def test_the_font_is_the_packaged_truetype_noto_sans_cjk_sc() -> None:
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    path = style.register_fonts()
    assert path.name == "NotoSansCJKscTT-Regular.ttf" and path.parent.name == "fonts"
    assert "glyf" in TTFont(path, lazy=True) and "CFF " not in TTFont(path, lazy=True)
    with style.house_style():
        found = font_manager.findfont(font_manager.FontProperties(family=style.FONT_FAMILY))
    assert Path(found) == path


def test_the_font_has_every_character_of_the_data() -> None:
    from mfgpolicy.outputs.figures import fontbuild

    assert fontbuild.missing(PROJECT.root) == [], "run `make font` to add them"


def _pdf_font_types(data: bytes) -> list[bytes]:
    """The /Subtype of every font dictionary of a PDF written by matplotlib (no object streams)."""
    import re

    return re.findall(rb"/Type\s*/Font\b[^>]*?/Subtype\s*/(\w+)", data) + re.findall(
        rb"/Subtype\s*/(\w+)[^>]*?/Type\s*/Font\b", data)


def _pdffonts_types(path: Path) -> list[str] | None:
    import shutil

    if shutil.which("pdffonts") is None:
        return None
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line[37:55].strip() for line in out.splitlines()[2:]]


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_pdfs_embed_truetype_fonts_never_type3(first_render: dict, tmp_path: Path, name: str, lang: str) -> None:
    _, files = first_render[(name, lang)]
    types = _pdf_font_types(files["pdf"])
    assert types and b"Type3" not in types and set(types) <= {b"Type0", b"CIDFontType2", b"TrueType"}, types
    assert b"/FontFile2" in files["pdf"] and b"/FontFile3" not in files["pdf"]
    (tmp_path / "f.pdf").write_bytes(files["pdf"])
    shown = _pdffonts_types(tmp_path / "f.pdf")
    if shown is not None:  # poppler-utils installed (.ci/run installs it)
        assert shown and all(t in ("CID TrueType", "TrueType") for t in shown), shown


def test_committed_pdfs_have_no_type3_font() -> None:
    pdfs = sorted((PROJECT.root / "figures").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        types = _pdf_font_types(pdf.read_bytes())
        assert types and b"Type3" not in types, (pdf.name, types)
        shown = _pdffonts_types(pdf)
        assert shown is None or "Type 3" not in shown, (pdf.name, shown)


def test_headline_draws_floors_as_floors_and_lists_cities_without_a_rate(con) -> None:
    from matplotlib.patches import FancyArrowPatch

    data = headline.headline_data(con)
    fig = headline.fig_headline(data, lang="en")
    axes = fig.axes[:len(HEADLINE_KEYS)]
    texts = [t.get_text() for ax in axes for t in ax.texts]
    arrows = [p for ax in axes for p in ax.patches if isinstance(p, FancyArrowPatch)]
    rated = data.filter(pl.col("annualised_pct").is_not_null())
    assert len(arrows) == rated.filter(pl.col("bound").is_in(["floor", "ceiling"])).height
    unrated = data.filter(pl.col("annualised_pct").is_null())
    assert sum("no target" in t for t in texts) == unrated.filter(pl.col("target_id").is_null()).height
    assert sum("level only" in t.replace("\n", " ") for t in texts) == unrated.filter(
        pl.col("target_id").is_not_null() & (pl.col("kind") == "level")).height
    assert sum(t.startswith("~") for t in texts) == rated.filter(pl.col("bound") == "about").height


def test_figures_take_frames_too(con) -> None:
    frame = annex.annex_data(con)
    assert frame.height and (frame["doc_id"] == "ningbo-2016").all()
    fig = annex.fig_annex(frame.head(3), lang="zh")
    from mfgpolicy.versions import data_version

    assert marks.figure_source(fig) == f"来源：ningbo-2016；mfgpolicy 数据 {data_version()}"


def test_figures_render_when_most_targets_are_missing() -> None:
    sparse = in_memory(PROJECT)
    sparse.execute("DELETE FROM targets WHERE doc_id <> 'yuyao-2018'")
    views.create_views(sparse, {t: sparse.sql(f"SELECT * FROM {t}").pl() for t in schema.CURATED})
    for name in registry.FIGURES:
        with strict():
            fig = registry.figure_function(name)(sparse, lang="zh")
            fig.savefig(io.BytesIO(), format="png", dpi=40)
        assert marks.figure_source(fig), name


def test_source_line_lists_documents_in_plan_order(con) -> None:
    from mfgpolicy.versions import data_version

    version = data_version()
    line = marks.source_line(con, ["ningbo-2022", "yuyao-2018", None, "ningbo-2016"])
    assert line == f"Source: ningbo-2016, yuyao-2018, ningbo-2022; mfgpolicy data {version}"
    assert marks.source_line(con, ["yuyao-2018"], lang="zh") == f"来源：yuyao-2018；mfgpolicy 数据 {version}"


def test_city_colours_are_fixed_and_distinct() -> None:
    assert list(style.CITY_COLOURS) == list(style.CITY_ORDER)
    assert len(set(style.CITY_COLOURS.values())) == len(style.CITY_COLOURS)
    assert set(style.CITY_COLOURS.values()) <= set(style.OKABE_ITO.values())


def test_cli_lists_the_registry_and_writes_the_files(tmp_path: Path) -> None:
    from mfgpolicy.cli import outputs

    parser = argparse.ArgumentParser(prog="mfgpolicy")
    outputs.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["figures", "--only", "timelines", "--lang", "en", "--out", str(tmp_path)])
    assert args.func(args) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig2_timelines_en.pdf", "fig2_timelines_en.png"]
    with pytest.raises(SystemExit):
        parser.parse_args(["figures", "--only", "nonesuch"])


def test_importing_the_package_and_the_cli_module_does_not_import_matplotlib() -> None:
    code = ("import sys, mfgpolicy, mfgpolicy.cli, mfgpolicy.outputs.figures, mfgpolicy.outputs.figures.style; "
            "mfgpolicy.cli.build_parser(); print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"
