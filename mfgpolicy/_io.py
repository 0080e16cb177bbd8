"""Writing outputs safely: never onto an input, never half-written, no litter left behind.

Every file the project writes goes through ``atomic_path``: a temporary file beside the
target (named ``.<name>.<pid>.<random>.tmp``), renamed over the target only when complete; a
folder written as a whole (the data browser) goes through ``atomic_folder`` the same way.
Temporary files and folders of runs that were killed (their process is gone) are removed by the
next write into the same folder. ``guard_output`` refuses a target that is one of the project's inputs.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mfgpolicy.errors import OutputError

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp(?:\.wal)?$")


KINDS: dict[str, tuple[tuple[str, ...], Callable[[bytes], bool]]] = {
    "database": ((".duckdb", ".db"), lambda head: head[8:12] == b"DUCK"),
    "workbook": ((".xlsx",), lambda head: head[:4] == b"PK\x03\x04"),
    "csv": ((".csv",), lambda head: b"\x00" not in head),
    "zip": ((".zip",), lambda head: head[:4] in (b"PK\x03\x04", b"PK\x05\x06")),
}
"""File kinds an output may be: the suffixes it may have, and how an existing file of that kind starts."""


def guard_output(path: Path, project: object | None = None, *, what: str = "the output",
                 folder: bool = False, kind: str | None = None) -> Path:
    """Return ``path`` if an output may be written there; raise ``OutputError`` saying why not.

    Refused: a path inside the project's raw or curated data (inputs are never overwritten), a
    folder where a file is expected (or a file where a folder is expected), a parent that is a
    file, and — for a ``kind`` of ``KINDS`` — a wrong suffix or an existing file of another kind.
    """
    path = Path(path).expanduser()
    if project is not None and project.is_input(path):
        raise OutputError(f"refusing to write {what} to {path}: it is inside the project's input data "
                          f"({project.raw} or {project.curated}), which commands never overwrite")
    inputs = _project_inputs_above(path)
    if inputs is not None:
        raise OutputError(f"refusing to write {what} to {path}: it is inside {inputs}, the input data of a "
                          "project, which commands never overwrite")
    if kind is not None:
        _check_kind(path, kind, what)
    if folder and path.exists() and not path.is_dir():
        raise OutputError(f"cannot write {what} into {path}: it is a file, and a folder is needed")
    if not folder and path.is_dir():
        raise OutputError(f"cannot write {what} to {path}: it is a folder; give a file name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot write {what} to {path}: {parent} is a file, not a folder")
            break
    return path


def _project_inputs_above(path: Path) -> Path | None:
    """Return the ``data/raw`` or ``data/curated`` folder of any project that ``path`` lies in, else None."""
    from mfgpolicy.project import MARKER

    for folder in Path(os.path.abspath(path)).parents:
        data = folder.parent
        if folder.name in ("raw", "curated") and data.name == "data" and (data.parent / MARKER).is_file():
            return folder
    return None


def _check_kind(path: Path, kind: str, what: str) -> None:
    suffixes, looks_right = KINDS[kind]
    if path.suffix.lower() not in suffixes:
        raise OutputError(f"{what} must be a {' or '.join(suffixes)} file, got {path}")
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as fh:
            head = fh.read(4096)
        if not looks_right(head):
            raise OutputError(f"refusing to replace {path}: it exists and is not a {kind} file")


def ensure_folder(folder: Path, what: str = "the output") -> Path:
    """Create ``folder`` (and its parents) or raise ``OutputError`` with the reason."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"cannot write {what} into {folder}: a file of that name exists") from None
    except OSError as exc:
        raise OutputError(f"cannot create the folder {folder} for {what}: {exc.strerror or exc}") from None
    return folder


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files and folders of interrupted writes in ``folder`` (their process is gone)."""
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match and not _alive(int(match["pid"])):
            try:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                removed.append(entry)
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    If the body raises, the temporary file is removed and ``path`` is left as it was. Raises
    ``OutputError`` when the folder cannot be created or written.
    """
    path = Path(path)
    ensure_folder(path.parent)
    remove_stale_temporaries(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.unlink()
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, path)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return ``path``."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (no newline translation)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """Yield a new empty folder beside ``path``; on success put it in the place of ``path``.

    A previous ``path`` is moved aside, the new folder renamed into its place, and the old one
    removed (if the rename fails, the old folder is put back). If the body raises, the new folder
    is removed and ``path`` is left as it was. The caller decides whether ``path`` may be replaced.
    """
    path = Path(path)
    ensure_folder(path.parent)
    remove_stale_temporaries(path.parent)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent))
        tmp.rmdir()
        tmp.mkdir()  # with the usual permissions (mkdtemp's are private)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    old = tmp.with_name(tmp.name.removesuffix(".tmp") + "_old.tmp")
    try:
        yield tmp
        _swap_folder(tmp, path, old)
    finally:
        for leftover in (tmp, old):
            if leftover.is_symlink():
                leftover.unlink()
            elif leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)


def _swap_folder(new: Path, path: Path, old: Path) -> None:
    try:
        if path.exists() or path.is_symlink():
            os.replace(path, old)
        try:
            os.replace(new, path)
        except OSError:
            if old.exists() and not path.exists():
                os.replace(old, path)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
