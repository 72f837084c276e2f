"""Allow `python -m zofdocs`."""

from zofdocs.cli import entry

entry()
