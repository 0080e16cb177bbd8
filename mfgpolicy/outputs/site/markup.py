"""Building HTML safely: every piece of text is escaped unless it is already markup.

``Markup`` is a ``str`` that holds HTML; anything else given to ``el`` (as a child or an
attribute value) is escaped, so text from the plans, the curated tables or a source's title can
never become markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable


class Markup(str):
    """Text that is already HTML (the output of ``el``, ``void``, ``join`` or ``esc``)."""

    __slots__ = ()


def esc(value: object) -> Markup:
    """Return ``value`` as HTML: escaped, unless it is ``Markup`` already.

    Examples
    --------
    >>> esc('<b>"R&D"</b>')
    '&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;'
    >>> esc(esc("<")) == esc("<")
    True
    """
    if isinstance(value, Markup):
        return value
    return Markup(html.escape("" if value is None else str(value), quote=True))


def _attributes(attrs: dict[str, object]) -> str:
    """``class_="x", data_ids="a b"`` → `` class="x" data-ids="a b"``; None and False are left out, True is bare."""
    parts = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(f" {name}" if value is True else f' {name}="{html.escape(str(value), quote=True)}"')
    return "".join(parts)


def el(name: str, /, *children: object, **attrs: object) -> Markup:
    """Return the element ``<name attrs>children</name>``; children that are not ``Markup`` are escaped.

    Examples
    --------
    >>> el("a", "1 < 2", href="p.html#t-1", class_="num")
    '<a href="p.html#t-1" class="num">1 &lt; 2</a>'
    """
    return Markup(f"<{name}{_attributes(attrs)}>{join(children)}</{name}>")


def void(name: str, /, **attrs: object) -> Markup:
    """Return an element without content (``meta``, ``link``, ``input``, ``br``)."""
    return Markup(f"<{name}{_attributes(attrs)}>")


def join(children: Iterable[object], sep: str = "") -> Markup:
    """Return ``children`` (None left out) escaped and joined by ``sep`` (itself escaped)."""
    return Markup(esc(sep).join(esc(c) for c in children if c is not None))
