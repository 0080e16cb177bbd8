"""Where the library spends its time: py-spy over one run, summarised.

``python -m benchmarks.profile N`` runs ``benchmarks.pipeline mfgpolicy`` on the synthetic
corpus of N targets under ``py-spy record --idle --nonblocking`` (sampling, so the timings
hardly move) and writes ``benchmarks/profiles/mfgpolicy-N.txt``: the share of the pipeline's wall
time spent in each library entry point and, for the hottest spots, the deepest line of
``mfgpolicy/`` on the stack (the library line that calls whatever is slow, e.g. a YAML parser or
``iter_rows``). ``python -m benchmarks.profile extract`` does the same for extraction on one core
(``benchmarks/profiles/extract.txt``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks import corpus

HERE = Path(__file__).resolve().parent
FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^():]+?):(?P<line>\d+)\)$")


def pyspy() -> Path | None:
    """Return the py-spy executable beside this interpreter (or on PATH), if installed."""
    beside = Path(sys.executable).with_name("py-spy")
    found = beside if beside.exists() else shutil.which("py-spy")
    return Path(found) if found else None


def record(command: list[str], raw: Path, *, rate: int = 100) -> None:
    """Sample ``python -m <command>`` into ``raw`` (py-spy's collapsed stacks); raise if it fails."""
    exe = pyspy()
    if exe is None:
        raise RuntimeError("py-spy is not installed (.venv/bin/pip install py-spy)")
    done = subprocess.run([str(exe), "record", "--idle", "--nonblocking", "-r", str(rate), "-f", "raw", "-o", str(raw),
                           "--", sys.executable, "-m", *command], cwd=HERE.parent, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0 or "exit code" in done.stderr and "exit code 0" not in done.stderr:
        raise RuntimeError(f"profiling `python -m {' '.join(command)}` failed:\n{done.stderr[-2000:]}")


def _frames(stack: str) -> list[tuple[str, str, int]]:
    out = []
    for frame in stack.split(";"):
        m = FRAME.match(frame.strip())
        if m:
            out.append((m["func"], m["file"], int(m["line"])))
    return out


def summarise(raw: Path, *, anchor: str = "run_mfgpolicy", top: int = 15, per_entry: int = 6) -> str:
    """Return a text summary of py-spy raw output: library entry points and hottest library lines."""
    entry, deepest, deepest_func, callers = Counter(), Counter(), Counter(), Counter()
    by_entry: dict[str, Counter] = {}
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = _frames(stack)
        names = [f[0] for f in frames]
        if anchor not in names:
            continue  # imports and writing the outputs are not part of what is timed
        n = int(count)
        total += n
        inside = frames[names.index(anchor) + 1:]
        lib = [f for f in inside if f[1].startswith("mfgpolicy/")]
        if not lib:
            entry["(pipeline driver: SQL over views)"] += n
            continue
        name = f"{lib[0][0]} ({lib[0][1]})"
        entry[name] += n
        func, file, lineno = lib[-1]
        callee = inside[inside.index(lib[-1]) + 1][0] if inside.index(lib[-1]) + 1 < len(inside) else "(own code)"
        spot = f"{func} {file}:{lineno} -> {callee}"
        deepest[spot] += n
        by_entry.setdefault(name, Counter())[spot] += n
        deepest_func[f"{func} ({file})"] += n
        if len(lib) > 1:
            callers[f"{func} <- {lib[-2][0]} {lib[-2][1]}:{lib[-2][2]}"] += n
    if not total:
        return f"no samples inside {anchor}\n"
    lines = [f"samples inside {anchor}: {total} (py-spy --idle, wall time)", "",
             "share  library entry point"]
    lines += [f"{100 * n / total:5.1f}% {name}" for name, n in entry.most_common()]
    lines += ["", "share  deepest library function on the stack (self + what it calls outside mfgpolicy/)"]
    lines += [f"{100 * n / total:5.1f}% {name}" for name, n in deepest_func.most_common(top)]
    lines += ["", "share  deepest library line -> the function it calls"]
    lines += [f"{100 * n / total:5.1f}% {name}" for name, n in deepest.most_common(top)]
    lines += ["", "share  who calls the hottest library functions (deepest <- its caller in mfgpolicy/)"]
    lines += [f"{100 * n / total:5.1f}% {name}" for name, n in callers.most_common(8)]
    for name, n in entry.most_common():
        if name in by_entry and n / total >= 0.005:
            lines += ["", f"within {name} ({100 * n / total:.1f}%): share of the pipeline"]
            lines += [f"{100 * k / total:5.1f}% {spot}" for spot, k in by_entry[name].most_common(per_entry)]
    return "\n".join(lines) + "\n"


def profile(n_targets: int, *, seed: int = 0, base: Path | None = None) -> Path:
    """Profile the mfgpolicy pipeline on the corpus of ``n_targets``; return the summary file."""
    root = corpus.cached(n_targets, seed=seed, base=base)
    out = HERE / "profiles"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mfgpolicy-pyspy-") as tmp:
        raw = Path(tmp) / "stacks.txt"
        record(["benchmarks.pipeline", "mfgpolicy", str(root), str(Path(tmp) / "out")], raw)
        if not (Path(tmp) / "out" / "timings.json").exists():
            raise RuntimeError(f"the profiled pipeline failed: run `python -m benchmarks.pipeline mfgpolicy {root} OUT`")
        text = summarise(raw)
    target = out / f"mfgpolicy-{n_targets}.txt"
    target.write_text(f"mfgpolicy pipeline on {n_targets:,} synthetic targets (seed {seed})\n\n{text}",
                      encoding="utf-8")
    return target


EXTRACT_STAGES = (
    ("read_plan", "reading and decoding the files"),
    ("read_meta", "reading the sidecars"),
    ("Batch.build", "indexing all plans at once (normalising, boundaries, quotes, years, headings)"),
    ("_tables", "annex tables (Python, plan by plan)"),
    ("table", "the candidate pass: numbers and their units"),
    ("context_of", "the candidates' context windows"),
    ("reject", "the reject rules, as columns"),
    ("read_all", "the reading (comparator, hedge, kind, years, quote, …), as columns"),
    ("_rows", "the rows: tables, 各, order"),
    ("_finish", "quotes, ids and indicator keys"),
    ("_by_python", "plans left to the Python rules"),
)
"""The stages of extraction, by the library function that does each (outermost first on a stack)."""


def extract_stages(raw: Path, *, anchor: str = "extract_all") -> str:
    """Return the share of the samples inside ``anchor`` spent in each of ``EXTRACT_STAGES``."""
    names = [name for name, _ in EXTRACT_STAGES]
    counts: Counter = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        funcs = [f[0] for f in _frames(stack)]
        if anchor not in funcs:
            continue
        total += int(count)
        stage = next((f for f in funcs if f in names), "(the rest: rows, glue)")
        counts[stage] += int(count)
    if not total:
        return f"no samples inside {anchor}\n"
    labels = dict(EXTRACT_STAGES)
    lines = ["share  stage of extraction (the library function doing it)"]
    lines += [f"{100 * n / total:5.1f}% {labels.get(stage, stage)} ({stage})" for stage, n in counts.most_common()]
    return "\n".join(lines) + "\n"


def profile_extract(copies: int = 100) -> Path:
    """Profile extraction of the real plans (``copies`` times each) on one core; return the summary file."""
    out = HERE / "profiles"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mfgpolicy-pyspy-") as tmp:
        raw = Path(tmp) / "stacks.txt"
        record(["benchmarks.extraction", str(copies)], raw, rate=500)
        text = extract_stages(raw) + "\n" + summarise(raw, anchor="extract_all")
    target = out / "extract.txt"
    target.write_text(f"mfgpolicy.extract on the real plans ×{copies}, one core (extract_files, one pass)\n\n{text}",
                      encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.profile {N | extract} [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.splitlines()[0])
    parser.add_argument("what", help="a number of targets (the pipeline) or 'extract'")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.what == "extract":
        path = profile_extract()
    else:
        from benchmarks.run import parse_size

        path = profile(parse_size(args.what), seed=args.seed)
    print(path.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
