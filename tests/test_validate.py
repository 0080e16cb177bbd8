"""Validation: the real data passes, and each kind of corruption is caught and located."""

from __future__ import annotations

from pathlib import Path

import pytest

from mfgpolicy.checks import Problem, check, validate
from mfgpolicy.cli import main
from mfgpolicy.errors import ValidationError
from tests.conftest import cell, edit_cell

# A headline target every version of the data has: Yuyao's labour productivity growth, 8% a year.
LP = "yuyao-2018-t001"


def _messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def test_real_data_is_valid() -> None:
    assert validate() == []


def test_copy_is_valid(project: Path) -> None:
    assert validate(project) == []


def test_edited_raw_file_fails_checksum(project: Path) -> None:
    raw = project / "data" / "raw" / "yuyao-2018-traditional-manufacturing.txt"
    raw.write_bytes(raw.read_bytes() + b"\n")
    problems = validate(project)
    assert any(p.column == "sha256" and "changed" in p.message and "raw files are never edited" in p.message
               for p in problems)


def test_shifted_offsets_are_caught(project: Path) -> None:
    start = int(cell("targets", LP, "char_start"))
    edit_cell(project, "targets", LP, "char_start", str(start + 1))
    [problem] = [p for p in validate(project) if p.row == LP]
    assert problem.table == "targets.csv" and problem.column == "quote"
    assert f"the quote stands at [{start}:" in problem.message


def test_quote_not_in_text_is_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "quote", "年均增长9%左右")
    problems = [p for p in validate(project) if p.row == LP]
    assert any("nowhere in the raw text" in p.message for p in problems)


def test_value_missing_from_quote_is_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "value", "9")
    [problem] = [p for p in validate(project) if p.row == LP]
    assert (problem.column, problem.value) == ("value", "9")
    assert "does not appear in the quote" in problem.message


def test_unknown_indicator_is_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "indicator_key", "labor_productivity")
    [problem] = [p for p in validate(project) if p.row == LP]
    assert problem.column == "indicator_key" and "not found in indicators.indicator_key" in problem.message


def test_unknown_document_and_city_are_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "city", "Hangzhou")
    problems = validate(project)
    assert any(p.row == LP and p.column == "city" and p.value == "Hangzhou" for p in problems)


def test_duplicate_id_is_caught(project: Path) -> None:
    other = "yuyao-2018-t002"
    edit_cell(project, "targets", other, "target_id", LP)
    problems = validate(project)
    assert sum(p.message == "duplicate id" for p in problems) == 2


def test_bad_types_are_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "target_year", "20x0")
    edit_cell(project, "targets", LP, "per_year", "yes")
    edit_cell(project, "targets", LP, "value", "eight")
    by_column = {p.column: p for p in validate(project) if p.row == LP}
    assert by_column["target_year"].message == "is not a valid integer"
    assert "write true or false" in by_column["per_year"].message
    assert by_column["value"].value == "eight"


def test_disallowed_values_are_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "kind", "growth")
    edit_cell(project, "targets", LP, "comparator", "≈")
    problems = {p.column: p for p in validate(project) if p.row == LP}
    assert "expected one of level, annual_growth" in problems["kind"].message
    assert problems["comparator"].value == "≈"


def test_missing_required_value_is_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "scope", None)
    [problem] = [p for p in validate(project) if p.row == LP]
    assert (problem.column, problem.message) == ("scope", "required value is empty")


def test_years_out_of_order_are_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "base_year", "2020")
    problems = [p for p in validate(project) if p.row == LP]
    assert any(p.column == "base_year" and "must be before target_year 2020" in p.message for p in problems)


def test_target_year_far_outside_plan_is_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "target_year", "2035")
    problems = [p for p in validate(project) if p.row == LP]
    assert any(p.column == "target_year" and "outside the plan period 2018-2020" in p.message for p in problems)


def test_edited_sidecar_makes_documents_csv_stale(project: Path) -> None:
    sidecar = project / "data" / "raw" / "wenzhou-2018-work-points.meta.yml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("title_en: Wenzhou", "title_en: The Wenzhou"),
                       encoding="utf-8")
    assert any("documents.csv" == p.table and "out of date" in p.message for p in validate(project))


def test_stale_datapackage_is_caught(project: Path) -> None:
    path = project / "data" / "curated" / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"targets"', '"goals"'), encoding="utf-8")
    assert any(p.table == "datapackage.json" for p in validate(project))


def test_unknown_column_is_caught(project: Path) -> None:
    path = project / "data" / "curated" / "places.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",population"] + [line + ",1" for line in lines[1:]]) + "\n",
                    encoding="utf-8")
    [problem] = validate(project)
    assert (problem.table, problem.column) == ("places.csv", "population")


def test_baseline_disagreement_is_caught(project: Path) -> None:
    from mfgpolicy.read.curated import read_table

    linked = read_table(project / "data" / "curated", "targets").drop_nulls("baseline_id").row(0, named=True)
    edit_cell(project, "targets", linked["target_id"], "base_value", "999")
    problems = [p for p in validate(project) if p.row == linked["target_id"]]
    assert any(p.column == "base_value" and f"differs from baselines {linked['baseline_id']}" in p.message
               for p in problems)


def test_every_problem_is_reported_at_once(project: Path) -> None:
    edit_cell(project, "targets", LP, "indicator_key", "nope")
    edit_cell(project, "targets", "yuyao-2018-t002", "kind", "nope")
    raw = project / "data" / "raw" / "jinhua-2021-phoenix-action.txt"
    raw.write_bytes(raw.read_bytes().replace("二".encode(), "三".encode(), 1))
    with pytest.raises(ValidationError) as info:
        check(project)
    problems = info.value.problems
    assert {p.row for p in problems} >= {LP, "yuyao-2018-t002"}
    assert any(p.column == "sha256" for p in problems)
    assert str(len(problems)) in str(info.value)


def test_cli_validate_exits_nonzero_and_names_the_cell(project: Path, capsys: pytest.CaptureFixture) -> None:
    edit_cell(project, "targets", LP, "value", "9")
    assert main(["validate", "--root", str(project)]) == 1
    out = capsys.readouterr().out
    assert f"targets.csv row {LP}" in out and "column value = '9'" in out


def test_cli_validate_passes_on_real_data(capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", "--full"]) == 0
    err = capsys.readouterr().err
    assert "validation passed" in err and "checked everything (--full)" in err


def test_wrong_city_code_is_caught(project: Path) -> None:
    edit_cell(project, "targets", LP, "city_code", "330200")
    [problem] = [p for p in validate(project) if p.row == LP]
    assert (problem.column, problem.value) == ("city_code", "330200")
    assert "GB/T 2260 code of Yuyao (330281)" in problem.message


def test_raw_file_that_is_not_utf8_is_reported_not_raised(project: Path) -> None:
    raw = project / "data" / "raw" / "wenzhou-2018-work-points.txt"
    raw.write_bytes(raw.read_text(encoding="utf-8").encode("gb18030"))
    problems = validate(project)
    assert any("is not valid UTF-8" in p.message and p.table.endswith("wenzhou-2018-work-points.txt")
               for p in problems)
    assert any(p.column == "sha256" for p in problems)
