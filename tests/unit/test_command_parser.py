"""A command's parser is built without the other commands', and knows what the whole
program's parser knows."""

from __future__ import annotations

import argparse
from importlib import import_module

import pytest

from cockpit.cli import main, program


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(subparsers.choices)


@pytest.mark.parametrize("group", program.GROUPS)
def test_each_group_defines_the_commands_listed_for_it(group):
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers()
    import_module(f"cockpit.cli.{group}").register(commands)
    assert tuple(commands.choices) == program.GROUPS[group]


@pytest.mark.parametrize(
    ("argv", "built"),
    [
        (["drift", "--json"], {"drift"}),
        (["--db", "log", "drift"], {"drift"}),  # a book named "log"
        (["--database-url=sqlite:///deal", "log", "Ann", "call", "hi"], {"log"}),
        (["--datab", "sqlite:///x", "deal", "Ann", "5"], {"clients", "deal"}),  # a prefix
        (["--db", "b.db"], set()),  # no command: the cockpit opens
        ([], set()),
    ],
)
def test_only_the_group_of_the_command_named_is_built(argv, built):
    assert _commands(program.build_parser(argv)) == built


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--db", "b.db", "-h"],
        ["nosuch"],
        ["--d", "x", "drift"],
        ["--", "x"],
        ["--dbx=my book.db", "clients"],  # not a top option: argparse takes it for the command
    ],
)
def test_help_and_mistakes_get_every_command(argv):
    assert _commands(program.build_parser(argv)) == set(program.GROUP_OF)


def test_a_mistake_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["nosuch"])
    assert exit_.value.code == 2
    said = capsys.readouterr().err
    assert "invalid choice: 'nosuch'" in said
    assert "'migrate-to'" in said and "'demo'" in said


def test_the_command_named_runs_with_its_options(capsys, book_path, today):
    assert main(["--db", str(book_path), "clients", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
