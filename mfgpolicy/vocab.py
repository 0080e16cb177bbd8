"""The vocabulary of targets, defined once: kinds, directions, comparators, hedges, bounds.

Everything that needs one of these words — the schema's allowed values, validation,
harmonisation, figures, the Excel column guide, the extractor — reads it from here.

Comparators and the bounds they imply
-------------------------------------
=========  ==========================  =========  =====================================
comparator words in the plans          bound      interval on the scale of ``value``
=========  ==========================  =========  =====================================
``=``      达到, 为 (a point)           point      ``[v, v]``
``>=``     以上, 突破, 不低于, 超过      floor      ``[v, open)``
``<=``     以内, 以下, 不超过            ceiling    ``(open, v]``
``~``      左右, 上下, 约               about      ``[(1 − ABOUT_BAND) v, (1 + ABOUT_BAND) v]``
``range``  3-5家                       range      ``[v, value_high]``
=========  ==========================  =========  =====================================

Hedges and the commitment they express
--------------------------------------
``确保`` (ensure) is **firm**; ``力争`` (strive), ``争取`` (seek), ``努力`` (endeavour) are
**aspirational**; ``争创`` (strive to win a designation, e.g. a national innovation centre
whose award another level of government decides) is **aspirational** too, recorded as its own
hedge because the outcome is not in the city's hands; no hedge is **stated**. Hedges never move
the bounds.
"""

from __future__ import annotations

KINDS = ("level", "annual_growth", "change_over_period", "count", "amount")
"""Form of a target: a level to reach, a yearly rate, a change over a period, new things, money."""

DIRECTIONS = ("increase", "decrease", "reach")

BASELINE_KINDS = ("level", "annual_growth", "change_over_period")
"""What a baseline value is: a level at its year, or a rate (growth over the previous year, a change over a period)."""

IMPLICATION_RULES = ("maintained", "stock_minus_flows", "base_from_cumulative_growth", "remaining_growth")
"""How two targets of one plan are read together (``mfgpolicy.harmonise.implied``)."""

BOUND_OF_COMPARATOR: dict[str, str] = {"=": "point", ">=": "floor", "<=": "ceiling", "~": "about", "range": "range"}
COMPARATORS = tuple(BOUND_OF_COMPARATOR)
BOUNDS = tuple(BOUND_OF_COMPARATOR.values())

COMPARATOR_WORDS: dict[str, dict[str, str]] = {
    "en": {"~": "about ", ">=": "at least ", "<=": "at most "},
    "zh": {"~": "左右", ">=": "以上", "<=": "以内"},
}
"""How a comparator is said beside a number (English before it, Chinese after it)."""

ABOUT_BAND = 0.05
"""Half-width of the band around a 左右 (about) target, as a share of its value."""

COMMITMENT_OF_HEDGE: dict[str, str] = {
    "": "stated", "确保": "firm", "力争": "aspirational", "争取": "aspirational", "努力": "aspirational",
    "争创": "aspirational",
}
HEDGES = tuple(COMMITMENT_OF_HEDGE)
COMMITMENTS = ("firm", "stated", "aspirational")

HEDGE_EN: dict[str, str] = {"确保": "ensure", "力争": "strive", "争取": "seek", "努力": "endeavour",
                            "争创": "strive to win"}

MORE_AMBITIOUS = ("higher", "lower")
SCRIPTS = ("simplified", "traditional")
DOMAINS = (
    "efficiency", "innovation", "green", "digital", "investment", "quality", "enterprise",
    "scale", "sector_output", "platform", "openness", "talent", "finance", "land", "services",
)
POPULATIONS = ("above_scale_industry", "above_scale_manufacturing", "industry", "manufacturing", "whole_economy",
               "firms", "sector", "varies")
PRICE_BASES = ("current", "comparable", "not_applicable", "unstated")
STOCK_OR_FLOW = ("stock", "flow", "ratio")
BINDING = ("binding", "indicative", "unknown")
PLACE_LEVELS = ("nation", "province", "prefecture", "county")

SOURCE_KINDS = ("statistical_communique", "government_work_report", "plan", "plan_review", "news", "aggregator",
                "statistical_yearbook", "statistical_release")
"""What an outside source is."""
SITES = ("issuer", "government", "news", "mirror", "aggregator")
"""Where it stands: the issuer's own site, another government site, a news site, a copy elsewhere, an aggregator."""
OBSERVATION_KINDS = ("level", "growth_yoy", "change_over_period", "average_annual_growth")
"""A level at a year; growth over the previous year; a change over a period; an average yearly rate over a period."""
PERIODS = ("full_year", "plan_period", "Q1", "H1", "Q1-Q3", "Jan-Feb", "Jan-Apr", "Jan-May", "Jan-Jul", "Jan-Aug",
           "Jan-Oct", "Jan-Nov")
"""What part of the year (or which span) an observation covers: the full year, a plan period (with its base year),
or the months from January (Q1 = Jan-Mar, H1 = Jan-Jun, Q1-Q3 = Jan-Sep)."""
PLAN_RELATIONS = ("implements", "follows_indicator_table")
"""How a plan we hold relates to a plan it names."""
ADMIN_LEVELS = ("province", "prefecture-level city", "county-level city")


def commitment(hedge: str | None) -> str:
    """Return the commitment a hedge expresses.

    Examples
    --------
    >>> commitment("确保"), commitment("争创"), commitment(None)
    ('firm', 'aspirational', 'stated')
    """
    return COMMITMENT_OF_HEDGE.get(hedge or "", "stated")


def with_comparator(text: str, comparator: str | None, lang: str = "en") -> str:
    """Say the comparator in words around ``text``.

    Examples
    --------
    >>> with_comparator("2.3%", ">="), with_comparator("2.3%", ">=", "zh")
    ('at least 2.3%', '2.3%以上')
    """
    word = COMPARATOR_WORDS[lang].get(comparator or "", "")
    return text + word if lang == "zh" else word + text
