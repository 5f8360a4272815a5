"""What goes wrong with a store."""
from __future__ import annotations


class StoreError(Exception):
    """The store cannot be opened or brought up to date (a file that does not parse, a lock)."""
