"""It never crashes on input: arbitrary text and bytes give candidates or a clear ExtractError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfgpolicy.extract import ExtractError, extract_file, extract_text

PLANLIKE = st.text(
    alphabet=st.sampled_from(list("0123456789０１２.%％-~—,，。;、:\n 　“”《》()（）〔〕年月日号到至比力争以上左右突破"
                                  "新增培育家项个台亿万元吨亩平方米人指标基数目标指数规上工业每年均各一二三十百千级")),
    max_size=300,
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    frame = extract_text(text)
    for row in frame.iter_rows(named=True):
        assert 0 <= row["char_start"] < row["char_end"] <= len(text)
        assert text[row["char_start"]:row["char_end"]] == row["quote"]
        assert row["value"] >= 0


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_unicode(text: str) -> None:
    _check(text)


@SETTINGS
@given(PLANLIKE)
def test_plan_like_noise(text: str) -> None:
    _check(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_candidates_or_a_clear_error(tmp_path_factory, data: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("junk")) / "junk.txt"
    path.write_bytes(data)
    try:
        frame = extract_file(path)
    except ExtractError as exc:
        assert "junk.txt" in str(exc)
    else:
        assert frame.columns[0] == "target_id"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert extract_file(path).height == 0


def test_very_long_line() -> None:
    text = "力争到2023年,新增企业10家以上、“125”工程,比2020年下降5%" * 4000
    frame = extract_text(text)
    assert frame.height == 8000  # 10家 and 5% each time; “125” is a label
    assert text[frame["char_start"][-1]:frame["char_end"][-1]] == frame["quote"][-1]


def test_very_long_line_without_punctuation() -> None:
    frame = extract_text("企" * 300_000 + "新增企业10家")
    assert frame["value"].to_list() == [10.0]
