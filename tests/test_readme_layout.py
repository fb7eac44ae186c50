"""The README's "How it works" names every module and folder of the engine, and nothing that is gone."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "patientsite"


def how_it_works() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it works", 1)[1]
    return section.split("```", 2)[1]


def named_modules() -> set[str]:
    """The file names of the Python modules the layout names (not those outside the repository, '../')."""
    paths = re.findall(r"(?<![\w./])[\w./]+\.py\b", how_it_works())
    return {path.rsplit("/", 1)[-1] for path in paths if not path.startswith("../")}


def test_every_module_and_folder_of_the_engine_is_in_the_readme_layout():
    modules = {p.name for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    folders = {f"{p.name}/" for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert sorted(modules - named_modules()) == [], "modules the README's layout does not name"
    named_folders = set(re.findall(r"\b\w+/", how_it_works()))
    assert sorted(folders - named_folders) == [], "folders the README's layout does not name"


def test_the_readme_layout_names_no_module_that_is_gone():
    here = {p.name for folder in (PACKAGE, REPO / "tests", REPO / "bench") for p in folder.rglob("*.py")}
    here |= {p.name for p in REPO.glob("*.py")}
    assert sorted(named_modules() - here) == []
