"""Size limits on inputs, so that a wrong path (``/dev/zero``, a disk image) is refused, not read.

The limit is ``MFGPOLICY_MAX_INPUT_MB`` megabytes (10^6 bytes) per file, 1024 by default: far
above any plan or curated table (the 1M-target benchmark's ``targets.csv`` is under 1 GB) and
far below what would exhaust the machine.
"""

from __future__ import annotations

import os
import stat

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


def read_bytes(path: str | os.PathLike, limit: int | None = None) -> bytes:
    """Return the bytes of ``path``; refuse a file larger than ``limit`` without reading it all.

    One open, one ``fstat`` and (for a regular file) one read of its size: no buffer of
    ``limit`` bytes is ever allocated. Works for files whose size the system does not report
    (``/dev/zero``, pipes): at most ``limit + 1`` bytes are ever read.
    """
    limit = max_input_bytes() if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ReadError(str(path), "no such file") from None
    except IsADirectoryError:
        raise ReadError(str(path), "is a folder, not a file") from None
    except OSError as exc:
        raise ReadError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(str(path), "is a folder, not a file")
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise _too_large(path, limit)
        data = os.read(fd, min(info.st_size, limit) + 1) if stat.S_ISREG(info.st_mode) else b""
        if not stat.S_ISREG(info.st_mode) or len(data) > info.st_size:  # no size known, or the file grew
            chunks = [data]
            size = len(data)
            while size <= limit:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            data = b"".join(chunks)
    except OSError as exc:
        raise ReadError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_large(path, limit)
    return data


def _too_large(path: str | os.PathLike, limit: int) -> InputTooLargeError:
    return InputTooLargeError(f"{path}: larger than the input limit of {limit / 1e6:g} MB "
                              f"(set {ENV_LIMIT} to allow larger files)")
