"""The Excel summary: read back by an independent reader, numbers equal to the database's."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from mfgpolicy.outputs.excel import SHEETS, to_excel
from tests.conftest import catalog_with


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    def formulas_in_notes(frames: dict[str, pl.DataFrame]) -> None:
        notes = {"yuyao-2018-t001": "=SUM(A1:A9)", "yuyao-2018-t002": "-18% is a fall"}
        frames["targets"] = frames["targets"].with_columns(
            notes=pl.col("target_id").replace_strict(notes, default=pl.col("notes")))

    con = catalog_with(formulas_in_notes)
    path = to_excel(tmp_path_factory.mktemp("xlsx") / "summary.xlsx", con=con)
    return path, con


def test_workbook_has_every_sheet(workbook: tuple[Path, object]) -> None:
    path, _ = workbook
    assert load_workbook(path).sheetnames == ["overview", *SHEETS]


def test_numbers_read_back_by_calamine_equal_the_database(workbook: tuple[Path, object]) -> None:
    path, con = workbook
    for sheet in ("headline", "targets", "baselines"):
        read = pl.read_excel(path, sheet_name=sheet, engine="calamine")
        expected = con.sql(SHEETS[sheet]).pl()
        assert read.height == expected.height, sheet
        for column in ("value", "annualised_pct", "pp_per_year", "base_value", "target_year", "char_start"):
            if column in expected.columns:
                got = read[column].cast(pl.Float64).to_list()
                want = expected[column].cast(pl.Float64).to_list()
                assert got == pytest.approx(want, nan_ok=True), (sheet, column)


def test_quotes_and_notes_that_look_like_formulas_stay_text(workbook: tuple[Path, object]) -> None:
    path, _ = workbook
    sheet = load_workbook(path)["targets"]
    header = [c.value for c in sheet[1]]
    notes = header.index("notes")
    cells = {row[0].value: row[notes] for row in sheet.iter_rows(min_row=2)}
    assert cells["yuyao-2018-t001"].value == "=SUM(A1:A9)" and cells["yuyao-2018-t001"].data_type == "s"
    assert cells["yuyao-2018-t002"].value == "-18% is a fall" and cells["yuyao-2018-t002"].data_type == "s"


def test_sheets_are_formatted_for_people(workbook: tuple[Path, object]) -> None:
    path, _ = workbook
    sheet = load_workbook(path)["headline"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet["A1"].font.bold
    header = [c.value for c in sheet[1]]
    rate = sheet.cell(row=2, column=header.index("annualised_pct") + 1)
    assert "%" in rate.number_format


def test_a_failed_export_leaves_the_previous_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = to_excel(tmp_path / "summary.xlsx")
    before = path.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("openpyxl.Workbook.save", broken)
    with pytest.raises(RuntimeError):
        to_excel(path)
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["summary.xlsx"]


def test_overview_names_the_data_version(workbook: tuple[Path, object]) -> None:
    from mfgpolicy.versions import data_version

    path, _ = workbook
    rows = {r[0].value: r[1].value for r in load_workbook(path)["overview"].iter_rows()}
    assert rows["Data version"].startswith(data_version())
    assert data_version() in rows["How to cite"]
