"""Benchmarks: mfgpolicy at national scale on one machine, against a pandas peer.

``python -m benchmarks.run`` generates synthetic corpora (``benchmarks.corpus``), times the
pipeline on both sides (``benchmarks.pipeline``; the pandas peer is ``benchmarks.peer``),
asserts their outputs equal, measures extraction throughput and interactive latencies, prints
the figures and writes ``benchmarks/results.json``.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository whose real data and notebooks the benchmarks use."""
CURATED = ROOT / "data" / "curated"
RAW = ROOT / "data" / "raw"
