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
``years = target_year − base year``, the base year stated in the plan or implied by it (the year
before the plan period, flagged ``base_year_stated = false`` in ``targets``), or the base year of a
baseline the plan's targets imply. ``plan_years = period_end − period_start + 1`` of the document.

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
    ``level`` (or a stock) with a baseline the plan states: the implied compound rate
    ``((target / base) ** (1/years) − 1) × 100``; for shares (unit %) also the change in percentage
    points per year ``(target − base) / years`` (1.5% → 1.75% over 2015→2019: +3.93% a year,
    +0.0625 pp a year), for indices (unit ``index``) ``points_per_year`` likewise.
``implied_from_plan_baseline``
    The same arithmetic from a baseline the plan's *other* targets imply (the curated table
    ``implications``, arithmetic in ``mfgpolicy.harmonise.implied``): a stock less its yearly
    flows (Jinhua's robots: 2.5万台 in 2023 less 3000 a year → 1.6万台 in 2020, +16.0% a year), or
    a level the plan says to keep (保持60%左右 → no change). ``base_source`` says which, and
    ``base_used`` holds the number; ``base_value`` keeps only what the plan states.
``count_per_year``
    ``count``/``amount`` of new things over several years: ``per_year_value = value / years``
    (三年…100项 → 33.3 a year); ``plan_total_value = value``.
``count_times_years``
    ``count``/``amount`` stated per year (每年…10项): ``plan_total_value = value × years``
    (the plan's length, when the plan states no base year); ``per_year_value = value``.

Not comparable (``why_not``)
----------------------------
* a level or stock with no baseline, stated or implied (a plan gives where to get to, not where from);
* a change or count with no base year or target year;
* a zero or negative baseline (no growth rate exists).

Sensitivity: the range across the documented conventions
---------------------------------------------------------
Each measure is computed under every convention a reader could defend, and its range kept
beside it, in the same unit and sign: ``sensitivity_low``/``sensitivity_high`` for
``annualised_pct`` (compound or linear; over ``years``, over the plan's own period, and over the
years the text says its effort covers, curated in ``plan_spans`` — Ningbo 2016's 通过3年建设,
2017–2019), ``pp_sensitivity_low``/``_high`` for ``pp_per_year`` and ``per_year_low``/``_high``
for counts (per year over ``years`` or over the plan's stated number of years). The range always
holds the central value (checked after every run). Ningbo 2016's −15% energy cut: −3.98% a year
compound over 2015→2019, −5.27% over the 3-year effort, −3.75% linear: ``[−5.27, −3.75]``.

Bounds: the interval a target commits to (``bound_low``, ``bound_high``)
-----------------------------------------------------------------------
Hedges and comparators are carried, never dropped; their vocabulary (the bound each comparator
implies, the ±5% band of 左右, the commitment of each hedge) is in ``mfgpolicy.vocab``. A point
stated again elsewhere in the same plan as a floor or ceiling of the same value becomes that
floor or ceiling (Ningbo 2016's annex 15% and its body's 下降15%以上), said in ``bound_note``.

Context for comparisons
-----------------------
``horizon`` (one year, multi-year, or a level at the target year), ``form`` (rate, level, flow
of new things, stock), ``base_unit``/``unit_factor`` (万台 → 台 × 10 000), ``denominator`` (the
ratio's denominator as the indicator's words name it: 主营业务收入, 营业收入, GDP, 工业增加值 …)
and ``price_basis`` (the indicator's; "unstated" unless a source states it). ``plan_vintage``
names the national Five-Year-Plan period that contains the target year (13th FYP 2016–2020,
14th FYP 2021–2025, …). ``mfgpolicy.comparison`` turns the differences among compared rows
into ``caveats``.

Ranking measure
---------------
``rank_measure`` is what a ranking orders by: percentage points a year for shares (indicator
unit %), index points a year for indices, percent a year for other rates, new things a year (in
the base unit) for flows, the value for levels and stocks (ranked only when asked).
``rank_group`` joins the measure and, for counts and levels, the base unit: rows rank only
within one group. ``rank_low``/``rank_high`` span the measure across the conventions and the
commitment's bounds (a 左右 band, a range), so a ranking can say whether an order is robust.
"""

from __future__ import annotations

from mfgpolicy.harmonise.rates import annualise, cumulate, five_year_plan, implied_path, implied_rate, pp_per_year
from mfgpolicy.harmonise.table import harmonise, measure, target_paths

__all__ = ["annualise", "cumulate", "five_year_plan", "harmonise", "implied_path", "implied_rate", "measure",
           "pp_per_year", "target_paths"]
