"""The README documents every command, option and setting (docs kept true by tests)."""

from dataclasses import fields

import typer.main

from tests.conftest import REPO
from watchfloor.cli import app
from watchfloor.config import Settings

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix="watchfloor"):
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path, command


def test_every_command_and_option_is_in_the_readme():
    for path, command in _commands(typer.main.get_command(app)):
        assert f"`{path}" in README, path
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in README, f"{path} {opt}"


def test_every_setting_is_in_the_readme():
    for setting in fields(Settings):
        assert f"| `{setting.name}` |" in README, setting.name
