"""The guide's safety advice as a reader finds it on the built pages, in English and in Spanish: the clinical
corrections of issue #13 (points 12–19). Each test reads the shipped guide, built once into a temporary
folder, and looks for what the advice must say (its key phrases), not for whole sentences.

A page's words are those of its <main>, without the glossary's pop-up meanings (they belong to the glossary
and would let a page pass on another page's words) and without citation marks; the sources a passage cites
are kept beside its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

TOPIC = "leucopenia"
LANGUAGES = ["en", "es"]
SECTION_PAGES = [
    "what-is-leucopenia",
    "numbers",
    "causes",
    "symptoms",
    "diagnosis",
    "treatment",
    "living-with",
    "when-to-get-help",
    "appointment",
    "faq",
    "glossary",
]
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Part:
    """A stretch of a page: a box (admonition) or the text under one heading, with the sources it cites."""

    title: str = ""
    words: list[str] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


class PageReader(HTMLParser):
    """Reads <main> into its whole text, its boxes and its sections (text from one heading to the next)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[
            tuple[str, str]
        ] = []  # (tag, role): role is main, skip, box, box-title, heading or ""
        self.page = Part()
        self.boxes: list[Part] = []
        self.sections: list[Part] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        self.open.append((tag, self._role(tag, dict(attrs))))
        href = dict(attrs).get("href") or ""
        if self._inside("main") and href.startswith("#source-"):
            for part in self._parts():
                part.cited.add(href.removeprefix("#source-"))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._inside("main") or self._inside("skip"):
            return
        self.page.words.append(data)
        if self._inside("box-title"):
            self.boxes[-1].title += data
        elif self._inside("heading"):
            self.sections[-1].title += data
        else:
            for part in self._parts()[1:]:
                part.words.append(data)

    def _role(self, tag: str, attrs: dict[str, str | None]) -> str:
        classes = (attrs.get("class") or "").split()
        if tag == "main":
            return "main"
        if not self._inside("main"):
            return ""
        if "term-meaning" in classes or "cite" in classes:
            return "skip"
        if tag == "div" and "admonition" in classes:
            self.boxes.append(Part())
            return "box"
        if "admonition-title" in classes:
            return "box-title"
        if tag in {"h2", "h3"}:
            self.sections.append(Part())
            return "heading"
        return ""

    def _inside(self, role: str) -> bool:
        return any(open_role == role for _, open_role in self.open)

    def _parts(self) -> list[Part]:
        parts = [self.page]
        if self._inside("box"):
            parts.append(self.boxes[-1])
        if self.sections:
            parts.append(self.sections[-1])
        return parts


@dataclass(frozen=True)
class Page:
    text: str
    boxes: list[Part]
    sections: list[Part]
    html: str

    def section(self, heading_pattern: str) -> Part:
        found = [part for part in self.sections if re.search(heading_pattern, part.title, re.IGNORECASE)]
        assert found, f"no heading matches {heading_pattern!r}: {[part.title for part in self.sections]}"
        return found[0]

    def boxes_titled(self, title_pattern: str) -> list[Part]:
        return [box for box in self.boxes if re.search(title_pattern, box.title, re.IGNORECASE)]


def read_page(site: Path, language: str, page: str) -> Page:
    prefix = "" if language == "en" else f"{language}/"
    html = (site / f"{prefix}{TOPIC}/{page}.html").read_text(encoding="utf-8")
    reader = PageReader()
    reader.feed(html)
    return Page(reader.page.text, reader.boxes, reader.sections, html)


def every_page(site: Path, language: str) -> list[Path]:
    """Every built page of one language: the home page, the topic's pages, the A to Z and the rest."""
    pages = sorted(site.rglob("*.html"))
    if language == "en":
        return [page for page in pages if not page.relative_to(site).as_posix().startswith("es/")]
    return [page for page in pages if page.relative_to(site).as_posix().startswith(f"{language}/")]


def has_all(text: str, *phrases: str) -> bool:
    return all(phrase.lower() in text.lower() for phrase in phrases)


# Point 12: carbimazole and propylthiouracil are the exception to "never stop a medicine on your own", and
# clozapine comes with regular blood tests and a same-day call.

CARBIMAZOLE = {
    "en": {
        "stop_box": r"stop a medicine",
        "drug": "carbimazole",
        "exception": "exception",
        "action": ("stop the tablets", "blood count the same day"),
    },
    "es": {
        "stop_box": r"deje un medicamento",
        "drug": "carbimazol",
        "exception": "excepción",
        "action": ("deje las pastillas", "hemograma el mismo día"),
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_do_not_stop_a_medicine_box_names_the_carbimazole_exception(
    built_site: Path, language: str
) -> None:
    words = CARBIMAZOLE[language]
    boxes = [
        (page, box)
        for page in SECTION_PAGES
        for box in read_page(built_site, language, page).boxes_titled(words["stop_box"])
    ]
    assert {page for page, _ in boxes} >= {"causes", "treatment"}
    for page, box in boxes:
        assert has_all(box.title, words["exception"]), f"{page}: {box.title!r}"
        assert has_all(box.text, words["drug"], *words["action"]), f"{page}: {box.text}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", ["causes", "treatment", "when-to-get-help", "faq"])
def test_carbimazole_advice_is_to_stop_the_tablets_and_get_a_same_day_blood_count(
    built_site: Path, language: str, page: str
) -> None:
    words = CARBIMAZOLE[language]
    assert has_all(read_page(built_site, language, page).text, words["drug"], *words["action"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_faq_on_stopping_a_medicine_names_the_exception(built_site: Path, language: str) -> None:
    words = CARBIMAZOLE[language]
    answer = read_page(built_site, language, "faq").section(r"stop my medicine|dejar mi medicamento")
    assert has_all(answer.text, words["exception"], words["drug"], *words["action"])


CLOZAPINE = {
    "en": ("regular blood tests", "sore throat", "clozapine clinic", "the same day"),
    "es": ("análisis de sangre con regularidad", "dolor de garganta", "clínica de clozapina", "el mismo día"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_clozapine_means_regular_blood_tests_and_calling_the_clinic_the_same_day(
    built_site: Path, language: str
) -> None:
    section = read_page(built_site, language, "causes").section(r"clozapin")
    assert has_all(section.text, *CLOZAPINE[language])
    assert has_all(read_page(built_site, language, "when-to-get-help").text, *CLOZAPINE[language][1:])


# Point 13: a very low count with signs of infection is the reader's emergency, not a doctor's referral.

VERY_LOW_COUNT = {
    "en": {
        "old": "a blood specialist should be asked",
        "count": "0.5 × 10⁹/L",
        "now": "get emergency care now",
    },
    "es": {
        "old": "se debe pedir consejo urgente a un especialista",
        "count": "0,5 × 10⁹/L",
        "now": "busque atención de urgencia ya",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_diagnosis_page_sends_a_very_low_count_with_infection_to_emergency_care(
    built_site: Path, language: str
) -> None:
    words = VERY_LOW_COUNT[language]
    page = read_page(built_site, language, "diagnosis")
    assert words["old"] not in page.text.lower()
    urgent = [box for box in page.boxes if has_all(box.text, words["count"], words["now"])]
    assert urgent, [box.text for box in page.boxes]


# Point 14: sources differ on the temperature; people having chemotherapy use their team's number, and when
# unsure, the lower one.

UNSURE_USE_38 = {"en": r"(not sure|unsure)[^.]{0,60}38 ?°C", "es": r"(dudas|no está seguro)[^.]{0,60}38 ?°C"}
TEMPERATURE = {
    "en": {
        "low": "37.5 °C",
        "unsure": ("not sure", "use the lower one"),
        "team": "number your care team gave you",
    },
    "es": {
        "low": "37,5 °C",
        "unsure": ("no está seguro", "use el más bajo"),
        "team": "número que le dio su equipo",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_tells_an_unsure_reader_to_use_38_degrees(built_site: Path, language: str) -> None:
    for path in every_page(built_site, language):
        reader = PageReader()
        reader.feed(path.read_text(encoding="utf-8"))
        assert not re.search(UNSURE_USE_38[language], reader.page.text, re.IGNORECASE), path


@pytest.mark.parametrize("language", LANGUAGES)
def test_when_to_get_help_names_37_5_and_the_lower_number_when_unsure(
    built_site: Path, language: str
) -> None:
    words = TEMPERATURE[language]
    section = read_page(built_site, language, "when-to-get-help").section(r"which number|qué número")
    assert has_all(section.text, "NICE", words["low"], words["team"], *words["unsure"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_fever_box_of_the_topic_also_names_the_teams_lower_number(
    built_site: Path, language: str
) -> None:
    """when-to-get-help's own boxes are tested above; its first box is the emergency box kept elsewhere."""
    low = TEMPERATURE[language]["low"]
    for page in [page for page in SECTION_PAGES if page not in {"when-to-get-help", "faq", "glossary"}]:
        for box in read_page(built_site, language, page).boxes:
            if "38 °C" in box.text:
                assert low in box.text, f"{page}: {box.text}"


# Point 15: the reader with 3.6 who is on chemotherapy and steroids.

ON_TREATMENT = {
    "en": ("having treatment", "does not mean safe", "steroids", "hide a fever", "38 °C", "24-hour number"),
    "es": (
        "tratamiento",
        "no quiere decir seguro",
        "corticoides",
        "ocultar la fiebre",
        "38 °C",
        "número de 24 horas",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_3_6_answer_covers_being_on_treatment_and_steroids(built_site: Path, language: str) -> None:
    answer = read_page(built_site, language, "faq").section(r"3[.,]6")
    assert has_all(answer.text, *ON_TREATMENT[language])


# Point 16: can it come back — recurrence after treated marrow failure, recovery after a virus in adults, and
# when the test is repeated.

COME_BACK = {
    "en": {
        "heading": r"come back",
        "marrow": ("aplastic anaemia", "blood counts"),
        "adults": ("in adults", "days or weeks"),
        "children": "babies and young children",
        "repeat": ("6 weeks", "about a week", "1.0 × 10⁹/L"),
    },
    "es": {
        "heading": r"no vuelva",
        "marrow": ("anemia aplásica", "hemogramas"),
        "adults": ("en los adultos", "días o semanas"),
        "children": "bebés y niños pequeños",
        "repeat": ("6 semanas", "una semana", "1,0 × 10⁹/L"),
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_can_it_come_back_covers_marrow_failure_adults_and_the_repeat_test(
    built_site: Path, language: str
) -> None:
    words = COME_BACK[language]
    answer = read_page(built_site, language, "faq").section(words["heading"])
    assert has_all(answer.text, *words["marrow"], *words["adults"], words["children"], *words["repeat"])
    assert answer.cited - {"acta-2006-child-neutropenia"}, "the adult advice needs a source about adults"


# Point 17: smaller corrections.

DUFFY = {
    "en": ("Of the 80 Duffy-null people, 19", "1 in 4 of them"),
    "es": ("De las 80 personas Duffy nulo, 19", "1 de cada 4 de ellas"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_duffy_null_figure_is_19_of_the_80_duffy_null_people(built_site: Path, language: str) -> None:
    section = read_page(built_site, language, "numbers").section(r"duffy")
    assert has_all(section.text, *DUFFY[language])


CHRONIC_IDIOPATHIC = {
    "en": ("stays a little low for a long time", "above 1.0 × 10⁹/L", "no cause found"),
    "es": (
        "sigue un poco bajo durante mucho tiempo",
        "por encima de 1,0 × 10⁹/L",
        "sin que se encuentre una causa",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_chronic_idiopathic_neutropenia_has_one_definition_on_causes_and_glossary(
    built_site: Path, language: str
) -> None:
    for page in ["causes", "glossary"]:
        assert has_all(read_page(built_site, language, page).text, *CHRONIC_IDIOPATHIC[language]), page


@pytest.mark.parametrize("language", LANGUAGES)
def test_rarely_found_by_chance_cites_the_mayo_page_that_says_it(built_site: Path, language: str) -> None:
    section = read_page(built_site, language, "symptoms").section(r"usually found|suele descubrir")
    sources = read_page(built_site, language, "sources").html
    assert "mayo-low-wbc-when" in section.cited
    assert re.search(r'id="source-mayo-low-wbc-when".{0,600}When to see a doctor', sources, re.DOTALL)


@pytest.mark.parametrize("language", LANGUAGES)
def test_food_safety_is_cited_to_the_fda_itself_and_cdc_at_its_current_address(
    built_site: Path, language: str
) -> None:
    food = read_page(built_site, language, "living-with").section(r"food and diet|alimentación y dieta")
    sources = read_page(built_site, language, "sources").html
    assert "fda-food-safety" in food.cited
    assert "foodsafetynews" not in sources and "Food Safety News" not in sources
    assert 'href="https://www.cdc.gov/cancer-preventing-infections/' in sources
    assert 'href="https://www.cdc.gov/cancer/preventinfections' not in sources


# Point 18: facts readers need, where they would look for them.

MISSING_FACTS = {
    "en": {
        "living-with": ("7 to 12 days", "rectally", "live vaccines", "ask your care team"),
        "treatment": ("bone pain", "upper left side of your belly", "left shoulder"),
        "when-to-get-help": ("rectally", "left shoulder", "G-CSF"),
    },
    "es": {
        "living-with": ("7 y 12 días", "recto", "vacunas vivas", "pregunte a su equipo médico"),
        "treatment": ("dolor de huesos", "a la izquierda de la barriga", "hombro izquierdo"),
        "when-to-get-help": ("recto", "hombro izquierdo", "G-CSF"),
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", ["living-with", "treatment", "when-to-get-help"])
def test_low_point_rectal_temperatures_live_vaccines_and_g_csf_side_effects_are_on_the_page(
    built_site: Path, language: str, page: str
) -> None:
    assert has_all(read_page(built_site, language, page).text, *MISSING_FACTS[language][page])


def test_spleen_pain_after_g_csf_is_in_the_get_help_now_box(built_site: Path) -> None:
    for language, shoulder in [("en", "left shoulder"), ("es", "hombro izquierdo")]:
        page = read_page(built_site, language, "when-to-get-help")
        assert [box for box in page.boxes if box.text and shoulder in box.text and "G-CSF" in box.text], (
            language
        )


# Point 19: the Spanish guide carries every change, with its slips fixed,
# and says which version it translates.


def test_spanish_pages_say_refrigerar_for_the_fridge_and_not_no_sabe(built_site: Path) -> None:
    texts = {page: read_page(built_site, "es", page).text for page in SECTION_PAGES}
    assert "Refrigerar" in texts["living-with"] and "refrigerar" in texts["faq"]
    for page, text in texts.items():
        assert not re.search(r"\benfriar\b", text, re.IGNORECASE), page
        assert "no sabe" not in text.lower(), page


@pytest.mark.parametrize("page", SECTION_PAGES)
def test_each_spanish_page_translates_the_english_page_as_it_is_now(built_site: Path, page: str) -> None:
    """A safety correction reaches Spanish readers too: a Spanish page that says it translates an older
    version of its English page has missed a change."""
    english = read_page(built_site, "en", page).html
    spanish = read_page(built_site, "es", page).html
    updated = re.search(r'Last updated <time datetime="([\d-]+)"', english)
    translated = re.search(r'class="translation-of">.*?<time datetime="([\d-]+)"', spanish, re.DOTALL)
    assert updated and translated
    assert translated.group(1) == updated.group(1)
