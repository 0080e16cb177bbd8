"""The walk-through of docs/add-a-plan.md on a plan no rule was tuned on.

``tests/data/unseen-plan.txt`` is a plan written for this test in the style of the five plans
(page furniture, a covering notice, headline goals, task paragraphs, an annex table with a unit
column); ``tests/data/unseen-plan.expected.csv`` holds its targets, curated by hand following
docs/curation.md before the extractor was first run on it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from mfgpolicy.extract.evaluate import score
from mfgpolicy.schema import TARGETS

DATA = Path(__file__).resolve().parent.parent / "data"
PLAN, EXPECTED = DATA / "unseen-plan.txt", DATA / "unseen-plan.expected.csv"

def main(argv: list[str]) -> int:
    """Run ``mfgpolicy extract ARGV``, as a user types it."""
    from mfgpolicy.cli import main as mfgpolicy

    return mfgpolicy(argv if argv[:1] == ["extract"] else ["extract", *argv])


def _walk_through(tmp_path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(PLAN, raw / "lishui-2023-manufacturing.txt")
    (raw / "lishui-2023-manufacturing.meta.yml").write_text(
        "doc_id: unseen-plan\ncity: Lishui\nperiod_start: 2023\nperiod_end: 2025\n", encoding="utf-8")
    out = tmp_path / "review" / "unseen-plan.candidates.csv"
    assert main([str(raw / "lishui-2023-manufacturing.txt"), "--out", str(out)]) == 0
    candidates = pl.read_csv(out, infer_schema=False)
    expected = pl.read_csv(EXPECTED, infer_schema=False)
    return candidates, expected


def test_expected_csv_is_well_formed() -> None:
    text = PLAN.read_bytes().decode("utf-8")
    expected = pl.read_csv(EXPECTED, infer_schema=False)
    assert expected.columns == [c for c in TARGETS.columns if c in expected.columns]
    for row in expected.iter_rows(named=True):
        assert text[int(row["char_start"]):int(row["char_end"])] == row["quote"]


def test_recall_and_precision_on_the_unseen_plan(tmp_path: Path) -> None:
    candidates, expected = _walk_through(tmp_path)
    counts, misses, unmatched = score("unseen-plan", candidates, expected)
    assert counts["recall"] >= 0.95, misses
    assert counts["precision"] >= 0.85, unmatched


def test_reviewed_candidates_fit_the_targets_table(tmp_path: Path) -> None:
    candidates, _ = _walk_through(tmp_path)
    reviewed = candidates.select(TARGETS.columns)  # the review drops `confidence` and `rule`
    text = PLAN.read_bytes().decode("utf-8")
    for row in reviewed.iter_rows(named=True):
        assert text[int(row["char_start"]):int(row["char_end"])] == row["quote"]
        assert row["doc_id"] == "unseen-plan" and row["target_id"].startswith("unseen-plan-t")
        assert row["target_year"] and row["kind"] and row["comparator"]


def test_non_targets_of_the_unseen_plan_are_not_proposed(tmp_path: Path) -> None:
    candidates, _ = _walk_through(tmp_path)
    quotes = " ".join(candidates["quote"].to_list())
    for furniture in ("1024", "〔2023〕18号", "5月8日", "415X", "2+4", "152", "1056", "905家,", "0578"):
        assert furniture not in quotes


SIDECAR = """\
doc_id: lishui-2023
city: Lishui
city_zh: 丽水
admin_level: prefecture-level city
title_zh: 丽水市制造业高质量发展三年行动方案（2023—2025年）
title_en: Lishui three-year action plan for high-quality development of manufacturing (2023-2025)
issuer: 丽水市人民政府办公室 (Lishui Municipal Government General Office)
doc_number: 丽政办发〔2023〕18号
date_issued: "2023-05-08"
date_note: date printed under the covering notice
period_start: 2023
period_end: 2025
script: simplified
source_file: unseen-plan.txt
origin: Test plan written for the extractor's walk-through (tests/data/unseen-plan.txt).
notes: ""
sha256: {sha256}
"""
PLACE = {"place": "Lishui", "gb2260_code": "331100", "name_zh": "丽水", "pinyin": "Líshuǐ", "level": "prefecture",
         "parent": "Zhejiang"}


def test_the_whole_walk_through_validates(project: Path) -> None:
    """docs/add-a-plan.md step by step: raw + sidecar, extract, review, merge, validate."""
    import hashlib

    from mfgpolicy import safecsv
    from mfgpolicy.cli import main as mfgpolicy
    from mfgpolicy.extract.evaluate import match

    raw, curated = project / "data" / "raw", project / "data" / "curated"
    plan = raw / "lishui-2023-manufacturing.txt"
    shutil.copy(PLAN, plan)
    plan.with_name(plan.stem + ".meta.yml").write_text(
        SIDECAR.format(sha256=hashlib.sha256(plan.read_bytes()).hexdigest()), encoding="utf-8")
    places = pl.read_csv(curated / "places.csv", infer_schema=False)
    places = pl.concat([places, pl.DataFrame([{c: PLACE.get(c) for c in places.columns}],
                                             schema=dict.fromkeys(places.columns, pl.String))])
    places.write_csv(curated / "places.csv")
    assert mfgpolicy(["documents", "--root", str(project)]) == 0

    out = project / "review" / "lishui-2023.candidates.csv"
    assert main([str(plan), "--out", str(out)]) == 0
    candidates = safecsv.read_csv(out)  # the project's reader restores what the spreadsheet protection marked
    assert set(candidates["city_code"]) == {"331100"}

    # the review: keep the rows the curator accepts, choose their indicator_key, translate the
    # quote, write notes
    expected = pl.read_csv(EXPECTED, infer_schema=False).to_dicts()
    rows = candidates.to_dicts()
    accepted = []
    for i, j in match(rows, expected):
        accepted.append({**rows[i], "indicator_key": expected[j]["indicator_key"], "notes": "reviewed",
                         "quote_en": f"(English translation of the quote of {expected[j]['target_id']})"})
    reviewed = (pl.DataFrame(accepted, schema=dict.fromkeys(accepted[0], pl.String)).select(TARGETS.columns)
                .sort(pl.col("char_start").cast(pl.Int64))
                .with_columns(pl.format("lishui-2023-t{}", pl.int_range(1, pl.len() + 1).cast(pl.String)
                                        .str.zfill(3)).alias("target_id")))
    targets = pl.read_csv(curated / "targets.csv", infer_schema=False)
    pl.concat([targets, reviewed], how="diagonal").select(targets.columns).write_csv(curated / "targets.csv")
    indicators = pl.read_csv(curated / "indicators.csv", infer_schema=False)
    new = sorted(set(reviewed["indicator_key"]) - set(indicators["indicator_key"]))
    indicators = pl.concat([indicators, pl.DataFrame(
        [{"indicator_key": k, "name_zh": k, "name_en": k, "unit": "个", "domain": "enterprise",
          "more_ambitious": "higher", "definition_en": "Added while reviewing the walk-through.",
          "population": "firms", "price_basis": "not_applicable", "stock_or_flow": "flow", "stat_notes": ""}
         for k in new]
    ).select(indicators.columns)])
    indicators.write_csv(curated / "indicators.csv")

    assert mfgpolicy(["validate", "--root", str(project)]) == 0


def test_the_unseen_plan_in_traditional_characters_and_gbk(tmp_path: Path) -> None:
    """The same plan in traditional characters, stored as GB18030, yields the same targets."""
    from opencc import OpenCC

    from mfgpolicy.extract import extract_file, extract_text

    simplified = PLAN.read_bytes().decode("utf-8")
    traditional = OpenCC("s2t").convert(simplified)
    path = tmp_path / "traditional.txt"
    path.write_bytes(traditional.encode("gb18030"))
    a = extract_text(simplified, period=(2023, 2025))
    b = extract_file(path)
    assert a.select("value", "unit", "kind", "char_start", "char_end").rows() == \
        b.select("value", "unit", "kind", "char_start", "char_end").rows()
    assert b["quote"].to_list() == [traditional[s:e] for s, e in zip(b["char_start"], b["char_end"])]
