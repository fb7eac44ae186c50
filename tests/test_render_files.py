"""The files render makes beside the pages from their own templates: robots.txt is plain text and
sitemap.xml is XML, each written and escaped as its format needs."""

from xml.etree import ElementTree

import pytest
from projects import make_project, run_build

BASE_URL = "https://example.org/a&b/"  # a web address may hold '&': text keeps it, XML writes '&amp;'
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("published") / "project")
    result = run_build(project, "--base-url", BASE_URL)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_robots_txt_allows_every_page_and_names_the_sitemap_as_written(published):
    robots = (published / "robots.txt").read_text(encoding="utf-8")
    assert robots == f"User-agent: *\nAllow: /\nSitemap: {BASE_URL}sitemap.xml\n"


def test_robots_txt_without_a_base_url_names_no_sitemap(tmp_path):
    project = make_project(tmp_path / "project")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"


def test_sitemap_is_xml_whose_addresses_read_back_as_the_published_ones(published):
    raw = (published / "sitemap.xml").read_text(encoding="utf-8")
    assert raw.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset ')
    assert "a&amp;b/" in raw and "a&b/" not in raw, "an '&' in an address must be escaped in XML"
    locations = [loc.text for loc in ElementTree.fromstring(raw).iter(f"{SITEMAP}loc")]
    assert f"{BASE_URL}" in locations, "the home page is the base URL itself"
    assert f"{BASE_URL}anaemia/causes.html" in locations
    assert all(location.startswith(BASE_URL) for location in locations)
    assert len(locations) == raw.count("<url>") == 9
