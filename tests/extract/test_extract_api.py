"""The library interface: frames in the targets schema, offsets into the original text."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

from mfgpolicy.extract import COLUMNS, ExtractError, extract_file, extract_text
from mfgpolicy.schema import TARGETS
from tests.conftest import RAW

RAW = sorted(RAW.glob("*.txt"))


def test_columns_are_the_targets_schema_then_two_more() -> None:
    frame = extract_text("新增企业10家。")
    assert frame.columns == [*TARGETS.columns, "confidence", "rule"] == list(COLUMNS)


def test_empty_text_gives_an_empty_frame_with_every_column() -> None:
    frame = extract_text("")
    assert frame.height == 0 and frame.columns == list(COLUMNS)


@pytest.mark.parametrize("path", RAW, ids=[p.stem for p in RAW])
def test_quotes_stand_at_their_offsets_in_every_raw_plan(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    frame = extract_file(path)
    assert frame.height > 0
    for row in frame.iter_rows(named=True):
        assert text[row["char_start"]:row["char_end"]] == row["quote"]
        assert row["doc_id"] and row["city"] and row["target_year"]


def test_sidecar_supplies_ids_and_period(tmp_path: Path) -> None:
    plan = tmp_path / "demo-2024.txt"
    plan.write_text("新增企业10家。", encoding="utf-8")
    (tmp_path / "demo-2024.meta.yml").write_text("doc_id: demo-2024\ncity: Ningbo\nperiod_start: 2024\n"
                                                 "period_end: 2026\n", encoding="utf-8")
    row = extract_file(plan).row(0, named=True)
    assert (row["doc_id"], row["city"], row["target_year"], row["base_year"]) == ("demo-2024", "Ningbo", 2026, 2023)
    assert extract_file(plan, doc_id="other")["doc_id"][0] == "other"


def test_gbk_file_offsets_point_into_the_decoded_text(tmp_path: Path) -> None:
    text = "到2020年,新增智能工厂10家,单位工业增加值能耗下降15%。"
    plan = tmp_path / "gbk.txt"
    plan.write_bytes(text.encode("gbk"))
    frame = extract_file(plan)
    assert frame["value"].to_list() == [10.0, 15.0]
    assert [text[s:e] for s, e in zip(frame["char_start"], frame["char_end"])] == frame["quote"].to_list()


def test_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="missing.txt"):
        extract_file(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00\x00")
    with pytest.raises(ExtractError, match="bad.txt.*NUL"):
        extract_file(bad)


def test_importing_the_extractor_does_not_import_matplotlib() -> None:
    import subprocess

    code = "import sys, mfgpolicy.extract; print(any(m.startswith('matplotlib') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_frame_types() -> None:
    frame = extract_text("到2022年,新增企业10家。", period=(2021, 2023))
    assert frame.schema["value"] == pl.Float64 and frame.schema["per_year"] == pl.Boolean
    assert frame.schema["char_start"] == pl.Int64


def test_every_field_the_extractor_fills_is_a_column() -> None:
    from mfgpolicy.extract.core import ROW_FIELDS

    assert set(ROW_FIELDS) <= set(COLUMNS), set(ROW_FIELDS) - set(COLUMNS)
    assert len(set(ROW_FIELDS)) == len(ROW_FIELDS)
