"""Fixtures for the extractor's tests: short ways to ask what a sentence yields."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mfgpolicy.extract import extract_text

PERIOD = (2021, 2023)


def _proposed(text: str, period: tuple[int, int] | None = PERIOD) -> list[tuple[float, str]]:
    frame = extract_text(text, period=period)
    return list(zip(frame["value"].to_list(), frame["unit"].to_list()))


def _one(text: str, period: tuple[int, int] | None = PERIOD) -> dict:
    frame = extract_text(text, period=period)
    assert frame.height == 1, frame.select("value", "unit", "quote").rows()
    return frame.row(0, named=True)


@pytest.fixture
def proposed() -> Callable[..., list[tuple[float, str]]]:
    """``proposed(text)``: the ``(value, unit)`` of every candidate of ``text`` (plan 2021-2023)."""
    return _proposed


@pytest.fixture
def one() -> Callable[..., dict]:
    """``one(text)``: the single candidate of ``text`` as a dict (fails unless there is one)."""
    return _one
