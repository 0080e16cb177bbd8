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
COMMITMENT = {"确保": "firm", "力争": "aspirational", "争取": "aspirational", "努力": "aspirational"}
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
            if "cities" in typed:
                problems |= _check_city_codes(schema.TABLES[name], typed[name], typed["cities"])
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


def _check_city_codes(table: schema.Table, df: pd.DataFrame, cities: pd.DataFrame) -> Problems:
    joined = df.merge(cities[["city", "gb2260_code"]], on="city", how="inner")
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
    annualised = pp = per_year = total = np.nan
    if rule in ("stated_annual_rate", "one_year_rate"):
        annualised = signed
    elif rule == "compound_from_cumulative":
        annualised = ((1 + signed / 100) ** (1 / years) - 1) * 100
    elif rule == "implied_from_baseline":
        annualised = ((value / base_value) ** (1 / years) - 1) * 100
    if rule == "pp_from_cumulative":
        pp = signed / years
    elif rule == "implied_from_baseline" and unit == "%":
        pp = (value - base_value) / years
    if rule == "count_per_year":
        per_year, total = value / years, value
    elif rule == "count_times_years":
        per_year, total = value, value * (years if pd.notna(years) else r["plan_years"])
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
    comparator = r["comparator"]
    low = value if comparator in ("=", ">=", "range") else value * (1 - ABOUT_BAND) if comparator == "~" else np.nan
    high = (value if comparator in ("=", "<=") else value * (1 + ABOUT_BAND) if comparator == "~"
            else r["value_high"] if comparator == "range" else np.nan)
    fyp = 12 + (int(target_year) - 2011) // 5
    start = 2011 + 5 * (fyp - 12)
    return {"signed_value": signed, "years": years, "annualised_pct": annualised, "pp_per_year": pp,
            "per_year_value": per_year, "plan_total_value": total, "rule": rule, "comparable": rule is not None,
            "why_not": why_not, "bound": BOUND.get(comparator),
            "commitment": COMMITMENT.get(r["hedge"], "stated") if isinstance(r["hedge"], str) else "stated",
            "plan_vintage": f"{fyp}th FYP ({start}-{start + 4})", "bound_low": low, "bound_high": high}


def harmonise(frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the harmonised targets (row-wise ``apply`` of the rules) and the year-by-year paths."""
    docs = frames["documents"]
    plan = docs[["doc_id"]].assign(plan_years=docs["period_end"] - docs["period_start"] + 1)
    t = frames["targets"].merge(plan, on="doc_id", how="left")
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
    """Return the headline comparison: every locality on every headline indicator, with scope notes."""
    canonical = h[h["same_as"].isna()]
    scopes = canonical.groupby("indicator_key")["scope"].agg(
        n_scopes="nunique", scopes=lambda s: ", ".join(sorted(s.unique()))).reset_index()
    rows = canonical[canonical["indicator_key"].isin(HEADLINE_KEYS)].merge(scopes, on="indicator_key", how="left")
    rows["scope_note"] = np.where(rows["n_scopes"] > 1, "scope " + rows["scope"] + " differs across these rows ("
                                  + rows["scopes"] + "): different populations", None)
    indicators, cities = frames["indicators"], frames["cities"]
    head = indicators[indicators["indicator_key"].isin(HEADLINE_KEYS)]
    pairs = head[["indicator_key", "name_en"]].merge(cities[["city", "gb2260_code"]], how="cross")
    have = h[["indicator_key", "city"]].drop_duplicates().assign(_have=True)
    missing = pairs.merge(have, on=["indicator_key", "city"], how="left")
    missing = missing[missing["_have"].isna()]
    missing = pd.DataFrame({
        "indicator_key": missing["indicator_key"], "city": missing["city"], "city_code": missing["gb2260_code"],
        "comparable": False, "why_not": "this city's plans set no target on " + missing["name_en"].str.lower()})
    out = pd.concat([rows.drop(columns=["n_scopes", "scopes"]), missing], ignore_index=True)
    out = out.merge(indicators[["indicator_key", "name_en", "more_ambitious"]], on="indicator_key", how="left")
    out = out.rename(columns={"name_en": "indicator"})
    return out.sort_values(["indicator_key", "city", "doc_id", "target_id"], na_position="last").reset_index(drop=True)


def ranks(frames: dict[str, pd.DataFrame], head: pd.DataFrame) -> pd.DataFrame:
    """Rank every locality's targets on each headline indicator (groupby ranks, ties share a rank)."""
    out = []
    for key, rows in head.groupby("indicator_key", sort=True):
        rows = rows.copy()
        higher = rows["more_ambitious"].iloc[0] == "higher"
        if rows["annualised_pct"].notna().sum() >= 2:
            measure, unit = "annualised_pct", None
        else:
            units = rows.loc[rows["kind"] == "level", "unit"].dropna().value_counts()
            measure, unit = "value", (units.index[0] if len(units) else None)
        usable = rows[measure].notna() & ((rows["unit"] == unit) if unit else True)
        score = rows[measure] if higher else -rows[measure]
        rows["rank"] = score.where(usable).rank(method="min", ascending=False)
        sizes = rows.groupby("rank")["rank"].transform("count")

        def note(r: pd.Series, unit: str | None = unit, measure: str = measure) -> str | None:
            if pd.isna(r["rank"]):
                if pd.notna(r["why_not"]):
                    return r["why_not"]
                if unit is not None and pd.notna(r["unit"]) and r["unit"] != unit:
                    return f"not ranked: unit {r['unit']} differs from {unit}"
                return f"not ranked: no {measure}"
            if r["_tied"]:
                return "tied with another row on " + measure
            if r["comparator"] == ">=":
                return "a floor: the plan commits to at least this"
            return None

        rows["_tied"] = rows["rank"].notna() & (sizes > 1)
        rows["rank_note"] = rows.apply(note, axis=1)
        rows["ranked_by"] = measure
        out.append(rows.drop(columns=["_tied"]))
    return pd.concat(out, ignore_index=True)
