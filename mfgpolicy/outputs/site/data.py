"""What the data browser shows, read from the catalog into plain dicts (one query per table).

Everything comes from the one catalog connection the other outputs read: the targets with
their harmonised measures and comparison caveats, the documents, baselines, plan links and
spans, and the outside evidence (sources, observations, cited plans and targets, achievement,
escalation). The plans' texts are read from the project's ``data/raw`` and checked against the
database: each file's sha256 must be the one ``documents`` records, and every quote must stand
at its offsets, so every anchor the browser links to exists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb

from mfgpolicy.catalog.frames import frame_of
from mfgpolicy.errors import MfgPolicyError
from mfgpolicy.outputs.site.marks import Span
from mfgpolicy.project import Project

QUERIES: dict[str, str] = {
    "documents": "SELECT * FROM documents ORDER BY doc_id",
    "targets": """
        SELECT h.*, i.name_en AS indicator_en, i.definition_en AS indicator_definition,
               c.caveats, c.nesting_note, c.conflict_note
        FROM targets_harmonised h
        JOIN indicators i USING (indicator_key)
        LEFT JOIN comparison c ON c.target_id = h.target_id
        ORDER BY h.doc_id, h.char_start, h.char_end, h.target_id""",
    "baselines": "SELECT * FROM baselines ORDER BY doc_id, char_start, baseline_id",
    "plan_links": "SELECT * FROM plan_links ORDER BY doc_id, char_start, link_id",
    "plan_spans": "SELECT * FROM plan_spans ORDER BY doc_id",
    "sources": "SELECT * FROM sources ORDER BY source_id",
    "observations": """
        SELECT o.*, i.name_en AS indicator_en FROM observations o JOIN indicators i USING (indicator_key)
        ORDER BY o.place, o.indicator_key, o.year, o.observation_id""",
    "cited_documents": "SELECT * FROM cited_documents ORDER BY cited_doc_id",
    "cited_targets": """
        SELECT t.*, i.name_en AS indicator_en, h.annualised_pct, h.sensitivity_low, h.sensitivity_high,
               h.pp_per_year, h.pp_sensitivity_low, h.pp_sensitivity_high, h.points_per_year, h.per_year_value,
               h.per_year_low, h.per_year_high, h.rule, h.why_not, h.base_source
        FROM cited_targets t JOIN indicators i USING (indicator_key)
        LEFT JOIN cited_targets_harmonised h ON h.target_id = t.cited_target_id
        ORDER BY t.cited_doc_id, t.cited_target_id""",
    "achievement": "SELECT * FROM achievement ORDER BY source DESC, doc_id, target_id",
    "escalation": "SELECT * FROM escalation ORDER BY doc_id, target_id, cited_target_id",
}
"""One query per table the browser shows, each in a fixed order (the pages are byte-for-byte reproducible)."""


@dataclass(frozen=True)
class SiteData:
    """Everything the pages show: rows as dicts, the plans' texts, and the quotes to mark in each."""

    version: str
    tables: dict[str, list[dict]]
    texts: dict[str, str]
    """The raw text of each document, by doc_id."""
    spans: dict[str, list[Span]]
    """The quotes to mark in each document's text, by doc_id."""

    def rows(self, table: str) -> list[dict]:
        """Return the rows of ``table`` (a key of ``QUERIES``)."""
        return self.tables[table]

    def by(self, table: str, key: str) -> dict[str, list[dict]]:
        """Return the rows of ``table`` grouped by the column ``key``."""
        groups: dict[str, list[dict]] = {}
        for row in self.tables[table]:
            groups.setdefault(row[key], []).append(row)
        return groups


def site_data(con: duckdb.DuckDBPyConnection, project: Project) -> SiteData:
    """Return the data of the browser from ``con``, with the texts of ``project``'s plans."""
    from mfgpolicy.catalog import version_of

    tables = {name: frame_of(con.sql(sql)).to_dicts() for name, sql in QUERIES.items()}
    texts = {doc["doc_id"]: _text(project, doc) for doc in tables["documents"]}
    spans = {doc_id: [] for doc_id in texts}
    for span, doc_id, quote in _spans(tables):
        if texts[doc_id][span.start:span.end] != quote:
            raise MfgPolicyError(f"{span.anchor}: the quote is not at characters {span.start}-{span.end} of "
                                 f"{doc_id}'s text; run `mfgpolicy validate`")
        spans[doc_id].append(span)
    return SiteData(version_of(con), tables, texts, {k: sorted(v) for k, v in spans.items()})


def _text(project: Project, doc: dict) -> str:
    from mfgpolicy.read.limits import read_bytes
    from mfgpolicy.read.rawtext import decode_raw

    path = project.raw / doc["raw_file"]
    if not path.is_file():
        raise MfgPolicyError(f"{doc['doc_id']}: its raw text {path} is missing")
    data = read_bytes(path)
    if hashlib.sha256(data).hexdigest() != doc["sha256"]:
        raise MfgPolicyError(f"{doc['doc_id']}: the raw text {path} is not the one the database was built from "
                             "(its sha256 differs from documents.sha256); rebuild with `mfgpolicy build`")
    return decode_raw(data, str(path))


def _spans(tables: dict[str, list[dict]]) -> list[tuple[Span, str, str]]:
    """Return every quote to mark, with the document it stands in and its words."""
    out = []
    for t in tables["targets"]:
        span = Span(t["char_start"], t["char_end"], t["target_id"], "target", f"{t['target_id']}: {t['indicator_en']}")
        out.append((span, t["doc_id"], t["quote"]))
    for b in tables["baselines"]:
        span = Span(b["char_start"], b["char_end"], b["baseline_id"], "baseline",
                    f"{b['baseline_id']}: baseline, {b['year']}")
        out.append((span, b["doc_id"], b["quote"]))
    for link in tables["plan_links"]:
        span = Span(link["char_start"], link["char_end"], link["link_id"], "link",
                    f"{link['link_id']}: names the parent plan {link['cited_doc_id']} ({link['relation']})")
        out.append((span, link["doc_id"], link["quote"]))
    for s in tables["plan_spans"]:
        span = Span(s["char_start"], s["char_end"], f"{s['doc_id']}-span", "span",
                    f"the years of the plan's effort: {s['first_year']}-{s['last_year']}")
        out.append((span, s["doc_id"], s["quote"]))
    return out

