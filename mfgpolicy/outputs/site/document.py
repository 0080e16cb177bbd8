"""One page per plan: its full text, every quote marked and anchored, and its targets beside it.

Each target's anchor is an element whose id is the target id, placed where its quote begins, so
``plan-<doc_id>.html#<target_id>`` scrolls to the quote; the page's script then highlights every
piece of that quote (quotes may overlap, see ``marks``) and the target in the list beside it.
"""

from __future__ import annotations

from mfgpolicy.outputs.site import fmt
from mfgpolicy.outputs.site.data import SiteData
from mfgpolicy.outputs.site.layout import lang_of, page
from mfgpolicy.outputs.site.marks import KINDS, Piece, pieces

LEGEND = {"target": "target", "baseline": "baseline", "link": "name of the parent plan",
          "span": "years of the plan's effort"}
from mfgpolicy.outputs.site.markup import Markup, el, join


def plan_pages(data: SiteData) -> dict[str, str]:
    """Return each plan's page by doc_id."""
    targets = data.by("targets", "doc_id")
    links = data.by("plan_links", "doc_id")
    cited = {c["cited_doc_id"]: c for c in data.rows("cited_documents")}
    out = {}
    for doc in data.rows("documents"):
        doc_id = doc["doc_id"]
        body = join([
            el("h1", doc["title_zh"], lang=lang_of(doc)),
            el("p", doc["title_en"], class_="lead"),
            _facts(doc, links.get(doc_id, []), cited),
            el("div", _sidebar(targets.get(doc_id, [])), _text(data, doc), class_="plan"),
        ])
        out[doc_id] = page(doc["title_en"], body, version=data.version, documents=data.rows("documents"),
                           active=doc_id)
    return out


def _facts(doc: dict, links: list[dict], cited: dict[str, dict]) -> Markup:
    date = str(doc["date_issued"]) if doc.get("date_issued") else "not stated in the text"
    facts = [
        ("City", f"{doc['city']} {doc['city_zh']} ({doc['admin_level']})"),
        ("Issuer", doc["issuer"]),
        ("Document number", doc.get("doc_number") or "none"),
        ("Issued", join([date, f" — {doc['date_note']}" if doc.get("date_note") else None])),
        ("Plan period", f"{doc['period_start']}–{doc['period_end']}"),
        ("Text", join([f"{doc['script']} characters; ", el("code", f"data/raw/{doc['raw_file']}"), ", sha256 ",
                       el("code", doc["sha256"][:16] + "…", title=doc["sha256"]), f". {doc['origin']}"])),
    ]
    if doc.get("notes"):
        facts.append(("Notes", doc["notes"]))
    for link in links:
        parent = cited.get(link["cited_doc_id"], {})
        facts.append(("Parent plan", join([
            el("a", parent.get("title_en") or link["cited_doc_id"], href=f"evidence.html#cd-{link['cited_doc_id']}"),
            f" ({link['relation'].replace('_', ' ')}; ", el("a", "named in the text", href=f"#{link['link_id']}"),
            ")"])))
    return el("dl", *(join([el("dt", k), el("dd", v)]) for k, v in facts), class_="facts")


def _sidebar(targets: list[dict]) -> Markup:
    items = []
    for t in targets:
        main, spread = fmt.measure(t)
        more = el("div", el("div", t["quote_en"], class_="en"),
                  el("div", main, f" (range {spread})" if spread else None, class_="measure") if main
                  else el("div", t["why_not"] or "", class_="why-not"),
                  el("div", fmt.years(t), " · ", el("a", "in the table", href=f"index.html#row-{t['target_id']}")),
                  class_="more")
        items.append(el("li", el("a", fmt.target_value(t), href=f"#{t['target_id']}", class_="num"), " ",
                        el("span", t["indicator_en"], class_="indicator"), " ", el("code", t["target_id"]), more,
                        data_id=t["target_id"]))
    return el("aside", el("h2", f"{len(targets)} targets"), el("ol", *items, class_="target-list"),
              class_="sidebar", aria_label="targets of this plan")


def _text(data: SiteData, doc: dict) -> Markup:
    doc_id = doc["doc_id"]
    spans = data.spans[doc_id]
    body = join(_piece(p) for p in pieces(data.texts[doc_id], spans))
    kinds = [k for k in KINDS if any(s.kind == k for s in spans)]
    legend = el("p", join((el("mark", LEGEND[k], class_=f"m-{k}") for k in kinds), " "),
                " — click a marked passage to select it, or a target's number beside the text.", class_="legend")
    return el("article", el("h2", "Full text, as received"), legend,
              el("div", body, class_="plan-text", lang=lang_of(doc)), class_="text")


def _piece(piece: Piece) -> Markup:
    anchors = join(el("span", class_="anchor", id=s.anchor) for s in piece.starting)
    if not piece.covering:
        return join([anchors, piece.text])
    kinds = sorted({s.kind for s in piece.covering})
    mark = el("mark", piece.text, class_=" ".join(f"m-{k}" for k in kinds),
              data_ids=" ".join(s.anchor for s in piece.covering),
              title="\n".join(s.label for s in piece.covering))
    return join([anchors, mark])
