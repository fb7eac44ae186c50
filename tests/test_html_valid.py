"""Valid HTML: every page of the built site, its stylesheet and its icon pass the Nu HTML Checker (vnu, the
W3C's validator) with no error. One Java run checks them all, together with two files that have a mistake
on purpose, which proves the checker really looked."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from browser_support import ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHECKED_SUFFIXES = {".html", ".css", ".svg"}
FAILING_TYPES = {"error", "non-document-error"}
PLANTED_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Planted</title></head>
<body><p><div>a block inside a paragraph's end tag</p></div><img src="x.png"></body></html>"""
PLANTED_CSS = "p { colour: red; margin: 1 2; }\n"
# CSS newer than the checker: anchor positioning (CSS Anchor Positioning Level 1, in Chromium since 125 and
# Safari since 26), which puts a glossary card beside its word. Only these property names are let through.
NEWER_CSS_PROPERTIES = ("position-area", "position-try-fallbacks")
NEWER_CSS = tuple(f"Property “{name}” doesn't exist." for name in NEWER_CSS_PROPERTIES)


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is not installed, and the HTML check needs it: run `python3 dev.py test`, which installs "
            "it, or `sudo apt-get install default-jre-headless`",
            pytrace=False,
        )
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR.relative_to(ROOT)} is missing: run `npm ci --ignore-scripts`", pytrace=False)
    return [
        java,
        "-jar",
        str(VNU_JAR),
        "--also-check-css",
        "--also-check-svg",
        "--format",
        "json",
        "--stdout",
    ]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("planted")
    (folder / "planted.html").write_text(PLANTED_HTML, encoding="utf-8")
    (folder / "planted.css").write_text(PLANTED_CSS, encoding="utf-8")
    return [folder / "planted.html", folder / "planted.css"]


@pytest.fixture(scope="module")
def site_files(built_site: Path) -> list[Path]:
    return sorted(path for path in built_site.rglob("*") if path.suffix in CHECKED_SUFFIXES)


@pytest.fixture(scope="module")
def errors(site_files: list[Path], planted: list[Path]) -> dict[Path, list[str]]:
    """Every file checked, with its errors as `line: message`."""
    files = site_files + planted
    completed = subprocess.run(
        [*vnu_command(), *map(str, files)], capture_output=True, text=True, timeout=300, check=False
    )
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu gave no report (exit {completed.returncode}):\n{completed.stderr}", pytrace=False)
    found: dict[Path, list[str]] = {file: [] for file in files}
    for message in messages:
        if message["type"] in FAILING_TYPES and not message["message"].endswith(NEWER_CSS):
            file = Path(unquote(message.get("url", "file:?").removeprefix("file:")))
            found.setdefault(file, []).append(f"{message.get('lastLine', '?')}: {message['message']}")
    return found


def test_every_page_stylesheet_and_icon_has_no_html_css_or_svg_error(
    errors: dict[Path, list[str]], site_files: list[Path], planted: list[Path]
) -> None:
    suffixes = {file.suffix for file in site_files}
    assert suffixes == CHECKED_SUFFIXES and len(site_files) > 3, f"too little to check: {site_files}"
    # Any file not planted counts, so that an error reported under an unexpected name is not lost.
    wrong = {str(file): found for file, found in errors.items() if found and file not in planted}
    assert not wrong, (
        f"{sum(map(len, wrong.values()))} errors in {len(wrong)} of {len(site_files)} files: {wrong}"
    )


def test_the_checker_finds_the_mistakes_planted_in_html_and_css(
    errors: dict[Path, list[str]], planted: list[Path]
) -> None:
    missed = [file.name for file in planted if not errors.get(file)]
    assert not missed, f"vnu found nothing wrong in {missed}: did it check them?"
