"""Reading the ``data/raw/*.meta.yml`` sidecars: each a YAML mapping of text fields.

The sidecars are the source of truth for the ``documents`` table; the extractor reads the
same sidecar beside a plan for its ids and period. Both use :func:`parse_sidecar`.

Every field is read as text (YAML's base loader: ``2018`` is the text ``"2018"``). Almost every
sidecar is a flat list of plain ``key: value`` lines; those are read straight from the lines
(``plain_fields``, many times faster than a YAML parser, checked against it by a property
test), and anything else (comments, nesting, flow values, quotes with escapes) goes to YAML.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from mfgpolicy.errors import ReadError
from mfgpolicy.read.limits import read_bytes

SUFFIX = ".meta.yml"
# Every field is used as text, so no type resolution is needed: the base loader (libyaml when
# present) reads a sidecar several times faster than the safe loader.
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def sidecar_paths(raw: Path) -> list[Path]:
    """Return the sidecar files under ``raw``, sorted by name."""
    return sorted(Path(raw).glob(f"*{SUFFIX}"), key=lambda p: p.name)


def raw_file_of(sidecar: Path) -> Path:
    """Return the text file a sidecar describes (``x.meta.yml`` → ``x.txt``)."""
    return sidecar.with_name(sidecar.name[: -len(SUFFIX)] + ".txt")


def sidecar_of(text_file: Path) -> Path:
    """Return the sidecar beside a text file (``x.txt`` → ``x.meta.yml``)."""
    return text_file.with_name(text_file.stem + SUFFIX)


_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")


def plain_fields(text: str) -> dict[str, str] | None:
    r"""Return the fields of a sidecar made only of plain ``key: value`` lines, as YAML's base loader reads them.

    Return None when there is no such line, or when any line is more than that (a comment, an
    indented line, a flow or block value, an anchor, a quoted value with escapes, a ``: `` or
    `` #`` inside a value, a repeated key): the caller then asks the YAML parser.

    Examples
    --------
    >>> plain_fields('doc_id: jinhua-2021\ntitle: “腾笼换鸟”方案\ndate: ""\nperiod_start: 2021\nnotes:\n')
    {'doc_id': 'jinhua-2021', 'title': '“腾笼换鸟”方案', 'date': '', 'period_start': '2021', 'notes': ''}
    >>> plain_fields("notes: a: b\n") is None, plain_fields("# comment\n") is None
    (True, True)
    """
    found: dict[str, str] = {}
    for line in text.split("\n"):
        if not line:
            continue
        key, colon, value = line.partition(": ")
        if not colon:
            if not line.endswith(":"):
                return None
            key = line[:-1]
        if not (key.isidentifier() and key.isascii()) or key in found:  # [A-Za-z_][A-Za-z0-9_]*, once
            return None
        value = value.strip(" ")
        if not value:
            found[key] = ""
        elif value[0] in "\"'":
            if len(value) < 2 or value[-1] != value[0] or value[0] in value[1:-1] or "\\" in value:
                return None
            found[key] = value[1:-1]
        elif (value.startswith(_INDICATORS) or ": " in value or " #" in value or value.endswith(":")
              or not value.isprintable() or "\t" in value):
            return None
        else:
            found[key] = value
    return found or None


def parse_sidecar(data: bytes, source: str) -> dict[str, str]:
    """Return a sidecar's fields as text ('' for empty values); raise ``ReadError`` naming ``source``.

    Examples
    --------
    >>> parse_sidecar(b"doc_id: a\\nperiod_start: 2018\\nnotes:\\n", "a.meta.yml")
    {'doc_id': 'a', 'period_start': '2018', 'notes': ''}
    >>> parse_sidecar(b"- a\\n- b\\n", "a.meta.yml")
    Traceback (most recent call last):
    ...
    mfgpolicy.errors.ReadError: a.meta.yml: is a YAML list, not a mapping of field: value lines
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError(source, f"is not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    plain = plain_fields(text)
    if plain is not None:
        return plain
    try:
        loaded = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ReadError(source, f"is not valid YAML ({problem})",
                        line=mark.line + 1 if mark is not None else None) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        kind = "list" if isinstance(loaded, list) else "single value"
        raise ReadError(source, f"is a YAML {kind}, not a mapping of field: value lines")
    fields = {}
    for key, value in loaded.items():
        if isinstance(value, (dict, list)):
            raise ReadError(source, f"field {key!r} holds a YAML {type(value).__name__}, not text")
        fields[str(key)] = "" if value is None else str(value)
    return fields


def parse_sidecars(items: Sequence[tuple[str, bytes]]) -> list[dict[str, str] | ReadError]:
    """Return, for each ``(source, bytes)``, what ``parse_sidecar`` returns or the ``ReadError`` it raises."""
    out: list[dict[str, str] | ReadError] = []
    for source, data in items:
        try:
            out.append(parse_sidecar(data, source))
        except ReadError as exc:
            out.append(exc)
    return out


def read_sidecar(sidecar: Path) -> dict[str, str]:
    """Return a sidecar's fields as text plus ``raw_file`` (the text file's name); ``ReadError`` if unreadable."""
    fields = parse_sidecar(read_bytes(sidecar), str(sidecar))
    fields["raw_file"] = raw_file_of(sidecar).name
    return fields
