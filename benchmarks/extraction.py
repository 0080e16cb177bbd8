"""Extraction throughput: MB/s of plan text through ``mfgpolicy.extract``, against a floor.

The corpus is the project's real plans (``data/raw/*.txt`` with their sidecars), copied
``copies`` times into a temporary folder so there is enough text to time and enough files to
spread over the cores. The floor is just reading and decoding the same files
(``path.read_bytes().decode("utf-8")``); the ratio to the floor is floor speed / extraction
speed, both on one core, both measured in the same run. Extraction is timed the way a corpus is
best extracted, in one pass over all the files (``extract_files``: reading, sidecars, every
rule, one frame of all the candidates); one ``extract_file`` call per file is timed too.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks import RAW


def corpus(folder: Path, copies: int) -> list[Path]:
    """Copy the real plans (and sidecars) ``copies`` times into ``folder``; return the text files."""
    out = []
    for k in range(copies):
        for txt in sorted(RAW.glob("*.txt")):
            target = folder / f"{txt.stem}-{k:03d}.txt"
            shutil.copyfile(txt, target)
            sidecar = txt.with_name(txt.stem + ".meta.yml")
            if sidecar.exists():
                shutil.copyfile(sidecar, folder / f"{target.stem}.meta.yml")
            out.append(target)
    return out


def _read_decode(path: Path) -> int:
    return len(path.read_bytes().decode("utf-8"))


def _extract(path: Path) -> int:
    from mfgpolicy.extract import extract_file

    return extract_file(path).height


def _extract_batch(files: list[Path]) -> int:
    from mfgpolicy.extract import extract_files

    return extract_files(files).height


def _warm() -> None:
    """Pay the first call's costs of both ways the library extracts: one plan alone (the Python
    rules) and the plans together (the columnar pass)."""
    from mfgpolicy.extract import extract_file, extract_files

    plans = sorted(RAW.glob("*.txt"))
    extract_file(plans[0])
    extract_files(plans)


def measure(*, copies: int = 20, repeats: int = 3, workers: int | None = None) -> dict:
    """Return extraction and floor throughput (MB/s, MB = 10^6 bytes) on one core and on all cores."""
    workers = workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="mfgpolicy-extract-") as tmp:
        files = corpus(Path(tmp), copies)
        megabytes = sum(f.stat().st_size for f in files) / 1e6
        floor = min(_timed(lambda: [_read_decode(f) for f in files]) for _ in range(max(5, repeats)))
        _warm()
        one = [_timed(lambda: _extract_batch(files)) for _ in range(repeats)]
        per_file = [_timed(lambda: [_extract(f) for f in files]) for _ in range(repeats)]
        rows = _extract_batch(files[: len(files) // copies])
        assert _extract_batch(files) == rows * copies
        spawn = multiprocessing.get_context("spawn")  # forking a process that runs polars can deadlock
        chunks = [files[k::workers] for k in range(workers)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=spawn, initializer=_warm) as pool:
            list(pool.map(_read_decode, files[:workers]))  # the workers are up and warm before timing
            many = [_timed(lambda: list(pool.map(_extract_batch, chunks))) for _ in range(repeats)]
    one_core, all_cores = megabytes / min(one), megabytes / min(many)
    floor_speed = megabytes / floor
    return {
        "files": len(files), "megabytes": round(megabytes, 3), "copies_of_real_plans": copies,
        "candidate_rows_per_copy": rows, "workers": workers,
        "floor_mb_per_s": floor_speed, "one_core_mb_per_s": one_core, "all_cores_mb_per_s": all_cores,
        "one_core_seconds_median": statistics.median(one), "speedup_all_cores": all_cores / one_core,
        "ratio_to_floor": floor_speed / one_core,
        "one_core_per_file_mb_per_s": megabytes / min(per_file),
        "ratio_to_floor_per_file": floor_speed / (megabytes / min(per_file)),
    }


def extract_all(files: list[Path]) -> int:
    """Extract every file on this core in one pass; return the number of candidate rows (what a profile samples)."""
    return _extract_batch(files)


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":  # python -m benchmarks.extraction COPIES: one core, for a profiler to watch
    with tempfile.TemporaryDirectory(prefix="mfgpolicy-extract-") as _tmp:
        _warm()
        print(extract_all(corpus(Path(_tmp), int(sys.argv[1]) if sys.argv[1:] else 20)))
