"""Translations: the small test site in English and Spanish (tests/fixtures/bilingual laid over the minimal
one), built as an editor builds it: every page in both languages, linked to each other; what check says of a
translation that is missing, out of date or wrong; and the shipped guide, whose every page has its twin."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from projects import FIXTURES, make_project, overlay, run_build
from support import edit, read

from patientsite.pipeline import Project, check_site
from patientsite.problems import ContentError

BILINGUAL = FIXTURES / "bilingual"
ENGLISH_PAGES = [
    "index.html",
    "anaemia/index.html",
    "anaemia/causes.html",
    "anaemia/faq.html",
    "anaemia/glossary.html",
    "anaemia/sources.html",
    "anaemia/handout.html",
    "anaemia/leaflet.html",
]
PUBLISHED = "https://example.org/repo/"


def bilingual_project(root: Path) -> Path:
    project = make_project(root)
    overlay(project, BILINGUAL)
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = bilingual_project(tmp_path_factory.mktemp("bilingual") / "project")
    result = run_build(project, "--base-url", PUBLISHED)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return bilingual_project(tmp_path / "project")


@pytest.fixture(scope="module")
def as_built(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """What check says of the bilingual site as it is (nothing, or warnings that are not about languages)."""
    return all_problems(bilingual_project(tmp_path_factory.mktemp("as-built") / "project"))


def address(page: str) -> str:
    """A page's published address: the home page's is the site's own."""
    return PUBLISHED if page == "index.html" else PUBLISHED + page


def all_problems(project: Path) -> list[str]:
    """What check reports for the project, errors first: each as the editor reads it."""
    try:
        _, report = check_site(Project(project))
    except ContentError as error:
        return [str(problem) for problem in error.errors + error.warnings]
    return [str(problem) for problem in report.warnings]


def problems_of(project: Path, as_built: list[str]) -> list[str]:
    """What check reports for the project that it does not for the bilingual site as it is."""
    return [problem for problem in all_problems(project) if problem not in as_built]


# --- the pages ---------------------------------------------------------------------------------------------


def test_every_english_page_of_the_shipped_guide_has_its_spanish_twin(built_site: Path) -> None:
    english = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")]
    english = [page for page in english if not page.startswith("es/") and page != "404.html"]
    missing = [page for page in english if not (built_site / "es" / page).is_file()]
    assert len(english) > 10 and not missing, f"no Spanish twin for {missing}"
    spanish = [p for p in (built_site / "es").rglob("*.html")]
    assert len(spanish) == len(english), "a Spanish page without an English twin"
    untranslated = [str(p) for p in spanish if 'class="admonition note untranslated-notice"' in p.read_text()]
    assert not untranslated, f"the shipped guide has pages not translated: {untranslated}"


@pytest.mark.parametrize("page", ENGLISH_PAGES)
def test_each_page_has_its_language_and_names_both_versions_with_hreflang(built: Path, page: str) -> None:
    for language, path in (("en", page), ("es", f"es/{page}")):
        html = read(built, path)
        assert html.startswith(f'<!doctype html>\n<html lang="{language}">'), path
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
        assert alternates == {"en": address(page), "es": address(f"es/{page}"), "x-default": address(page)}, (
            path
        )
        json_ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
        assert json_ld["inLanguage"] == language, path


@pytest.mark.parametrize("page", ENGLISH_PAGES)
def test_the_language_switcher_leads_to_the_same_page_in_the_other_language_by_a_relative_link(
    built: Path, page: str
) -> None:
    english_switcher = re.search(
        r'<nav class="language-switcher" aria-label="Languages">.*?</nav>', read(built, page), re.DOTALL
    ).group(0)
    [(href, lang, hreflang, name)] = re.findall(
        r'<a href="([^"]+)" lang="(\w+)" hreflang="(\w+)">([^<]+)</a>', english_switcher
    )
    assert (lang, hreflang, name) == ("es", "es", "Español")
    assert (
        not href.startswith(("/", "http"))
        and (built / page).parent.joinpath(href).resolve() == (built / "es" / page).resolve()
    )
    spanish_switcher = re.search(
        r'<nav class="language-switcher" aria-label="Idiomas">.*?</nav>', read(built, f"es/{page}"), re.DOTALL
    ).group(0)
    [(back, lang, _, name)] = re.findall(
        r'<a href="([^"]+)" lang="(\w+)" hreflang="(\w+)">([^<]+)</a>', spanish_switcher
    )
    assert (lang, name) == ("en", "English")
    assert (built / "es" / page).parent.joinpath(back).resolve() == (built / page).resolve()


def test_the_sitemap_lists_every_page_with_its_versions_in_each_language(built: Path) -> None:
    sitemap = read(built, "sitemap.xml")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    entries = re.findall(r"<url><loc>([^<]+)</loc>.*?</url>", sitemap)
    assert len(entries) == 2 * (len(ENGLISH_PAGES) + 1)  # and the A to Z pages
    causes = re.search(rf"<url><loc>{PUBLISHED}es/anaemia/causes.html</loc>.*?</url>", sitemap).group(0)
    assert re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', causes) == [
        ("en", f"{PUBLISHED}anaemia/causes.html"),
        ("es", f"{PUBLISHED}es/anaemia/causes.html"),
        ("x-default", f"{PUBLISHED}anaemia/causes.html"),
    ]


def test_spanish_pages_write_their_words_and_dates_in_spanish(built: Path) -> None:
    spanish, english = read(built, "es/anaemia/causes.html"), read(built, "anaemia/causes.html")
    assert 'Última actualización: <time datetime="2026-11-01">1 de noviembre de 2026</time>.' in spanish
    assert 'Last updated <time datetime="2026-11-01">1 November 2026</time>.' in english
    assert '<h2 id="sources-heading">Fuentes</h2>' in spanish and "marzo de 2023" in spanish
    assert "March 2023" in english
    assert '<a class="skip-link" href="#main">Saltar al contenido principal</a>' in spanish
    assert "<title>Fuentes: Anemia | Guía de prueba</title>" in read(built, "es/anaemia/sources.html")


def test_a_translated_page_names_the_version_of_the_original_it_translates(built: Path) -> None:
    spanish = read(built, "es/index.html")
    assert (
        '<p class="translation-of">Esta página es una traducción de la <a href="../index.html" hreflang="en">'
        'versión original en inglés</a> del <time datetime="2026-11-01">1 de noviembre de 2026</time>.</p>'
    ) in spanish
    assert 'Última actualización: <time datetime="2026-11-02">2 de noviembre de 2026</time>.' in spanish
    assert "translation-of" not in read(built, "index.html")


def test_one_404_page_speaks_every_language(built: Path) -> None:
    page = read(built, "404.html")
    assert '<html lang="en">' in page and "We could not find that page." in page
    assert '<div class="not-found-translation" lang="es">' in page and "No encontramos esa página." in page
    assert f'<a href="{PUBLISHED}es/index.html">Ir a la página de inicio</a>' in page


# --- what check says ----------------------------------------------------------------------------------------


def test_check_prints_the_fernandez_huerta_reading_ease_of_each_spanish_page(project: Path) -> None:
    result = run_build(project, "check")
    assert result.returncode == 0, result.stderr
    scores = {
        key: score
        for score, key in re.findall(r"Fernández-Huerta +([\d.]+) +content/(es/\S+)", result.stdout)
    }
    assert set(scores) == {"es/index.md", "es/anaemia/causes.md"}  # the others are too short to grade
    assert all(float(score) >= 60 for score in scores.values()), scores
    assert re.search(r"reading grade +[\d.]+ +content/anaemia/causes.md", result.stdout)


def test_a_spanish_page_below_the_reading_ease_limit_fails_the_check(
    project: Path, as_built: list[str]
) -> None:
    hard = (
        "La hematopoyesis ineficaz secundaria a deficiencias nutricionales multifactoriales condiciona "
        "alteraciones morfológicas eritrocitarias características, particularmente microcitosis "
        "hipocrómica persistente, independientemente de comorbilidades inflamatorias concomitantes "
        "[@nhs-anaemia]. "
    )
    causes = project / "content/es/anaemia/causes.md"
    causes.write_text(causes.read_text(encoding="utf-8") + "\n" + hard * 3, encoding="utf-8")
    [problem] = [p for p in problems_of(project, as_built) if "reading ease" in p]
    assert re.match(
        r"content/es/anaemia/causes.md:1: reading ease: the page reads at Fernández-Huerta -?\d+\.\d, "
        r"below the limit of 60 \(higher is easier\) — use shorter sentences",
        problem,
    ), problem


def test_check_warns_of_a_missing_translation_and_the_build_publishes_the_original_in_its_place(
    project: Path, as_built: list[str]
) -> None:
    (project / "content/es/anaemia/faq.yaml").unlink()
    assert problems_of(project, as_built) == [
        (
            "content/es/anaemia/faq.yaml:1: warning: translation: is missing: nothing translates "
            "content/anaemia/faq.yaml — translate content/anaemia/faq.yaml into this file; until then its "
            "page is published in the original's words, with a note that it is not translated yet"
        )
    ]
    result = run_build(project, "--base-url", PUBLISHED)
    assert result.returncode == 0, result.stderr
    page = read(project / "site", "es/anaemia/faq.html")
    assert page.startswith('<!doctype html>\n<html lang="es">')
    assert (
        '<div class="admonition note untranslated-notice" role="note">\n'
        "  <p>Esta página aún no está traducida." in page
    )
    article = page[page.index('<article lang="en">') : page.index("</article>")]
    assert "Is anaemia serious?" in article and "Key points" not in article and "Last updated" in article
    assert '<a class="site-title" href="../index.html">Guía de prueba</a>' in page  # the rest is Spanish
    # Its link to a heading the Spanish page calls otherwise leads to the top of that page.
    assert 'href="causes.html"' in article and "#common-causes" not in article
    assert f'<link rel="canonical" href="{PUBLISHED}anaemia/faq.html">' in page
    assert "es/anaemia/faq.html" not in read(project / "site", "sitemap.xml")


def test_a_missing_translation_fails_the_check_when_site_yaml_says_fail(project: Path) -> None:
    edit(project / "content/site.yaml", "missing_translation: fallback", "missing_translation: fail")
    (project / "content/es/anaemia/causes.md").unlink()
    result = run_build(project, "check")
    assert result.returncode == 1
    assert (
        "content/es/anaemia/causes.md:1: translation: is missing: nothing translates "
        "content/anaemia/causes.md — translate content/anaemia/causes.md into this file, or set "
        "'missing_translation: fallback' in content/site.yaml to publish the original's words until then"
    ) in result.stderr.splitlines()


def test_a_translation_of_an_older_version_is_out_of_date(project: Path, as_built: list[str]) -> None:
    edit(project / "content/anaemia/causes.md", "updated: 2026-11-01", "updated: 2026-12-03")
    assert problems_of(project, as_built) == [
        (
            "content/es/anaemia/causes.md:5: warning: translation_of: the translation is out of date: it "
            "translates the version of 2026-11-01, and content/anaemia/causes.md was updated on 2026-12-03 — "
            "bring the translation up to date, then write 'translation_of: 2026-12-03'"
        )
    ]


def test_an_out_of_date_translation_says_on_its_page_that_the_original_is_newer_with_its_date(
    project: Path,
) -> None:
    """The notice at the top of the page, in the page's language: the preview serves the same pages, so an
    editor sees it there as soon as the original's updated date changes."""
    edit(project / "content/anaemia/causes.md", "updated: 2026-11-01", "updated: 2026-11-20")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert (
        '<div class="admonition note out-of-date-notice" role="note">\n'
        '  <p>La <a href="../../anaemia/causes.html" hreflang="en">versión original en inglés</a> de esta '
        'página es más reciente: se actualizó el <time datetime="2026-11-20">20 de noviembre de 2026</time>. '
        "Puede que esta traducción aún no tenga sus últimos cambios.</p>"
    ) in read(site, "es/anaemia/causes.html")
    for page in ("anaemia/causes.html", "es/anaemia/faq.html", "es/index.html"):
        assert "out-of-date-notice" not in read(site, page), page


def test_a_translation_says_what_it_translates_and_an_original_does_not(
    project: Path, as_built: list[str]
) -> None:
    edit(project / "content/es/anaemia/causes.md", "translation_of: 2026-11-01\n", "")
    edit(project / "content/es/anaemia/faq.yaml", "translation_of: 2026-11-01", "translation_of: 2026-11-09")
    edit(
        project / "content/anaemia/glossary.yaml",
        "updated: 2026-11-01",
        "updated: 2026-11-01\ntranslation_of: 2026-11-01",
    )
    assert [problem.split(" — ")[0] for problem in problems_of(project, as_built)] == [
        (
            "content/anaemia/glossary.yaml:4: translation_of: only a translation says what it was translated "
            "from, and this file is the original"
        ),
        "content/es/anaemia/causes.md:2: translation_of: is missing (date required)",
        (
            "content/es/anaemia/faq.yaml:4: translation_of: 2026-11-09 is later than the original's updated "
            "date (2026-11-01)"
        ),
    ]


def test_a_missing_string_shows_the_original_words_or_fails_as_site_yaml_says(
    project: Path, as_built: list[str]
) -> None:
    edit(project / "content/es/strings.yaml", "key_points: Puntos clave\n", "")
    [warning] = problems_of(project, as_built)
    assert warning.startswith(
        "content/es/strings.yaml:1: warning: key_points: is missing (in content/strings.yaml: "
        "'Key points') — add a line 'key_points: …'"
    )
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert '<h2 id="key-points">Key points</h2>' in read(project / "site", "es/anaemia/index.html")
    edit(project / "content/site.yaml", "missing_translation: fallback", "missing_translation: fail")
    [error] = problems_of(project, as_built)
    assert error.startswith("content/es/strings.yaml:1: key_points: is missing")


def test_a_translation_has_the_same_pages_in_the_same_order_as_its_original(
    project: Path, as_built: list[str]
) -> None:
    edit(
        project / "content/es/anaemia/topic.yaml",
        "  - causes.md\n  - faq.yaml\n",
        "  - faq.yaml\n  - causes.md\n",
    )
    shutil.copytree(project / "content/es/anaemia", project / "content/es/anemia")
    problems = [problem.split(" — ")[0] for problem in problems_of(project, as_built)]
    assert (
        "content/es/anaemia/topic.yaml:9: sections: lists faq.yaml, causes.md, glossary.yaml, but "
        "content/anaemia/topic.yaml lists causes.md, faq.yaml, glossary.yaml" in problems
    )
    assert (
        "content/es/anemia/topic.yaml:1: topic: has no original: content/anemia/topic.yaml does not exist"
        in problems
    )


def test_an_unreadable_original_page_is_one_problem_not_a_translation_out_of_step(
    project: Path, as_built: list[str]
) -> None:
    edit(project / "content/anaemia/causes.md", "title: Causes", "title  Causes")
    problems = problems_of(project, as_built)
    assert [problem.split(": ")[0] for problem in problems] == ["content/anaemia/causes.md:3"], problems


def test_a_translation_leaves_the_settings_of_the_whole_site_to_the_original(
    project: Path, as_built: list[str]
) -> None:
    edit(project / "content/es/site.yaml", "language: es", "language: fr\nreadability:\n  max_grade: 12")
    assert [problem.split(" — ")[0] for problem in problems_of(project, as_built)] == [
        "content/es/site.yaml:2: language: 'fr' is not the language of this folder",
        (
            "content/es/site.yaml:3: readability: is a setting of the whole site, made in the original "
            "language's site.yaml"
        ),
    ]


def test_a_language_listed_without_its_folder_is_an_error(project: Path, as_built: list[str]) -> None:
    edit(project / "content/site.yaml", "translations: [es]", "translations: [es, fr]")
    assert problems_of(project, as_built)[0] == (
        "content/site.yaml:6: translations: 'fr' has no folder content/fr/ — create the folder with the fr "
        "translation's site.yaml and strings.yaml, or take 'fr' off the list"
    )


def test_the_emergency_box_is_in_every_language_or_check_names_what_is_missing(
    project: Path, as_built: list[str]
) -> None:
    edit(
        project / "content/anaemia/topic.yaml",
        "updated: 2026-11-01",
        "urgent:\n  title: Get help now\n"
        "  text: Call **999** for chest pain [@medlineplus-anemia].\n"
        "updated: 2026-11-01",
    )
    edit(
        project / "content/anaemia/causes.md", "updated: 2026-11-01", "updated: 2026-11-01\nurgent_box: true"
    )
    assert [problem.split(" — ")[0] for problem in problems_of(project, as_built)] == [
        "content/es/anaemia/causes.md:2: urgent_box: is missing: "
        "content/anaemia/causes.md opens with the emergency box",
        "content/es/anaemia/topic.yaml:1: urgent: is missing: "
        "content/anaemia/topic.yaml has an emergency box",
    ]
    edit(
        project / "content/es/anaemia/topic.yaml",
        "updated: 2026-11-01",
        "urgent:\n  title: Pida ayuda ya\n"
        "  text: Llame al **112** si le duele el pecho [@medlineplus-anemia].\n"
        "updated: 2026-11-01",
    )
    edit(
        project / "content/es/anaemia/causes.md",
        "updated: 2026-11-01",
        "updated: 2026-11-01\nurgent_box: true",
    )
    assert problems_of(project, as_built) == []
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    page = read(project / "site", "es/anaemia/causes.html")
    box = re.search(r'<div class="urgent-box" id="get-help-now">(.*?)</div>', page, re.DOTALL)
    assert box, "the Spanish page has no emergency box"
    assert '<h2 class="urgent-box-title">Pida ayuda ya</h2>' in box.group(1)
    assert page.index("urgent-box") < page.index('class="summary"'), "the box is not first under the title"
    # The box's source is the page's first, and listed at its foot.
    assert re.search(
        r'href="#source-medlineplus-anemia"><span class="visually-hidden">[^<]*</span>1</a>', box.group(1)
    )
    assert 'id="source-medlineplus-anemia"' in page


def test_an_original_topic_file_that_cannot_be_read_is_the_one_problem_not_a_missing_original_too(
    project: Path, as_built: list[str]
) -> None:
    edit(project / "content/anaemia/topic.yaml", "title: ", "title: [", count=1)
    problems = [problem.split(" — ")[0] for problem in problems_of(project, as_built)]
    assert [p for p in problems if p.startswith("content/anaemia/topic.yaml:") and "YAML" in p], problems
    assert not [p for p in problems if "has no original" in p], problems
