"""The figures of the project: one module per figure, each function returning a matplotlib Figure.

Every ``fig_*`` takes the data — a DuckDB connection from :func:`mfgpolicy.connect`, or the
polars frame its ``*_data`` function returns (so a notebook can filter it first) — and
``lang="en"`` or ``"zh"``, and returns a :class:`matplotlib.figure.Figure` in the house style
(``style``) with a source line naming the documents and the data version. It draws into a new
``marks.HouseFigure`` (which shows itself in Jupyter through ``_repr_png_``, whatever the
backend), or into the axes (``ax=``) or the Figure or SubFigure (``fig=``) it is given, so
figures compose (``house_figure`` gives an empty one). Nothing is written to disk until
``save.save_figure`` or ``save.write_all`` (the ``mfgpolicy figures`` command).

The figures, their modules and what each shows are listed in ``registry.FIGURES``; the shared
marks (floors, hedges, source line, legend) live in ``marks``. Output is byte-for-byte
reproducible: one font file from a package, no timestamps or software versions in the files,
a fixed ``svg.hashsalt``, figures built from queries with a total order.
"""

from __future__ import annotations

from typing import Any

from mfgpolicy.outputs.figures.registry import FIGURES, figure_function, figure_stem

_FUNCTIONS = {function: name for name, (function, _) in FIGURES.items()}

__all__ = ["FIGURES", "fig_achievement", "fig_annex", "fig_comparison", "fig_coverage", "fig_escalation",
           "fig_headline", "fig_paths", "fig_timelines", "figure_function", "figure_stem", "house_figure"]


def house_figure(width: float = 7.2, height: float = 4.0) -> Any:
    """Return an empty figure (constrained layout) that shows itself in Jupyter, to compose ``fig_*`` into.

    Pass it, or its ``subfigures()``, as ``fig=``, or its axes as ``ax=``; a notebook cell ending
    with it shows the image whatever the matplotlib backend (``HouseFigure._repr_png_``).
    """
    from mfgpolicy.outputs.figures.marks import new_figure

    return new_figure(width, height)


def __getattr__(name: str) -> Any:
    """``fig_headline`` and the other figure functions, imported (with matplotlib) when first used."""
    if name in _FUNCTIONS:
        return figure_function(_FUNCTIONS[name])
    if name == "fig_comparison":
        from mfgpolicy.outputs.figures.comparison import fig_comparison

        return fig_comparison
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
