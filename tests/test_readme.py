"""The README's command synopsis matches the CLI: every command has a line, every option a
command takes is on its line, and every option on a line is one the command takes."""
from __future__ import annotations

import re

import pytest
import typer

from policykg.cli import app
from tests.conftest import ROOT

COMMANDS = typer.main.get_command(app).commands
IGNORED = {"--help", "-h"}
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def _synopsis() -> dict[str, list[str]]:
    """The lines of the Commands section's ```bash block, by command name (comments cut)."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("\n## Commands\n", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block, "the Commands section has no ```bash block"
    lines: dict[str, list[str]] = {}
    for line in block.group(1).splitlines():
        words = re.split(r"\s#", line, maxsplit=1)[0].split()
        if len(words) >= 2 and words[0] == "policykg":
            lines.setdefault(words[1], []).append(" ".join(words[2:]))
    return lines


def _options(command) -> tuple[set[str], set[str]]:
    """The long options a command must show, and every option it accepts (long and short,
    both forms of a boolean flag)."""
    required, accepted = set(), set()
    for param in command.params:
        if param.param_type_name != "option":  # typer's own click: no isinstance with click.Option
            continue
        names = set(param.opts) | set(param.secondary_opts)
        if names & IGNORED:
            continue
        required |= {o for o in param.opts if o.startswith("--")}
        accepted |= names
    return required, accepted


def test_every_command_has_one_synopsis_line():
    lines = _synopsis()
    assert set(COMMANDS) <= set(lines), f"no synopsis line for {sorted(set(COMMANDS) - set(lines))}"
    assert set(lines) <= set(COMMANDS), f"synopsis lines for unknown commands {sorted(set(lines) - set(COMMANDS))}"
    assert all(len(v) == 1 for v in lines.values()), {k: v for k, v in lines.items() if len(v) > 1}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_synopsis_shows_every_option(name):
    required, _ = _options(COMMANDS[name])
    shown = set(OPTION.findall(" ".join(_synopsis().get(name, []))))
    assert required <= shown, f"policykg {name}: the README's synopsis lacks {sorted(required - shown)}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_synopsis_shows_no_stale_option(name):
    _, accepted = _options(COMMANDS[name])
    shown = set(OPTION.findall(" ".join(_synopsis().get(name, []))))
    assert shown <= accepted, \
        f"policykg {name}: the README's synopsis shows {sorted(shown - accepted)}, not options of the command"


def test_architecture_names_every_module():
    """docs/architecture.md's code layout names every module of the package, under its
    subpackage, so the tree it shows a newcomer is the tree there is."""
    layout = (ROOT / "docs" / "architecture.md").read_text("utf-8").split("## Code layout", 1)[1].split("```")[1]
    lines = {line.split()[0].rstrip("/"): line for line in layout.splitlines()[1:] if line.strip()}
    package = ROOT / "policykg"
    for path in sorted(package.rglob("*.py")):
        if path.name == "__init__.py":
            continue
        parts = path.relative_to(package).parts
        where = lines.get(parts[0].removesuffix(".py")) if len(parts) > 1 else layout
        assert where is not None and parts[-1] in where, f"docs/architecture.md does not name policykg/{'/'.join(parts)}"
