"""Harmonisation: turning targets as written into comparable yearly measures.

Pure functions, no I/O. Every derived number names the ``rule`` that produced it; where no
measure can be derived, ``comparable`` is false and ``why_not`` says why in plain language.
This docstring is the one place the rules are documented (the figures and the Excel summary
cite it).

Sign convention
---------------
``value`` in the curated tables is always non-negative; ``direction`` carries the sign. In the
harmonised measures a fall is negative: "下降18%" over 2015→2020 gives ``annualised_pct`` −3.89.

Span
----
``years = target_year − base_year``. Base years a plan implies but does not state (the year
before the plan period) are used and flagged by ``base_year_stated = false`` in ``targets``.
``plan_years = period_end − period_start + 1`` of the document.

Rules (the ``rule`` column)
---------------------------
``stated_annual_rate``
    ``annual_growth``: the stated yearly rate, signed (年均增长8% → +8). ``pp_per_year`` empty.
``one_year_rate``
    ``annual_growth`` over a single year (Wenzhou's 2018 work points, Ningbo's 2022 figures):
    that year's rate, signed.
``compound_from_cumulative``
    ``change_over_period`` in percent: the compound annual rate
    ``((1 + c/100) ** (1/years) − 1) × 100`` with ``c`` the signed cumulative change
    (−18% over 5 years → −3.89% a year).
``pp_from_cumulative``
    ``change_over_period`` in percentage points: ``pp_per_year = c / years``.
``implied_from_baseline``
    ``level`` with a stated baseline value: the implied compound rate
    ``((target / base) ** (1/years) − 1) × 100`` and, for shares and rates (unit %), the change in
    percentage points per year ``(target − base) / years`` (1.5% → 1.75% over 2015→2019:
    +3.93% a year, +0.0625 pp a year).
``count_per_year``
    ``count``/``amount`` of new things over several years: ``per_year_value = value / years``
    (三年…100项 → 33.3 a year); ``plan_total_value = value``.
``count_times_years``
    ``count``/``amount`` stated per year (每年…10项): ``plan_total_value = value × years``
    (the plan's length, when the plan states no base year); ``per_year_value = value``.

Not comparable (``why_not``)
----------------------------
* a level or stock with no stated baseline value (a plan gives where to get to, not where from);
* a change or count with no base year or target year;
* a zero or negative baseline (no growth rate exists).
Scopes that differ (规上工业 vs 规上制造业) do not block a measure; ``mfgpolicy.comparison`` flags
them in ``scope_note`` because they are different populations.

Bounds: the interval a target commits to (``bound_low``, ``bound_high``)
-----------------------------------------------------------------------
Hedges and comparators are carried, never dropped. On the scale of ``value`` as written:

* ``=`` a point: ``[value, value]``;
* ``>=`` (以上, 突破, 不低于) a floor: ``[value, open)`` — ``bound_high`` is empty;
* ``<=`` (以内, 不超过) a ceiling: ``(open, value]`` — ``bound_low`` is empty;
* ``~`` (左右) about: a band of ±``ABOUT_BAND`` (5%) of the value, ``[0.95 v, 1.05 v]``;
* ``range`` (3-5家): ``[value, value_high]``.

``bound`` names the shape (point, floor, ceiling, about, range). The hedge sets ``commitment``:
``firm`` for 确保 (ensure), ``aspirational`` for 力争/争取/努力 (strive, seek), ``stated`` otherwise;
hedges do not move the bounds. A ``>=`` target's annualised rate is likewise a floor.

Plan vintage
------------
``plan_vintage`` names the national Five-Year-Plan period that contains the target year
(13th FYP 2016–2020, 14th FYP 2021–2025, …).
"""

from __future__ import annotations

from mfgpolicy.harmonise.rates import annualise, cumulate, five_year_plan, implied_path, implied_rate, pp_per_year
from mfgpolicy.harmonise.table import harmonise, target_paths

__all__ = ["annualise", "cumulate", "five_year_plan", "harmonise", "implied_path", "implied_rate", "pp_per_year",
           "target_paths"]
