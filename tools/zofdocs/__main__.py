"""Allow `python -m zofdocs`."""

import sys

from zofdocs.cli import main

sys.exit(main())
