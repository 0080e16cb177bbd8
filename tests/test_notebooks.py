"""Every notebook is stored with outputs stripped and runs top to bottom on a real Jupyter kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import CURATED, RAW, ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_numbered_set_is_there() -> None:
    names = [p.stem for p in NOTEBOOKS]
    assert names[:5] == ["00-quickstart", "10-labour-productivity", "11-energy-intensity", "12-rd-share",
                         "20-ambition-overview"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip outputs"
    assert book.cells[0].cell_type == "markdown" and "**Question:**" in book.cells[0].source


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    before = {p: p.stat().st_mtime_ns for p in (CURATED, RAW) for p in p.iterdir()}
    NotebookClient(book, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    assert {p: p.stat().st_mtime_ns for p in (CURATED, RAW) for p in p.iterdir()} == before
