"""Extract candidate targets from a plan's text, for a person to accept, fix or drop.

``extract_text(text)`` and ``extract_file(path)`` return a polars frame in the ``targets``
schema (plus ``confidence`` and ``rule``); ``extract_files(paths)`` does many files in one pass
and returns one frame; ``evaluate()`` scores the extractor against the curated targets. The command line is ``mfgpolicy extract`` (``python -m mfgpolicy.extract``).
"""

from __future__ import annotations

from mfgpolicy.extract.core import COLUMNS, extract_file, extract_files, extract_text
from mfgpolicy.extract.errors import ExtractError
from mfgpolicy.extract.evaluate import Evaluation, evaluate

__all__ = ["COLUMNS", "Evaluation", "ExtractError", "evaluate", "extract_file", "extract_files", "extract_text"]
