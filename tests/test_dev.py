"""dev.py, the newcomer's two commands: help before any set-up, set-up for each command once, and a failed
set-up that says why."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from projects import REPO


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for name in ("dev.py", "pyproject.toml"):
        shutil.copy2(REPO / name, tmp_path / name)
    return tmp_path


def _dev_module(checkout: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_under_test", checkout / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "command", [["serve", "--help"], ["serve", "-h"], ["test", "--help"], ["--help"]], ids=" ".join
)
def test_help_is_printed_before_anything_is_installed(checkout, command):
    completed = subprocess.run(
        [sys.executable, "dev.py", *command],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "usage:" in completed.stdout
    assert not (checkout / ".venv").exists(), "asking for help set up the virtual environment"


def test_serve_is_set_up_by_either_install_and_test_only_by_its_own(checkout):
    dev = _dev_module(checkout)
    (checkout / ".venv" / "bin").mkdir(parents=True)
    dev.install_stamp("serve").write_text(dev.file_hash(dev.PYPROJECT) + "\n")
    assert dev.is_installed("serve") and not dev.is_installed("test")  # the preview's install has no pytest
    dev.install_stamp("serve").unlink()
    dev.install_stamp("test").write_text(dev.file_hash(dev.PYPROJECT) + "\n")
    assert dev.is_installed("serve") and dev.is_installed("test")  # the tests' install covers the preview
    (checkout / "pyproject.toml").write_text(dev.PYPROJECT.read_text() + "\n# changed\n")
    assert not dev.is_installed("serve") and not dev.is_installed("test")


def test_the_preview_installs_the_dependencies_without_the_test_tools(checkout):
    dev = _dev_module(checkout)
    serve, tests = dev.pip_requirements("serve"), dev.pip_requirements("test")
    assert any(requirement.startswith("jinja2") for requirement in serve)
    assert not any(
        requirement.startswith(("pytest", "playwright", "hypothesis", "ruff")) for requirement in serve
    )
    assert tests == ["-e", ".[test]"]


def test_a_failed_set_up_step_shows_the_end_of_its_output(checkout, capsys):
    dev = _dev_module(checkout)
    (checkout / ".venv").mkdir()
    failing = [
        sys.executable,
        "-c",
        "print('ERROR: No matching distribution found for jinja2'); raise SystemExit(1)",
    ]
    with pytest.raises(SystemExit):
        dev.run_quietly(failing)
    errors = capsys.readouterr().err
    assert "No matching distribution found for jinja2" in errors and ".venv/setup.log" in errors
