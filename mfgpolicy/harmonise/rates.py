"""The harmonisation rules as scalar functions: the arithmetic, one target at a time.

``mfgpolicy.harmonise.table`` applies the same rules to a whole table (the tests check the two
agree); the rules themselves are documented in ``mfgpolicy.harmonise``.
"""

from __future__ import annotations

from typing import Literal

from mfgpolicy.errors import check_choice

PathRule = Literal["compound", "linear"]
PATH_RULES: tuple[PathRule, ...] = ("compound", "linear")
FIRST_FYP, FIRST_FYP_START = 12, 2011


def five_year_plan(year: int) -> str:
    """Return the national Five-Year-Plan period containing ``year``.

    Examples
    --------
    >>> five_year_plan(2019), five_year_plan(2023)
    ('13th FYP (2016-2020)', '14th FYP (2021-2025)')
    """
    number = FIRST_FYP + (year - FIRST_FYP_START) // 5
    start = FIRST_FYP_START + 5 * (number - FIRST_FYP)
    return f"{number}th FYP ({start}-{start + 4})"


def annualise(change_pct: float, years: float, *, rule: PathRule = "compound") -> float:
    """Return the yearly rate, in percent, implied by a change over several years.

    Parameters
    ----------
    change_pct
        Signed change over the whole period in percent: −18 for 比2015年下降18%.
    years
        Target year minus base year (2020 − 2015 = 5).
    rule
        "compound" (geometric, default) or "linear".

    Examples
    --------
    >>> round(annualise(-18, 5), 2)
    -3.89
    >>> annualise(-18, 5, rule="linear")
    -3.6
    """
    check_choice("rule", rule, PATH_RULES)
    if years <= 0:
        raise ValueError(f"years must be positive, got {years}")
    if change_pct <= -100:
        raise ValueError(f"a change of {change_pct}% leaves nothing to compound")
    if rule == "linear":
        return change_pct / years
    return ((1 + change_pct / 100) ** (1 / years) - 1) * 100


def cumulate(rate_pct: float, years: float) -> float:
    """Return the cumulative change, in percent, of a yearly rate compounded over ``years``.

    Examples
    --------
    >>> round(cumulate(8, 3), 2)
    25.97
    """
    return ((1 + rate_pct / 100) ** years - 1) * 100


def implied_rate(base_value: float, target_value: float, years: float) -> float:
    """Return the compound yearly growth, in percent, from ``base_value`` to ``target_value``.

    Examples
    --------
    >>> round(implied_rate(1.5, 1.75, 4), 2)
    3.93
    """
    if base_value <= 0 or target_value <= 0:
        raise ValueError("implied growth needs positive base and target values")
    return annualise((target_value / base_value - 1) * 100, years)


def pp_per_year(base_value: float, target_value: float, years: float) -> float:
    """Return the change in percentage points per year from one share to another.

    Examples
    --------
    >>> pp_per_year(1.5, 1.75, 4)
    0.0625
    """
    if years <= 0:
        raise ValueError(f"years must be positive, got {years}")
    return (target_value - base_value) / years


def implied_path(base_value: float, target_value: float, base_year: int, target_year: int,
                 *, rule: PathRule = "compound") -> list[tuple[int, float]]:
    """Return the year-by-year path from baseline to target, both ends included.

    Examples
    --------
    >>> [(y, round(v, 2)) for y, v in implied_path(100, 82, 2015, 2020)][:2]
    [(2015, 100.0), (2016, 96.11)]
    >>> implied_path(1.5, 1.75, 2015, 2019, rule="linear")[-1]
    (2019, 1.75)
    """
    check_choice("rule", rule, PATH_RULES)
    years = target_year - base_year
    if years <= 0:
        raise ValueError(f"target_year {target_year} must come after base_year {base_year}")
    path = []
    for step in range(years + 1):
        share = step / years
        if rule == "linear":
            value = base_value + (target_value - base_value) * share
        else:
            value = base_value * (target_value / base_value) ** share
        path.append((base_year + step, value))
    path[-1] = (target_year, target_value)
    return path
