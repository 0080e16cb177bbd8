"""Checks of the files themselves: sidecars, raw texts and their checksums, generated files, VERSION."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from mfgpolicy import schema
from mfgpolicy.checks.problems import Problem
from mfgpolicy.errors import InputTooLargeError, ReadError
from mfgpolicy.read import documents, sidecars
from mfgpolicy.read.limits import read_bytes
from mfgpolicy.read.rawtext import decode_raw


@dataclass
class RawFolder:
    """What ``data/raw`` holds, each file read once: sidecars (parsed), raw texts (decoded) and problems."""

    sidecars: dict[Path, dict[str, str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def recorded_checksums(documents: pl.DataFrame | None) -> dict[str, str]:
    """Return ``{raw_file: sha256}`` as ``documents.csv`` records them ({} when it was not readable).

    ``documents.csv`` is generated from the sidecars, so when a sidecar's checksum no longer
    matches its raw file, this second record tells which of the two was edited.
    """
    if documents is None or not {"raw_file", "sha256"} <= set(documents.columns):
        return {}
    return {f: h for f, h in documents.select("raw_file", "sha256").iter_rows() if f and h}


def read_raw_folder(raw: Path, label: str = "data/raw", recorded: dict[str, str] | None = None) -> RawFolder:
    """Read every sidecar and raw text under ``raw`` once; report what cannot be read or does not match.

    ``recorded`` (raw file → sha256 from ``documents.csv``) tells an edited sidecar checksum from
    an edited raw file.
    """
    out = RawFolder()
    if not raw.is_dir():
        out.problems.append(Problem(label, "", "", "", "folder is missing"))
        return out
    for sidecar in sidecars.sidecar_paths(raw):
        name = f"{label}/{sidecar.name}"
        try:
            meta = sidecars.read_sidecar(sidecar)
        except (ReadError, InputTooLargeError) as exc:
            out.problems.append(_read_problem(name, exc))
            continue
        out.sidecars[sidecar] = meta
        out.problems += _check_sidecar(name, sidecar, meta, out.texts, (recorded or {}).get(meta["raw_file"]))
    for txt in sorted(raw.glob("*.txt")):
        if not sidecars.sidecar_of(txt).exists():
            out.problems.append(Problem(label, "", "", txt.name, "raw text file has no .meta.yml sidecar"))
    if not out.sidecars and not out.problems:
        out.problems.append(Problem(label, "", "", "", "no *.meta.yml sidecars found"))
    return out


def _read_problem(name: str, exc: Exception) -> Problem:
    if isinstance(exc, ReadError):
        return Problem(name, "", "", "", exc.message, exc.line)
    return Problem(name, "", "", "", str(exc).split(": ", 1)[-1])


def _check_sidecar(name: str, sidecar: Path, meta: dict[str, str], texts: dict[str, str],
                   recorded: str | None) -> Iterator[Problem]:
    doc_id = meta.get("doc_id", "")
    for f in schema.DOCUMENTS.fields:
        if f.required and f.name != "raw_file" and not meta.get(f.name):
            yield Problem(name, doc_id, f.name, "", "required sidecar field is missing or empty")
    text_path = sidecars.raw_file_of(sidecar)
    try:
        data = read_bytes(text_path)
    except ReadError as exc:
        yield Problem(name, doc_id, "raw_file", text_path.name, f"raw text file {exc.message}")
        return
    except InputTooLargeError as exc:
        yield _read_problem(name, exc)
        return
    actual = hashlib.sha256(data).hexdigest()
    stated = meta.get("sha256", "")
    if stated and stated != actual:
        yield Problem(name, doc_id, "sha256", stated, _checksum_message(text_path.name, actual, recorded))
    try:
        text = decode_raw(data, f"data/raw/{text_path.name}")
    except ReadError as exc:
        yield Problem(exc.file, doc_id, "", "", exc.message)
        return
    if doc_id:
        texts[doc_id] = text


def _checksum_message(raw_file: str, actual: str, recorded: str | None) -> str:
    if recorded == actual:
        return (f"the sidecar's checksum was edited: the raw file {raw_file} still has the sha256 recorded in "
                f"documents.csv ({actual}); restore the sidecar's sha256")
    if recorded is not None and recorded != actual:
        return (f"the raw file {raw_file} changed (its sha256 is now {actual}; documents.csv records the sidecar's): "
                "raw files are never edited: restore it, or add the new text as a new raw file")
    return (f"does not match the raw file {raw_file} (its sha256 is {actual}): either the raw file changed (raw "
            "files are never edited) or the sidecar's checksum was edited")


def check_generated(raw: RawFolder, curated: Path) -> Iterator[Problem]:
    """``documents.csv`` must be what the sidecars generate and ``datapackage.json`` what the schema generates."""
    csv_path = curated / "documents.csv"
    if csv_path.exists() and raw.sidecars:
        try:
            stored = read_bytes(csv_path).decode("utf-8", "replace")
        except (ReadError, InputTooLargeError):
            stored = None  # reported when the table itself is read
        if stored is not None and stored != documents.documents_csv(raw.sidecars):
            yield Problem("documents.csv", "", "", "",
                          "out of date with the data/raw sidecars; run `mfgpolicy documents` to regenerate it")
    path = curated / "datapackage.json"
    if not path.exists():
        yield Problem("datapackage.json", "", "", "", "file is missing; run `mfgpolicy datapackage`")
        return
    try:
        current = read_bytes(path).decode("utf-8", "replace") == schema.datapackage_json()
    except (ReadError, InputTooLargeError) as exc:
        yield _read_problem("datapackage.json", exc)
        return
    if not current:
        yield Problem("datapackage.json", "", "", "", "out of date with mfgpolicy/schema.py; run `mfgpolicy datapackage`")


def check_version(curated: Path) -> Iterator[Problem]:
    """``VERSION`` must hold one semantic version (MAJOR.MINOR.PATCH)."""
    from mfgpolicy.versions.version import VERSION_FILE, DataVersionError, parse_version

    path = curated / VERSION_FILE
    try:
        parse_version(read_bytes(path).decode("utf-8"), source=VERSION_FILE)
    except ReadError:
        yield Problem(VERSION_FILE, "", "", "", "file is missing; it holds the data's semantic version, e.g. 1.0.0")
    except (UnicodeDecodeError, InputTooLargeError):
        yield Problem(VERSION_FILE, "", "", "", "is not one line of text; it holds the data's version, e.g. 1.0.0")
    except DataVersionError as exc:
        yield Problem(VERSION_FILE, "", "", str(exc).rsplit("got ", 1)[-1].strip("'"),
                      "is not a semantic version MAJOR.MINOR.PATCH (e.g. 1.0.0)")
