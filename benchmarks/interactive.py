"""Interactive latencies on the real data, each in a fresh process as a user meets them.

* ``import mfgpolicy``; ``+ connect()``; ``+ compare("energy_intensity")`` (median of N runs), against
  the floor of importing polars and DuckDB alone; the project's database is built first (``build()``),
  as ``make run`` leaves it, so ``connect()`` opens it rather than validating in memory;
* ``mfgpolicy figures`` (into a temporary folder);
* executing every notebook top to bottom (``python -m benchmarks.interactive notebooks``).

A step that does not exist yet or fails records ``None`` and the reason.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import ROOT

SNIPPETS = {
    "floor": "import polars, duckdb",
    "import": "import mfgpolicy as mp",
    "import_connect": "import mfgpolicy as mp; con = mp.connect()",
    "import_connect_compare": "import mfgpolicy as mp; con = mp.connect(); mp.compare('energy_intensity', con=con)",
}


def _run(args: list[str], timeout: float) -> tuple[float | None, str]:
    start = time.perf_counter()
    try:
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout:.0f} s"
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return None, f"exit {done.returncode}: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
    return seconds, done.stdout


def latencies(*, repeats: int = 5) -> dict[str, float | None]:
    """Return the median wall time of each snippet in ``SNIPPETS``, each in a fresh interpreter."""
    from mfgpolicy.catalog import build

    build(root=ROOT)
    out: dict[str, float | None] = {}
    for name, code in SNIPPETS.items():
        runs = [_run([sys.executable, "-c", code], 120)[0] for _ in range(repeats)]
        out[name] = None if None in runs else statistics.median(runs)
    return out


def figures(*, timeout: float = 600) -> dict:
    """Time ``mfgpolicy figures`` writing into a temporary folder."""
    cli = Path(sys.executable).with_name("mfgpolicy")
    if not cli.exists():
        return {"seconds": None, "note": f"{cli} not found"}
    with tempfile.TemporaryDirectory(prefix="mfgpolicy-figures-") as tmp:
        seconds, out = _run([str(cli), "figures", "--out", tmp], timeout)
        n = len(list(Path(tmp).iterdir()))
    return {"seconds": seconds, "files": n, "note": "" if seconds is not None else out}


def notebooks(*, timeout: float = 900) -> dict:
    """Time executing every notebook (fresh process, one kernel per notebook, nothing saved)."""
    seconds, out = _run([sys.executable, "-m", "benchmarks.interactive", "notebooks"], timeout)
    if seconds is None:
        return {"seconds": None, "per_notebook": {}, "note": out}
    return {"seconds": seconds, "per_notebook": json.loads(out.strip().splitlines()[-1]), "note": ""}


def _execute_notebooks() -> dict[str, float]:
    import nbformat
    from nbclient import NotebookClient

    times = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        book = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(book, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        times[path.stem] = time.perf_counter() - start
    return times


if __name__ == "__main__" and sys.argv[1:] == ["notebooks"]:
    print(json.dumps(_execute_notebooks()))
