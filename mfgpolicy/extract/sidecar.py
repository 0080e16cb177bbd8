"""What a plan's sidecar (``<stem>.meta.yml``) tells the extractor: doc_id, city, plan period.

The sidecar is read by the project's one sidecar reader (``mfgpolicy.read.sidecars``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mfgpolicy.errors import InputTooLargeError, ReadError
from mfgpolicy.extract.errors import ExtractError


@dataclass(frozen=True)
class Meta:
    """What the sidecar tells the extractor: ids and the plan period."""

    doc_id: str = ""
    city: str = ""
    period: tuple[int, int] | None = None


def read_meta(path: Path) -> Meta:
    """Return the ids and period from the ``<stem>.meta.yml`` sidecar beside ``path`` (``Meta()`` if none)."""
    from mfgpolicy.read.limits import read_bytes
    from mfgpolicy.read.sidecars import parse_sidecar, sidecar_of

    sidecar = sidecar_of(Path(path))
    if not sidecar.is_file():
        return Meta()
    try:
        fields = parse_sidecar(read_bytes(sidecar), str(sidecar))
    except (ReadError, InputTooLargeError) as exc:
        raise ExtractError(str(sidecar), f"unreadable sidecar: {getattr(exc, 'message', exc)}") from None
    return meta_of(fields, sidecar)


def meta_of(fields: dict[str, str], sidecar: Path) -> Meta:
    """Return the ``Meta`` of a sidecar's fields; raise ``ExtractError`` on a period that is not years.

    Examples
    --------
    >>> meta_of({"doc_id": "x-2020", "period_start": "2018", "period_end": "2020"}, Path("x.meta.yml"))
    Meta(doc_id='x-2020', city='', period=(2018, 2020))
    """
    period = None
    try:
        if fields.get("period_start") and fields.get("period_end"):
            period = (int(fields["period_start"]), int(fields["period_end"]))
    except ValueError:
        raise ExtractError(str(sidecar), "period_start/period_end are not years") from None
    return Meta(fields.get("doc_id") or "", fields.get("city") or "", period)
