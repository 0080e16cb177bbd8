"""Versions of the data: ``data_version()`` (semantic version + content hash) and ``diff`` between two versions."""

from __future__ import annotations

from pathlib import Path

from mfgpolicy.project import Project

__all__ = ["data_version"]


def data_version(root: Project | str | Path | None = None) -> str:
    """Return the version of the data ``Project.find(root)`` uses, e.g. ``1.0.0+sha.1a2b3c4d``.

    The semantic version from ``data/curated/VERSION`` plus the first 8 hex digits of the
    curated folder's content hash (``mfgpolicy.versions.version``).

    Examples
    --------
    >>> data_version().split("+")[1].startswith("sha.")
    True
    """
    project = root if isinstance(root, Project) else Project.find(root)
    return project.data_version()
