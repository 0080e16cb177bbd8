"""Versions of the data: ``data_version()`` (semantic version + content hash) and ``diff`` between two versions."""

from __future__ import annotations

from mfgpolicy.versions.version import data_version

__all__ = ["data_version"]
