"""Panel exports: every format reads back with the same numbers and merges on the GB/T 2260 code."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pyreadstat
import pytest
from polars.testing import assert_frame_equal

from mfgpolicy import safecsv
from mfgpolicy.catalog import connect, in_memory
from mfgpolicy.cli.outputs import export
from mfgpolicy.errors import MfgPolicyError, UnknownChoiceError
from mfgpolicy.outputs.panel import CODEBOOK, PANEL_FORMATS, VARIABLE_LABELS, panel_frames, to_panel
from tests.conftest import CURATED, PROJECT

CODES = {330200: "Ningbo", 330300: "Wenzhou", 330700: "Jinhua", 330281: "Yuyao"}
"""GB/T 2260 codes as a user would type them from the national code list."""
CITY_ZH = {"宁波", "温州", "金华", "余姚"}


@pytest.fixture(scope="module")
def con():
    return connect()


@pytest.fixture(scope="module")
def frames(con) -> dict[str, pl.DataFrame]:
    return panel_frames(con)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, con) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("panel")
    files = {}
    for fmt in PANEL_FORMATS:
        for path in to_panel(out, fmt=fmt, con=con):
            files[path.name] = path
    return files


def _columns(con, table: str) -> set[str]:
    return {r[0] for r in con.sql(f"DESCRIBE {table}").fetchall()}


def test_database_has_the_columns_the_panel_needs(con) -> None:
    missing = {"bound_low", "bound_high", "plan_vintage"} - _columns(con, "targets_harmonised")
    assert not missing, f"targets_harmonised lacks {missing}: the lead's harmonise change has not landed"
    assert "gb2260_code" in _columns(con, "cities"), "cities.csv lacks gb2260_code"


def test_one_row_per_canonical_target_and_path_year(frames) -> None:
    canonical = pl.read_csv(CURATED / "targets.csv", infer_schema=False).filter(pl.col("same_as").is_null())
    panel = frames["targets_panel"]
    assert frames["targets_canonical"].height == canonical.height
    assert sorted(frames["targets_canonical"]["target_id"]) == sorted(canonical["target_id"])
    assert set(panel["target_id"]) == set(canonical["target_id"])
    assert not panel.select(pl.struct("target_id", "year").is_duplicated().any()).item()
    at_target = panel.filter(pl.col("is_target_year") == 1)
    assert at_target.height == canonical.height
    assert (at_target["year"] == at_target["target_year"]).all()


def test_a_cumulative_cut_spans_base_to_target_year(frames) -> None:
    # Yuyao: 单位工业增加值能耗比2015年下降18%以上 by 2020 → index 100 in 2015, 82 in 2020.
    rows = frames["targets_panel"].filter(pl.col("target_id") == "yuyao-2018-t007").sort("year")
    assert rows["year"].to_list() == [2015, 2016, 2017, 2018, 2019, 2020]
    assert rows["path_index"][0] == pytest.approx(100.0) and rows["path_index"][-1] == pytest.approx(82.0)
    assert rows["path_index"][1] == pytest.approx(100 * 0.82 ** (1 / 5))
    assert rows["annualised_pct"].to_list() == pytest.approx([(0.82 ** 0.2 - 1) * 100] * 6)
    assert rows["is_target_year"].to_list() == [0, 0, 0, 0, 0, 1]
    first = rows.row(0, named=True)
    assert (first["gb2260_code"], first["parent_code"], first["city_zh"]) == (330281, 330200, "余姚")
    assert (first["comparator"], first["bound_low"], first["bound_high"]) == (">=", 18.0, None)


def test_a_share_with_a_baseline_has_a_linear_value_path(frames) -> None:
    # Ningbo R&D share 1.5% (2015) → 1.75% (2019): +0.0625 pp a year.
    rows = frames["targets_panel"].filter(pl.col("target_id") == "ningbo-2016-t244").sort("year")
    assert rows["path_value"].to_list() == pytest.approx([1.5, 1.5625, 1.625, 1.6875, 1.75])
    assert rows["path_index"][-1] == pytest.approx(100 * 1.75 / 1.5)
    assert rows["pp_per_year"][0] == pytest.approx(0.0625)


def test_a_target_without_a_path_has_one_row_with_its_bounds(frames) -> None:
    # Ningbo: 市级[创新中心]5家左右 → about, [4.75, 5.25]; 千吨级石墨烯微片 → a floor of 1000 t, [1000, open).
    rows = frames["targets_panel"].filter(pl.col("target_id") == "ningbo-2016-t019")
    assert rows.height == 1
    row = rows.row(0, named=True)
    assert row["year"] == row["target_year"] and row["path_index"] is None
    assert (row["bound_low"], row["bound_high"], row["unit"]) == (pytest.approx(4.75), pytest.approx(5.25), "家")
    graphene = frames["targets_panel"].filter(pl.col("target_id") == "ningbo-2016-t004").row(0, named=True)
    assert (graphene["bound_low"], graphene["bound_high"], graphene["bound"]) == (1000.0, None, "floor")


def test_parquet_reads_back_identical(frames, written) -> None:
    for name, frame in frames.items():
        assert_frame_equal(pl.read_parquet(written[f"{name}.parquet"]), frame)


def test_csv_reads_back_with_the_same_values_and_no_bom(frames, written) -> None:
    for name, frame in frames.items():
        path = written[f"{name}.csv"]
        assert path.read_bytes().startswith(b"gb2260_code,")
        back = safecsv.restore_frame(pl.read_csv(path, schema=frame.schema))  # formula-like text is marked
        assert_frame_equal(back, frame)
        raw = pl.read_csv(path, infer_schema=False)
        assert "=" in raw["comparator"].to_list()  # a lone "=" computes nothing and stays as curated
        text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
        cells = [c for col in text for c in raw[col].to_list() if c]
        assert not [c for c in cells if len(c) > 1 and c.startswith(safecsv.FORMULA_START)]
        inferred = pl.read_csv(path, infer_schema_length=None)
        assert inferred["gb2260_code"].dtype.is_integer() and inferred["target_year"].dtype.is_integer()


def test_dta_reads_back_with_the_same_values(frames, written) -> None:
    for name, frame in frames.items():
        data, _ = pyreadstat.read_dta(str(written[f"{name}.dta"]))
        assert list(data.columns) == frame.columns
        for column, dtype in frame.schema.items():
            got = data[column].tolist()
            want = frame[column].to_list()
            if dtype == pl.String:  # Stata has no missing string: "" stands for it
                assert got == [v if v is not None else "" for v in want], (name, column)
            else:
                got = [None if pd.isna(v) else v for v in got]
                assert got == want, (name, column)


def test_dta_is_stata_14_format_with_labels_and_chinese_text(frames, written) -> None:
    for name, frame in frames.items():
        path = written[f"{name}.dta"]
        assert path.read_bytes()[:40] == b"<stata_dta><header><release>118</release"
        data, meta = pyreadstat.read_dta(str(path))
        assert meta.column_names_to_labels == {c: VARIABLE_LABELS[c] for c in frame.columns}
        assert all(len(label) <= 80 for label in meta.column_labels)
        assert all(len(c) <= 32 and c.isidentifier() for c in meta.column_names)
        assert meta.file_label.startswith("mfgpolicy: ")
        assert set(data["city_zh"]) == CITY_ZH
        integers = [c for c, dtype in frame.schema.items() if dtype.is_integer()]
        assert {c: meta.readstat_variable_types[c] for c in integers} == dict.fromkeys(integers, "int32"), name
    canonical, _ = pyreadstat.read_dta(str(written["targets_canonical.dta"]))
    yuyao = canonical.set_index("target_id").loc["yuyao-2018-t007"]
    assert yuyao["quote"] == frames["targets_canonical"].filter(pl.col("target_id") == "yuyao-2018-t007")["quote"].item()
    assert "能耗" in yuyao["quote"]


def test_every_format_merges_on_the_code_without_cleaning(frames, written) -> None:
    # A user's own city-year data, keyed by the official codes typed in by hand.
    city_year = pd.DataFrame([(code, year, name) for code, name in CODES.items() for year in range(2010, 2031)],
                             columns=["gb2260_code", "year", "my_city"])
    readers = {
        "csv": lambda p: pl.read_csv(p).to_pandas(),
        "parquet": lambda p: pl.read_parquet(p).to_pandas(),
        "dta": lambda p: pyreadstat.read_dta(str(p))[0],
    }
    n_rows = frames["targets_panel"].height
    for fmt, read in readers.items():
        panel = read(written[f"targets_panel.{fmt}"])
        assert pd.api.types.is_integer_dtype(panel["gb2260_code"]) and pd.api.types.is_integer_dtype(panel["year"]), fmt
        merged = panel.merge(city_year, on=["gb2260_code", "year"], how="left", validate="m:1", indicator=True)
        assert len(merged) == n_rows and (merged["_merge"] == "both").all(), fmt
        assert (merged["my_city"] == merged["city"]).all(), fmt
        # The same with polars, as an R/dplyr-style join would do it.
        joined = pl.from_pandas(panel[["gb2260_code", "year", "city"]]).join(
            pl.from_pandas(city_year), on=["gb2260_code", "year"], how="inner")
        assert joined.height == n_rows and (joined["my_city"] == joined["city"]).all(), fmt


def test_codebook_lists_every_variable_with_its_label(frames, written) -> None:
    book = pl.read_csv(written[CODEBOOK])
    assert book.columns == ["table", "variable", "type", "label", "unit", "description"]
    for name, frame in frames.items():
        rows = book.filter(pl.col("table") == name)
        assert rows["variable"].to_list() == frame.columns
        assert rows["label"].to_list() == [VARIABLE_LABELS[c] for c in frame.columns]
    types = dict(zip(book["variable"], book["type"]))
    assert (types["gb2260_code"], types["comparable"], types["value"], types["city"]) == (
        "integer", "integer (1/0)", "number", "string")


def test_a_missing_column_is_named(con) -> None:
    broken = in_memory(PROJECT)
    broken.execute("CREATE OR REPLACE VIEW targets_harmonised AS "
                   "SELECT * EXCLUDE (bound_low) FROM comparison_rows WHERE target_id IS NOT NULL")
    with pytest.raises(MfgPolicyError, match=r"targets_harmonised\.bound_low"):
        panel_frames(broken)


def test_a_failed_write_leaves_the_previous_file(con, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = to_panel(tmp_path, fmt="dta", con=con)[0]
    before = first.read_bytes()
    monkeypatch.setitem(VARIABLE_LABELS, "city", "x" * 81)
    with pytest.raises(MfgPolicyError, match="over 80 characters"):
        to_panel(tmp_path, fmt="dta", con=con)
    assert first.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["targets_panel.dta", "targets_canonical.dta", CODEBOOK])


def test_run_panel_export_writes_to_a_folder_and_checks_the_format(tmp_path: Path) -> None:
    written = export("parquet", tmp_path / "out", con=connect(), project=PROJECT)
    assert [p.name for p in written] == ["targets_panel.parquet", "targets_canonical.parquet", CODEBOOK]
    assert all(p.exists() for p in written)
    with pytest.raises(UnknownChoiceError, match="format must be one of"):
        export("sav", tmp_path, con=connect(), project=PROJECT)
