"""``python -m mfgpolicy``: the same command line as ``mfgpolicy``."""

import sys

from mfgpolicy.cli import main

sys.exit(main())
