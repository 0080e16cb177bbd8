"""mfgpolicy: curated, validated manufacturing-upgrade targets of Zhejiang city plans.

Data flows one way: raw → curated → DuckDB → harmonised views → figures, Excel, panels.
The package's folders follow it: ``project`` and ``read`` (finding and reading the data) →
``checks`` (validation) → ``catalog`` (DuckDB) → ``harmonise`` and ``comparison`` → ``outputs``
(figures, Excel, panels, the data browser) → ``versions``; ``extract`` and ``cli`` stand beside them.

The names users type are imported when first used, so ``import mfgpolicy`` (and the command
line's ``--help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.2.0"

_API = {
    "Project": "mfgpolicy.project",
    "build": "mfgpolicy.catalog",
    "connect": "mfgpolicy.catalog",
    "validate": "mfgpolicy.checks",
    "achievement": "mfgpolicy.comparison",
    "compare": "mfgpolicy.comparison",
    "escalation": "mfgpolicy.comparison",
    "coverage": "mfgpolicy.comparison",
    "rank": "mfgpolicy.comparison",
    "data_version": "mfgpolicy.versions",
    "quotes": "mfgpolicy.outputs.quotes",
    "show_quotes": "mfgpolicy.outputs.quotes",
}

__all__ = ["Project", "achievement", "build", "compare", "connect", "coverage", "data_version", "escalation", "quotes",
           "rank", "show_quotes", "validate"]


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mfgpolicy' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
