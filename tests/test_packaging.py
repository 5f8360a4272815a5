"""The data files are found from a checkout and after a non-editable install."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from policykg.resources import KINDS, data_dir
from tests.conftest import ROOT


def test_checkout_finds_data():
    assert (data_dir("queries") / "in-force.rq").is_file()
    assert (data_dir("ontology") / "policykg.ttl").is_file()
    assert (data_dir("reference") / "areas.toml").is_file()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The package installed from a wheel (not editable) into a folder of its own."""
    target = tmp_path_factory.mktemp("wheel") / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(ROOT)], check=True, capture_output=True)
    return target


def _in_wheel(target, code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(target))
    return subprocess.run([sys.executable, "-c", code], cwd=target.parent, env=env, capture_output=True, text=True)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.slow  # builds and installs a wheel
def test_wheel_carries_every_data_file(wheel, kind):
    """Every file of each data folder is found from the installed wheel, by the same names,
    and data_dir resolves it from the top package (not from the module that asks)."""
    mine = sorted(f.relative_to(ROOT / kind).as_posix() for f in (ROOT / kind).rglob("*") if f.is_file())
    r = _in_wheel(wheel, "import sys; from policykg.resources import data_dir; "
                         f"d = data_dir({kind!r}); print(d); print(*sorted(f.relative_to(d).as_posix() "
                         "for f in d.rglob('*') if f.is_file()), sep='\\n')")
    lines = r.stdout.splitlines()
    assert lines and lines[0] == str(wheel / "policykg" / "_data" / kind), r.stderr
    assert lines[1:] == mine


@pytest.mark.slow  # builds and installs a wheel
def test_wheel_finds_its_template_and_versions_its_caches_from_its_own_files(wheel):
    r = _in_wheel(wheel, "from importlib import resources; "
                         "print(resources.files('policykg.export').joinpath('templates/network.html').is_file()); "
                         "from policykg.cache.versions import code_files; "
                         "print(*code_files('policykg.extract.pipeline'), sep='\\n')")
    lines = r.stdout.splitlines()
    assert lines[0] == "True", r.stderr
    package = wheel / "policykg"
    assert all(line.startswith(str(package)) for line in lines[1:]) and \
        str(package / "extract" / "measures.py") in lines[1:] and str(package / "ingest" / "normalize.py") in lines[1:]


@pytest.mark.slow  # builds and installs a wheel
def test_wheel_install_finds_data(wheel, tmp_path, built):
    target = wheel
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
