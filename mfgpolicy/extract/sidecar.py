"""What a plan's sidecar (``<stem>.meta.yml``) tells the extractor: doc_id, city, plan period.

A sidecar is YAML. Almost every one is a flat list of ``key: value`` lines, and for those the
four fields are read straight from the lines (``simple_fields``), which is a hundred times faster
than a YAML parser; any line that is not plainly such a line, or a value whose YAML type is not
plainly a string or a year, sends the whole file to ``yaml.safe_load`` as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mfgpolicy.extract.errors import ExtractError

FIELDS = ("doc_id", "city", "period_start", "period_end")
_LINE = re.compile(r"(?P<key>[a-z_][a-z0-9_]*):(?: (?P<value>.*))?")
_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_YEAR = re.compile(r"[1-9][0-9]{0,3}")
_NOT_TEXT = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
"""Plain words that YAML 1.1 reads as booleans or null (compared in lower case)."""
_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`=<")
"""YAML's indicators, and ``=``/``<<`` (plain scalars that SafeLoader cannot construct)."""
_TIMESTAMP = re.compile(r"\d{4}-\d")
"""A plain value that YAML may read as a date (and fail on, "2023-02-30"): left to YAML."""


@dataclass(frozen=True)
class Meta:
    """What the sidecar tells the extractor: ids and the plan period."""

    doc_id: str = ""
    city: str = ""
    period: tuple[int, int] | None = None


def simple_fields(text: str) -> dict[str, object] | None:
    """Return the four fields of a sidecar made of plain ``key: value`` lines, as YAML reads them.

    Return None when any line is more than that (comments, blank or indented lines, flow or block
    values, anchors, a ``: `` or `` #`` inside a value, a repeated key) or when a field's value is
    not plainly text (``jinhua-2021``) or a year (``2021``): the caller then asks a YAML parser.

    Examples
    --------
    >>> simple_fields('doc_id: jinhua-2021\\ncity: Jinhua\\ntitle: “腾笼换鸟”方案\\ndate: ""\\nperiod_start: 2021\\n')
    {'doc_id': 'jinhua-2021', 'city': 'Jinhua', 'period_start': 2021}
    >>> simple_fields("doc_id: yes\\n") is None, simple_fields("notes: a: b\\n") is None
    (True, True)
    """
    found: dict[str, object] = {}
    seen: set[str] = set()
    for line in text.split("\n"):
        if not line:
            continue
        m = _LINE.fullmatch(line)
        if m is None or m["key"] in seen or m["key"] in _NOT_TEXT:
            return None
        seen.add(m["key"])
        value = m["value"]
        if value is None or not (value := value.strip(" ")):
            if m["key"] in FIELDS:
                return None  # null
            continue
        if not _plain_or_quoted(value):
            return None
        if m["key"] in FIELDS:
            if _YEAR.fullmatch(value):
                found[m["key"]] = int(value)
            elif _TEXT.fullmatch(value) and value.lower() not in _NOT_TEXT:
                found[m["key"]] = value
            else:
                return None
    return found


def _plain_or_quoted(value: str) -> bool:
    """True for a value YAML reads as one plain or simply quoted scalar on its line."""
    if not value.isprintable() or "\t" in value:
        return False
    if value[0] in "\"'":
        return len(value) >= 2 and value[-1] == value[0] and value[0] not in value[1:-1] and "\\" not in value
    return (not value.startswith(_INDICATORS) and ": " not in value and " #" not in value
            and not value.endswith(":") and not _TIMESTAMP.match(value))


def read_meta(path: Path) -> Meta:
    """Return the ids and period from the ``<stem>.meta.yml`` sidecar beside ``path`` (if any)."""
    sidecar = path.with_name(path.stem + ".meta.yml")
    try:
        text = sidecar.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Meta()
    except UnicodeDecodeError as exc:
        raise ExtractError(str(sidecar), f"unreadable sidecar: {exc}") from None
    data = simple_fields(text)
    return meta_of(_yaml(text, sidecar) if data is None else data, sidecar)


def meta_of(data: dict, sidecar: Path) -> Meta:
    """Return the ``Meta`` of a sidecar's fields (as YAML reads them); raise on a period that is no year."""
    period = None
    try:
        if data.get("period_start") and data.get("period_end"):
            period = (int(data["period_start"]), int(data["period_end"]))
    except (TypeError, ValueError):
        raise ExtractError(str(sidecar), "period_start/period_end are not years") from None
    return Meta(str(data.get("doc_id") or ""), str(data.get("city") or ""), period)


def _yaml(text: str, sidecar: Path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ExtractError(str(sidecar), f"unreadable sidecar: {exc}") from None
    if not isinstance(data, dict):
        raise ExtractError(str(sidecar), "sidecar is not a YAML mapping")
    return data
