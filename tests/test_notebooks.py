"""Every notebook is stored with outputs stripped, runs top to bottom on a real Jupyter kernel, and shows what it draws.

A cell that draws (tagged ``figure``, or calling a ``fig_*`` function) must leave an ``image/png``
in its outputs; a cell that shows quotes (tagged ``quotes``, or calling ``show_quotes``) must show
each quote whole. The kernel is the project's (``python3`` resolves to the interpreter running
the tests, with its ``PYTHONPATH``), and a last cell checks it imported the code under test.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import CURATED, RAW, ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DRAWS = re.compile(r"\bfig_\w+\(|\bhouse_figure\(")
RUNS = [(path, "en", None) for path in NOTEBOOKS] + [
    # The paper figures once more in Chinese, with the backend forced to Agg as `make lab` used to:
    # the figures must show all the same.
    (ROOT / "notebooks" / "90-paper-figures.ipynb", "zh", "Agg"),
]


def draws(cell: nbformat.NotebookNode) -> bool:
    return "figure" in cell.metadata.get("tags", []) or bool(DRAWS.search(cell.source))


def shows_quotes(cell: nbformat.NotebookNode) -> bool:
    return "quotes" in cell.metadata.get("tags", []) or "show_quotes(" in cell.source


def _shown(cell: nbformat.NotebookNode) -> str:
    return "\n".join(str(o.get("data", {}).get(mime, "")) for o in cell.get("outputs", [])
                     for mime in ("text/html", "text/plain"))


def _forms(quote: str) -> set[str]:
    """The ways a quote may be written in an output: as is, HTML-escaped, or as a JSON string."""
    forms = {quote, json.dumps(quote, ensure_ascii=False)[1:-1], json.dumps(quote)[1:-1]}
    return forms | {html.escape(f) for f in forms} | {html.escape(f, quote=False) for f in forms}


def problems(book: nbformat.NotebookNode, quotes: list[str]) -> list[str]:
    """What an executed notebook fails to show: a drawing cell without an image, a quote cut short, an error."""
    found = []
    for i, cell in enumerate(book.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        if any(o.get("output_type") == "error" for o in outputs):
            found.append(f"cell {i} raised")
        if draws(cell) and not any("image/png" in o.get("data", {}) for o in outputs):
            shown = " ".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
            found.append(f"cell {i} draws but shows no image (shows: {shown[:80]!r})")
        if shows_quotes(cell):
            # A quote "starts" in the output when its first 25 characters do (a table that cuts text
            # at 30 shows them); it must then be there whole.
            text = _shown(cell)
            started = [q for q in quotes if any(f[:25] in text for f in _forms(q))]
            cut = [q for q in started if not any(f in text for f in _forms(q))]
            if not started:
                found.append(f"cell {i} shows no quote")
            found += [f"cell {i} cuts the quote {q[:20]!r}…" for q in cut]
    return found


@pytest.fixture(scope="module")
def all_quotes() -> list[str]:
    from mfgpolicy.catalog import connect

    return [r[0] for r in connect().execute("SELECT DISTINCT quote FROM targets WHERE quote IS NOT NULL").fetchall()]


def _execute(path: Path, lang: str, backend: str | None) -> nbformat.NotebookNode:
    book = nbformat.read(path, as_version=4)
    first = next(c for c in book.cells if c.cell_type == "code")
    first.source = first.source.replace('LANG = "en"', f'LANG = "{lang}"')
    book.cells.append(nbformat.v4.new_code_cell(
        "import mfgpolicy as _m, pathlib as _p\nprint('MFGPOLICY', _p.Path(_m.__file__).resolve())"))
    with pytest.MonkeyPatch.context() as env:
        # `make lab` no longer forces a backend; the Agg run shows the figures must not need one.
        if backend is None:
            env.delenv("MPLBACKEND", raising=False)
        else:
            env.setenv("MPLBACKEND", backend)
        env.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        NotebookClient(book, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    return book


@pytest.fixture(scope="module")
def executed() -> Iterator[dict]:
    """Each run, executed once (lazily), shared by the checks on it."""
    cache: dict = {}

    def run(path: Path, lang: str, backend: str | None) -> nbformat.NotebookNode:
        if (path, lang, backend) not in cache:
            cache[(path, lang, backend)] = _execute(path, lang, backend)
        return cache[(path, lang, backend)]

    yield run


def test_the_numbered_set_is_there() -> None:
    names = [p.stem for p in NOTEBOOKS]
    assert names == ["00-quickstart", "10-labour-productivity", "11-energy-intensity", "12-rd-share",
                     "20-ambition-overview", "30-achievement", "31-escalation", "90-paper-figures"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip outputs"
            assert "def " not in cell.source and "class " not in cell.source, f"{path.name}: keep logic in the library"
    assert book.cells[0].cell_type == "markdown" and "**Question:**" in book.cells[0].source


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem != "00-quickstart"], ids=lambda p: p.stem)
def test_notebooks_that_draw_have_a_language_switch_and_tagged_figures(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    first = next(c for c in book.cells if c.cell_type == "code")
    assert first.source.startswith('LANG = "en"') and "parameters" in first.metadata.get("tags", [])
    drawing = [c for c in book.cells if c.cell_type == "code" and DRAWS.search(c.source)]
    assert drawing and all("figure" in c.metadata.get("tags", []) for c in drawing)
    assert all("lang=LANG" in c.source for c in drawing)
    if path.stem.startswith(("1", "2", "3")):
        assert any(shows_quotes(c) for c in book.cells if c.cell_type == "code"), "show the quotes in full"


@pytest.mark.slow
@pytest.mark.parametrize(("path", "lang", "backend"), RUNS, ids=lambda v: getattr(v, "stem", v) or "inline")
def test_notebook_runs_and_shows_every_figure_and_quote(executed, all_quotes: list[str], path: Path, lang: str,
                                                        backend: str | None) -> None:
    before = {p: p.stat().st_mtime_ns for p in (CURATED, RAW) for p in p.iterdir()}
    book = executed(path, lang, backend)
    assert {p: p.stat().st_mtime_ns for p in (CURATED, RAW) for p in p.iterdir()} == before
    printed = "".join(o.get("text", "") for o in book.cells[-1].outputs)
    assert f"MFGPOLICY {(ROOT / 'mfgpolicy' / '__init__.py').resolve()}" in printed, printed
    assert problems(book, all_quotes) == []


def test_the_checks_catch_a_figure_shown_as_text_and_a_quote_cut_short() -> None:
    """The checks fail on what the notebooks used to show: `<Figure …>` as text, quotes cut at 30 characters."""
    quote = "单位工业增加值能耗比2015年下降18%以上，规上工业亩均增加值达到120万元"
    book = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("plots.fig_headline(con)", outputs=[nbformat.v4.new_output(
            "execute_result", {"text/plain": "<Figure size 1080x439.5 with 4 Axes>"}, execution_count=1)]),
        nbformat.v4.new_code_cell("mp.show_quotes(lp)", outputs=[nbformat.v4.new_output(
            "execute_result", {"text/html": f"<td>{quote[:29]}…</td>"}, execution_count=2)]),
        nbformat.v4.new_code_cell("1 / 0", outputs=[nbformat.v4.new_output(
            "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])]),
    ])
    found = problems(book, [quote])
    assert any("cell 0 draws but shows no image" in p for p in found)
    assert any("cell 1 cuts the quote" in p for p in found)
    assert any("cell 2 raised" in p for p in found)
    book.cells[0].outputs = [nbformat.v4.new_output("display_data", {"image/png": "iVBORw0KGgo="})]
    book.cells[1].outputs = [nbformat.v4.new_output("display_data", {"text/html": f"<td>{html.escape(quote)}</td>"})]
    book.cells = book.cells[:2]
    assert problems(book, [quote]) == []
