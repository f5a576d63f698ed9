"""Plug-in commands: each is a module with ``add_arguments(parser)`` and ``run(args)``,
imported only when its command runs; a missing module or dependency is exit 2 and one
line naming the extra to install."""

from __future__ import annotations

import argparse
import subprocess
import sys
import types

import pytest

from ssrl_rewards import cli, server
from ssrl_rewards.errors import ConfigError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2 and out == ""
    assert err.startswith("ssrl-rewards: error: ") and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


def test_the_registry_names_the_plug_in_commands() -> None:
    registered = {command.name: command for command in cli.COMMANDS}
    assert registered["serve"].modules[0] == "ssrl_rewards.server"
    assert registered["generate"].modules == ("ssrl_rewards.generate.cli",)
    assert registered["generate"].extra == "generate"
    assert registered["audit"].modules == ("ssrl_rewards.testing.cli",)
    assert registered["audit"].extra == "testing"
    assert {"score", "validate", "tasks", "hooks"} <= {c.name for c in cli.COMMANDS if c.builtin}


@pytest.mark.parametrize(("command", "module", "extra"), [
    ("generate", "ssrl_rewards.generate.cli", "generate"),
    ("audit", "ssrl_rewards.testing.cli", "testing"),
])  # fmt: skip
def test_a_missing_optional_command_is_one_line_naming_its_extra(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    module: str,
    extra: str,
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if its dependency were missing
    for argv in ([command], [command, "--help"], [command, "--some-flag", "x"]):
        assert_one_line_error(
            *run(capsys, *argv),
            f"the {command} command is not available",
            f"pip install 'ssrl-rewards[{extra}]'",
        )


def test_a_missing_optional_command_in_a_fresh_interpreter() -> None:
    script = (
        "import sys\n"
        "sys.modules['ssrl_rewards.generate.cli'] = None\n"
        "from ssrl_rewards.cli import main\n"
        "sys.exit(main(['generate', '--out', 'x']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "ssrl-rewards[generate]" in done.stderr
    assert "Traceback" not in done.stderr


def fake_plugin(calls: list[argparse.Namespace], code: int = 0) -> types.ModuleType:
    module = types.ModuleType("fake_plugin")

    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--times", type=int, default=1)

    def run_plugin(args: argparse.Namespace) -> int:
        calls.append(args)
        if args.name == "bad":
            raise ConfigError("bad is not a good name")
        return code

    module.add_arguments = add_arguments  # type: ignore[attr-defined]
    module.run = run_plugin  # type: ignore[attr-defined]
    module.DESCRIPTION = "A fake command."  # type: ignore[attr-defined]
    return module


def test_a_plug_in_is_parsed_by_its_own_arguments_and_returns_its_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[argparse.Namespace] = []
    monkeypatch.setitem(sys.modules, "fake_plugin", fake_plugin(calls, code=3))
    never = "a_module_that_must_not_be_imported_by_other_commands"
    commands = (
        *cli.COMMANDS,
        cli.Command("fake", "a fake command", ("fake_plugin",), extra="fake"),
        cli.Command("ghost", "never imported", (never,), extra="ghost"),
    )
    monkeypatch.setattr(cli, "COMMANDS", commands)
    code, _, _ = run(capsys, "fake", "alice", "--times", "4")
    assert code == 3
    assert (calls[0].name, calls[0].times) == ("alice", 4)
    code, out, _ = run(capsys, "fake", "--help")
    assert code == 0 and "usage: ssrl-rewards fake" in out and "--times" in out
    assert "A fake command." in out
    code, _, err = run(capsys, "fake")
    assert code == 2 and "name" in err  # argparse's usage error
    assert_one_line_error(*run(capsys, "fake", "bad"), "bad is not a good name")
    # the main help lists every command without importing the plug-ins
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "ghost" in out and "fake" in out and "generate" in out
    assert never not in sys.modules
    assert run(capsys, "tasks")[0] == 0
    assert_one_line_error(*run(capsys, "ghost"), "pip install 'ssrl-rewards[ghost]'")


def test_serve_is_taken_from_the_server_module_once_it_has_the_protocol(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[argparse.Namespace] = []
    plugin = fake_plugin(calls, code=0)
    monkeypatch.setattr(server, "add_arguments", plugin.add_arguments, raising=False)
    monkeypatch.setattr(server, "run", plugin.run, raising=False)
    code, _, _ = run(capsys, "serve", "carol")
    assert code == 0 and calls[0].name == "carol"


def test_serve_help_shows_its_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "serve", "--help")
    assert code == 0
    assert "usage: ssrl-rewards serve" in out
    for flag in ("--host", "--port", "--task", "--mode", "--format-weight"):
        assert flag in out
