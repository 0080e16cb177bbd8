"""show_quotes: every quote shown whole, filtered by city and indicator, in English or Chinese."""

from __future__ import annotations

import html

import polars as pl
import pytest

import mfgpolicy as mp
from mfgpolicy.catalog import connect
from mfgpolicy.errors import UnknownChoiceError


@pytest.fixture(scope="module")
def con():
    return connect()


def test_quotes_are_whole_in_every_form_a_notebook_shows(con) -> None:
    table = mp.show_quotes(indicator_key="labour_productivity", con=con)
    expected = mp.quotes(indicator_key="labour_productivity", con=con)["quote"].to_list()
    assert len(table) == len(expected) >= 4
    shown = table._repr_html_()
    plain = table.to_html()
    text = repr(table)
    for quote in expected:
        assert html.escape(quote) in plain and quote in text
        assert quote in shown or html.escape(quote) in shown
    long = max(mp.quotes(con=con)["quote"].to_list(), key=len)
    assert len(long) > 30 and long in repr(mp.show_quotes(pl.DataFrame({"city": ["Ningbo"], "indicator_key": ["x"],
                                                                          "quote": [long]}), con=con))


def test_quotes_filter_by_city_and_indicator_and_take_a_compare_frame(con) -> None:
    both = mp.show_quotes(city=["Yuyao", "Jinhua"], indicator_key="energy_intensity", con=con)
    assert set(both.frame["city"]) == {"Yuyao", "Jinhua"}
    compared = mp.show_quotes(mp.compare("energy_intensity", con=con), city="Ningbo", lang="zh", con=con)
    assert compared.frame.columns == ["城市", "指标", "文件", "目标值", "目标年", "原文"]
    assert compared.frame.row(0)[:2] == ("宁波", "单位工业增加值能耗")
    with pytest.raises(UnknownChoiceError):
        mp.show_quotes(lang="fr", con=con)


def test_amounts_are_written_as_people_write_them(con) -> None:
    frame = mp.show_quotes(city="Jinhua", indicator_key="labour_productivity", con=con).frame
    assert frame["target"].to_list() == ["220k yuan per worker"]
