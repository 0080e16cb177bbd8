"""Reading a plan's or a sidecar's bytes: a regular file within the input limit in one read.

``mfgpolicy.read.limits.read_bytes`` asks for up to the limit plus one byte (1 GB by default),
which makes Python allocate that much before it shrinks to the file: for the small files of a
corpus, that is most of the time spent reading. Here a regular file whose size is known and
within the limit is read by its size; anything else (a folder, a missing file, ``/dev/zero``, a
file that grew) is read by ``read_bytes`` itself, with its checks and messages.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """Return the bytes of ``path``, as ``mfgpolicy.read.limits.read_bytes`` does.

    >>> from mfgpolicy.project import Project
    >>> plan = sorted(Project.find().raw.glob("*.txt"))[0]
    >>> read_bytes(plan) == plan.read_bytes()
    True
    """
    from mfgpolicy.read import limits

    limit = limits.max_input_bytes() if limit is None else limit
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISREG(info.st_mode) and 0 < info.st_size <= limit:
                data = fh.read(info.st_size + 1)
                if len(data) == info.st_size:
                    return data
    except OSError:
        pass
    return limits.read_bytes(Path(path), limit)
