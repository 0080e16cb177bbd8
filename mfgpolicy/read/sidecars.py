"""Reading the ``data/raw/*.meta.yml`` sidecars: each a YAML mapping of text fields.

The sidecars are the source of truth for the ``documents`` table; the extractor reads the
same sidecar beside a plan for its ids and period. Both use :func:`read_sidecar`.
"""

from __future__ import annotations

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


def read_sidecar(sidecar: Path) -> dict[str, str]:
    """Return a sidecar's fields as text plus ``raw_file`` (the text file's name); ``ReadError`` if unreadable."""
    fields = parse_sidecar(read_bytes(sidecar), str(sidecar))
    fields["raw_file"] = raw_file_of(sidecar).name
    return fields
