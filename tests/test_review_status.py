"""No page of the shipped guide claims a review it has not had: until a clinician has reviewed it, every page
says, in its language, that it has not yet been reviewed, and none names a reviewer or a review date."""

from __future__ import annotations

from pathlib import Path

import yaml
from browser_support import ROOT

WORDS = {
    "": yaml.safe_load((ROOT / "content" / "strings.yaml").read_text(encoding="utf-8")),
    "es/": yaml.safe_load((ROOT / "content" / "es" / "strings.yaml").read_text(encoding="utf-8")),
}

# Pages that hold no guide text of their own, only names and links, and so no page information.
NO_PAGE_INFO = {"404.html", "a-z.html"}


def pages_in(built_site: Path, folder: str) -> list[Path]:
    other_folders = [f for f in WORDS if f and f != folder]
    return [
        page
        for page in sorted((built_site / folder).rglob("*.html"))
        if page.name not in NO_PAGE_INFO
        and not any(page.relative_to(built_site).as_posix().startswith(f) for f in other_folders)
    ]


def test_every_page_says_it_has_not_yet_been_reviewed_by_a_clinician(built_site: Path):
    for folder, words in WORDS.items():
        pages = pages_in(built_site, folder)
        assert len(pages) > 10, folder
        missing = [p.name for p in pages if words["not_reviewed"] not in p.read_text(encoding="utf-8")]
        assert missing == [], f"pages in '{folder}' that do not say they are not reviewed: {missing}"


def test_no_page_names_a_reviewer_or_a_review_date(built_site: Path):
    for folder, words in WORDS.items():
        said = words["reviewed"].split("{")[0]
        claiming = [p.name for p in pages_in(built_site, folder) if said in p.read_text(encoding="utf-8")]
        assert claiming == [], claiming
        assert all("reviewedBy" not in p.read_text(encoding="utf-8") for p in pages_in(built_site, folder))
