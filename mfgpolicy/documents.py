"""Document metadata: the data/raw/*.meta.yml sidecars are the source of truth.

``documents_frame()`` turns the sidecars into the ``documents`` table and
``write_documents_csv()`` stores it as ``data/curated/documents.csv`` (generated, never edited).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from mfgpolicy import schema
from mfgpolicy._io import atomic_write_text

SIDECAR_SUFFIX = ".meta.yml"
# Every field is used as text, so no type resolution is needed: the base loader (libyaml when
# present) reads a sidecar several times faster than the safe loader.
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def sidecar_paths(raw: Path) -> list[Path]:
    """Return the sidecar files under ``raw``, sorted by name."""
    return sorted(raw.glob(f"*{SIDECAR_SUFFIX}"), key=lambda p: p.name)


def raw_file_of(sidecar: Path) -> Path:
    """Return the text file a sidecar describes (``x.meta.yml`` → ``x.txt``)."""
    return sidecar.with_name(sidecar.name[: -len(SIDECAR_SUFFIX)] + ".txt")


def read_sidecar(sidecar: Path) -> dict[str, str]:
    """Return a sidecar's fields as strings, plus ``raw_file``; empty values become ''."""
    data = yaml.load(sidecar.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    row = {k: "" if v is None else str(v) for k, v in data.items()}
    row["raw_file"] = raw_file_of(sidecar).name
    return row


def read_sidecars(raw: Path) -> dict[Path, dict[str, str]]:
    """Return every sidecar under ``raw`` (path → fields), read once."""
    return {p: read_sidecar(p) for p in sidecar_paths(raw)}


def documents_rows(raw: Path, sidecars: dict[Path, dict[str, str]] | None = None) -> list[dict[str, str]]:
    """Return one ``documents`` row per sidecar, in the table's column order."""
    columns = schema.DOCUMENTS.columns
    rows = (sidecars if sidecars is not None else read_sidecars(raw)).values()
    return sorted(({c: r.get(c, "") for c in columns} for r in rows), key=lambda r: r["doc_id"])


def documents_csv(raw: Path, sidecars: dict[Path, dict[str, str]] | None = None) -> str:
    """Return the text of ``documents.csv`` as generated from the sidecars (read here unless given)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=schema.DOCUMENTS.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(documents_rows(raw, sidecars))
    return out.getvalue()


def write_documents_csv(raw: Path, curated: Path) -> Path:
    """Regenerate ``documents.csv`` in ``curated`` from the sidecars in ``raw``."""
    return atomic_write_text(curated / "documents.csv", documents_csv(raw))
