"""The evidence from outside the plans: sources, observations, parent plans and their targets,
achievement and escalation. Every cited figure links to its source's address."""

from __future__ import annotations

from mfgpolicy.outputs.site import fmt
from mfgpolicy.outputs.site.data import SiteData
from mfgpolicy.outputs.site.layout import page, plan_page
from mfgpolicy.outputs.site.markup import Markup, el, join

SAFE_SCHEMES = ("http://", "https://")


def evidence_page(data: SiteData) -> str:
    """Return ``evidence.html``."""
    sources = {s["source_id"]: s for s in data.rows("sources")}
    sections = [
        ("sources", "Sources", "Pages and documents cited for figures whose text we do not hold.",
         ("Source", "Title as published", "Publisher", "Published", "Kind", "Notes"), _sources(data)),
        ("observations", "Observations", ("Statistics the sources report: where a place started and where it "
                                           "ended up. Each value links to its source."),
         ("Place", "Indicator", "Year", "Value", "Form", "Population", "Where in the source", "Notes"),
         _observations(data, sources)),
        ("cited-plans", "Parent plans", "Plans our plans implement, known from outside sources.",
         ("Plan", "Title", "Issuer", "Period", "Named by", "Source", "Notes"), _cited_plans(data, sources)),
        ("cited-targets", "Targets of the parent plans",
         "With the columns of the plans' own targets; each value links to its source.",
         ("Target", "Indicator", "As written", "Years", "Harmonised measure", "Where in the source", "Notes"),
         _cited_targets(data, sources)),
        ("achievement", "Achievement", "Targets beside the outcome observed in their target year.",
         ("Target", "Place", "Target as written", "Outcome as reported", "Status", "Difference"),
         _achievement(data, sources)),
        ("escalation", "Escalation", "City targets beside their parent plan's target on the same indicator.",
         ("City target", "Parent target", "Measure", "City", "Parent", "Relation", "Other differences"),
         _escalation(data)),
    ]
    toc = el("ul", *(el("li", el("a", title, href=f"#{key}"), f" ({len(rows)})")
                     for key, title, _, _, rows in sections), class_="toc")
    body = join([el("h1", "Outside evidence"),
                 el("p", "Figures from outside the plans, cited and never copied: each names its source and says in "
                         "our own words where on the page it stands.", class_="lead"), toc,
                 *(_section(*s) for s in sections)])
    return page("Outside evidence", body, version=data.version, documents=data.rows("documents"), active="evidence")


def _section(key: str, title: str, lead: str, columns: tuple[str, ...], rows: list[Markup]) -> Markup:
    head = el("thead", el("tr", *(el("th", c, scope="col") for c in columns)))
    table = (el("div", el("table", head, el("tbody", *rows), class_="plain"), class_="table-wrap") if rows
             else el("p", "None recorded.", class_="none"))
    return el("section", el("h2", title), el("p", lead), table, id=key)


def source_link(text: str, source: dict | None) -> Markup:
    """Return ``text`` linked to the source's address (plain text when the address is not http or https)."""
    if source is None or not str(source.get("url") or "").startswith(SAFE_SCHEMES):
        return el("span", text)
    return el("a", text, href=source["url"], class_="ext", rel="external noreferrer", title=source["title"])


def _source_ref(source_id: str | None) -> Markup | None:
    return el("a", source_id, href=f"#src-{source_id}", class_="ref") if source_id else None


def _sources(data: SiteData) -> list[Markup]:
    return [el("tr", el("td", el("code", s["source_id"])),
               el("td", source_link(s["title"], s), el("div", s["title_en"], class_="en"),
                  el("div", s["url"], class_="url")),
               el("td", s["publisher"]), el("td", str(s["date_published"] or "")),
               el("td", f"{s['kind']}, {s['site']}"), el("td", s.get("notes") or ""), id=f"src-{s['source_id']}")
            for s in data.rows("sources")]


def _observations(data: SiteData, sources: dict) -> list[Markup]:
    rows = []
    for o in data.rows("observations"):
        year = f"{o['base_year']}–{o['year']}" if o.get("base_year") else str(o["year"])
        value = f"{fmt.COMPARATORS.get(o['comparator'], '')}{fmt.as_written(o['value'])} {o['unit']}"
        rows.append(el("tr", el("td", o["place"]),
                       el("td", o["indicator_en"], el("div", o["indicator_zh"], lang="zh-Hans", class_="zh")),
                       el("td", year, el("div", o["period"].replace("_", " "), class_="en")),
                       el("td", source_link(value, sources.get(o["source_id"])), class_="value"),
                       el("td", o["kind"].replace("_", " "), el("div", f"prices: {o['price_basis']}", class_="en")),
                       el("td", o["scope"], lang="zh-Hans"),
                       el("td", o["locator"], el("div", _source_ref(o["source_id"]))),
                       el("td", join([el("div", f"derived: {o['derivation']}") if o.get("derivation") else None,
                                      o.get("notes") or ""])),
                       id=f"obs-{o['observation_id']}"))
    return rows


def _cited_plans(data: SiteData, sources: dict) -> list[Markup]:
    named_by = data.by("plan_links", "cited_doc_id")
    rows = []
    for c in data.rows("cited_documents"):
        by = [el("a", link["doc_id"], href=f"{plan_page(link['doc_id'])}#{link['link_id']}")
              for link in named_by.get(c["cited_doc_id"], [])]
        rows.append(el("tr", el("td", el("code", c["cited_doc_id"]), el("div", c["place"])),
                       el("td", source_link(c["title_zh"], sources.get(c.get("source_id") or "")),
                          el("div", c["title_en"], class_="en")),
                       el("td", c.get("issuer") or "", el("div", c.get("doc_number") or "")),
                       el("td", f"{c['period_start']}–{c['period_end']}"), el("td", join(by, ", ")),
                       el("td", _source_ref(c.get("source_id"))), el("td", c["notes"]),
                       id=f"cd-{c['cited_doc_id']}"))
    return rows


def _cited_targets(data: SiteData, sources: dict) -> list[Markup]:
    rows = []
    for t in data.rows("cited_targets"):
        main, spread = fmt.measure(t)
        rows.append(el("tr", el("td", el("code", t["cited_target_id"]),
                                el("div", el("a", t["cited_doc_id"], href=f"#cd-{t['cited_doc_id']}"))),
                       el("td", t["indicator_en"], el("div", t["indicator_zh"], lang="zh-Hans", class_="zh")),
                       el("td", source_link(fmt.target_value(t), sources.get(t["source_id"])),
                          el("div", t.get("hedge") or "", lang="zh-Hans"), class_="value"),
                       el("td", fmt.years(t), class_="years"),
                       el("td", main or t.get("why_not") or "", el("div", f"range {spread}", class_="range")
                          if spread else None),
                       el("td", t["locator"], el("div", _source_ref(t["source_id"]))), el("td", t["notes"]),
                       id=f"ct-{t['cited_target_id']}"))
    return rows


def _target_link(target_id: str, doc_id: str, source: str) -> Markup:
    href = f"{plan_page(doc_id)}#{target_id}" if source == "plan" else f"#ct-{target_id}"
    return el("a", target_id, href=href)


def _achievement(data: SiteData, sources: dict) -> list[Markup]:
    rows = []
    for a in data.rows("achievement"):
        observed = f"{fmt.as_written(a['observed_value'])} {a['observed_unit'] or ''}".strip()
        when = f"{a['observed_period'].replace('_', ' ')} {a['observed_year']}, {a['observed_scope']}"
        rows.append(el("tr", el("td", _target_link(a["target_id"], a["doc_id"], a["source"])), el("td", a["city"]),
                       el("td", fmt.target_value(a), el("div", f"by {a['target_year']}", class_="en")),
                       el("td", source_link(observed, sources.get(a["source_id"] or "")),
                          el("div", when, class_="en")),
                       el("td", a["status"].replace("_", " "), class_=f"status {a['status']}"),
                       el("td", a.get("difference") or ""), id=f"ach-{a['target_id']}"))
    return rows


def _escalation(data: SiteData) -> list[Markup]:
    rows = []
    for e in data.rows("escalation"):
        rows.append(el("tr", el("td", _target_link(e["target_id"], e["doc_id"], "plan"), el("div", e["city"])),
                       el("td", el("a", e["cited_target_id"], href=f"#ct-{e['cited_target_id']}"),
                          el("div", e["parent_place"])),
                       el("td", e.get("measure") or ""), el("td", fmt.number(e.get("city_value"))),
                       el("td", fmt.number(e.get("parent_value"))),
                       el("td", e["relation"].replace("_", " "), class_=f"status {e['relation']}"),
                       el("td", e.get("differences") or "")))
    return rows
