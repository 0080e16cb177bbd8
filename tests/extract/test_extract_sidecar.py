"""Sidecars: the plain-line reading agrees with YAML's base loader, or hands over to it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mfgpolicy.extract import ExtractError
from mfgpolicy.extract.sidecar import Meta, read_meta
from mfgpolicy.read.sidecars import parse_sidecar, plain_fields
from tests.conftest import RAW

KEYS = st.sampled_from(["doc_id", "city", "period_start", "period_end", "title_zh", "notes", "date_issued", "yes",
                        "Doc_id", "a b", "- doc_id"])
VALUES = st.one_of(
    st.sampled_from(["jinhua-2021", "Jinhua", "2021", "2023", "0x10", "1_000", "yes", "No", "null", "~", "", "''",
                     '""', '"a"', "'b'", '"a"b"', "2021-01-01", "2023-02-30", "1.5", ".inf", "=", "<<", "a: b",
                     "a #b", "a:", "[1, 2]", "{a: 1}", "&x a", "*x", "!!str 1", "|", ">", "- x", "金华", "a\tb",
                     "“腾笼换鸟”", "(2018-2020年)", "0123", "12345", "x  ", "  y", "it's", 'a "b" c', '"a\\b"']),
    st.text(alphabet=st.sampled_from(list("aZ09-_ :#'\"\t金。,[]{}&*!|>%@`=<~.")), max_size=12),
)
LINE = st.one_of(st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]}: {kv[1]}" if kv[1] else f"{kv[0]}:"),
                 st.sampled_from(["", "# comment", "  indented: x", "---", "- item", "\ufeffdoc_id: x"]))


def _base_loader(text: str) -> dict | str:
    try:
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        return type(exc).__name__
    return {str(k): "" if v is None else v for k, v in data.items()} if isinstance(data, dict) else "not a mapping"


@settings(max_examples=1500, deadline=None)
@given(st.lists(LINE, max_size=8).map("\n".join))
@example("doc_id: jinhua-2021\ncity: Jinhua\nperiod_start: 2021\nperiod_end: 2023\n")
@example("doc_id: a\nnotes: x: y\n")
@example("doc_id: a #b\n")
@example("issuer: 余姚市人民政府 (Yuyao People's Government)\n")
@example('title: 宁波市建设“中国制造2025”试点示范城市实施方案\ndate_issued: "2016-09-30"\n')
@example("a:  \nb:   x  \nc: a:  \n")
@example('k: "a" b\n')
@example("k:x\n")
@example("k: 'it''s'\nl: \"a\\\\b\"\n")
@example("k: a\n\nk: b\n")
def test_plain_lines_read_as_the_yaml_base_loader_reads_them(text: str) -> None:
    data = plain_fields(text)
    if data is not None:
        assert data == _base_loader(text)


@pytest.mark.parametrize("sidecar", sorted(RAW.glob("*.meta.yml")), ids=lambda p: p.stem)
def test_the_project_sidecars_take_the_plain_reading(sidecar: Path) -> None:
    text = sidecar.read_text(encoding="utf-8")
    assert plain_fields(text) is not None
    assert parse_sidecar(text.encode(), sidecar.name) == _base_loader(text)


def test_anything_else_goes_to_yaml(tmp_path: Path) -> None:
    plan = tmp_path / "p.txt"
    sidecar = tmp_path / "p.meta.yml"
    sidecar.write_text("# a comment\ndoc_id: p-2020  # trailing\nperiod_start: 2018\nperiod_end: 2020\n", "utf-8")
    assert plain_fields(sidecar.read_text(encoding="utf-8")) is None
    assert read_meta(plan) == Meta("p-2020", "", (2018, 2020))
    sidecar.write_text("doc_id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="unreadable sidecar"):
        read_meta(plan)
    sidecar.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="YAML list"):
        read_meta(plan)
    sidecar.write_text("period_start: soon\nperiod_end: 2020\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="not years"):
        read_meta(plan)
    assert read_meta(tmp_path / "none.txt") == Meta()
