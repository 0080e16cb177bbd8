"""Scoring the extractor against the curated ``targets``.

Match rule
----------
A proposal *matches* a curated row of the same document when

1. the values are equal (float compare, ``value`` only: a range matches on its low end),
2. the units are equal after normalisation (simplified script, half-width, no spaces, lower case:
   ``萬元／人`` equals ``万元/人``), and
3. the quote spans overlap (``[char_start, char_end)`` of both share at least one character).

Each curated row is matched at most once and each proposal at most once (a maximum bipartite
matching, so the score does not depend on row order). Curated rows with a non-empty ``same_as``
still count: they are stated in the text.

*Recall* is the share of curated rows matched; *precision* the share of proposals that match a
curated row; both per document and overall. Documents with no curated rows yet are listed but left
out of the overall figures. The curated rows are ``data/curated/targets.csv`` when it exists,
else the concatenated ``data/curated/_staging/*.targets.csv``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from mfgpolicy.extract.errors import ExtractError
from mfgpolicy.extract.units import normalise_unit

AGREEMENT_FIELDS = ("kind", "direction", "comparator", "hedge", "base_year", "target_year", "per_year", "tier",
                    "indicator_key")
"""Fields compared on matched rows (not part of the score): where the reviewer should look."""
AIM_RECALL = 0.95
AIM_PRECISION = 0.85


@dataclass
class Evaluation:
    """The scores: per document and overall, with the misses and the unmatched proposals."""

    per_doc: pl.DataFrame
    misses: pl.DataFrame
    false_positives: pl.DataFrame
    source: str
    agreement: dict[str, float] | None = None

    @property
    def overall(self) -> dict[str, float | int]:
        """Totals over the documents that have curated rows."""
        scored = self.per_doc.filter(pl.col("curated") > 0)
        curated, proposed = int(scored["curated"].sum()), int(scored["proposed"].sum())
        found, correct = int(scored["found"].sum()), int(scored["correct"].sum())
        return {"curated": curated, "proposed": proposed, "found": found, "correct": correct,
                "recall": found / curated if curated else 0.0,
                "precision": correct / proposed if proposed else 0.0}

    def meets_aim(self, recall: float = AIM_RECALL, precision: float = AIM_PRECISION) -> bool:
        """True when overall recall and precision reach the aim."""
        o = self.overall
        return o["recall"] >= recall and o["precision"] >= precision

    def report(self, *, show_false_positives: bool = True) -> str:
        """Return the scores as plain text: a table per document, the overall line, the misses."""
        lines = [f"curated targets: {self.source}", "",
                 f"{'document':<16}{'curated':>8}{'proposed':>9}{'found':>7}{'recall':>8}{'precision':>10}"]
        for r in self.per_doc.iter_rows(named=True):
            if r["curated"]:
                lines.append(f"{r['doc_id']:<16}{r['curated']:>8}{r['proposed']:>9}{r['found']:>7}"
                             f"{r['recall']:>8.1%}{r['precision']:>10.1%}")
            else:
                lines.append(f"{r['doc_id']:<16}{'-':>8}{r['proposed']:>9}{'-':>7}{'n/a':>8}{'n/a':>10}"
                             "   (no curated rows yet; not scored)")
        o = self.overall
        lines.append(f"{'overall':<16}{o['curated']:>8}{o['proposed']:>9}{o['found']:>7}"
                     f"{o['recall']:>8.1%}{o['precision']:>10.1%}")
        lines.append(f"aim: recall >= {AIM_RECALL:.0%}, precision >= {AIM_PRECISION:.0%}: "
                     + ("met" if self.meets_aim() else "NOT met"))
        if self.agreement:
            lines.append("")
            lines.append("fields of matched rows that agree with the curated row (not scored; where to review):")
            lines.append("  " + ", ".join(f"{k} {v:.0%}" for k, v in self.agreement.items()))
        lines.append("")
        lines.append(f"misses ({self.misses.height}): curated rows no proposal matched")
        for r in self.misses.iter_rows(named=True):
            lines.append(f"  {r['target_id']}  {r['value']} {r['unit']}  @{r['char_start']}  {_one_line(r['quote'])}")
        if show_false_positives:
            lines.append("")
            lines.append(f"unmatched proposals ({self.false_positives.height}) in scored documents")
            for r in self.false_positives.iter_rows(named=True):
                lines.append(f"  {r['doc_id']}  {_num(r['value'])} {r['unit']}  @{r['char_start']}  "
                             f"{_one_line(r['quote'])}")
        return "\n".join(lines)


def _one_line(text: str) -> str:
    return text.replace("\n", "⏎")


def _num(value: float) -> str:
    from mfgpolicy.extract.numbers import format_number

    return format_number(value)


def load_curated(curated: Path) -> tuple[pl.DataFrame, str]:
    """Return the curated targets (all columns as text) and where they came from."""
    main = curated / "targets.csv"
    if main.exists():
        return pl.read_csv(main, infer_schema=False), str(main)
    parts = sorted((curated / "_staging").glob("*.targets.csv"))
    if not parts:
        raise ExtractError(str(curated), "no targets.csv and no _staging/*.targets.csv to evaluate against")
    frames = [pl.read_csv(p, infer_schema=False) for p in parts]
    return pl.concat(frames, how="diagonal_relaxed"), f"{curated / '_staging'}/*.targets.csv ({len(parts)} files)"


def _float(text: object) -> float | None:
    try:
        return float(str(text).strip())
    except (TypeError, ValueError):
        return None


def match(proposals: list[dict], curated: list[dict]) -> list[tuple[int, int]]:
    """Return the matched ``(proposal index, curated index)`` pairs (maximum matching).

    Examples
    --------
    >>> p = [{"value": 10.0, "unit": "家", "char_start": 0, "char_end": 8}]
    >>> c = [{"value": "10", "unit": "家", "char_start": "5", "char_end": "9"},
    ...      {"value": "10", "unit": "个", "char_start": "0", "char_end": "9"}]
    >>> match(p, c)
    [(0, 0)]
    """
    def key(row: dict) -> tuple[float | None, str, int, int]:
        start, end = _float(row["char_start"]), _float(row["char_end"])
        return (_float(row["value"]), normalise_unit(str(row["unit"] or "")),
                int(start) if start is not None else -1, int(end) if end is not None else -1)

    pk, ck = [key(r) for r in proposals], [key(r) for r in curated]
    edges: list[list[int]] = []
    for pv, pu, ps, pe in pk:
        edges.append([j for j, (cv, cu, cs, ce) in enumerate(ck)
                      if pv is not None and cv is not None and abs(pv - cv) <= 1e-9 * max(1.0, abs(cv))
                      and pu == cu and ps < ce and cs < pe])
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(proposals)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        from mfgpolicy.extract.numbers import format_number

        return format_number(value)
    return str(value).strip()


def agreement(pairs: list[tuple[dict, dict]]) -> dict[str, float]:
    """Return, per field of ``AGREEMENT_FIELDS``, the share of matched pairs that agree.

    >>> agreement([({"kind": "count", "tier": 1}, {"kind": "count", "tier": "2"})])["kind"]
    1.0
    """
    if not pairs:
        return {}
    return {f: sum(_cell(p.get(f)) == _cell(c.get(f)) for p, c in pairs) / len(pairs) for f in AGREEMENT_FIELDS}


def score(doc_id: str, proposals: pl.DataFrame, curated: pl.DataFrame,
          matched: list[tuple[dict, dict]] | None = None) -> tuple[dict, list[dict], list[dict]]:
    """Score one document; return its counts, its missed curated rows, its unmatched proposals.

    The matched ``(proposal, curated row)`` pairs are appended to ``matched`` when given.
    """
    prows, crows = proposals.to_dicts(), curated.to_dicts()
    pairs = match(prows, crows)
    if matched is not None:
        matched.extend((prows[i], crows[j]) for i, j in pairs)
    found_c = {j for _, j in pairs}
    found_p = {i for i, _ in pairs}
    counts = {"doc_id": doc_id, "curated": len(crows), "proposed": len(prows), "found": len(found_c),
              "correct": len(found_p),
              "recall": len(found_c) / len(crows) if crows else None,
              "precision": len(found_p) / len(prows) if prows and crows else None}
    misses = [crows[j] for j in range(len(crows)) if j not in found_c]
    unmatched = [prows[i] for i in range(len(prows)) if i not in found_p] if crows else []
    return counts, misses, unmatched


def raw_documents(raw: Path) -> list[tuple[str, Path]]:
    """Return ``(doc_id, path)`` for every raw text with a sidecar, in file-name order."""
    from mfgpolicy.extract.core import read_meta

    docs = []
    for path in sorted(raw.glob("*.txt")):
        meta = read_meta(path)
        docs.append((meta.doc_id or path.stem, path))
    return docs


def evaluate(root: Path | None = None, *, progress: Callable[[str], None] | None = None) -> Evaluation:
    """Run the extractor on every raw document under ``root`` and score it against the curated targets.

    ``root`` is the project root holding ``data/raw`` and ``data/curated`` (default: this project).
    """
    from mfgpolicy.extract.core import extract_file
    from mfgpolicy.project import Project

    project = Project.find(root)
    raw, curated_dir = project.raw, project.curated
    curated, source = load_curated(curated_dir)
    per_doc, misses, unmatched, matched = [], [], [], []
    for doc_id, path in raw_documents(raw):
        proposals = extract_file(path, curated=curated_dir)
        mine = curated.filter(pl.col("doc_id") == doc_id) if "doc_id" in curated.columns else curated.clear()
        counts, missed, wrong = score(doc_id, proposals, mine, matched)
        per_doc.append(counts)
        misses.extend(missed)
        unmatched.extend(wrong)
        if progress:
            progress(f"{doc_id}: {counts['proposed']} proposals, {counts['found']}/{counts['curated']} curated found")
    miss_cols = ["doc_id", "target_id", "value", "unit", "char_start", "quote"]
    fp_cols = ["doc_id", "value", "unit", "char_start", "char_end", "quote", "rule"]
    per_doc_frame = pl.DataFrame(per_doc, schema={
        "doc_id": pl.String, "curated": pl.Int64, "proposed": pl.Int64, "found": pl.Int64, "correct": pl.Int64,
        "recall": pl.Float64, "precision": pl.Float64})
    miss_frame = pl.DataFrame([{c: str(r.get(c) or "") for c in miss_cols} for r in misses],
                              schema=dict.fromkeys(miss_cols, pl.String))
    fp_frame = pl.DataFrame([{c: r.get(c) for c in fp_cols} for r in unmatched],
                            schema={"doc_id": pl.String, "value": pl.Float64, "unit": pl.String,
                                    "char_start": pl.Int64, "char_end": pl.Int64, "quote": pl.String,
                                    "rule": pl.String})
    return Evaluation(per_doc_frame, miss_frame, fp_frame, source, agreement(matched))
