"""Checks that need several columns or tables: years, kinds and units, restatements, baseline links, codes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import polars as pl

from mfgpolicy import schema
from mfgpolicy.checks.problems import Problem

TARGET_YEAR_SLACK = 6
"""How far past its period a plan may set a target year (Ningbo 2016–2019 has aims to 2025)."""

BASE_YEAR_SLACK = 10
"""How far before its period a plan may set a base year."""

RATE_KINDS = ("annual_growth", "change_over_period")

Rule = tuple[pl.Expr, str, Callable[[dict], str], Callable[[dict], str]]
"""A row check: (condition that flags a row, column, the value to show, the message)."""


def show(value: object) -> str:
    """Return a cell as text for a message ('' for empty; numbers without a trailing .0).

    Examples
    --------
    >>> show(8.0), show(None), show(2.5), show("x")
    ('8', '', '2.5', 'x')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def apply(frame: pl.DataFrame, rules: list[Rule], table: str = "targets.csv", key: str = "target_id"
          ) -> Iterator[Problem]:
    """Yield a Problem for every row each rule flags, rule by rule.

    Vectorised: every rule's condition is evaluated in one pass, and only flagged rows reach Python.
    """
    if not rules or frame.height == 0:
        return
    flags = frame.select(condition.fill_null(False).alias(f"_rule{i}") for i, (condition, *_) in enumerate(rules))
    hit = flags.select(pl.any_horizontal(pl.all())).to_series()
    if not hit.any():
        return
    frame, flags = frame.filter(hit), flags.filter(hit)
    for i, (_, column, value, message) in enumerate(rules):
        for row in frame.filter(flags[f"_rule{i}"]).iter_rows(named=True):
            yield Problem(table, row[key], column, value(row), message(row), row["_line"])


def _text(column: str) -> Callable[[dict], str]:
    return lambda row: show(row[column])


def _says(text: str) -> Callable[[dict], str]:
    return lambda row: text


def check_years(targets: pl.DataFrame, docs: pl.DataFrame) -> Iterator[Problem]:
    """Base year before target year, both plausible for the plan's period."""
    frame = targets.select("target_id", "doc_id", "base_year", "target_year", "_line").join(
        docs.select("doc_id", "period_start", "period_end"), on="doc_id", how="left", maintain_order="left")
    base, target = pl.col("base_year"), pl.col("target_year")
    start, end = pl.col("period_start"), pl.col("period_end")
    rules: list[Rule] = [
        (base >= target, "base_year", _text("base_year"), lambda r: f"must be before target_year {r['target_year']}"),
        (~target.is_between(start - 1, end + TARGET_YEAR_SLACK), "target_year", _text("target_year"),
         lambda r: f"outside the plan period {r['period_start']}-{r['period_end']} "
                   f"(allowed {r['period_start'] - 1}-{r['period_end'] + TARGET_YEAR_SLACK})"),
        (~base.is_between(start - BASE_YEAR_SLACK, end), "base_year", _text("base_year"),
         lambda r: f"implausible for the plan period {r['period_start']}-{r['period_end']}"),
    ]
    yield from apply(frame, rules)


def check_city_codes(name: str, frame: pl.DataFrame, places: pl.DataFrame) -> Iterator[Problem]:
    """``city_code`` is the GB/T 2260 code of the row's city, and the city is a city (not a province)."""
    table = schema.CURATED[name]
    codes = places.select(pl.col("place").alias("city"), pl.col("gb2260_code").alias("_code"),
                          pl.col("level").alias("_level"))
    joined = frame.select(table.primary_key, "city", "city_code", "_line").join(
        codes, on="city", how="inner", maintain_order="left")
    rules: list[Rule] = [
        (pl.col("city_code").is_not_null() & pl.col("_code").ne_missing(pl.col("city_code")), "city_code",
         _text("city_code"), lambda r: f"is not the GB/T 2260 code of {r['city']} ({show(r['_code'])})"),
        (~pl.col("_level").is_in(["prefecture", "county"]), "city", _text("city"),
         lambda r: f"is a {r['_level']}, not a city whose plans the data holds"),
    ]
    yield from apply(joined, rules, table=table.path, key=table.primary_key)


def check_places(places: pl.DataFrame) -> Iterator[Problem]:
    """Each place sits one level below its parent; every place but the nation has a code and a parent."""
    up = places.select(pl.col("place").alias("parent"), pl.col("level").alias("_plevel"))
    frame = places.join(up, on="parent", how="left", maintain_order="left")
    expected = {"province": "nation", "prefecture": "province", "county": "prefecture"}
    rules: list[Rule] = [
        ((pl.col("level") != "nation") & pl.col("parent").is_null(), "parent", _says(""),
         lambda r: f"a {r['level']} needs its parent"),
        ((pl.col("level") != "nation") & pl.col("gb2260_code").is_null(), "gb2260_code", _says(""),
         lambda r: f"a {r['level']} has a GB/T 2260 code"),
        (pl.col("_plevel").is_not_null() & (pl.col("_plevel") != pl.col("level").replace_strict(expected, default=None)),
         "parent", _text("parent"), lambda r: f"a {r['level']} sits in a {expected.get(r['level'], 'nothing')}, "
                                              f"not a {r['_plevel']}"),
    ]
    yield from apply(frame, rules, table="places.csv", key="place")


def check_target_logic(targets: pl.DataFrame) -> Iterator[Problem]:
    """Kinds agree with units and flags; ranges are ranges; restatements point at primaries."""
    kind, unit, value, high = pl.col("kind"), pl.col("unit"), pl.col("value"), pl.col("value_high")
    has_high, is_range = high.is_not_null(), pl.col("comparator") == "range"
    rules: list[Rule] = [
        (kind.is_in(RATE_KINDS) & unit.is_not_null() & ~unit.is_in(["%", "pp"]), "unit", _text("unit"),
         lambda r: f"a {r['kind']} target is a percentage or percentage points: unit must be % or pp"),
        ((kind == "annual_growth") & (unit == "pp"), "unit", _text("unit"),
         _says("an annual_growth target is a rate in %; a change of a share in points is change_over_period")),
        ((kind == "change_over_period") & pl.col("base_year").is_null(), "base_year", _says(""),
         _says("a change_over_period target needs a base_year (stated or implied)")),
        ((kind == "annual_growth") & pl.col("per_year").not_(), "per_year", _says("false"),
         _says("an annual_growth target is per year")),
        (pl.col("base_year").is_not_null() & pl.col("base_year_stated").is_null(), "base_year_stated", _says(""),
         _says("say whether the base year is stated (true) or implied (false)")),
        (has_high != is_range.fill_null(False), "comparator", _text("comparator"),
         _says("value_high is set exactly when comparator is range")),
        (has_high & (high <= value), "value_high", _text("value_high"), _says("must exceed value")),
        (value < 0, "value", _text("value"), _says("must be non-negative (direction carries the sign)")),
        (pl.col("same_as") == pl.col("target_id"), "same_as", _text("same_as"),
         _says("a target cannot be the same as itself")),
        (pl.col("conflicts_with") == pl.col("target_id"), "conflicts_with", _text("conflicts_with"),
         _says("a target cannot conflict with itself")),
        (pl.col("conflicts_with").is_not_null() & pl.col("same_as").is_not_null(), "conflicts_with",
         _text("conflicts_with"), _says("a restatement (same_as) cannot also conflict: link one or the other")),
    ]
    yield from apply(targets, rules)
    yield from _check_same_as(targets)
    yield from _check_conflicts(targets)


def _check_same_as(targets: pl.DataFrame) -> Iterator[Problem]:
    primary = targets.select(pl.col("target_id").alias("same_as"), pl.col("doc_id").alias("_pdoc"),
                             pl.col("indicator_key").alias("_pkey"), pl.col("same_as").alias("_psame"))
    linked = targets.select("target_id", "doc_id", "indicator_key", "same_as", "_line").filter(
        pl.col("same_as").is_not_null()).join(primary, on="same_as", how="inner", maintain_order="left")
    elsewhere = (pl.col("_pdoc") != pl.col("doc_id")) | (pl.col("_pkey") != pl.col("indicator_key"))
    secondary = pl.col("_psame").is_not_null()
    for row in linked.filter(elsewhere | secondary).iter_rows(named=True):
        if row["_pdoc"] != row["doc_id"] or row["_pkey"] != row["indicator_key"]:
            yield Problem("targets.csv", row["target_id"], "same_as", row["same_as"],
                          "points at a target of another document or indicator", row["_line"])
        if row["_psame"] is not None:
            yield Problem("targets.csv", row["target_id"], "same_as", row["same_as"],
                          f"points at a secondary row (which is itself same_as {row['_psame']}); point at the primary",
                          row["_line"])


def _check_conflicts(targets: pl.DataFrame) -> Iterator[Problem]:
    other = targets.select(pl.col("target_id").alias("conflicts_with"), pl.col("doc_id").alias("_odoc"),
                           pl.col("indicator_key").alias("_okey"), pl.col("value").alias("_ovalue"),
                           pl.col("comparator").alias("_ocmp"))
    linked = targets.filter(pl.col("conflicts_with").is_not_null()).join(other, on="conflicts_with", how="inner",
                                                                         maintain_order="left")
    rules: list[Rule] = [
        ((pl.col("_odoc") != pl.col("doc_id")) | (pl.col("_okey") != pl.col("indicator_key")), "conflicts_with",
         _text("conflicts_with"), _says("points at a target of another document or indicator")),
        (pl.col("_ovalue").eq_missing(pl.col("value")) & pl.col("_ocmp").eq_missing(pl.col("comparator")),
         "conflicts_with", _text("conflicts_with"),
         _says("states the same number and comparator: that is a restatement, link it with same_as")),
    ]
    yield from apply(linked, rules)


def check_baseline_kinds(baselines: pl.DataFrame) -> Iterator[Problem]:
    """A baseline that is a rate is in % (or pp)."""
    rules: list[Rule] = [
        (pl.col("kind").is_in(RATE_KINDS) & ~pl.col("unit").is_in(["%", "pp"]), "unit", _text("unit"),
         lambda r: f"a {r['kind']} baseline is a percentage: unit must be % or pp"),
    ]
    yield from apply(baselines, rules, table="baselines.csv", key="baseline_id")


def check_baseline_links(targets: pl.DataFrame, baselines: pl.DataFrame) -> Iterator[Problem]:
    """A target's ``base_value`` and ``base_year`` agree with the baseline it cites, from its own document."""
    base = baselines.select("baseline_id", pl.col("year").alias("_byear"), pl.col("value").alias("_bvalue"),
                            pl.col("doc_id").alias("_bdoc"), pl.col("kind").alias("_bkind"),
                            pl.col("indicator_key").alias("_bkey"), pl.col("unit").alias("_bunit"))
    frame = targets.filter(pl.col("baseline_id").is_not_null() | pl.col("base_value").is_not_null()).join(
        base, on="baseline_id", how="left", maintain_order="left")
    linked = pl.col("baseline_id").is_not_null() & pl.col("_byear").is_not_null()
    rules: list[Rule] = [
        (pl.col("base_value").is_not_null() & pl.col("baseline_id").is_null(), "baseline_id", _says(""),
         _says("base_value is set, so baseline_id must name its baselines row")),
        (linked & pl.col("_bvalue").ne_missing(pl.col("base_value")), "base_value", _text("base_value"),
         lambda r: f"differs from baselines {r['baseline_id']} value {show(r['_bvalue']) or '(empty or invalid)'}"),
        (linked & pl.col("_byear").ne_missing(pl.col("base_year")), "base_year", _text("base_year"),
         lambda r: f"differs from baselines {r['baseline_id']} year {show(r['_byear'])}"),
        (linked & (pl.col("_bdoc") != pl.col("doc_id")), "baseline_id", _text("baseline_id"),
         _says("baseline comes from another document")),
        (linked & (pl.col("_bkey") != pl.col("indicator_key")), "baseline_id", _text("baseline_id"),
         lambda r: f"baseline measures {r['_bkey']}, not {r['indicator_key']}"),
        (linked & pl.col("kind").is_in(["level", "count", "amount"]) & (pl.col("_bkind") != "level"), "baseline_id",
         _text("baseline_id"), lambda r: f"a {r['kind']} target needs a level baseline; this one is a {r['_bkind']}"),
        (linked & pl.col("kind").is_in(["level", "count", "amount"]) & (pl.col("_bunit") != pl.col("unit")), "unit",
         _text("unit"), lambda r: f"differs from the unit of baselines {r['baseline_id']} ({r['_bunit']})"),
    ]
    yield from apply(frame, rules)


def check_implications(implications: pl.DataFrame, targets: pl.DataFrame) -> Iterator[Problem]:
    """Each implication names targets of its own plan, of the kinds its rule reads together."""
    cols = ("doc_id", "indicator_key", "kind", "direction", "per_year", "target_year", "base_year")
    named = pl.concat([implications["target_id"], implications["other_target_id"]]).drop_nulls().unique()
    targets = targets.filter(pl.col("target_id").is_in(named.implode()))
    one = targets.select(pl.col("target_id"), *(pl.col(c).alias(f"_t_{c}") for c in cols))
    two = targets.select(pl.col("target_id").alias("other_target_id"), *(pl.col(c).alias(f"_o_{c}") for c in cols))
    frame = implications.join(one, on="target_id", how="left", maintain_order="left").join(
        two, on="other_target_id", how="left", maintain_order="left")
    rule, kind, okind = pl.col("rule"), pl.col("_t_kind"), pl.col("_o_kind")
    stock = kind.is_in(["level", "count", "amount"]) & (pl.col("_t_direction") == "reach")
    flow = okind.is_in(["count", "amount"]) & (pl.col("_o_direction") == "increase") & pl.col("_o_per_year")
    total = kind.is_in(["count", "amount"]) & (pl.col("_t_direction") == "increase") & ~pl.col("_t_per_year")
    expect = {
        "maintained": (stock & pl.col("_t_base_year").is_not_null(),
                       "a level to keep, with a (stated or implied) base year"),
        "stock_minus_flows": (stock & flow, "a stock to reach (target) and a yearly flow of new ones (other target)"),
        "base_from_cumulative_growth": (total & (okind == "annual_growth"),
                                        "an amount over the plan (target) and its yearly growth (other target)"),
        "remaining_growth": ((kind == "annual_growth") & (okind == "annual_growth")
                             & (pl.col("_t_target_year") < pl.col("_o_target_year")),
                             "a first-year rate (target) and an average rate over a longer period (other target)"),
    }
    rules: list[Rule] = [
        ((rule == name) & ~ok.fill_null(False), "rule", _text("rule"), _says(f"{name} reads {what}"))
        for name, (ok, what) in expect.items()
    ]
    rules += [
        ((rule != "maintained") & pl.col("other_target_id").is_null(), "other_target_id", _says(""),
         lambda r: f"rule {r['rule']} reads two targets: name the other one"),
        ((pl.col("_t_doc_id") != pl.col("doc_id")) | (pl.col("_o_doc_id") != pl.col("doc_id")), "doc_id",
         _text("doc_id"), _says("both targets must come from this plan")),
        (pl.col("other_target_id").is_not_null() & (pl.col("_t_indicator_key") != pl.col("_o_indicator_key")),
         "other_target_id", _text("other_target_id"), _says("the two targets measure different indicators")),
    ]
    yield from apply(frame, rules, table="implications.csv", key="implication_id")


def check_sources(sources: pl.DataFrame) -> Iterator[Problem]:
    """A source is an address someone can open."""
    rules: list[Rule] = [
        (~pl.col("url").str.contains(r"^https?://\S+$"), "url", _text("url"),
         _says("is not an http(s) address without spaces")),
    ]
    yield from apply(sources, rules, table="sources.csv", key="source_id")


def check_observations(observations: pl.DataFrame) -> Iterator[Problem]:
    """Years in order, rates in percent, a change with its base year, a derived value with its arithmetic."""
    kind, unit = pl.col("kind"), pl.col("unit")
    rules: list[Rule] = [
        (~pl.col("year").is_between(1990, 2035), "year", _text("year"), _says("is not a plausible year (1990-2035)")),
        (pl.col("base_year") >= pl.col("year"), "base_year", _text("base_year"),
         lambda r: f"must be before year {r['year']}"),
        (kind.is_in(["change_over_period", "average_annual_growth"]) & pl.col("base_year").is_null(), "base_year",
         _says(""), lambda r: f"a {r['kind']} needs the base year it is measured from"),
        (kind.is_in(["growth_yoy", "average_annual_growth"]) & (unit != "%"), "unit", _text("unit"),
         lambda r: f"a {r['kind']} is in %"),
        ((kind == "change_over_period") & ~unit.is_in(["%", "pp"]), "unit", _text("unit"),
         _says("a change_over_period is in % or pp")),
        (pl.col("derived") & pl.col("derivation").is_null(), "derivation", _says(""),
         _says("a derived value says how it was derived")),
    ]
    yield from apply(observations, rules, table="observations.csv", key="observation_id")


_COMPARATOR_WORDS = {">=": ("以上", "突破", "不低于", "超过", "至少"), "~": ("左右",), "<=": ("以内", "不超过", "以下")}


def check_cited_targets(cited: pl.DataFrame, documents: pl.DataFrame) -> Iterator[Problem]:
    """A cited target belongs to its plan's place and period; its comparator and hedge agree with its notes."""
    frame = cited.join(documents.select("cited_doc_id", pl.col("place").alias("_dplace"),
                                        pl.col("period_start").alias("_start"), pl.col("period_end").alias("_end")),
                       on="cited_doc_id", how="left", maintain_order="left")
    notes = pl.col("notes").fill_null("")
    said = {cmp: pl.any_horizontal(notes.str.contains(w, literal=True) for w in words)
            for cmp, words in _COMPARATOR_WORDS.items()}
    any_said = pl.any_horizontal(list(said.values()))
    agrees = pl.any_horizontal([said[c] & (pl.col("comparator") == c) for c in said])
    hedges = [h for h in ("力争", "争取", "确保", "努力", "争创")]
    hedge_said = pl.concat_list([pl.when(notes.str.contains(h, literal=True)).then(pl.lit(h)) for h in hedges]
                                ).list.drop_nulls()
    rules: list[Rule] = [
        (pl.col("_dplace").ne_missing(pl.col("place")), "place", _text("place"),
         lambda r: f"differs from its plan's place ({r['_dplace']})"),
        (~pl.col("target_year").is_between(pl.col("_start") - 1, pl.col("_end") + TARGET_YEAR_SLACK), "target_year",
         _text("target_year"), lambda r: f"outside the plan period {r['_start']}-{r['_end']}"),
        (pl.col("base_year") >= pl.col("target_year"), "base_year", _text("base_year"),
         lambda r: f"must be before target_year {r['target_year']}"),
        (pl.col("kind").is_in(RATE_KINDS) & ~pl.col("unit").is_in(["%", "pp"]), "unit", _text("unit"),
         lambda r: f"a {r['kind']} target is a percentage: unit must be % or pp"),
        (any_said & ~agrees & (pl.col("comparator") != "range"), "comparator", _text("comparator"),
         _says("disagrees with the comparator words its notes report (以上/突破 >=, 左右 ~, 以内 <=)")),
        ((hedge_said.list.len() > 0) & ~hedge_said.list.contains(pl.col("hedge").fill_null("")), "hedge",
         _text("hedge"), lambda r: "disagrees with the hedge word its notes report"),
    ]
    yield from apply(frame, rules, table="cited_targets.csv", key="cited_target_id")
