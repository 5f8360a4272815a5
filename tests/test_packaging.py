"""The data files are found from a checkout and after a non-editable install."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from policykg.resources import data_dir
from tests.conftest import ROOT


def test_checkout_finds_data():
    assert (data_dir("queries") / "in-force.rq").is_file()
    assert (data_dir("ontology") / "policykg.ttl").is_file()
    assert (data_dir("reference") / "areas.toml").is_file()


@pytest.mark.slow  # builds and installs a wheel
def test_wheel_install_finds_data(tmp_path, built):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(ROOT)], check=True, capture_output=True)
    assert (target / "policykg" / "_data" / "queries" / "in-force.rq").is_file()
    code = ("import policykg.resources as r, sys; print(r.data_dir('queries')); "
            "from policykg.cli import app; sys.argv=['policykg','query','in-force','-p','date=2025-06-01',"
            f"'-f','csv','--graph',{str(built[1])!r}]; app()")
    env = dict(os.environ, PYTHONPATH=str(target))
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.stdout.startswith(str(target / "policykg" / "_data" / "queries")), r.stdout + r.stderr
    assert "浙政办发〔2024〕21号" in r.stdout


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = [line for line in readme.splitlines() if line.startswith("python3 -m pip")]
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text("utf-8")
