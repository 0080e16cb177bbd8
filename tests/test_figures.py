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

from mfgpolicy.catalog import connect
from mfgpolicy.catalog.views import HEADLINE_KEYS
from mfgpolicy.outputs.figures import annex, headline, marks, registry, save, style
from tests.conftest import PROJECT, catalog_with

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


def test_the_font_has_every_character_figures_draw() -> None:
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


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_nothing_is_cut_at_the_edges_of_the_png(first_render: dict, name: str, lang: str) -> None:
    """Ink stays clear of every edge: the layout is measured at 100 dpi, the PNG drawn at 300, and
    fig 7's notes right of its axes once ran past the right edge ("相同" cut in half)."""
    import io

    import numpy as np
    from PIL import Image

    ink = np.asarray(Image.open(io.BytesIO(first_render[(name, lang)][1]["png"])).convert("L")) < 200
    rows, cols = np.where(ink)
    height, width = ink.shape
    margin = 4  # pixels at 300 dpi
    assert cols.min() >= margin and cols.max() < width - margin, (cols.min(), cols.max(), width)
    assert rows.min() >= margin and rows.max() < height - margin, (rows.min(), rows.max(), height)


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
    def yuyao_only(frames: dict[str, pl.DataFrame]) -> None:
        frames["targets"] = frames["targets"].filter(pl.col("doc_id") == "yuyao-2018")

    sparse = catalog_with(yuyao_only)
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


def test_a_figure_shows_itself_in_jupyter_whatever_the_backend(con) -> None:
    """IPython displays ``_repr_png_``: a figure made without pyplot still shows as an image, not as text."""
    fig = registry.figure_function("timelines")(con, lang="zh")
    png = fig._repr_png_()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_figure_functions_draw_into_the_callers_axes_and_subfigures(con) -> None:
    from matplotlib.figure import Figure

    host = Figure(figsize=(14, 9), layout="constrained")
    top, bottom = host.subfigures(2, 1)
    axes = top.subplots(1, 4)
    assert headline.fig_headline(con, ax=axes) is host
    assert all(ax.get_title(loc="left") for ax in axes)
    assert registry.figure_function("annex")(con, lang="zh", fig=bottom) is host
    assert len(host.axes) == 4 + 3 and marks.figure_source(host)
    single = Figure(figsize=(4, 3))
    ax = single.subplots()
    assert registry.figure_function("timelines")(con, ax=ax) is single and ax.get_yticklabels()
    with pytest.raises(ValueError, match="4 panel"):
        headline.fig_headline(con, ax=axes[:2])


def test_shares_are_drawn_in_percentage_points_not_as_growth(con) -> None:
    from mfgpolicy.outputs.figures import annex as annex_module

    scaled = annex_module.annex_scales(annex.annex_data(con))
    rows = {r["indicator_key"]: (r["scale"], r["step"]) for r in scaled.iter_rows(named=True)}
    assert rows["machine_networking_rate"] == ("share", pytest.approx(10.0))  # 28% -> 38% is +10 pp, not +36%
    assert rows["labour_productivity"][0] == "rate"  # a growth rate is never put on a level axis
    assert rows["invention_patents_per_10bn_revenue"] == ("level", pytest.approx(100 * (90 / 52 - 1)))
    data = headline.headline_data(con)
    assert headline.headline_measure(data.filter(pl.col("indicator_key") == "rd_share_revenue")) == "pp_per_year"
    assert headline.headline_measure(data.filter(pl.col("indicator_key") == "energy_intensity")) == "annualised_pct"


def test_paths_draw_a_panel_only_where_there_is_something_to_compare(con) -> None:
    from mfgpolicy.outputs.figures import paths

    data = paths.paths_data(con)
    assert paths.path_panels(data) == ["energy_intensity", "rd_share_revenue"]
    fig = paths.fig_paths(data, lang="en")
    notes = [t.get_text().replace("\n", " ") for t in fig.texts]
    assert any("only Yuyao sets a target (2.8%" in t for t in notes)
    lines = {line.get_color(): line for line in fig.axes[0].lines
             if len(line.get_xdata()) > 2 and line.get_linestyle() != "None"}
    yuyao, ningbo = lines[style.city_colour("Yuyao")], lines[style.city_colour("Ningbo")]
    # Near-identical paths look different: Yuyao's solid and wide below, Ningbo's broken and narrow on top.
    assert yuyao.get_linestyle() == "-" and ningbo.get_linestyle() != "-"
    assert ningbo.get_zorder() > yuyao.get_zorder() and ningbo.get_linewidth() < yuyao.get_linewidth()


def test_coverage_title_says_it_includes_the_headline_indicators(con) -> None:
    fig = registry.figure_function("coverage")(con, lang="en")
    assert "Headline indicators and others set by two or more cities" in fig.axes[0].get_title(loc="left")


def test_units_and_chinese_lines_as_people_write_them(con) -> None:
    assert style.amount(22, "万元/人") == "220k yuan per worker"
    assert style.unit_label("万元/人") == " 10k yuan per worker"
    texts = [t.get_text().replace("\n", " ") for ax in headline.fig_headline(con).axes for t in ax.texts]
    assert any("220k yuan per worker" in t for t in texts) and not any("10k yuan/person" in t for t in texts)
    for name in ("研究与试验发展经费支出占地区生产总值比重", "研发经费支出占主营业务收入比重"):
        assert "支\n出" not in style.wrap(name, 20, "zh") and "经费支出" in style.wrap(name, 20, "zh")


def test_achievement_and_escalation_say_what_compares_and_why_the_rest_does_not(con) -> None:
    from mfgpolicy.outputs.figures import achievement, escalation

    data = achievement.achievement_data(con)
    fig = achievement.fig_achievement(data, lang="en")
    shown = " ".join(t.get_text().replace("\n", " ") for ax in fig.axes for t in ax.texts)
    for why in data.filter(pl.col("status") == "not_comparable")["difference"].to_list():
        assert why.split(":")[0].split(",")[0] in shown
    counts = data["status"].value_counts()
    assert f"{data.filter(pl.col('status') == 'not_comparable').height} not comparable" in fig.axes[0].get_title("left")
    assert counts.height
    # Scored rows (none yet in the data) are drawn on their own scale: a share's gap in percentage points.
    scored = data.with_columns(status=pl.lit("met"), gap=pl.lit(9.3))
    with strict():
        fig = achievement.fig_achievement(scored.head(1), lang="zh")
        fig.savefig(io.BytesIO(), format="png", dpi=40)
    assert "百分点" in fig.axes[0].get_xlabel()
    esc = escalation.fig_escalation(con, lang="en")
    rows = escalation.escalation_data(con)
    labels = [t.get_text() for ax in esc.axes for t in ax.get_yticklabels()]
    assert len(labels) == rows.height
    points = [line.get_xdata()[0] for ax in esc.axes for line in ax.lines if line.get_marker() == "o"]
    assert sorted(round(x, 1) for x in points) == [-40.5, -33.3, -33.3, 0.0, 0.0, 5.0]


@pytest.mark.parametrize("key", ["labour_productivity", "energy_intensity", "rd_share_revenue"])
def test_the_comparison_figure_shows_sensitivity_ranges_and_caveats(con, key: str) -> None:
    from mfgpolicy.comparison import compare
    from mfgpolicy.outputs.figures.comparison import fig_comparison

    with strict():
        fig = fig_comparison(key, con, lang="zh")
        fig.savefig(io.BytesIO(), format="png", dpi=40)
    fig = fig_comparison(key, con)
    rows = compare(key, con=con)
    bars = [line for line in fig.axes[0].lines if line.get_linewidth() > 4]
    measure = "pp" if key == "rd_share_revenue" else ""
    low, high = (f"{measure}_sensitivity_low".lstrip("_"), f"{measure}_sensitivity_high".lstrip("_"))
    ranged = rows.filter(pl.col(low).is_not_null() & ((pl.col(high) - pl.col(low)).abs() > 1e-9))
    assert len(bars) == ranged.height
    note = " ".join(t.get_text().replace("\n", " ") for t in fig.texts)
    assert note.startswith("Caveats.") or "Caveats." in note
    if key == "labour_productivity":
        assert "Population: 规上工业 (Yuyao, Wenzhou); 规上制造业 (Jinhua, Ningbo)" in note


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key", ["labour_productivity", "energy_intensity", "rd_share_revenue"])
def test_the_comparison_figures_legend_fits_inside_the_figure(con, key: str, lang: str) -> None:
    """Its two columns of long labels ran past both edges of the figure (seen inline in notebook 11)."""
    from mfgpolicy.outputs.figures.comparison import fig_comparison

    fig = fig_comparison(key, con, lang=lang)
    renderer = fig.canvas.get_renderer()
    assert fig.legends
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width, (box, fig.bbox.width)
