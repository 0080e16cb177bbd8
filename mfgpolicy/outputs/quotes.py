"""The words behind the numbers, shown in full: ``show_quotes`` for notebooks.

A polars frame in a notebook cuts text at 30 characters; a plan's sentence is the evidence
for its number, so it is shown whole. In JupyterLab the table is interactive (``itables``, in
the ``[lab]`` extra): a search box, a filter under each column (type a city or an indicator),
sorting, paging; without JavaScript (an exported notebook, GitHub) or without ``itables`` it is
a plain HTML table holding every row, and as text every quote is printed in full. DataTables is
embedded in the output (itables' offline bundle, about 1 MB), so the table works without internet
and in an exported HTML notebook.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import duckdb
import polars as pl

from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.errors import check_choice

COLUMNS: dict[str, dict[str, str]] = {
    "en": {"city": "city", "indicator": "indicator", "doc_id": "document", "target": "target",
           "target_year": "year", "quote": "quote (as written)", "quote_en": "translation"},
    "zh": {"city": "城市", "indicator": "指标", "doc_id": "文件", "target": "目标值", "target_year": "目标年",
           "quote": "原文", "quote_en": "英译"},
}
"""The columns shown, by language: source column -> header."""


def quotes(*, indicator_key: str | Sequence[str] | None = None, city: str | Sequence[str] | None = None,
           con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Return every target's quote with its city, document, indicator (English and Chinese) and number.

    Restatements are left out. ``indicator_key`` and ``city`` keep one or several.

    Examples
    --------
    >>> rows = quotes(indicator_key="energy_intensity", city="Yuyao")
    >>> rows.select("city", "value", "quote").row(0)
    ('Yuyao', 18.0, '单位工业增加值能耗比2015年下降18%以上')
    """
    if con is None:
        from mfgpolicy.catalog import connect

        con = connect()
    rows = frame_of(con.sql("""
        SELECT t.city, c.name_zh AS city_zh, t.indicator_key, i.name_en, i.name_zh, t.doc_id, t.target_id, t.kind,
               t.direction, t.comparator, t.value, t.unit, t.target_year, t.quote, t.quote_en
        FROM targets t JOIN indicators i USING (indicator_key) LEFT JOIN cities c ON c.city = t.city
        WHERE t.same_as IS NULL
        ORDER BY t.city, t.indicator_key, t.doc_id, t.target_id
    """))
    return _keep(rows, indicator_key, city)


def _keep(rows: pl.DataFrame, indicator_key: str | Sequence[str] | None, city: str | Sequence[str] | None
          ) -> pl.DataFrame:
    for column, wanted in (("indicator_key", indicator_key), ("city", city)):
        if wanted is not None:
            rows = rows.filter(pl.col(column).is_in([wanted] if isinstance(wanted, str) else list(wanted)))
    return rows


def show_quotes(data: pl.DataFrame | None = None, *, indicator_key: str | Sequence[str] | None = None,
                city: str | Sequence[str] | None = None, lang: str = "en",
                con: duckdb.DuckDBPyConnection | None = None) -> QuoteTable:
    """Return a table of quotes that a notebook shows in full, to search and filter by city and indicator.

    ``data``: rows holding ``quote`` (what :func:`mfgpolicy.compare` returns, say), else every
    target's (:func:`quotes`); ``indicator_key``, ``city``: keep one or several; ``lang``: the
    headers and names in English or Chinese. Rows without a quote (a city with no target) are
    left out.
    """
    check_choice("lang", lang, tuple(COLUMNS))
    if con is None:
        from mfgpolicy.catalog import connect

        con = connect()
    rows = quotes(con=con) if data is None else _named(data, con)
    rows = _keep(rows, indicator_key, city).filter(pl.col("quote").is_not_null())
    return QuoteTable(_table(rows, lang), lang)


def _named(rows: pl.DataFrame, con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Add the indicator's and the city's names to rows that lack them (a frame from ``compare``)."""
    if "name_en" not in rows.columns:
        names = frame_of(con.sql("SELECT indicator_key, name_en, name_zh FROM indicators"))
        rows = rows.join(names, on="indicator_key", how="left", maintain_order="left")
    if "city_zh" not in rows.columns:
        cities = frame_of(con.sql("SELECT city, name_zh AS city_zh FROM cities"))
        rows = rows.join(cities, on="city", how="left", maintain_order="left")
    return rows


def _table(rows: pl.DataFrame, lang: str) -> pl.DataFrame:
    from mfgpolicy.outputs.figures import style

    def name(row: dict) -> str:
        return style.indicator_label(row.get("name_en") or row.get("indicator"), row.get("name_zh"), lang,
                                     row["indicator_key"])

    out = []
    for row in rows.iter_rows(named=True):
        out.append({
            "city": style.city_label(row["city"], lang, {row["city"]: row["city_zh"]} if row.get("city_zh") else None),
            "indicator": name(row),
            "doc_id": row.get("doc_id"),
            "target": style.amount(row.get("value"), row.get("unit"), lang) if row.get("value") is not None else "",
            "target_year": row.get("target_year"),
            "quote": row["quote"],
            "quote_en": row.get("quote_en") or "",
        })
    headers = COLUMNS[lang]
    schema = {h: (pl.Int64 if c == "target_year" else pl.String) for c, h in headers.items()}
    if not out:
        return pl.DataFrame(schema=schema)
    frame = pl.DataFrame(out, schema={c: schema[h] for c, h in headers.items()})
    if lang == "zh":
        frame = frame.drop("quote_en")
    return frame.rename({c: h for c, h in headers.items() if c in frame.columns})


class QuoteTable:
    """Quotes shown whole: an interactive table in JupyterLab (itables), plain HTML otherwise, full text in print."""

    def __init__(self, frame: pl.DataFrame, lang: str = "en") -> None:
        self.frame, self.lang = frame, lang

    def __len__(self) -> int:
        return self.frame.height

    def __repr__(self) -> str:
        if self.frame.is_empty():
            return "(no quotes)"
        lines = []
        for row in self.frame.iter_rows():
            city, indicator, doc, target, year, quote, *rest = row
            lines.append(f"{city} · {indicator} · {doc} · {target} {year or ''}".rstrip())
            lines.append(f"    {quote}")
            if rest and rest[0]:
                lines.append(f"    {rest[0]}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The interactive table, self-contained: DataTables is embedded (offline), so it works without internet
        and in an exported notebook; loading it twice is a no-op."""
        try:
            from itables import options, to_html_datatable
            from itables.javascript import generate_init_offline_itables_html
        except ImportError:
            return self.to_html()
        widths = ["7%", "15%", "9%", "9%", "5%"] + ["27%"] * (self.frame.width - 5)
        table = to_html_datatable(self.frame, connected=False, maxBytes=0, showIndex=False, column_filters="footer",
                                  classes="display compact", pageLength=25, lengthMenu=[10, 25, 100, -1],
                                  autoWidth=False, scrollX=False, style="table-layout:fixed;width:100%;margin:0",
                                  columnDefs=[{"targets": "_all", "className": "dt-left"},
                                              *({"targets": [i], "width": w} for i, w in enumerate(widths))])
        return generate_init_offline_itables_html(options.dt_bundle) + table

    def to_html(self) -> str:
        """The table as plain HTML (no JavaScript): every row and every quote in full."""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.frame.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
                       + "</tr>" for row in self.frame.iter_rows())
        return (f'<table class="mfgpolicy-quotes" style="text-align:left"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")
