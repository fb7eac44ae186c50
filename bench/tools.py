"""The generators timed on the shared corpus, each as a cold build: the command and what to clear first.

The floor, MkDocs and Pelican run in a Python environment of their own (`--tools-python`, by default
/tmp/bench-venv/bin/python: `python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install mkdocs
pelican markdown`), never the project's; Hugo is the system's (`apt-get install -y hugo`). A tool that is
not there is reported as "not installed". Our build is the project's own command, `build.py`, run by the
project's Python from a project folder made by bench/corpus.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent.parent / "shared" / "bench"  # /work/shared/bench, beside the worktrees
if not (SHARED / "floor.py").is_file():
    SHARED = REPO.parent / "shared" / "bench"  # beside the main checkout
FLOOR = SHARED / "floor.py"
MAKE_CORPUS = SHARED / "make_corpus.py"
US = "us"
FLOOR_NAME = "floor"


@dataclass(frozen=True)
class Tool:
    name: str
    command: list[str]
    cwd: Path
    clear: tuple[Path, ...]  # removed before each run: output and caches, so that every run is cold
    env: dict[str, str] | None = None
    missing: str = ""  # why it cannot run; empty when it can

    def prepare(self) -> None:
        for path in self.clear:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)


def our_env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }


def compile_our_code(python: str) -> None:
    """Our package's bytecode, written once before anything is timed. Python writes it on a module's first
    import and reads it on every later one, as it does for the libraries every tool here uses (pip compiled
    theirs when it installed them). Where PYTHONDONTWRITEBYTECODE is set, as on the project's machines, it is
    never written: each of our runs would compile the whole package again (about 0.1 s), which no editor's
    second build does."""
    subprocess.run([python, "-m", "compileall", "-q", str(REPO / "patientsite")], check=True)


def our_build(project: Path, python: str) -> Tool:
    command = [python, str(project / "build.py"), "--quiet"]
    return Tool(US, command, project, (project / ".build-cache", project / "site"), our_env())


def tools(corpus: Path, project: Path, work: Path, our_python: str, tools_python: str) -> list[Tool]:
    """The floor, us, MkDocs, Pelican and Hugo on the corpus at `corpus` (make_corpus.py's DIR)."""
    return [
        _floor(corpus, work, tools_python),
        our_build(project, our_python),
        _mkdocs(corpus, work, tools_python),
        _pelican(corpus, work, tools_python),
        _hugo(corpus, work),
    ]


def _floor(corpus: Path, work: Path, python: str) -> Tool:
    out = work / "out-floor"
    command = [python, str(FLOOR), str(corpus / "plain" / "pages"), str(out)]
    return Tool(
        FLOOR_NAME, command, work, (out,), missing=_python_lacks(python, "markdown", "jinja2", "yaml")
    )


def _mkdocs(corpus: Path, work: Path, python: str) -> Tool:
    out = work / "out-mkdocs"
    config = corpus / "mkdocs" / "mkdocs.yml"
    command = [python, "-m", "mkdocs", "build", "--quiet", "--clean", "-f", str(config), "-d", str(out)]
    return Tool("MkDocs", command, corpus / "mkdocs", (out,), missing=_python_lacks(python, "mkdocs"))


def _pelican(corpus: Path, work: Path, python: str) -> Tool:
    out = work / "out-pelican"
    folder = corpus / "pelican"
    command = [python, "-m", "pelican", str(folder / "content"), "-o", str(out)]
    command += ["-s", str(folder / "pelicanconf.py"), "-q"]
    clear = (out, folder / "cache", folder / "__pycache__")
    return Tool("Pelican", command, folder, clear, missing=_python_lacks(python, "pelican"))


def _hugo(corpus: Path, work: Path) -> Tool:
    out, cache = work / "out-hugo", work / "hugo-cache"
    folder = corpus / "hugo"
    hugo = shutil.which("hugo") or "hugo"
    command = [hugo, "--quiet", "--source", str(folder), "--destination", str(out), "--cacheDir", str(cache)]
    clear = (out, cache, folder / "resources", folder / ".hugo_build.lock")
    return Tool("Hugo", command, folder, clear, missing="" if shutil.which("hugo") else "not installed")


def _python_lacks(python: str, *modules: str) -> str:
    if not Path(python).exists():
        return f"not installed ({python} does not exist)"
    probe = (
        "import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in sys.argv[1:]))"
    )
    found = subprocess.run([python, "-c", probe, *modules], check=False, capture_output=True)
    return "" if found.returncode == 0 else f"not installed (in {python}: {', '.join(modules)})"


def versions(tools_python: str) -> str:
    """One line naming the versions timed, for the record under the table."""
    probe = (
        "import importlib.metadata as m\n"
        "for name in ('mkdocs', 'pelican', 'markdown', 'jinja2', 'pyyaml'):\n"
        "    try: print(name, m.version(name), end='; ')\n"
        "    except m.PackageNotFoundError: print(name, 'not installed', end='; ')\n"
    )
    found = subprocess.run([tools_python, "-c", probe], check=False, capture_output=True, text=True)
    hugo = shutil.which("hugo")
    hugo_version = (
        subprocess.run([hugo, "version"], check=False, capture_output=True, text=True).stdout.split(" ")[1]
        if hugo
        else "not installed"
    )
    return f"{found.stdout.strip()} hugo {hugo_version}"
