"""mfgpolicy: curated, validated manufacturing-upgrade targets of Zhejiang city plans.

Data flows one way: raw → curated → DuckDB → harmonised views → figures, Excel, notebooks.
"""

from __future__ import annotations

from mfgpolicy.catalog import build, connect
from mfgpolicy.compare import compare, coverage, rank
from mfgpolicy.validate import validate
from mfgpolicy.version import data_version

__all__ = ["build", "compare", "connect", "coverage", "data_version", "rank", "validate"]
__version__ = "0.1.0"
