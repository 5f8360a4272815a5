"""Keeping what a build or a validation holds out of the garbage collector's passes."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_heap() -> Iterator[None]:
    """What is alive now is left out of the garbage collector's passes until the end: each
    closing of a store runs a full collection, which costs seconds over a build's records or
    the validation cache. Nested uses thaw once, at the outermost."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()
