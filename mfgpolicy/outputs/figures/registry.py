"""The figures of the project, by name: what each shows and where its function lives.

Importing this module imports no matplotlib, so ``mfgpolicy figures --help`` stays fast; the
figure functions are imported when one is drawn (``figure_function``).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from mfgpolicy.errors import UnknownChoiceError

FIGURES: dict[str, tuple[str, str]] = {
    "headline": ("fig_headline", ("annualised headline targets per city (labour productivity, energy intensity, "
                                  "R&D/GDP, firms' R&D/revenue); floors, '~' and non-comparable cities shown")),
    "timelines": ("fig_timelines", "which plan covers which years, with base and target years"),
    "annex": ("fig_annex", "Ningbo 2016 annex: 2015 baseline -> 2019 target, per indicator"),
    "coverage": ("fig_coverage", "which city sets which indicator"),
    "paths": ("fig_paths", "implied paths: energy intensity (index) and R&D shares (values)"),
    "achievement": ("fig_achievement", ("targets against outcomes observed in their target year: met, missed, "
                                        "or not comparable and why")),
    "escalation": ("fig_escalation", ("city targets beside the parent plan's: tighter, same, looser, or why not "
                                      "comparable")),
}
"""Figure name -> (function name in ``mfgpolicy.outputs.figures.<name>``, what it shows), in number order."""

LANGS = ("en", "zh")


def figure_function(name: str) -> Callable[..., Any]:
    """Return the ``fig_*`` function of figure ``name`` (imports matplotlib).

    Examples
    --------
    >>> figure_function("paths").__name__
    'fig_paths'
    """
    if name not in FIGURES:
        raise UnknownChoiceError("figure", name, tuple(FIGURES))
    return getattr(import_module(f"mfgpolicy.outputs.figures.{name}"), FIGURES[name][0])


def figure_stem(name: str, lang: str = "en") -> str:
    """Return the file stem of a figure, numbered in ``FIGURES`` order.

    Examples
    --------
    >>> figure_stem("annex", "zh")
    'fig3_annex_zh'
    """
    if name not in FIGURES:
        raise UnknownChoiceError("figure", name, tuple(FIGURES))
    if lang not in LANGS:
        raise UnknownChoiceError("lang", lang, LANGS)
    return f"fig{list(FIGURES).index(name) + 1}_{name}_{lang}"
