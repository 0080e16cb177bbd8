"""The version of the curated data: a semantic version plus a hash of its content.

``data_version()`` returns e.g. ``"1.0.0+sha.1a2b3c4d"``:

* ``1.0.0`` is the release, read from ``data/curated/VERSION`` (one line, ``MAJOR.MINOR.PATCH``
  with an optional ``-prerelease``). Curators bump it there when they release, and record the
  release in ``CHANGELOG.md``: MAJOR when a column, key or meaning changes incompatibly, MINOR
  when targets, baselines, indicators or columns are added, PATCH for corrections of values,
  quotes and notes. ``mfgpolicy diff`` lists what changed since the last release.
* ``sha.1a2b3c4d`` is the first 8 hex digits of :func:`content_hash`: it tells apart any two
  states of ``data/curated`` even when nobody bumped ``VERSION``.

The content hash is defined so that anyone can recompute it, on any machine or checkout:

1. Take every file under ``data/curated`` (recursively) except ``VERSION`` itself and any path
   with a part that starts with ``.`` (hidden files) or ``_`` (work areas such as ``_staging/``).
2. Name each by its path relative to ``data/curated`` with ``/`` separators; sort the names by
   code point (the byte order of UTF-8, i.e. ``LC_ALL=C sort``).
3. Write one manifest line per file, exactly as ``sha256sum`` does: the sha256 of the file's raw
   bytes in lower-case hex, two spaces, the name, ``\\n``. Nothing is normalised (no newline or
   encoding conversion), and timestamps, permissions and the folder's location do not count.
4. The content hash is the sha256 of the manifest's UTF-8 bytes.

In a shell, from ``data/curated`` (no subfolders other than work areas)::

    ls -A | grep -v -e '^[._]' -e '^VERSION$' | LC_ALL=C sort | xargs sha256sum | sha256sum

Git can change bytes on checkout (``core.autocrlf``, filters); a checkout that does so gets a
different hash, which is the honest answer: its files differ.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from mfgpolicy.errors import MfgPolicyError

VERSION_FILE = "VERSION"
"""Name of the file in ``data/curated`` holding the semantic version."""

SHORT_HASH = 8
"""Hex digits of the content hash shown in :func:`data_version`."""

_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?")


class DataVersionError(MfgPolicyError):
    """``data/curated/VERSION`` is missing or does not hold a semantic version."""


def included(name: str) -> bool:
    """Return whether the file ``name`` (relative to ``data/curated``, ``/``-separated) is hashed.

    >>> [included(n) for n in ("targets.csv", "VERSION", ".DS_Store", "_staging/a.csv", "sub/b.csv")]
    [True, False, False, False, True]
    """
    parts = name.split("/")
    return name != VERSION_FILE and not any(p.startswith((".", "_")) for p in parts)


def curated_files(curated: Path) -> dict[str, bytes]:
    """Return ``{name: bytes}`` of the files under ``curated`` that are hashed, plus ``VERSION``.

    Names are relative, ``/``-separated and sorted; hidden files and ``_``-prefixed work areas
    are left out (see the module docstring).
    """
    return {name: path.read_bytes() for name, path in _hashed_paths(curated, with_version=True)}


def _hashed_paths(curated: Path, *, with_version: bool) -> list[tuple[str, Path]]:
    """Return ``(name, path)`` of the files under ``curated`` that are hashed (and ``VERSION``), sorted by name."""
    root = Path(curated)
    if not root.is_dir():
        raise FileNotFoundError(f"no curated data folder at {root}")
    found = []
    for path in root.rglob("*"):
        name = path.relative_to(root).as_posix()
        if (included(name) or (with_version and name == VERSION_FILE)) and path.is_file():
            found.append((name, path))
    return sorted(found)


def hash_files(files: Mapping[str, bytes]) -> str:
    """Return the content hash (64 hex digits) of ``{name: bytes}``; excluded names are skipped.

    >>> import hashlib
    >>> manifest = hashlib.sha256(b"x\\n").hexdigest() + "  a.csv\\n"
    >>> hash_files({"a.csv": b"x\\n", "VERSION": b"1.0.0\\n"}) == hashlib.sha256(manifest.encode()).hexdigest()
    True
    """
    return _manifest_hash({name: hashlib.sha256(data).hexdigest() for name, data in files.items() if included(name)})


def content_hash(curated: Path) -> str:
    """Return the sha256 content hash of the curated folder ``curated``, 64 hex digits.

    The same as ``hash_files(curated_files(curated))``, each file streamed rather than held in memory.
    """
    digests = {}
    for name, path in _hashed_paths(curated, with_version=False):
        with path.open("rb") as fh:
            digests[name] = hashlib.file_digest(fh, "sha256").hexdigest()
    return _manifest_hash(digests)


def _manifest_hash(digests: Mapping[str, str]) -> str:
    """Return the sha256 of the manifest: one line ``<sha256>  <name>`` per file, sorted by name."""
    manifest = "".join(f"{digests[name]}  {name}\n" for name in sorted(digests))
    return hashlib.sha256(manifest.encode("utf-8")).hexdigest()


def parse_version(text: str, *, source: str = VERSION_FILE) -> str:
    """Return the semantic version held by the text of a ``VERSION`` file.

    >>> parse_version("1.0.0\\n")
    '1.0.0'
    >>> parse_version("v1.0")
    Traceback (most recent call last):
    ...
    mfgpolicy.versions.version.DataVersionError: VERSION: expected one line MAJOR.MINOR.PATCH (e.g. 1.0.0), got 'v1.0'
    """
    version = text.strip()
    if not _SEMVER.fullmatch(version):
        raise DataVersionError(f"{source}: expected one line MAJOR.MINOR.PATCH (e.g. 1.0.0), got {version!r}")
    return version


def semantic_version(curated: Path) -> str:
    """Return the semantic version in ``curated/VERSION``."""
    path = Path(curated) / VERSION_FILE
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DataVersionError(f"{path}: missing; it should hold the data's version, e.g. 1.0.0") from None
    return parse_version(text, source=str(path))


def format_version(version: str, digest: str) -> str:
    """Return ``VERSION+sha.HASH8``.

    >>> format_version("1.0.0", "1a2b3c4d" + "0" * 56)
    '1.0.0+sha.1a2b3c4d'
    """
    return f"{version}+sha.{digest[:SHORT_HASH]}"


def data_version(curated: Path) -> str:
    """Return the data's version, e.g. ``"1.0.0+sha.1a2b3c4d"`` (semantic version + content hash).

    ``curated`` is a curated data folder. The string is meant for citations,
    figure source lines and the Excel overview sheet.
    """
    return format_version(semantic_version(curated), content_hash(curated))
