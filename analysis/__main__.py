"""``python -m analysis`` entry point (see analysis/cli.py)."""

import sys

from .cli import main

sys.exit(main())
