"""The ``mfgpolicy export --format`` step: the Excel summary or the panel tables."""

from __future__ import annotations

from pathlib import Path

from mfgpolicy.errors import check_choice

EXPORT_FORMATS = ("xlsx", "csv", "parquet", "dta")
"""``xlsx``: the Excel summary workbook; the others: the panel tables of ``mfgpolicy.panel``."""


def run_panel_export(path: Path | None, fmt: str = "xlsx") -> list[Path]:
    """Write the export in ``fmt`` and return the files written.

    Parameters
    ----------
    path
        For ``xlsx`` the workbook (default ``data/build/mfgpolicy-summary.xlsx``); for ``csv``,
        ``parquet`` and ``dta`` the folder (default ``data/build/panel/``).
    fmt
        One of ``EXPORT_FORMATS``.
    """
    check_choice("format", fmt, EXPORT_FORMATS)
    if fmt == "xlsx":
        from mfgpolicy.export import to_excel

        return [to_excel(path)]
    from mfgpolicy.panel import to_panel

    return to_panel(path, fmt=fmt)
