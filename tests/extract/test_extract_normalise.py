"""Decoding and normalising: scripts, widths, encodings, offsets kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfgpolicy.extract import ExtractError
from mfgpolicy.extract.normalise import decode, normalise
from mfgpolicy.extract.numbers import arabic_numbers, chinese_numbers


@given(st.text())
def test_normalise_keeps_length(text: str) -> None:
    assert len(normalise(text)) == len(text)


def test_normalise_folds_script_and_width() -> None:
    assert normalise("力爭到２０２３年，規上工業畝均稅收３０萬元／人，佔比６０％") == "力争到2023年,规上工业亩均税收30万元/人,占比60%"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030"])
def test_decode_detects(encoding: str) -> None:
    text = "到2020年,新增企业10家。"
    decoded, used = decode(text.encode(encoding), "plan.txt")
    assert decoded == text
    assert used == ("utf-8" if encoding == "utf-8" else "gb18030")


def test_decode_with_named_encoding_and_bom() -> None:
    assert decode("新增10家".encode("big5"), "p.txt", "big5")[0] == "新增10家"
    assert decode("\ufeff新增".encode("utf-8"), "p.txt")[0] == "\ufeff新增"
    assert decode("新增".encode("utf-16"), "p.txt")[0] == "新增"


@pytest.mark.parametrize(
    ("data", "encoding", "message"),
    [
        (b"\x00\x01binary", None, "NUL bytes"),
        (b"\xff\xfe\xfd\x80\x80", "utf-8", "not valid utf-8"),
        (b"abc", "no-such-codec", "unknown encoding"),
        (bytes([0x81, 0x30, 0xff]) * 3, None, "neither UTF-8 nor GB18030"),
    ],
)
def test_decode_errors_name_the_file(data: bytes, encoding: str | None, message: str) -> None:
    with pytest.raises(ExtractError, match=message) as info:
        decode(data, "plans/x.txt", encoding)
    assert "plans/x.txt" in str(info.value)


def test_numbers_ranges_years_and_chinese() -> None:
    assert [(n.value, n.value_high) for n in arabic_numbers("3-5场、2018-2020年、1,200亿元")] == [
        (3.0, 5.0), (2018.0, None), (2020.0, None), (1200.0, None)]
    assert [n.value for n in chinese_numbers("三年、十大、两个、一批、三四")] == [3.0, 10.0, 2.0]


def test_code_point_table_agrees_with_opencc_one_character_at_a_time() -> None:
    """The table gives what width folding then OpenCC ``t2s`` per character gave, for every
    character of the Basic Multilingual Plane (the reference is ``simplify_char``)."""
    from mfgpolicy.extract.normalise import _WIDTH, code_point_table, simplify_char

    table = code_point_table()
    wrong = []
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        expected = chr(_WIDTH[cp]) if cp in _WIDTH else simplify_char(ch)
        if chr(table[cp]) != expected:
            wrong.append((ch, chr(table[cp]), expected))
    import numpy as np

    changed = (np.flatnonzero(table[0x10000:] != np.arange(0x10000, 0x110000)) + 0x10000).tolist()  # ext. B …
    wrong += [(chr(cp), chr(table[cp]), simplify_char(chr(cp))) for cp in changed
              if chr(table[cp]) != simplify_char(chr(cp))]
    assert wrong == []
    assert changed


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_normalise_is_width_folding_then_simplify_char(text: str) -> None:
    from mfgpolicy.extract.normalise import _WIDTH, simplify_char

    assert normalise(text) == "".join(simplify_char(ch) for ch in text.translate(_WIDTH))


def test_opencc_is_asked_only_about_the_characters_a_text_holds() -> None:
    from mfgpolicy.extract.normalise import _WIDTH, _table, simplify_char

    _table.cache_clear()
    try:
        text = "力爭到２０２３年，規上工業畝均稅收２２萬元；臺灣"
        assert normalise(text) == "".join(simplify_char(ch) for ch in text.translate(_WIDTH))
        _, unasked = _table()
        assert not unasked[[ord(ch) for ch in "爭規業畝稅萬臺灣"]].any()
        assert unasked.sum() > 3000  # the rest of the dictionaries: not asked yet
        assert normalise("乾隆") == simplify_char("乾") + "隆"
    finally:
        _table.cache_clear()
