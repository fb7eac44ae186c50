"""Output safety: whatever an editor writes in any field, it reaches the page as text, never as HTML or
script.

The small project is built with a hostile value in every kind of field — titles, summaries, key points, FAQ
questions and answers, glossary terms, pronunciations and meanings, source titles, publishers, addresses and
notes, the site's title, description, disclaimer, navigation and strings, the base URL — each carrying
'</script>', tags with event handlers, quotes, template syntax and a right-to-left override. (Line separators
such as U+2028, which could end a JSON string in old browsers, are refused in content; safe_json escapes
them anyway, as its own test shows.) Then every page is read
with html.parser: it may hold only what the templates write or the sanitiser allows (html_safety.py), each
hostile value must be there as text (so it was escaped, not dropped), and the JSON-LD must give it back
exactly.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from html_safety import template_vocabulary, unsafe_parts
from projects import MINIMAL_CONTENT, make_project

from patientsite.pipeline import Project, build_site
from patientsite.render.structured_data import safe_json

# Plain-text fields: anything at all.
PLAIN = (
    "</script><script>alert(1)</script><img src=x onerror=alert(1)>\"'><svg onload=alert(1)> "
    "{{ 7*7 }} {% if x %} \u202e <!-- ]]> &amp; "
)
# Markdown fields: anything validation lets through (raw HTML is refused, so entities and attribute lists).
MARKDOWN = (
    "Plain words [@nhs-anaemia]. {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt; "
    '&#60;img src=x onerror=alert(1)&#62; [a link](https://example.org/"onmouseover="alert(1)) '
    "\u202e ]]> "
)
MARKDOWN_BLOCKS = (
    '\n\n## A heading {onclick="alert(1)" style="color: red" id="main"}\n\n'
    'A paragraph [@nhs-anaemia].\n{: onmouseover="alert(1)" class="x" }\n\n'
    '[a link](#summary){: onclick="alert(1)" }\n'
)
ADDRESS = "https://example.org/a?b=1&c='x'onmouseover=alert(1)"
NOT_SHOWN = {"HOSTILE-site-description"}  # site.yaml's description is on no page today (the guide says it is)


def plain(field: str) -> str:
    return f"{PLAIN}HOSTILE-{field}"


def markdown(field: str) -> str:
    return f"{MARKDOWN}HOSTILE-{field}"


def write_yaml(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def write_page(path: Path, meta: dict, body: str) -> None:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def hostile_content(content: Path) -> list[str]:
    """Every field of the small project's content made hostile; the markers that must reach the pages."""
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    site.update(
        title=plain("site-title"),
        description=plain("site-description"),
        disclaimer=markdown("disclaimer"),
        base_url=ADDRESS + "/",
        readability={"max_grade": 99},
    )
    for number, item in enumerate(site["navigation"]):
        item["title"] = plain(f"navigation-{number}")
    write_yaml(content / "site.yaml", site)

    topic = yaml.safe_load((content / "anaemia" / "topic.yaml").read_text(encoding="utf-8"))
    topic.update(
        title=plain("topic-title"),
        other_names=[plain("other-name")],
        pronunciation=plain("say-topic"),
        summary=markdown("topic-summary"),
        key_points=[markdown("topic-point")],
        reviewed_by=plain("reviewer"),
        reviewed_on=date(2026, 11, 1),
    )
    for number, source in enumerate(topic["sources"]):
        source.update(
            title=plain(f"source-title-{number}"),
            publisher=plain(f"publisher-{number}"),
            url=f"{ADDRESS}{number}",
            note=plain(f"note-{number}"),
        )
    write_yaml(content / "anaemia" / "topic.yaml", topic)

    faq = yaml.safe_load((content / "anaemia" / "faq.yaml").read_text(encoding="utf-8"))
    faq.update(title=plain("faq-title"), summary=markdown("faq-summary"))
    faq["questions"].append({"question": plain("question"), "answer": markdown("answer") + MARKDOWN_BLOCKS})
    write_yaml(content / "anaemia" / "faq.yaml", faq)

    glossary = yaml.safe_load((content / "anaemia" / "glossary.yaml").read_text(encoding="utf-8"))
    glossary.update(title=plain("glossary-title"), summary=markdown("glossary-summary"))
    glossary["terms"].append(
        {
            "term": plain("term"),
            "pronunciation": plain("say-term"),
            "meaning": markdown("meaning"),
            "also": [plain("also")],
        }
    )
    write_yaml(content / "anaemia" / "glossary.yaml", glossary)

    for name, page in (("index.md", "home"), ("anaemia/causes.md", "causes")):
        meta, _, body = (
            (content / name).read_text(encoding="utf-8").removeprefix("---\n").partition("\n---\n")
        )
        fields = yaml.safe_load(meta)
        fields.update(
            title=plain(f"{page}-title"),
            summary=markdown(f"{page}-summary"),
            key_points=[markdown(f"{page}-point")],
        )
        write_page(content / name, fields, body + "\n" + markdown(f"{page}-body") + MARKDOWN_BLOCKS)

    strings = content / "strings.yaml"
    if strings.is_file():  # the words around the content: editors change these too
        words = yaml.safe_load(strings.read_text(encoding="utf-8"))
        write_yaml(
            strings,
            {
                name: f"{text} {PLAIN.replace('{', '(').replace('}', ')')}HOSTILE-strings"
                for name, text in words.items()
            },
        )
    return [line for line in _markers(content)]


def _markers(content: Path) -> list[str]:
    text = "".join(path.read_text(encoding="utf-8") for path in content.rglob("*") if path.is_file())
    return sorted(set(re.findall(r"HOSTILE-[a-z0-9-]+", text)))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, list[str]]:
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", MINIMAL_CONTENT)
    markers = hostile_content(project / "content")
    build_site(Project(project), project / "site")
    return project / "site", markers


def pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))
    }


def test_no_page_holds_an_element_attribute_script_or_link_the_templates_did_not_write(hostile_site):
    site, _ = hostile_site
    vocabulary = template_vocabulary()
    for path, page in pages(site).items():
        assert unsafe_parts(page, path, vocabulary) == [], path


def test_every_hostile_value_reaches_the_pages_as_text(hostile_site):
    site, markers = hostile_site
    text = html.unescape("".join(pages(site).values()))
    missing = [marker for marker in markers if marker not in text and marker not in NOT_SHOWN]
    assert not missing, f"these fields never reached a page, so their escaping was not tested: {missing}"
    assert "{{ 7*7 }}" in text and "49" not in text.replace("2049", ""), "a value was read as a template"
    assert "alert(1)</script>" in text, "the hostile text was dropped instead of escaped"


def test_json_ld_gives_back_each_title_exactly(hostile_site):
    site, _ = hostile_site
    page = pages(site)["anaemia/causes.html"]
    data = [
        json.loads(script)
        for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    ]
    assert len(data) == 1
    assert data[0]["name"] == plain("causes-title")
    assert data[0]["about"]["name"] == plain("topic-title")


def test_the_sitemap_is_well_formed_xml_whatever_the_base_url(hostile_site):
    site, _ = hostile_site
    ElementTree.parse(site / "sitemap.xml")


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT >",
        "<!--",
        "]]>",
        "\u2028\u2029",
        "&",
        "'\"",
        "\\u003c",
        {"nested": ["</script>", {"deeper": "<!-- <script>"}]},
    ],
)
def test_safe_json_cannot_end_its_script_and_reads_back_the_same(value):
    text = str(safe_json({"value": value}))
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"value": value}
