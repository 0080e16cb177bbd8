"""``python -m mfgpolicy``: the same command line as ``mfgpolicy``."""

from mfgpolicy.cli import console

console()
