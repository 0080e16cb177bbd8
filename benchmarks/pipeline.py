"""One side of the pipeline benchmark, run in a fresh process: validate → load → harmonise → compare.

``python -m benchmarks.pipeline {mfgpolicy,pandas} ROOT OUT`` times each stage on the project
root ``ROOT`` and writes ``OUT/timings.json`` (seconds and peak RSS per stage) and, untimed, the
outputs that ``benchmarks.check`` compares between the sides (``problems.json`` and parquet
files). ``--profile FILE`` writes a pyinstrument profile of the timed stages.

The mfgpolicy side uses the library's own functions: ``checks.inspect`` (validation, handing on the typed tables)
+ ``catalog.load`` (with ``views.create_views``, which materialises the harmonised table and the
views, timed as its own stage), then the ``headline_comparison`` view and ``rank`` of every
headline indicator across all localities (one call, one query).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

STAGES = ("validate", "load", "harmonise", "compare")
HARMONISED = ("target_id", "years", "plan_years", "signed_value", "annualised_pct", "pp_per_year", "points_per_year",
              "per_year_value", "plan_total_value", "rule", "comparable", "why_not", "bound", "commitment",
              "plan_vintage", "bound_low", "bound_high", "sensitivity_low", "sensitivity_high", "rank_group",
              "rank_value", "rank_low", "rank_high")
PATHS = ("target_id", "year", "value", "index")
HEADLINE = ("indicator_key", "city", "city_code", "target_id", "rule", "comparable", "why_not", "annualised_pct",
            "pp_per_year", "indicator")
RANKS = ("indicator_key", "city", "target_id", "rank", "ranked_by", "robust")


class Stages:
    """Time named stages; record the process's peak RSS (MB) at the end of each."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_rss_mb: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start
        self.peak_rss_mb[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_mfgpolicy(root: Path, stages: Stages) -> Callable[[], dict]:
    """Run the pipeline with mfgpolicy's own functions; return a function giving its outputs."""
    import duckdb

    from mfgpolicy.catalog import store, views
    from mfgpolicy.catalog.frames import frame_of
    from mfgpolicy.checks import inspect
    from mfgpolicy.comparison import rank
    from mfgpolicy.project import Project

    with stages("validate"):
        checked = inspect(Project.at(root))
        problems = checked.problems
    con = duckdb.connect()
    create_views = views.create_views
    calls: list[tuple[tuple, dict]] = []
    with stages("load"):
        views.create_views = lambda *args, **kwargs: calls.append((args, kwargs))  # timed below as its own stage
        try:
            store.load(con, checked.frames)
        finally:
            views.create_views = create_views
    if not calls:
        raise RuntimeError("catalog.store.load no longer calls views.create_views: update benchmarks.pipeline")
    with stages("harmonise"):
        for args, kwargs in calls:
            create_views(*args, **kwargs)
    with stages("compare"):
        headline = frame_of(con.sql("SELECT * FROM headline_comparison"))
        ranked = rank(list(views.HEADLINE_KEYS), con=con)

    def outputs() -> dict:
        return {
            "problems": sorted({(p.table, p.row, p.column) for p in problems}),
            "harmonised": frame_of(con.sql(f"SELECT {', '.join(HARMONISED)} FROM targets_harmonised")),
            "paths": frame_of(con.sql("SELECT * FROM target_paths")).select(PATHS),
            "headline": headline.select(HEADLINE),
            "ranks": ranked.select(RANKS),
        }

    return outputs


def run_pandas(root: Path, stages: Stages) -> Callable[[], dict]:
    """Run the pandas peer; return a function giving its outputs as polars frames."""
    import polars as pl

    from benchmarks import peer

    with stages("validate"):
        problems = peer.validate(root)
    with stages("load"):
        frames = peer.load(root / "data" / "curated")
    with stages("harmonise"):
        harmonised, paths = peer.harmonise(frames)
    with stages("compare"):
        head = peer.headline(frames, harmonised)
        ranked = peer.ranks(frames, head)

    def frame(df, columns) -> pl.DataFrame:
        return pl.from_pandas(df[list(columns)], nan_to_null=True)

    def outputs() -> dict:
        return {
            "problems": sorted(problems),
            "harmonised": frame(harmonised, HARMONISED),
            "paths": frame(paths, PATHS),
            "headline": frame(head, HEADLINE),
            "ranks": frame(ranked, RANKS),
        }

    return outputs


SIDES: dict[str, Callable[[Path, Stages], Callable[[], dict]]] = {"mfgpolicy": run_mfgpolicy, "pandas": run_pandas}


def run(side: str, root: Path, out: Path, *, profile: Path | None = None) -> dict:
    """Time one side on ``root``, write its timings and outputs into ``out``; return the timings."""
    out.mkdir(parents=True, exist_ok=True)
    stages = Stages()
    profiler = None
    if profile is not None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    collect = SIDES[side](Path(root), stages)
    if profiler is not None:
        profiler.stop()
        profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    outputs = collect()
    timings = {"side": side, "seconds": stages.seconds, "total_seconds": sum(stages.seconds.values()),
               "peak_rss_mb": stages.peak_rss_mb}
    (out / "problems.json").write_text(json.dumps(outputs.pop("problems"), ensure_ascii=False), encoding="utf-8")
    for name, frame in outputs.items():
        frame.write_parquet(out / f"{name}.parquet")
    (out / "timings.json").write_text(json.dumps(timings, indent=1), encoding="utf-8")
    return timings


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.pipeline SIDE ROOT OUT [--profile FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("side", choices=sorted(SIDES))
    parser.add_argument("root", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--profile", type=Path, default=None, metavar="FILE")
    args = parser.parse_args(argv)
    run(args.side, args.root, args.out, profile=args.profile)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # as the mfgpolicy command does: no DuckDB binding teardown noise in the benchmark's output
