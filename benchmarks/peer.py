"""The pandas peer: the same pipeline written the way an economist would write it.

Read the CSVs with ``pd.read_csv``, check and compute row by row with ``DataFrame.apply``
(and a loop for the year-by-year paths), join with ``merge``, rank with ``groupby``. It reads
``mfgpolicy.schema`` only for the column names, types and allowed values (the declaration, not
the implementation), and nothing else from the library.

Stages, each a plain function: ``validate(root)``, ``load(curated)``, ``harmonise(frames)``,
``headline(frames, harmonised)`` and ``ranks(frames, headline)``. Their outputs are asserted
equal to mfgpolicy's (``benchmarks.check``) before any time is printed.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from mfgpolicy import schema

HEADLINE_KEYS = ("labour_productivity", "energy_intensity", "rd_share_gdp", "rd_share_revenue")
ABOUT_BAND = 0.05
BOUND = {">=": "floor", "<=": "ceiling", "~": "about", "=": "point", "range": "range"}
COMMITMENT = {"确保": "firm", "力争": "aspirational", "争取": "aspirational", "努力": "aspirational", "争创": "aspirational"}
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
INTEGER = r"[+-]?\d+"

Problems = set[tuple[str, str, str]]
"""(table, row id, column): what both validators report, compared as sets."""


# --- validate ------------------------------------------------------------------------------

def validate(root: Path) -> Problems:
    """Return the problems in the project under ``root`` as (table, row id, column) triples."""
    raw, curated = Path(root) / "data" / "raw", Path(root) / "data" / "curated"
    problems: Problems = set()
    sidecars, texts = [], {}
    for path in sorted(raw.glob("*.meta.yml")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        meta = {k: "" if v is None else str(v) for k, v in meta.items()}
        txt = path.with_name(path.name[: -len(".meta.yml")] + ".txt")
        meta["raw_file"] = txt.name
        sidecars.append(meta)
        name, doc_id = f"data/raw/{path.name}", meta.get("doc_id", "")
        if not txt.exists():
            problems.add((name, doc_id, "raw_file"))
            continue
        data = txt.read_bytes()
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            problems.add((name, doc_id, "sha256"))
        for f in schema.DOCUMENTS.fields:
            if f.required and f.name != "raw_file" and not meta.get(f.name):
                problems.add((name, doc_id, f.name))
        if doc_id:
            texts[doc_id] = data.decode("utf-8")
    for txt in sorted(raw.glob("*.txt")):
        if not txt.with_name(txt.stem + ".meta.yml").exists():
            problems.add(("data/raw", "", ""))
    if (curated / "documents.csv").exists():
        expected = (pd.DataFrame(sidecars).reindex(columns=schema.DOCUMENTS.columns).fillna("")
                    .sort_values("doc_id").reset_index(drop=True).astype(str))
        actual = pd.read_csv(curated / "documents.csv", dtype=str, keep_default_na=False)
        if not expected.equals(actual.astype(str)):
            problems.add(("documents.csv", "", ""))
    dp = curated / "datapackage.json"
    if not dp.exists() or dp.read_bytes().decode("utf-8") != schema.datapackage_json():
        problems.add(("datapackage.json", "", ""))

    typed: dict[str, pd.DataFrame] = {}
    for name, table in schema.TABLES.items():
        path = curated / table.path
        if not path.exists():
            problems.add((table.path, "", ""))
            continue
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        problems |= {(table.path, "", c) for c in table.columns if c not in df.columns}
        problems |= {(table.path, "", c) for c in df.columns if c not in table.columns}
        df = df.reindex(columns=table.columns)
        problems |= _check_cells(table, df)
        typed[name] = _typed(table, df)
    problems |= _check_keys(typed)
    for name in ("targets", "baselines"):
        if name in typed:
            problems |= _check_quotes(schema.TABLES[name], typed[name], texts)
            if "places" in typed:
                problems |= _check_city_codes(schema.TABLES[name], typed[name], typed["places"])
    if "targets" in typed and "documents" in typed:
        problems |= _check_years(typed["targets"], typed["documents"])
        problems |= _check_logic(typed["targets"])
        if "baselines" in typed:
            problems |= _check_baselines(typed["targets"], typed["baselines"])
    return problems


def _valid(type_: str, s: pd.Series) -> pd.Series:
    if type_ == "integer":
        return s.str.strip().str.fullmatch(INTEGER).fillna(False).astype(bool)
    if type_ == "number":
        return pd.to_numeric(s.str.strip(), errors="coerce").notna()
    if type_ == "boolean":
        return s.isin(["true", "false"])
    if type_ == "date":
        return pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna()
    return pd.Series(True, index=s.index)


def _check_cells(table: schema.Table, df: pd.DataFrame) -> Problems:
    out: Problems = set()
    ids = df[table.primary_key].fillna("")
    for f in table.fields:
        s = df[f.name]
        bad = s.notna() & ~_valid(f.type, s)
        if f.required:
            bad |= s.isna()
        if f.enum is not None:
            bad |= s.notna() & ~s.isin([v for v in f.enum if v])
        out |= {(table.path, i, f.name) for i in ids[bad]}
    return out


def _typed(table: schema.Table, df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for f in table.fields:
        s = df[f.name]
        if f.type == "integer":
            df[f.name] = pd.to_numeric(s.where(_valid("integer", s)), errors="coerce").astype("Int64")
        elif f.type == "number":
            df[f.name] = pd.to_numeric(s.str.strip(), errors="coerce")
        elif f.type == "boolean":
            df[f.name] = s.map({"true": True, "false": False}).astype("boolean")
    return df


def _check_keys(typed: dict[str, pd.DataFrame]) -> Problems:
    out: Problems = set()
    for name, df in typed.items():
        table = schema.TABLES[name]
        key = df[table.primary_key]
        dupes = key.notna() & key.duplicated(keep=False)
        out |= {(table.path, i, table.primary_key) for i in key[dupes]}
        for column, (ref, ref_col) in table.foreign_keys.items():
            if ref in typed:
                orphan = df[column].notna() & ~df[column].isin(typed[ref][ref_col].dropna())
                out |= {(table.path, i, column) for i in key[orphan].fillna("")}
    return out


def _numbers(quote: str) -> list[float]:
    return [float(n.replace(",", "")) for n in NUMBER.findall(quote.translate(FULLWIDTH))]


def _check_quotes(table: schema.Table, df: pd.DataFrame, texts: dict[str, str]) -> Problems:
    def check(row: pd.Series) -> tuple[bool, bool, bool]:
        text = texts.get(row["doc_id"])
        if text is None or pd.isna(row["quote"]) or pd.isna(row["char_start"]) or pd.isna(row["char_end"]):
            return True, True, True
        start, end, quote = int(row["char_start"]), int(row["char_end"]), row["quote"]
        at_offsets = 0 <= start <= end <= len(text) and text[start:end] == quote
        found = _numbers(quote)
        value_ok = pd.isna(row["value"]) or any(abs(n - row["value"]) < 1e-9 for n in found)
        high = row.get("value_high", np.nan)
        high_ok = pd.isna(high) or any(abs(n - high) < 1e-9 for n in found)
        return at_offsets, value_ok, high_ok

    checked = df.apply(check, axis=1, result_type="expand")
    out: Problems = set()
    for position, column in enumerate(("quote", "value", "value_high")):
        bad = ~checked[position].astype(bool)
        out |= {(table.path, i, column) for i in df.loc[bad, table.primary_key]}
    return out


def _check_city_codes(table: schema.Table, df: pd.DataFrame, places: pd.DataFrame) -> Problems:
    joined = df.merge(places[["place", "gb2260_code"]].rename(columns={"place": "city"}), on="city", how="inner")
    bad = joined["city_code"].notna() & (joined["city_code"] != joined["gb2260_code"])
    return {(table.path, i, "city_code") for i in joined.loc[bad.fillna(False), table.primary_key]}


def _check_years(targets: pd.DataFrame, docs: pd.DataFrame) -> Problems:
    t = targets.merge(docs[["doc_id", "period_start", "period_end"]], on="doc_id", how="left")
    base, target, start, end = t["base_year"], t["target_year"], t["period_start"], t["period_end"]
    checks = {
        "base_year": [(base >= target), ~base.between(start - 10, end) & base.notna() & start.notna()],
        "target_year": [~target.between(start - 1, end + 6) & target.notna() & start.notna()],
    }
    out: Problems = set()
    for column, masks in checks.items():
        for mask in masks:
            out |= {("targets.csv", i, column) for i in t.loc[mask.fillna(False).astype(bool), "target_id"]}
    return out


def _check_logic(t: pd.DataFrame) -> Problems:
    value, high, kind = t["value"], t["value_high"], t["kind"]
    has_high, is_range = high.notna(), t["comparator"] == "range"
    checks = [
        ("unit", kind.isin(["annual_growth", "change_over_period"]) & t["unit"].notna() & (t["unit"] != "%")),
        ("base_year", (kind == "change_over_period") & t["base_year"].isna()),
        ("per_year", (kind == "annual_growth") & (t["per_year"] == False)),  # nullable boolean: NA stays NA
        ("base_year_stated", t["base_year"].notna() & t["base_year_stated"].isna()),
        ("comparator", has_high != is_range),
        ("value_high", has_high & value.notna() & (high <= value)),
        ("value", value < 0),
        ("same_as", t["same_as"].notna() & (t["same_as"] == t["target_id"])),
    ]
    out: Problems = set()
    for column, mask in checks:
        out |= {("targets.csv", i, column) for i in t.loc[mask.fillna(False).astype(bool), "target_id"]}
    primary = t[["target_id", "doc_id", "indicator_key", "same_as"]].rename(
        columns={"target_id": "same_as", "doc_id": "_pdoc", "indicator_key": "_pkey", "same_as": "_psame"})
    linked = t[t["same_as"].notna()].merge(primary, on="same_as", how="inner")
    bad = (linked["_pdoc"] != linked["doc_id"]) | (linked["_pkey"] != linked["indicator_key"]) | linked["_psame"].notna()
    out |= {("targets.csv", i, "same_as") for i in linked.loc[bad, "target_id"]}
    return out


def _check_baselines(t: pd.DataFrame, b: pd.DataFrame) -> Problems:
    base = b[["baseline_id", "year", "value", "doc_id"]].rename(
        columns={"year": "_byear", "value": "_bvalue", "doc_id": "_bdoc"})
    j = t.merge(base, on="baseline_id", how="left")
    linked = j["baseline_id"].notna() & j["_byear"].notna()
    checks = [
        ("baseline_id", j["base_value"].notna() & j["baseline_id"].isna()),
        ("base_value", linked & ~(j["_bvalue"] == j["base_value"]).fillna(False)),
        ("base_year", linked & ~(j["_byear"] == j["base_year"]).fillna(False)),
        ("baseline_id", linked & (j["_bdoc"] != j["doc_id"])),
    ]
    out: Problems = set()
    for column, mask in checks:
        out |= {("targets.csv", i, column) for i in j.loc[mask.fillna(False).astype(bool), "target_id"]}
    return out


# --- load ----------------------------------------------------------------------------------

def load(curated: Path) -> dict[str, pd.DataFrame]:
    """Read every curated CSV with pandas' own type inference, as an analyst would."""
    return {name: pd.read_csv(Path(curated) / table.path) for name, table in schema.TABLES.items()}


# --- harmonise -----------------------------------------------------------------------------

def _measures(r: pd.Series, rule: str | None, value: float, span: float, *, linear: bool = False) -> dict:
    """The measures of one target for ``value`` over ``span`` years, by its rule."""
    signed = -value if r["direction"] == "decrease" else value
    base, unit = r["base_value"], r["unit"]
    annualised = pp = points = per_year = np.nan
    if rule in ("stated_annual_rate", "one_year_rate"):
        annualised = signed
    elif rule == "compound_from_cumulative":
        annualised = signed / span if linear else ((1 + signed / 100) ** (1 / span) - 1) * 100
    elif rule == "implied_from_baseline":
        annualised = (value / base - 1) / span * 100 if linear else ((value / base) ** (1 / span) - 1) * 100
    if rule == "pp_from_cumulative":
        pp = signed / span
    elif rule == "implied_from_baseline" and unit == "%":
        pp = (value - base) / span
    if rule == "implied_from_baseline" and unit == "index":
        points = (value - base) / span
    if rule == "count_per_year":
        per_year = value / span
    elif rule == "count_times_years":
        per_year = value
    return {"annualised_pct": annualised, "pp_per_year": pp, "points_per_year": points, "per_year_value": per_year}


def _rules(r: pd.Series) -> dict:
    """The harmonisation rules for one target (see mfgpolicy.harmonise for their statement)."""
    value, kind, unit, direction = r["value"], r["kind"], r["unit"], r["direction"]
    base_value, base_year, target_year = r["base_value"], r["base_year"], r["target_year"]
    years = target_year - base_year if pd.notna(base_year) and pd.notna(target_year) else np.nan
    signed = -value if direction == "decrease" else value
    has_years = pd.notna(years) and years > 0
    has_base = pd.notna(base_value) and base_value > 0 and value > 0
    new_stuff = kind in ("count", "amount") and direction == "increase"
    if kind == "annual_growth":
        rule = "one_year_rate" if years == 1 else "stated_annual_rate"
    elif kind == "change_over_period" and has_years and unit == "%":
        rule = "compound_from_cumulative"
    elif kind == "change_over_period" and has_years and unit == "pp":
        rule = "pp_from_cumulative"
    elif kind in ("level", "count", "amount") and direction == "reach" and has_base and has_years:
        rule = "implied_from_baseline"
    elif new_stuff and r["per_year"] == True:  # read_csv may leave an object column
        rule = "count_times_years"
    elif new_stuff and has_years:
        rule = "count_per_year"
    else:
        rule = None
    central = _measures(r, rule, value, years)
    total = np.nan
    if rule == "count_per_year":
        total = value
    elif rule == "count_times_years":
        total = value * (years if pd.notna(years) else r["plan_years"])
    spans = [years]
    if pd.notna(years) and pd.notna(r["plan_years"]) and r["plan_years"] != years and target_year <= r["period_end"]:
        spans.append(r["plan_years"])
    variants = [_measures(r, rule, value, s, linear=lin) for s in spans for lin in (False, True)]
    why_not = None
    if rule is None:
        if kind in ("level", "count", "amount") and direction == "reach" and pd.notna(base_value) and base_value <= 0:
            why_not = "a zero or negative baseline has no growth rate"
        elif kind == "level":
            why_not = "a level with no stated baseline value: the plan says where to get to, not where from"
        elif kind in ("count", "amount") and direction == "reach":
            why_not = "a stock to be reached with no stated starting stock"
        elif not has_years:
            why_not = "no base year or target year to measure the change over"
        else:
            why_not = "no rule applies to this kind and unit"
    comparator = r["_comparator"]
    low = value if comparator in ("=", ">=", "range") else value * (1 - ABOUT_BAND) if comparator == "~" else np.nan
    high = (value if comparator in ("=", "<=") else value * (1 + ABOUT_BAND) if comparator == "~"
            else r["value_high"] if comparator == "range" else np.nan)
    fyp = 12 + (int(target_year) - 2011) // 5
    start = 2011 + 5 * (fyp - 12)
    rates = [v["annualised_pct"] for v in variants if pd.notna(v["annualised_pct"])]
    return {"signed_value": signed, "years": years, **central, "plan_total_value": total, "rule": rule,
            "comparable": rule is not None, "why_not": why_not, "bound": BOUND.get(comparator),
            "commitment": COMMITMENT.get(r["hedge"], "stated") if isinstance(r["hedge"], str) else "stated",
            "plan_vintage": f"{fyp}th FYP ({start}-{start + 4})", "bound_low": low, "bound_high": high,
            "sensitivity_low": min(rates) if rates else np.nan, "sensitivity_high": max(rates) if rates else np.nan,
            **_rank_fields(r, rule, central, variants, years, (low, high))}


def _rank_fields(r: pd.Series, rule: str | None, central: dict, variants: list[dict], years: float,
                 bounds: tuple[float, float]) -> dict:
    """The ranking measure of one target, its group and its range over conventions and bounds."""
    share = r["_iunit"] == "%"
    unit = r["unit"] if isinstance(r["unit"], str) else ""
    factor, base_unit = 1.0, unit
    for prefix, f in (("百万", 1e6), ("千万", 1e7), ("万", 1e4), ("亿", 1e8), ("千", 1e3), ("百", 1e2)):
        if unit.startswith(prefix) and len(unit) > len(prefix):
            factor, base_unit = f, unit[len(prefix):]
            break
    if pd.notna(central["pp_per_year"]) and (share or rule == "pp_from_cumulative"):
        measure, key = "pp a year", "pp_per_year"
    elif pd.notna(central["points_per_year"]) and r["_iunit"] == "index":
        measure, key = "points a year", "points_per_year"
    elif pd.notna(central["annualised_pct"]):
        measure, key = "% a year", "annualised_pct"
    elif pd.notna(central["per_year_value"]):
        measure, key = "new a year", "per_year_value"
    elif r["kind"] == "level" or (r["kind"] in ("count", "amount") and r["direction"] == "reach"):
        measure, key = "level", None
    else:
        return {"rank_measure": None, "rank_group": None, "rank_value": np.nan, "rank_low": np.nan,
                "rank_high": np.nan, "form": None, "base_unit": base_unit}
    scale = factor if measure in ("new a year", "level") else 1.0
    if key is None:
        candidates = [r["value"] * factor] + [b * factor for b in bounds if pd.notna(b)]
    else:
        candidates = [v[key] * scale for v in variants if pd.notna(v[key])]
        candidates += [_measures(r, rule, b, years)[key] * scale for b in bounds if pd.notna(b)]
    value = r["value"] * factor if key is None else central[key] * scale
    group = f"{measure} ({base_unit})" if measure in ("new a year", "level") else measure
    form = ("rate" if r["kind"] in ("annual_growth", "change_over_period") else "level" if r["kind"] == "level"
            else "flow" if r["direction"] == "increase" else "stock")
    return {"rank_measure": measure, "rank_group": group, "rank_value": value, "rank_low": min(candidates),
            "rank_high": max(candidates), "form": form, "base_unit": base_unit}


def harmonise(frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the harmonised targets (row-wise ``apply`` of the rules) and the year-by-year paths."""
    docs = frames["documents"]
    plan = docs[["doc_id", "period_end"]].assign(plan_years=docs["period_end"] - docs["period_start"] + 1)
    t = frames["targets"].merge(plan, on="doc_id", how="left")
    t = t.merge(frames["indicators"][["indicator_key", "unit"]].rename(columns={"unit": "_iunit"}),
                on="indicator_key", how="left")
    restated = t[t["same_as"].notna() & t["comparator"].isin([">=", "<="])].drop_duplicates("same_as")
    restated = restated[["same_as", "comparator", "value"]].rename(
        columns={"same_as": "target_id", "comparator": "_rcmp", "value": "_rvalue"})
    t = t.merge(restated, on="target_id", how="left")
    carried = (t["comparator"] == "=") & t["_rcmp"].notna() & (t["_rvalue"] == t["value"])
    t["_comparator"] = np.where(carried, t["_rcmp"], t["comparator"])
    measures = t.apply(_rules, axis=1, result_type="expand")
    h = pd.concat([t, measures], axis=1)
    return h, _paths(h)


def _paths(h: pd.DataFrame) -> pd.DataFrame:
    rows = []
    sel = h[h["comparable"] & h["years"].notna() & (h["years"] > 0) & h["annualised_pct"].notna()]
    for t in sel.itertuples(index=False):
        years, base_year = int(t.years), int(t.base_year)
        end_index = 100 * (1 + t.annualised_pct / 100) ** years
        with_values = t.rule == "implied_from_baseline"
        for step in range(years + 1):
            share = step / years
            index = 100.0 * (end_index / 100.0) ** share if step < years else end_index
            value = None
            if with_values:
                if step == years:
                    value = t.value
                elif t.unit == "%":
                    value = t.base_value + (t.value - t.base_value) * share
                else:
                    value = t.base_value * (t.value / t.base_value) ** share
            rows.append((t.target_id, base_year + step, value, index))
    return pd.DataFrame(rows, columns=["target_id", "year", "value", "index"])


# --- compare and rank ----------------------------------------------------------------------

def headline(frames: dict[str, pd.DataFrame], h: pd.DataFrame) -> pd.DataFrame:
    """Return the headline comparison: every locality on every headline indicator."""
    canonical = h[h["same_as"].isna()]
    rows = canonical[canonical["indicator_key"].isin(HEADLINE_KEYS)]
    indicators, places = frames["indicators"], frames["places"]
    cities = places[places["level"].isin(["prefecture", "county"])].rename(columns={"place": "city"})
    cities = cities.assign(admin_level=cities["level"].map({"prefecture": "prefecture-level city",
                                                            "county": "county-level city"}))
    head = indicators[indicators["indicator_key"].isin(HEADLINE_KEYS)]
    pairs = head[["indicator_key", "name_en"]].merge(cities[["city", "gb2260_code"]], how="cross")
    have = h[["indicator_key", "city"]].drop_duplicates().assign(_have=True)
    missing = pairs.merge(have, on=["indicator_key", "city"], how="left")
    missing = missing[missing["_have"].isna()]
    missing = pd.DataFrame({
        "indicator_key": missing["indicator_key"], "city": missing["city"], "city_code": missing["gb2260_code"],
        "comparable": False, "why_not": "this city's plans set no target on " + missing["name_en"].map(_in_sentence)})
    out = pd.concat([rows, missing], ignore_index=True)
    out = out.merge(indicators[["indicator_key", "name_en", "more_ambitious"]], on="indicator_key", how="left")
    out = out.merge(cities[["city", "admin_level", "parent"]], on="city", how="left")
    out = out.rename(columns={"name_en": "indicator"})
    return out.sort_values(["indicator_key", "city", "doc_id", "target_id"], na_position="last").reset_index(drop=True)


def ranks(frames: dict[str, pd.DataFrame], head: pd.DataFrame) -> pd.DataFrame:
    """Rank every locality's targets on each headline indicator, within groups that compare.

    Groups are the ranking measure (and the base unit of counts); levels are not ranked; a county
    whose prefecture sets the same count is left out; ties share a rank; ``robust`` when the range
    (conventions and bounds) overlaps no row at the next place up or down.
    """
    rows = head.copy()
    rows["_parent"] = np.where(rows["admin_level"] == "county-level city", rows["parent"], None)
    sign = np.where(rows["more_ambitious"] == "lower", -1.0, 1.0)
    rows["_key"] = rows["rank_value"] * sign
    rows["_lo"] = np.minimum(rows["rank_low"] * sign, rows["rank_high"] * sign)
    rows["_hi"] = np.maximum(rows["rank_low"] * sign, rows["rank_high"] * sign)
    members = rows.groupby(["indicator_key", "rank_group"])["city"].agg(set).rename("_members").reset_index()
    rows = rows.merge(members, on=["indicator_key", "rank_group"], how="left")
    nested = rows.apply(lambda r: isinstance(r["_parent"], str) and r["form"] in ("flow", "stock")
                        and r["_parent"] in r["_members"], axis=1)
    usable = rows["rank_value"].notna() & (rows["rank_measure"] != "level") & ~nested
    rows["rank"] = np.nan
    rows["robust"] = None
    out = []
    for _, group in rows[usable].groupby(["indicator_key", "rank_group"], sort=True):
        group = group.sort_values("_key", ascending=False, kind="stable").copy()
        group["rank"] = group["_key"].rank(method="min", ascending=False)
        steps = group.groupby("_key").agg(_n=("_key", "size"), _step_lo=("_lo", "min"), _step_hi=("_hi", "max"))
        steps = steps.sort_index(ascending=False)
        steps["_above_lo"], steps["_below_hi"] = steps["_step_lo"].shift(1), steps["_step_hi"].shift(-1)
        group = group.join(steps, on="_key")
        tied = group["_n"] > 1
        overlap = (group["_hi"] >= group["_above_lo"]).fillna(False) | (group["_below_hi"] >= group["_lo"]).fillna(False)
        group["robust"] = ~tied & ~overlap
        out.append(group)
    out.append(rows[~usable])
    result = pd.concat(out, ignore_index=True)
    result["ranked_by"] = np.where(result["rank"].notna(), result["rank_group"], None)
    return result


def _in_sentence(name: str) -> str:
    """``name`` inside a sentence: its first letter lower-cased unless it opens an acronym (R&D, GDP)."""
    return name if name[1:2] and not name[1:2].islower() else name[:1].lower() + name[1:]
