"""The front page: every target in one table, with filters, and the plans, licence and citation."""

from __future__ import annotations

from collections.abc import Callable

from mfgpolicy.outputs.site import fmt
from mfgpolicy.outputs.site.data import SiteData
from mfgpolicy.outputs.site.layout import LICENCE_URL, TITLE, cite_text, lang_of, page, plan_page, short_name
from mfgpolicy.outputs.site.markup import Markup, el, esc, join, void

COLUMNS = ("City and plan", "Indicator", "Target as written", "Years", "Harmonised measure", "Quote",
           "Caveats and evidence")
COMMITMENT = {"firm": "firm", "aspirational": "aspirational", "stated": ""}


def index_page(data: SiteData) -> str:
    """Return ``index.html``."""
    documents = data.rows("documents")
    targets = data.rows("targets")
    body = join([
        el("h1", TITLE),
        el("p", f"Every quantified target of the {len(documents)} plans, {len(targets)} in all, with its verbatim "
                "quote and the measures that make cities comparable. Each number links to its place in the plan's "
                "text; figures cited from outside the plans link to their sources.", class_="lead"),
        el("section", _filters(data), _table(data), id="all-targets"),
        _plans(data),
        _about(data),
    ])
    return page("Targets", body, version=data.version, documents=documents, active="index")


def _filters(data: SiteData) -> Markup:
    targets = data.rows("targets")
    cities = _counts(targets, "city", lambda t: t["city"])
    docs = {d["doc_id"]: d for d in data.rows("documents")}
    plans = _counts(targets, "doc_id", lambda t: f"{t['doc_id']}: {docs[t['doc_id']]['title_en']}")
    indicators = _counts(targets, "indicator_key", lambda t: t["indicator_en"])
    search = el("label", el("span", "Search"),
                void("input", type="search", id="f-text", placeholder="words, numbers, ids …", autocomplete="off"))
    row = el("div", _select("f-city", "City", cities), _select("f-doc", "Plan", plans),
             _select("f-indicator", "Indicator", indicators, sort_by_label=True), search,
             el("button", "Show all", type="reset", id="f-reset"), class_="filter-row")
    count = el("p", f"Showing {len(targets)} of {len(targets)} targets.", id="f-count", aria_live="polite")
    return el("form", row, count, class_="filters", id="filters", role="search")


def _counts(rows: list[dict], key: str, label: Callable[[dict], str]) -> list[tuple[str, str, int]]:
    """Return (value, label, number of rows) for each value of ``key``, sorted by value."""
    counts: dict[str, list] = {}
    for row in rows:
        counts.setdefault(row[key], [label(row), 0])[1] += 1
    return [(value, text, n) for value, (text, n) in sorted(counts.items())]


def _select(id_: str, label: str, options: list[tuple[str, str, int]], *, sort_by_label: bool = False) -> Markup:
    if sort_by_label:
        options = sorted(options, key=lambda o: (o[1].casefold(), o[0]))
    items = [el("option", f"All ({sum(n for *_, n in options)})", value="")]
    items += [el("option", f"{text} ({n})", value=value) for value, text, n in options]
    return el("label", el("span", label), el("select", *items, id=id_))


def _table(data: SiteData) -> Markup:
    docs = {d["doc_id"]: d for d in data.rows("documents")}
    achievement = data.by("achievement", "target_id")
    escalation = data.by("escalation", "target_id")
    sources = {s["source_id"]: s for s in data.rows("sources")}
    baselines = {b["baseline_id"]: b for b in data.rows("baselines")}
    rows = [_row(t, docs[t["doc_id"]], achievement.get(t["target_id"], []), escalation.get(t["target_id"], []),
                 sources, baselines) for t in data.rows("targets")]
    head = el("thead", el("tr", *(el("th", c, scope="col") for c in COLUMNS)))
    empty = el("p", "No target matches these filters.", id="f-empty", hidden=True)
    return join([el("div", el("table", head, el("tbody", *rows), id="targets", class_="targets"),
                    class_="table-wrap"), empty])


def _row(t: dict, doc: dict, achieved: list[dict], escalated: list[dict], sources: dict, baselines: dict) -> Markup:
    link = f"{plan_page(t['doc_id'])}#{t['target_id']}"
    lang = lang_of(doc)
    value = join([el("a", fmt.target_value(t), href=link, class_="num", title="show the quote in the plan's text"),
                  _hedge(t), el("div", el("code", t["target_id"]), class_="id")])
    main, spread = fmt.measure(t)
    measure = join([el("span", main, class_="measure") if main else el("span", t["why_not"] or "", class_="why-not"),
                    el("div", f"range {spread}", class_="range", title="lowest to highest across the conventions")
                    if spread else None,
                    el("div", t["rule"], class_="rule") if t["rule"] else None])
    cells = [
        el("td", t["city"], " ", el("span", doc["city_zh"], lang="zh-Hans", class_="zh"),
           el("div", el("a", short_name(doc), href=plan_page(t["doc_id"]), title=doc["title_en"])), class_="city"),
        el("td", el("span", t["indicator_en"], title=t["indicator_key"], class_="indicator"),
           el("div", t["indicator_zh"], lang=lang, class_="zh")),
        el("td", value, class_="value"),
        el("td", fmt.years(t), class_="years"),
        el("td", measure),
        el("td", el("span", t["quote"], lang=lang, class_="quote"), el("div", t["quote_en"], class_="en")),
        el("td", _caveats(t, doc, achieved, escalated, sources, baselines), class_="caveats"),
    ]
    return el("tr", *cells, id=f"row-{t['target_id']}", data_city=t["city"], data_doc=t["doc_id"],
              data_indicator=t["indicator_key"])


def _hedge(t: dict) -> Markup | None:
    commitment = COMMITMENT.get(t.get("commitment") or "", t.get("commitment"))
    if not t.get("hedge") and not commitment:
        return None
    return el("div", join([el("span", t["hedge"], lang="zh-Hans") if t.get("hedge") else None,
                           f" {commitment}" if commitment else None]), class_="hedge")


def _caveats(t: dict, doc: dict, achieved: list[dict], escalated: list[dict], sources: dict,
             baselines: dict) -> Markup:
    items = []
    if t["same_as"]:
        items.append(join(["restates ", el("a", t["same_as"], href=f"#row-{t['same_as']}")]))
    if t["conflicts_with"]:
        items.append(join(["conflicts with ", el("a", t["conflicts_with"], href=f"#row-{t['conflicts_with']}")]))
    items += [t[k] for k in ("conflict_note", "bound_note") if t.get(k)]
    caveats = (t.get("caveats") or "").split("; ") if t.get("caveats") else []
    items += caveats
    if not any(c.startswith("population:") for c in caveats):
        items.append(join(["population: ", el("span", t["scope"], lang=lang_of(doc))]))
    if t.get("nesting_note"):
        items.append(t["nesting_note"])
    if t.get("base_used") is not None:
        items.append(_baseline(t, baselines))
    items += [_outcome(a, sources) for a in achieved]
    items += [_parent(e) for e in escalated]
    notes = el("details", el("summary", "curator's notes"), el("p", t["notes"])) if t.get("notes") else None
    return join([el("ul", *(el("li", i) for i in items)), notes])


def _baseline(t: dict, baselines: dict) -> Markup:
    text = f"from {fmt.as_written(t['base_used'])} ({t['base_source']})"
    baseline = baselines.get(t.get("baseline_id") or "")
    if baseline is None:
        return esc(text)
    return join([text, ": ", el("a", f"{baseline['year']} baseline", href=f"{plan_page(baseline['doc_id'])}#"
                                                                         f"{baseline['baseline_id']}")])


def _outcome(a: dict, sources: dict) -> Markup:
    source = sources.get(a["source_id"] or "")
    observed = (f"{fmt.as_written(a['observed_value'])}{a['observed_unit'] or ''} "
                f"({a['observed_period'].replace('_', ' ')} {a['observed_year']})")
    status = a["status"].replace("_", " ")
    figure = el("a", observed, href=source["url"], class_="ext", rel="external noreferrer") if source else observed
    return join([el("strong", f"outcome: {status}"), " — ", figure,
                 f"; {a['difference']}" if a.get("difference") else None,
                 " · ", el("a", "evidence", href=f"evidence.html#ach-{a['target_id']}")])


def _parent(e: dict) -> Markup:
    relation = e["relation"].replace("_", " ")
    values = (f": {fmt.number(e['city_value'])} vs {fmt.number(e['parent_value'])} {e['unit'] or ''}"
              if e.get("city_value") is not None and e.get("parent_value") is not None else "")
    return join([el("strong", f"vs parent plan: {relation}"), values.rstrip(), " — ",
                 el("a", e["cited_target_id"], href=f"evidence.html#ct-{e['cited_target_id']}"),
                 f" ({e['parent_place']})", f"; {e['differences']}" if e.get("differences") else None])


def _plans(data: SiteData) -> Markup:
    counts: dict[str, int] = {}
    for t in data.rows("targets"):
        counts[t["doc_id"]] = counts.get(t["doc_id"], 0) + 1
    rows = []
    for d in data.rows("documents"):
        date = str(d["date_issued"]) if d.get("date_issued") else "not stated"
        rows.append(el("tr", el("td", el("a", d["doc_id"], href=plan_page(d["doc_id"]))),
                       el("td", el("div", d["title_zh"], lang=lang_of(d)), el("div", d["title_en"], class_="en")),
                       el("td", d["issuer"]), el("td", d.get("doc_number") or ""), el("td", date),
                       el("td", f"{d['period_start']}–{d['period_end']}"), el("td", str(counts.get(d["doc_id"], 0)),
                                                                           class_="n")))
    head = el("tr", *(el("th", c, scope="col") for c in ("Plan", "Title", "Issuer", "Number", "Issued", "Period",
                                                         "Targets")))
    return el("section", el("h2", "The plans"), el("div", el("table", el("thead", head), el("tbody", *rows),
                                                            class_="plain"), class_="table-wrap"), id="plans")


def _about(data: SiteData) -> Markup:
    what = join([
        ("Hand-curated, validated tables of the quantified manufacturing-upgrade targets in Zhejiang city plans. Each "
         "target's quote is exactly the plan's text between its offsets, which "), el("code", "mfgpolicy validate"),
        " checks; the harmonised measures follow the rules documented in ", el("code", "mfgpolicy.harmonise"),
        ". Figures from outside the plans are cited, never copied."])
    licence = join([
        "The curated data are released under the ",
        el("a", "Creative Commons Attribution 4.0 licence (CC BY 4.0)", href=LICENCE_URL, rel="license"),
        (" (LICENSE-DATA); the code under the MIT licence. The plans' texts are government documents reproduced "
         "unchanged as the sources the data quote, and are not covered by the licence; figures cited from outside "
         "sources are facts attributed to those sources.")])
    made = join([el("code", "mfgpolicy site"), " (part of ", el("code", "make run"),
                 "), from the catalog every other output reads."])
    items = (("Data version", el("code", data.version)), ("What this is", what), ("Licence", licence),
             ("How to cite", el("p", cite_text(data.version), class_="cite")), ("Made by", made))
    return el("section", el("h2", "About, licence and citation"),
              el("dl", *(join([el("dt", term), el("dd", text)]) for term, text in items)), id="about")
