"""The layers of the data flow, checked by import-linter (its contracts are in pyproject.toml):
each stage imports only the stages below it, the shared modules import no stage, and no two
modules or subpackages import each other, directly or not."""
from __future__ import annotations

import os

from importlinter.cli import lint_imports

from tests.conftest import ROOT


def test_the_import_contracts_hold():
    here = os.getcwd()
    os.chdir(ROOT)  # import-linter reads pyproject.toml from the working folder
    try:
        assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
    finally:
        os.chdir(here)
