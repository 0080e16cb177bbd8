"""Saving figures: byte-for-byte reproducible files, written atomically; ``write_all`` for the CLI."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from matplotlib.figure import Figure

from mfgpolicy._io import atomic_path
from mfgpolicy.errors import UnknownChoiceError
from mfgpolicy.outputs.figures.registry import FIGURES, figure_function, figure_stem
from mfgpolicy.outputs.figures.style import check_lang, house_style

FORMATS = ("pdf", "png")
SAVE_METADATA: dict[str, dict[str, Any]] = {
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}


def save_figure(fig: Figure, stem: str, out_dir: Path | str, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``fig`` as ``out_dir/stem.<format>`` for each format (PDF and PNG by default; SVG too).

    Each file is written atomically and byte-for-byte reproducibly: PNG at 300 dpi without a
    ``Software`` tag, PDF without ``Creator``/``Producer``/``CreationDate``, SVG without
    ``Date``/``Creator`` and with a fixed hash salt. Returns the paths written.
    """
    out_dir = Path(out_dir)
    written = []
    for fmt in formats:
        if fmt not in SAVE_METADATA:
            raise UnknownChoiceError("format", fmt, tuple(SAVE_METADATA))
    with house_style(), frozen_layout(fig):
        for fmt in formats:
            path = out_dir / f"{stem}.{fmt}"
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format=fmt, dpi=300, metadata=SAVE_METADATA[fmt])
            written.append(path)
    return written


@contextmanager
def frozen_layout(fig: Figure) -> Iterator[None]:
    """Lay ``fig`` out once, round every axes' position to 1e-9 of the figure, and keep it so while saving.

    Constrained layout's solver can end a layout a last bit apart from one run to the next in
    the same process (the axes of stacked panels move by 1e-16); PNG and PDF round that away,
    but SVG names its clip paths by a hash of the exact box. The layout engine is restored after.
    """
    engine = fig.get_layout_engine()
    if engine is None or not fig.axes:
        yield
        return
    fig.draw_without_rendering()
    boxes = [(ax, [round(v, 9) for v in ax.get_position().bounds]) for ax in fig.axes]
    fig.set_layout_engine("none")
    for ax, box in boxes:
        ax.set_position(box)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def write_all(out_dir: Path | str, langs: Sequence[str] = ("en", "zh"), *, con: duckdb.DuckDBPyConnection,
              only: Sequence[str] | None = None, formats: Sequence[str] = FORMATS,
              progress: bool = True) -> list[Path]:
    """Render every figure (or those in ``only``) from ``con`` in each language and save it; return the paths.

    Progress goes to stderr, one line per figure and language.
    """
    names = list(only) if only else list(FIGURES)
    for name in names:
        if name not in FIGURES:
            raise UnknownChoiceError("figure", name, tuple(FIGURES))
    langs = [check_lang(lang) for lang in langs]
    written: list[Path] = []
    for name in names:
        draw = figure_function(name)
        for lang in langs:
            started = time.perf_counter()
            files = save_figure(draw(con, lang=lang), figure_stem(name, lang), out_dir, formats)
            written.extend(files)
            if progress:
                print(f"[figures] {figure_stem(name, lang)} ({', '.join(f.suffix[1:] for f in files)}) "
                      f"in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return written
