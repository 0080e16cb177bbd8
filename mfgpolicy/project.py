"""Where the data lives: one ``Project``, found the same way by every command and function.

``Project.find()`` looks, in order, at

1. an explicit root (``root=`` in the library, ``--root`` on the command line);
2. the environment variable ``MFGPOLICY_ROOT``;
3. the nearest folder at or above the current directory holding ``data/curated/datapackage.json``
   (a checkout of the project, or any copy of it);
4. the data bundled inside the installed package (the curated tables, ``datapackage.json``, the
   raw plans and their sidecars ship in the wheel).

A checkout's outputs go where the README says (``data/build/``, ``figures/``). Bundled data is
read-only: outputs of an installed copy go to ``mfgpolicy-output/`` in the current directory, or
to a path the caller gives, never into site-packages. No other module builds these paths.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from mfgpolicy.errors import DataNotFoundError

ENV_ROOT = "MFGPOLICY_ROOT"
MARKER = Path("data") / "curated" / "datapackage.json"
OUTPUT_FOLDER = "mfgpolicy-output"
"""Folder (in the current directory) that receives the outputs made from bundled data."""
DATABASE_NAME = "mfgpolicy.duckdb"
WORKBOOK_NAME = "mfgpolicy-summary.xlsx"


@dataclass(frozen=True)
class Project:
    """The folders one run reads from and writes to.

    ``raw`` and ``curated`` are read; ``output`` (the database, the workbook, panels, the site)
    and ``figures`` are written. ``root`` is the project folder, or None for bundled data.
    """

    raw: Path
    curated: Path
    output: Path
    figures: Path
    root: Path | None
    found_by: str

    @classmethod
    def find(cls, root: str | Path | None = None, *, cwd: Path | None = None) -> Project:
        """Return the project: ``root``, else ``$MFGPOLICY_ROOT``, else the nearest above ``cwd``, else bundled.

        Examples
        --------
        >>> Project.find().curated.name
        'curated'
        """
        if root is not None:
            return cls.at(_as_path(root, "root"), found_by="--root")
        if os.environ.get(ENV_ROOT):
            return cls.at(Path(os.environ[ENV_ROOT]), found_by=ENV_ROOT)
        here = Path(cwd or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / MARKER).is_file():
                return cls.at(folder, found_by="the current folder" if folder == here else "a folder above")
        return cls.bundled(cwd=cwd)

    @staticmethod
    def holds_data(root: Path) -> bool:
        """True when ``root`` is a project folder :meth:`at` accepts (it holds ``data/curated``)."""
        return (Path(root).expanduser() / "data" / "curated").is_dir()

    @classmethod
    def at(cls, root: Path, *, found_by: str = "--root") -> Project:
        """Return the project whose data is in ``root/data`` (``data/curated`` must exist)."""
        root = Path(root).expanduser().resolve()
        if not cls.holds_data(root):
            raise DataNotFoundError(f"{found_by} {root}: no data/curated folder there "
                                    f"(a project folder holds data/raw and data/curated)")
        return cls(raw=root / "data" / "raw", curated=root / "data" / "curated", output=root / "data" / "build",
                   figures=root / "figures", root=root, found_by=found_by)

    @classmethod
    def bundled(cls, *, cwd: Path | None = None) -> Project:
        """Return the data shipped with the installed package; outputs go to ``./mfgpolicy-output``."""
        data = bundled_data()
        output = Path(cwd or Path.cwd()).resolve() / OUTPUT_FOLDER
        return cls(raw=data / "raw", curated=data / "curated", output=output, figures=output / "figures",
                   root=None, found_by="bundled")

    def with_output(self, output: str | Path | None) -> Project:
        """Return this project writing its outputs (and, for bundled data, figures) to ``output``."""
        if output is None:
            return self
        output = _as_path(output, "output").resolve()
        figures = self.figures if self.root is not None else output / "figures"
        return replace(self, output=output, figures=figures)

    @property
    def is_bundled(self) -> bool:
        """True when the data is the read-only copy inside the installed package."""
        return self.root is None

    @property
    def database(self) -> Path:
        """The DuckDB file ``mfgpolicy build`` writes."""
        return self.output / DATABASE_NAME

    @property
    def workbook(self) -> Path:
        """The Excel summary ``mfgpolicy export`` writes."""
        return self.output / WORKBOOK_NAME

    @property
    def panel_dir(self) -> Path:
        """The folder of the panel exports (csv, parquet, dta)."""
        return self.output / "panel"

    @property
    def site_dir(self) -> Path:
        """The folder of the static data browser."""
        return self.output / "site"

    @property
    def notebooks(self) -> Path | None:
        """The notebooks folder of a checkout (None for bundled data)."""
        return None if self.root is None else self.root / "notebooks"

    def data_version(self) -> str:
        """Return the version of this project's curated data (see ``mfgpolicy.versions``)."""
        from mfgpolicy.versions.version import data_version

        return data_version(self.curated)

    def describe(self) -> str:
        """Return one line saying which data this is, for stderr.

        Examples
        --------
        >>> Project.find().describe().startswith("data: ")
        True
        """
        try:
            version = self.data_version()
        except Exception as exc:  # noqa: BLE001 - a broken VERSION must not stop the description
            version = f"version unreadable ({type(exc).__name__})"
        if self.is_bundled:
            return f"data: bundled data {version}; outputs to {self.output}"
        return f"data: {self.root} ({version}, found by {self.found_by})"

    def is_input(self, path: Path) -> bool:
        """True when ``path`` is (or would land) inside the folders this project reads from."""
        target = Path(path).expanduser().resolve()
        return any(target == folder or folder in target.parents
                   for folder in (self.raw.resolve(), self.curated.resolve()))


def bundled_data() -> Path:
    """Return the folder holding the bundled ``raw`` and ``curated`` data.

    In a wheel it is ``mfgpolicy/_bundled`` (package data); in an editable install it is the
    ``data`` folder of the checkout the package is installed from.
    """
    from importlib.resources import files

    packaged = Path(str(files("mfgpolicy") / "_bundled"))
    if (packaged / "curated" / "datapackage.json").is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / MARKER).is_file():
        return checkout / "data"
    raise DataNotFoundError("no data found: no project folder above the current directory, MFGPOLICY_ROOT is "
                            "not set, and this installation of mfgpolicy carries no bundled data")


def _as_path(value: object, name: str) -> Path:
    if isinstance(value, (str, os.PathLike)) and str(value):
        return Path(value).expanduser()
    raise DataNotFoundError(f"{name} must be a folder path (str or pathlib.Path), got {value!r}")
