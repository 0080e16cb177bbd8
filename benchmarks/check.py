"""The two sides must agree before any time is printed: compare their outputs, row for row."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

KEYS = {
    "harmonised": ("target_id",),
    "paths": ("target_id", "year"),
    "headline": ("indicator_key", "city", "target_id"),
    "ranks": ("indicator_key", "city", "target_id"),
}
REL_TOL = 1e-9


class OutputsDiffer(AssertionError):
    """mfgpolicy and the pandas peer gave different answers: no timing is worth printing."""


def _normalise(frame: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    casts = []
    for name, dtype in frame.schema.items():
        if dtype.is_float():
            casts.append(pl.col(name).fill_nan(None))
        elif dtype.is_integer():
            casts.append(pl.col(name).cast(pl.Float64))
        elif dtype == pl.Null:
            casts.append(pl.col(name).cast(pl.String))
        else:
            casts.append(pl.col(name))
    return frame.with_columns(casts).sort(keys, nulls_last=True)


def assert_same(left: Path, right: Path) -> dict[str, int]:
    """Raise ``OutputsDiffer`` unless the outputs in ``left`` and ``right`` agree; return row counts.

    Problems are compared as sets of (table, row, column); frames row for row after sorting on
    their keys, numbers to a relative tolerance of 1e-9.
    """
    problems = [json.loads((d / "problems.json").read_text(encoding="utf-8")) for d in (left, right)]
    if problems[0] != problems[1]:
        only_left = [p for p in problems[0] if p not in problems[1]][:5]
        only_right = [p for p in problems[1] if p not in problems[0]][:5]
        raise OutputsDiffer(f"validation problems differ: only {left.name}: {only_left}; only {right.name}: {only_right}")
    counts = {"problems": len(problems[0])}
    for name, keys in KEYS.items():
        a = _normalise(pl.read_parquet(left / f"{name}.parquet"), keys)
        b = _normalise(pl.read_parquet(right / f"{name}.parquet"), keys)
        try:
            assert_frame_equal(a, b.select(a.columns), check_dtypes=False, rel_tol=REL_TOL, abs_tol=1e-9)
        except AssertionError as exc:
            raise OutputsDiffer(f"{name} differs between {left} and {right}: {exc}") from None
        counts[name] = a.height
    return counts
