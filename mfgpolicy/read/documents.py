"""The ``documents`` table is generated from the ``data/raw/*.meta.yml`` sidecars (the source of truth).

``documents_csv()`` returns the text of ``data/curated/documents.csv`` and
``write_documents_csv()`` stores it (generated, never edited by hand).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mfgpolicy import schema
from mfgpolicy.errors import ReadError, ValidationError
from mfgpolicy.read.sidecars import read_sidecar, sidecar_paths


def read_sidecars(raw: Path) -> tuple[dict[Path, dict[str, str]], list[ReadError]]:
    """Return every readable sidecar under ``raw`` (path → fields), and the errors of the others."""
    sidecars, errors = {}, []
    for path in sidecar_paths(raw):
        try:
            sidecars[path] = read_sidecar(path)
        except ReadError as exc:
            errors.append(exc)
    return sidecars, errors


def documents_rows(sidecars: dict[Path, dict[str, str]] | dict[str, dict[str, str]]) -> list[list[str]]:
    """Return one ``documents`` row per sidecar, in the table's column order, sorted by ``doc_id``."""
    columns = schema.DOCUMENTS.columns
    at = columns.index("doc_id")
    return sorted(([r.get(c, "") for c in columns] for r in sidecars.values()), key=lambda r: r[at])


def documents_csv(sidecars: dict[Path, dict[str, str]] | dict[str, dict[str, str]]) -> str:
    """Return the text of ``documents.csv`` as generated from ``sidecars`` (the values; keys name the files)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(schema.DOCUMENTS.columns)
    writer.writerows(documents_rows(sidecars))
    return out.getvalue()


def write_documents_csv(raw: Path, curated: Path) -> Path:
    """Regenerate ``documents.csv`` in ``curated`` from the sidecars in ``raw`` (atomically).

    Refuses (``ValidationError``) when there are no sidecars or one cannot be read: an empty or
    partial table would silently drop documents.
    """
    from mfgpolicy._io import atomic_write_text
    from mfgpolicy.checks.problems import Problem

    sidecars, errors = read_sidecars(raw)
    problems = [Problem(e.file, "", "", "", e.message, e.line) for e in errors]
    if not sidecars and not errors:
        problems.append(Problem(str(raw), "", "", "", "no *.meta.yml sidecars found: documents.csv not written"))
    if problems:
        raise ValidationError(problems)
    return atomic_write_text(curated / "documents.csv", documents_csv(sidecars))
