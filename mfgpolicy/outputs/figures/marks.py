"""The shared marks and layout of every figure: source line, legend and note, hedge markers, heatmaps.

A figure module draws its panels with these, so every figure says its source, shows floors
and hedges the same way and lays out its legend the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import duckdb
import numpy as np
import polars as pl
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch

from mfgpolicy.outputs.figures import style
from mfgpolicy.outputs.figures.style import check_lang, label
from mfgpolicy.vocab import commitment

Data = duckdb.DuckDBPyConnection | pl.DataFrame | None
"""What a figure function draws from: a catalog connection, or the frame its ``*_data`` returns."""

SOURCE_GID = "mfgpolicy-source-line"


def connection(data: Data) -> duckdb.DuckDBPyConnection:
    """Return ``data`` when it is a connection, else the default catalog (``mfgpolicy.connect()``)."""
    if data is None:
        from mfgpolicy.catalog import connect

        return connect()
    return data  # type: ignore[return-value]


def resolve(data: Data, loader: Callable[[duckdb.DuckDBPyConnection], pl.DataFrame]
            ) -> tuple[duckdb.DuckDBPyConnection | None, pl.DataFrame]:
    """Return (connection or None, frame): a frame is used as given, a connection is queried."""
    if isinstance(data, pl.DataFrame):
        return None, data
    con = connection(data)
    return con, loader(con)


def source_line(con: duckdb.DuckDBPyConnection | None, doc_ids: Iterable[str | None], lang: str = "en") -> str:
    """Return the source line of a figure: "Source: <document ids>; mfgpolicy" (Chinese with lang="zh").

    Documents are listed in the order of ``documents`` (by plan start, then id) when ``con`` is
    given, else by id. The data version comes from the connection's ``about`` table (else from
    ``data/curated``), so every figure names the data it was made from.

    Examples
    --------
    >>> source_line(None, ["yuyao-2018", "jinhua-2021", None, "yuyao-2018"])  # doctest: +ELLIPSIS
    'Source: jinhua-2021, yuyao-2018; mfgpolicy data ...+sha...'
    >>> source_line(None, ["yuyao-2018"], lang="zh")  # doctest: +ELLIPSIS
    '来源：yuyao-2018；mfgpolicy 数据 ...+sha...'
    """
    lang = check_lang(lang)
    ids = sorted({d for d in doc_ids if d})
    if con is not None and ids:
        order = [r[0] for r in con.execute(
            "SELECT doc_id FROM documents ORDER BY period_start, doc_id").fetchall()]
        ids = sorted(ids, key=lambda d: (order.index(d) if d in order else len(order), d))
    docs = label("doc_sep", lang).join(ids) if ids else ("curated targets" if lang == "en" else "整理后的目标数据")
    from mfgpolicy.catalog import version_of
    from mfgpolicy.project import Project

    version = version_of(con) if con is not None else Project.find().data_version()
    return label("source", lang, docs=docs, version=version)


class HouseFigure(Figure):
    """A matplotlib Figure that shows itself in Jupyter: ``_repr_png_`` renders it at 150 dpi.

    A bare ``Figure`` made without pyplot displays only as text ("<Figure size … with 4 Axes>")
    unless the kernel's inline backend has been loaded (it is not when ``MPLBACKEND=Agg``, nor
    before pyplot is imported); with this method IPython shows the image whatever the backend.
    """

    def _repr_png_(self) -> bytes:
        import io

        from mfgpolicy.outputs.figures.style import house_style

        buffer = io.BytesIO()
        with house_style():
            self.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
        return buffer.getvalue()


def new_figure(width: float, height: float) -> Figure:
    """Return an empty :class:`HouseFigure` of ``width`` × ``height`` inches, constrained layout, Agg canvas."""
    # Figure() rather than pyplot: nothing registered globally, nothing to close, no
    # "more than 20 figures" warnings when every figure is rendered in a loop. The Agg canvas
    # measures text for the layout.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = HouseFigure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


class Canvas:
    """Where a figure function draws: its own new figure, or axes / a (sub)figure the caller passes.

    ``panels(n, **subplots)`` returns the ``n`` axes to draw in: the caller's (``ax``: one Axes, or
    a sequence of ``n``), new ones in the caller's ``fig`` (a Figure or SubFigure), or new ones in a
    new :class:`HouseFigure` of the house size. ``figure`` is the figure to return (the root figure
    when the caller passed axes or a subfigure); ``owned`` whether the function made it.
    """

    def __init__(self, width: float, height: float, *, ax: Any = None, fig: Any = None) -> None:
        if ax is not None and fig is not None:
            raise TypeError("pass ax= or fig=, not both")
        self.owned = ax is None and fig is None
        self.ax = ax
        self.target = new_figure(width, height) if self.owned else (fig if fig is not None else None)

    def panels(self, n: int = 1, *, vertical: bool = False, **subplots: Any) -> list[Any]:
        if self.ax is not None:
            axes = [self.ax] if hasattr(self.ax, "plot") else list(np.asarray(self.ax, dtype=object).ravel())
            if len(axes) != n:
                raise ValueError(f"this figure draws {n} panel(s); ax= gave {len(axes)}")
            self.target = axes[0].get_figure(root=False)
            return axes
        shape = (n, 1) if vertical else (1, n)
        return list(np.asarray(self.target.subplots(*shape, squeeze=False, **subplots), dtype=object).ravel())

    @property
    def figure(self) -> Figure:
        return self.target.get_figure(root=True)


def finish(fig: Any, source: str, legend: dict[str, Any] | None = None, note: str | None = None,
           canvas: Canvas | None = None, axes: Sequence[Any] = ()) -> None:
    """Add the source line at the bottom left and, above it, the figure legend and a note (if any).

    On the function's own figure the layout engine is told to keep them all clear of the axes.
    On the caller's axes or (sub)figure (``canvas`` not owned), the legend goes in the first of
    ``axes`` (or outside the subfigure's axes) and the note and source line under the first axes.
    """
    if canvas is not None and not canvas.owned:
        _finish_composed(canvas, source, legend, note, axes)
        return
    renderer = fig.canvas.get_renderer()
    width, height = fig.get_size_inches()
    pad = 2 / 72 / height
    chars = max(40, int(width * 72 / (style.TINY_SIZE * 0.5)))
    lang = "en" if source.isascii() else "zh"
    text = fig.text(0.006, pad, style.wrap(source, chars, lang), ha="left", va="bottom", fontsize=style.TINY_SIZE,
                    color=style.NEUTRAL, gid=SOURCE_GID)
    bottom = pad + text.get_window_extent(renderer).height / fig.bbox.height + pad
    if legend:
        leg = _fitting_legend(fig, legend, bottom, renderer)
        bottom += leg.get_window_extent(renderer).height / fig.bbox.height + pad
    if note:
        chars = max(40, int(width * 72 / (style.SMALL_SIZE * 0.5)))
        lang = "en" if note.isascii() else "zh"
        shown = fig.text(0.006, bottom + pad, style.wrap(note, chars, lang), ha="left", va="bottom",
                         fontsize=style.SMALL_SIZE, color=style.NEUTRAL)
        bottom += shown.get_window_extent(renderer).height / fig.bbox.height + 2 * pad
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    # Draw once inside the house style: ticks are created lazily, with the rcParams in force at
    # that moment, so a notebook drawing the figure later (outside the style) shows the same.
    fig.draw_without_rendering()


def _fitting_legend(fig: Any, legend: dict[str, Any], bottom: float, renderer: Any) -> Any:
    """Put the figure legend centred at ``bottom``, in fewer columns than asked if its rows would be wider than the figure."""
    ncols = legend.get("ncols", 1)
    while True:
        leg = fig.legend(loc="lower center", bbox_to_anchor=(0.5, bottom), bbox_transform=fig.transFigure,
                         borderaxespad=0.0, **{**legend, "ncols": ncols})
        if ncols == 1 or leg.get_window_extent(renderer).width <= 0.98 * fig.bbox.width:
            return leg
        leg.remove()
        ncols -= 1


def _finish_composed(canvas: Canvas, source: str, legend: dict[str, Any] | None, note: str | None,
                     axes: Sequence[Any]) -> None:
    """Legend, note and source on the caller's (sub)figure or axes, without squeezing the caller's layout.

    Given ``fig=`` under constrained layout: the legend outside the axes, above them, and the note
    and source as the (sub)figure's bottom label, both kept clear by the layout engine. Given
    ``ax=``: the legend inside the first axes and the note and source under the lowest, wrapped to
    its width, neither of them counted by a layout engine (they would shrink the caller's axes).
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    root = canvas.figure
    constrained = isinstance(root.get_layout_engine(), ConstrainedLayoutEngine) and canvas.ax is None
    target = canvas.target
    width = (target.bbox.width / root.dpi) if constrained else max(
        ax.get_position().width for ax in axes) * root.get_size_inches()[0]
    chars = max(36, int(width * 72 / (style.TINY_SIZE * 0.5)))
    lines = [style.wrap(note, chars, "en" if note.isascii() else "zh")] if note else []
    lines.append(style.wrap(source, chars, "en" if source.isascii() else "zh"))
    text = "\n".join(lines)
    if constrained:
        if legend:
            target.legend(loc="outside upper center", **legend)
        label_ = target.supxlabel(text, x=0.0, ha="left", fontsize=style.TINY_SIZE, color=style.NEUTRAL)
        label_.set_gid(SOURCE_GID)
    else:
        if legend:
            kwargs = {k: v for k, v in legend.items() if k != "ncols"}
            axes[0].legend(loc="best", ncols=1, fontsize=style.TINY_SIZE, **kwargs).set_in_layout(False)
        # Under the lowest (then leftmost) panel: below stacked panels, not between them.
        low = min(axes, key=lambda ax: (round(ax.get_position().y0, 6), round(ax.get_position().x0, 6)))
        low.annotate(text, xy=(0, 0), xycoords=("axes fraction", low.xaxis.label), xytext=(0, -3),
                     textcoords="offset points", ha="left", va="top", fontsize=style.TINY_SIZE,
                     color=style.NEUTRAL, annotation_clip=False, gid=SOURCE_GID).set_in_layout(False)
    root.draw_without_rendering()


def _all_texts(fig: Any) -> list[Any]:
    texts = [*fig.texts, *(t for ax in fig.get_axes() for t in ax.texts)]
    for sub in getattr(fig, "subfigs", []):
        texts += _all_texts(sub)
        texts += [t for t in (getattr(sub, "_supxlabel", None),) if t is not None]
    return texts


def figure_source(fig: Figure) -> str | None:
    """Return the source line of a figure made here (None if it has none); when composed, with the note."""
    for text in [*_all_texts(fig), *(t for t in (getattr(fig, "_supxlabel", None),) if t is not None)]:
        if text.get_gid() == SOURCE_GID:
            return text.get_text()
    return None


def city_names_zh(con: duckdb.DuckDBPyConnection | None) -> dict[str, str]:
    """Chinese names of the cities and of the other places (the province, the nation) the catalog holds."""
    if con is None:
        return {}
    names = dict(con.execute("SELECT city, name_zh FROM cities").fetchall())
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "places" in tables:
        names = {**dict(con.execute("SELECT place, name_zh FROM places WHERE name_zh IS NOT NULL").fetchall()), **names}
    return names


def city_name(city: str, lang: str, frame: pl.DataFrame | None = None,
          names_zh: dict[str, str] | None = None) -> str:
    names = dict(names_zh or {})
    if frame is not None and "city_zh" in frame.columns:
        names.update({c: z for c, z in frame.select("city", "city_zh").unique().iter_rows() if c and z})
    return style.city_label(city, lang, names)


def bound_sign(bound: str | None, direction: str | None) -> int:
    """Which way the truth may lie from the drawn value, in signed-rate space (+1 up, −1 down, 0 exact).

    A floor on a fall ("下降18%以上") lies further down; a floor on a rise or a level further up;
    a ceiling the other way.
    """
    base = -1 if direction == "decrease" else 1
    if bound == "floor":
        return base
    if bound == "ceiling":
        return -base
    return 0


def aspirational(hedge: str | None) -> bool:
    """True for hedges that soften a target (力争 strive, 争取 seek, 努力); 确保 (ensure) is firm."""
    return commitment(hedge) == "aspirational"


def marker(ax: Any, x: float, y: float, colour: str, *, hedged: bool, size: float = 4.8,
            zorder: float = 3) -> None:
    ax.plot([x], [y], marker="o", linestyle="none", markersize=size, markeredgewidth=1.0,
            markeredgecolor=colour, markerfacecolor="white" if hedged else colour, zorder=zorder)


def arrow(ax: Any, x: float, y: float, dx: float, dy: float, colour: str) -> None:
    ax.add_patch(FancyArrowPatch((x, y), (x + dx, y + dy), arrowstyle="-|>", mutation_scale=6,
                                 color=colour, linewidth=0.9, shrinkA=2.6, shrinkB=0, zorder=2))


class BoundHandler(HandlerBase):
    """Legend key for a hedge: a marker, with an arrow for floors/ceilings, a bar for ranges."""

    def __init__(self, kind: str, hedged: bool = False) -> None:
        super().__init__()
        self.kind, self.hedged = kind, hedged

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):
        y = height / 2 - ydescent
        x = width * (0.25 if self.kind in ("floor", "ceiling") else 0.5) - xdescent
        artists: list[Any] = []
        if self.kind == "range":
            artists.append(Line2D([x - width * 0.35, x + width * 0.35], [y, y], color=style.NEUTRAL,
                                  linewidth=1.2, transform=trans))
        if self.kind in ("floor", "ceiling"):
            x0, x1 = (x, x + width * 0.8) if self.kind == "floor" else (x + width * 0.8, x)
            artists.append(FancyArrowPatch((x0, y), (x1, y), arrowstyle="-|>", mutation_scale=6,
                                           color=style.NEUTRAL, linewidth=0.9, shrinkA=0, shrinkB=0,
                                           transform=trans))
            x = x0
        artists.append(Line2D([x], [y], marker="o", markersize=4.5, markeredgewidth=1.0,
                              markeredgecolor=style.NEUTRAL,
                              markerfacecolor="white" if self.hedged else style.NEUTRAL,
                              linestyle="none", transform=trans))
        return artists


def hedge_legend(lang: str, kinds: Sequence[str], *, hedged: bool = True) -> dict[str, Any]:
    handles, labels, handler_map = [], [], {}
    for kind in kinds:
        handle = Patch()
        handles.append(handle)
        labels.append(label(f"legend_{kind}", lang))
        handler_map[handle] = BoundHandler(kind if kind != "about" else "point")
    if hedged:
        handle = Patch()
        handles.append(handle)
        labels.append(label("legend_hedged", lang))
        handler_map[handle] = BoundHandler("point", hedged=True)
    return {"handles": handles, "labels": labels, "handler_map": handler_map, "ncols": len(handles),
            "handlelength": 2.2, "columnspacing": 1.4}


def locator() -> Any:
    # A fixed tick density (the default one reads the tick label size from rcParams when drawn).
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10])


def value_with_unit(value: float | None, unit: str | None, lang: str) -> str:
    return style.amount(value, unit, lang)


def year_range(frame: pl.DataFrame, columns: list[str]) -> tuple[int, int]:
    years = [y for c in columns if c in frame.columns for y in frame[c].drop_nulls().to_list()]
    return (int(min(years)), int(max(years))) if years else (2015, 2025)


def doc_year(doc_id: str | None) -> str:
    return (doc_id or "").rsplit("-", 1)[-1]



def heatmap(ax: Any, matrix: np.ndarray, rows: list[str], cols: list[str]) -> None:
    import seaborn as sns
    from matplotlib.colors import BoundaryNorm, ListedColormap

    top = max(int(matrix.max()) if matrix.size else 1, 1)
    colours = sns.light_palette(style.OKABE_ITO["blue"], n_colors=top + 1).as_hex()
    colours[0] = "#FFFFFF"
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(-0.5, top + 1.5), cmap.N)
    ax.imshow(matrix if matrix.size else np.zeros((1, len(cols))), cmap=cmap, norm=norm, aspect="auto",
              interpolation="nearest")
    for (i, j), v in np.ndenumerate(matrix):
        if v > 0:
            ax.text(j, i, str(int(v)), ha="center", va="center", fontsize=style.SMALL_SIZE,
                    color="white" if v > top * 0.6 and top > 1 else "#1a1a1a")
    ax.set_xticks(range(len(cols)), cols)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
    ax.set_yticks(np.arange(-0.5, max(len(rows), 1)), minor=True)
    ax.grid(which="minor", color="#E0E0E0", linewidth=0.5)
    ax.tick_params(which="minor", length=0)


def reason_panel(ax: Any, row_labels: Sequence[str], texts: Sequence[str], title: str, *, width: int = 118) -> None:
    """A list panel: one row per item, its label on the left, a sentence (what, and why not) across the axes."""
    ax.set_title(title, loc="left")
    for i, text in enumerate(texts):
        lang = "en" if text.isascii() or " — " in text else "zh"
        ax.text(0.0, i, style.wrap(text, width, lang), transform=ax.get_yaxis_transform(), ha="left", va="center",
                fontsize=style.SMALL_SIZE - 0.5, color=style.NEUTRAL)
    ax.set_yticks(range(len(texts)), list(row_labels))
    ax.set_ylim(len(texts) - 0.5, -0.6)
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
