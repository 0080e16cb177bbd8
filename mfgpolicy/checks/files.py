"""Checks of the files themselves: sidecars, raw texts and their checksums, generated files, VERSION."""

from __future__ import annotations

import hashlib
import os
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

    sidecars: dict[str, dict[str, str]] = field(default_factory=dict)
    """Sidecar file name → its fields (with ``raw_file``), in name order."""
    texts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=TEXTS_SCHEMA))
    """One row per readable raw text: ``doc_id``, ``text``, ``chars`` (its length in code points)."""
    problems: list[Problem] = field(default_factory=list)


TEXTS_SCHEMA = {"doc_id": pl.String, "text": pl.String, "chars": pl.UInt32}


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
    an edited raw file. The folder is listed once; the sidecars are parsed together
    (``sidecars.parse_sidecars``) and the texts decoded together.
    """
    out = RawFolder()
    if not raw.is_dir():
        out.problems.append(Problem(label, "", "", "", "folder is missing"))
        return out
    names = sorted(os.listdir(raw))
    present = set(names)
    folder = os.fspath(raw)
    items: list[tuple[str, bytes]] = []
    for name in names:
        if name.endswith(sidecars.SUFFIX):
            try:
                items.append((name, read_bytes(os.path.join(folder, name))))
            except (ReadError, InputTooLargeError) as exc:
                out.problems.append(_read_problem(f"{label}/{name}", exc))
    doc_ids: list[str] = []
    datas: list[bytes] = []
    raw_files: list[str] = []
    for (name, _), meta in zip(items, sidecars.parse_sidecars([(os.path.join(folder, n), d) for n, d in items])):
        where = f"{label}/{name}"
        if isinstance(meta, ReadError):
            out.problems.append(_read_problem(where, meta))
            continue
        raw_file = name[: -len(sidecars.SUFFIX)] + ".txt"
        meta["raw_file"] = raw_file
        out.sidecars[name] = meta
        doc_id = meta.get("doc_id", "")
        out.problems += _check_fields(where, doc_id, meta)
        if raw_file not in present:
            out.problems.append(Problem(where, doc_id, "raw_file", raw_file, "raw text file no such file"))
            continue
        try:
            data = read_bytes(os.path.join(folder, raw_file))
        except ReadError as exc:
            out.problems.append(Problem(where, doc_id, "raw_file", raw_file, f"raw text file {exc.message}"))
            continue
        except InputTooLargeError as exc:
            out.problems.append(_read_problem(where, exc))
            continue
        actual = hashlib.sha256(data).hexdigest()
        stated = meta.get("sha256", "")
        if stated and stated != actual:
            out.problems.append(Problem(where, doc_id, "sha256", stated, _checksum_message(
                raw_file, actual, (recorded or {}).get(raw_file))))
        doc_ids.append(doc_id)
        datas.append(data)
        raw_files.append(raw_file)
    out.texts = decode_texts(doc_ids, datas, raw_files, out.problems)
    for name in names:
        if name.endswith(".txt") and name[: -len(".txt")] + sidecars.SUFFIX not in present:
            out.problems.append(Problem(label, "", "", name, "raw text file has no .meta.yml sidecar"))
    if not out.sidecars and not out.problems:
        out.problems.append(Problem(label, "", "", "", "no *.meta.yml sidecars found"))
    return out


def _check_fields(where: str, doc_id: str, meta: dict[str, str]) -> Iterator[Problem]:
    for f in schema.DOCUMENTS.fields:
        if f.required and f.name != "raw_file" and not meta.get(f.name):
            yield Problem(where, doc_id, f.name, "", "required sidecar field is missing or empty")


def decode_texts(doc_ids: list[str], datas: list[bytes], raw_files: list[str], problems: list[Problem]
                ) -> pl.DataFrame:
    """Decode every raw text at once (strict UTF-8); a text that is not UTF-8 is a problem, found file by file."""
    frame = pl.DataFrame({"doc_id": doc_ids, "data": pl.Series(datas, dtype=pl.Binary)},
                         schema={"doc_id": pl.String, "data": pl.Binary})
    try:
        texts = frame.select("doc_id", pl.col("data").cast(pl.String).alias("text"))
    except pl.exceptions.PolarsError:  # some text is not UTF-8: find which, file by file
        decoded: dict[str, list[str]] = {"doc_id": [], "text": []}
        for doc_id, data, raw_file in zip(doc_ids, datas, raw_files):
            try:
                text = decode_raw(data, f"data/raw/{raw_file}")
            except ReadError as exc:
                problems.append(Problem(exc.file, doc_id, "", "", exc.message))
                continue
            decoded["doc_id"].append(doc_id)
            decoded["text"].append(text)
        texts = pl.DataFrame(decoded, schema={"doc_id": pl.String, "text": pl.String})
    texts = texts.filter(pl.col("doc_id") != "").unique("doc_id", keep="last", maintain_order=True)
    return texts.with_columns(chars=pl.col("text").str.len_chars())


def _read_problem(name: str, exc: Exception) -> Problem:
    if isinstance(exc, ReadError):
        return Problem(name, "", "", "", exc.message, exc.line)
    return Problem(name, "", "", "", str(exc).split(": ", 1)[-1])


def _checksum_message(raw_file: str, actual: str, recorded: str | None) -> str:
    if recorded == actual:
        return (f"the sidecar's checksum was edited: the raw file {raw_file} still has the sha256 recorded in "
                f"documents.csv ({actual}); restore the sidecar's sha256")
    if recorded is not None and recorded != actual:
        return (f"the raw file {raw_file} changed (its sha256 is now {actual}; documents.csv records the sidecar's): "
                "raw files are never edited: restore it, or add the new text as a new raw file")
    return (f"does not match the raw file {raw_file} (its sha256 is {actual}): either the raw file changed (raw "
            "files are never edited) or the sidecar's checksum was edited")


OUTDATED_DOCUMENTS = "out of date with the data/raw sidecars; run `mfgpolicy documents` to regenerate it"


def check_generated(raw: RawFolder, curated: Path) -> Iterator[Problem]:
    """``documents.csv`` must be what the sidecars generate and ``datapackage.json`` what the schema generates."""
    csv_path = curated / "documents.csv"
    if csv_path.exists() and raw.sidecars:
        try:
            stored = read_bytes(csv_path).decode("utf-8", "replace")
        except (ReadError, InputTooLargeError):
            stored = None  # reported when the table itself is read
        if stored is not None and stored != documents.documents_csv(raw.sidecars):
            yield Problem("documents.csv", "", "", "", OUTDATED_DOCUMENTS)
    yield from check_datapackage(curated)


def check_datapackage(curated: Path) -> Iterator[Problem]:
    """``datapackage.json`` must be what ``mfgpolicy/schema.py`` generates."""
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
