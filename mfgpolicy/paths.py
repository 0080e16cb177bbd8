"""Project paths: one place that knows where raw, curated and built data live."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("MFGPOLICY_ROOT", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
RAW = DATA / "raw"
CURATED = DATA / "curated"
BUILD = DATA / "build"
FIGURES = ROOT / "figures"
DATABASE = BUILD / "mfgpolicy.duckdb"
