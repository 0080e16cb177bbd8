"""Size limits on inputs, so that a wrong path (``/dev/zero``, a disk image) is refused, not read.

The limit is ``MFGPOLICY_MAX_INPUT_MB`` megabytes (10^6 bytes) per file, 1024 by default: far
above any plan or curated table (the 1M-target benchmark's ``targets.csv`` is under 1 GB) and
far below what would exhaust the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

from mfgpolicy.errors import InputTooLargeError, ReadError, UsageError

ENV_LIMIT = "MFGPOLICY_MAX_INPUT_MB"
DEFAULT_MB = 1024


def max_input_bytes() -> int:
    """Return the largest input file accepted, in bytes (``MFGPOLICY_MAX_INPUT_MB`` or 1024 MB).

    Examples
    --------
    >>> max_input_bytes() >= 10**6
    True
    """
    text = os.environ.get(ENV_LIMIT, "").strip()
    if not text:
        return DEFAULT_MB * 10**6
    try:
        megabytes = float(text)
    except ValueError:
        raise UsageError(f"{ENV_LIMIT} must be a number of megabytes, got {text!r}") from None
    if megabytes <= 0:
        raise UsageError(f"{ENV_LIMIT} must be positive, got {text!r}")
    return int(megabytes * 10**6)


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """Return the bytes of ``path``; refuse a file larger than ``limit`` without reading it all.

    Works for files whose size the system does not report (``/dev/zero``, pipes): at most
    ``limit + 1`` bytes are ever read.
    """
    limit = max_input_bytes() if limit is None else limit
    path = Path(path)
    try:
        if path.is_dir():
            raise ReadError(str(path), "is a folder, not a file")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise ReadError(str(path), "no such file") from None
    except OSError as exc:
        raise ReadError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputTooLargeError(f"{path}: larger than the input limit of {limit / 1e6:g} MB "
                                 f"(set {ENV_LIMIT} to allow larger files)")
    return data
