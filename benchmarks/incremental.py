"""Re-validation after a one-row edit, each run in a fresh process: ``incremental_seconds``.

    python -m benchmarks.incremental ROOT [--repeats 3]

``ROOT`` is a corpus project (``benchmarks.corpus``). In a temporary project (``data/curated``
hard-linked, or copied across file systems; ``data/raw`` a symbolic link: nothing of the corpus
is ever written), a first ``mfgpolicy validate`` checks everything and writes the record of a
clean run. Then,
``repeats`` times, the note of one target in the middle of ``targets.csv`` is changed (the row
stays valid; the file is replaced, never written in place) and ``mfgpolicy validate`` is timed
as a user meets it: a fresh interpreter, imports and the data line included. The library call
``validate(root, incremental=True)`` is timed the same way. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import ROOT as REPO

LIBRARY = "import sys; from mfgpolicy.checks import inspect; c = inspect(sys.argv[1], incremental=True); " \
          "print(c.report.summary(), file=sys.stderr); sys.exit(1 if c.problems else 0)"


def project_from(corpus: Path, where: Path) -> Path:
    """Return a project in ``where`` whose curated files are links to (or copies of) the corpus's."""
    curated = where / "data" / "curated"
    curated.mkdir(parents=True)
    (where / "data" / "raw").symlink_to((corpus / "data" / "raw").resolve(), target_is_directory=True)
    for path in sorted((corpus / "data" / "curated").iterdir()):
        try:
            os.link(path.resolve(), curated / path.name)
        except OSError:
            shutil.copy2(path, curated / path.name)
    return where


def edit_one_note(root: Path, k: int) -> str:
    """Append to the note of one target in the middle of ``targets.csv``; return its id.

    The file is written anew and renamed into place, so a hard link to the corpus is left alone.
    """
    path = root / "data" / "curated" / "targets.csv"
    data = path.read_bytes()
    if not data[: data.index(b"\n")].rstrip(b"\r").endswith(b",notes"):
        raise RuntimeError("targets.csv no longer ends with the notes column: update benchmarks.incremental")
    at = data.index(b"\n", len(data) // 2) + 1
    end = data.index(b"\n", at)
    while b'"' in data[at:end]:  # a row without quoted fields: appending plain words keeps it valid
        at, end = end + 1, data.index(b"\n", end + 1)
    tmp = path.with_name(f".{path.name}.edit")
    tmp.write_bytes(data[:end] + f" (edited {k})".encode() + data[end:])
    os.replace(tmp, path)
    return data[at:data.index(b",", at)].decode()


def _timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    said = [line for line in done.stderr.splitlines() if line.startswith("checked")]
    return seconds, said[-1] if said else ""


def measure(corpus: Path, *, repeats: int = 3) -> dict:
    """Return the full run's time and the incremental runs' times (median first) on ``corpus``."""
    corpus = Path(corpus)
    cli = [sys.executable, "-m", "mfgpolicy", "validate", "--root"]
    with tempfile.TemporaryDirectory(prefix="mfgpolicy-incr-") as tmp:
        root = project_from(corpus, Path(tmp) / "project")
        full, line = _timed([*cli, str(root)])
        if line != "checked everything (no record of a clean run yet)":
            raise RuntimeError(f"the first run was not a full one that writes the record: {line!r}")
        runs, library, said = [], [], []
        for k in range(repeats):
            edit_one_note(root, k)
            seconds, line = _timed([*cli, str(root)])
            if not line.startswith("checked 1 changed row of targets.csv"):
                raise RuntimeError(f"the run after a one-row edit was not incremental: {line!r}")
            runs.append(seconds)
            said.append(line)
            edit_one_note(root, repeats + k)
            seconds, line = _timed([sys.executable, "-c", LIBRARY, str(root)])
            if not line.startswith("checked 1 changed row of targets.csv"):
                raise RuntimeError(f"the library's run after a one-row edit was not incremental: {line!r}")
            library.append(seconds)
    return {"full_seconds": round(full, 3),
            "incremental_seconds": round(statistics.median(runs), 3), "runs": [round(s, 3) for s in runs],
            "library_seconds": round(statistics.median(library), 3), "library_runs": [round(s, 3) for s in library],
            "said": said[0], "command": "mfgpolicy validate --root PROJECT (fresh process, after a one-row edit)"}


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.incremental", description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a corpus project (benchmarks/.corpus/n...)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.root, repeats=args.repeats), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
