"""Site: content/site.yaml → the Site, its settings checked field by field (a translation's has its words).

Its strings.yaml is read here too (strings.py): the site's words are part of its settings.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from patientsite.content.fields import Fields, mapping_of, shown
from patientsite.content.language_files import LANGUAGE_CODE, SITE_FILE
from patientsite.content.load import Document, Memo, YamlMap
from patientsite.content.markdown_checks import check_markdown
from patientsite.content.model import NavItem, Site, Strings
from patientsite.content.strings import STRINGS_FILE, read_strings
from patientsite.problems import Problems


def read_site(
    documents: dict[str, Document],
    unreadable: frozenset[str],
    content_label: str,
    problems: Problems,
    memo: Memo | None = None,
) -> Site | None:
    """The site's settings from site.yaml, or None when the file is missing or unreadable (reported)."""
    document = documents.get(SITE_FILE)
    if document is None and SITE_FILE in unreadable:
        return None
    mapping = mapping_of(document, f"{content_label}/{SITE_FILE}", problems)
    if mapping is None:
        return None
    fields = Fields(mapping, document.file, problems)
    navigation = tuple(
        _nav_item(item, document.file, problems) for item in fields.mappings("navigation", True)
    )
    max_grade, min_fernandez_huerta = _readability(mapping, document.file, problems)
    fields.known.add("readability")
    language = _language_code(fields)
    site = Site(
        file=document.file,
        title=fields.text("title") or "",
        language=language,
        description=fields.text("description") or "",
        base_url=fields.url("base_url", required=False),
        disclaimer=fields.text("disclaimer") or "",
        navigation=tuple(item for item in navigation if item is not None),
        max_grade=max_grade,
        review_interval_years=_review_interval(fields),
        min_fernandez_huerta=min_fernandez_huerta,
        locale=_locale(fields, language),
        translations=_translations(fields, language),
        missing_translation=_missing_translation(fields),
        strings=_strings(documents, unreadable, content_label, problems),
    )
    fields.finish()
    check_markdown(site.disclaimer, site.file, fields.line("disclaimer"), SITE_FILE, problems, memo)
    return site


def _language_code(fields: Fields) -> str:
    """The content's language code, which the reading-grade check must know: it counts syllables by it."""
    import pyphen

    language = fields.text("language") or "en"
    if pyphen.language_fallback(language) is None:
        fields.problems.add(
            fields.file,
            fields.line("language"),
            "language",
            f"{shown(language)} is not a language code the reading-grade check knows",
            "write the code of the content's language, such as en, en-GB or es",
        )
        return "en"
    return language


def _review_interval(fields: Fields) -> int:
    years = fields.number("review_interval_years", required=False)
    if years is None:
        return Site.review_interval_years  # the default
    if not years.is_integer() or not 1 <= years <= 10:  # also refuses .nan and .inf
        fields.problems.add(
            fields.file,
            fields.line("review_interval_years"),
            "review_interval_years",
            f"{years:g} is not a whole number of years from 1 to 10",
            "write how many years may pass between clinical reviews: the NHS standard is 3",
        )
        return Site.review_interval_years
    return int(years)


def _readability(mapping: YamlMap, file: str, problems: Problems) -> tuple[float, float]:
    """The readability limits: the highest Flesch–Kincaid grade of an English page, and the lowest
    Fernández-Huerta reading ease of a Spanish one."""
    defaults = (Site.max_grade, Site.min_fernandez_huerta)
    value = mapping.get("readability")
    if value is None:
        return defaults
    if not isinstance(value, YamlMap):
        problems.add(
            file,
            mapping.line_of("readability"),
            "readability",
            "must be a group of fields",
            "write 'readability:' and under it, indented, 'max_grade: 8'",
        )
        return defaults
    fields = Fields(value, file, problems, "readability")
    grade = fields.number("max_grade")
    ease = fields.number("min_fernandez_huerta", required=False)
    fields.finish()
    return (defaults[0] if grade is None else grade, defaults[1] if ease is None else ease)


def _locale(fields: Fields, language: str) -> str:
    """How the language writes dates, as Babel names it: the `locale` field, or the language itself."""
    locale = (fields.text("locale", required=False) or language).replace("-", "_")
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        fields.problems.add(
            fields.file,
            fields.line("locale" if "locale" in fields.mapping else "language"),
            "locale",
            f"{shown(locale)} is not a language and region Babel knows",
            "write a language code, with its region where dates are written differently there: "
            "en_GB, en_US, es, es_MX",
        )
        return Site.locale
    return locale


def _translations(fields: Fields, language: str) -> tuple[str, ...]:
    """The other languages of the site, each the name of its folder in content/."""
    codes: list[str] = []
    for code in fields.text_list("translations"):
        problem = (
            "is not a language code"
            if not LANGUAGE_CODE.match(code)
            else "is the original language"
            if code == language
            else "is listed twice"
            if code in codes
            else None
        )
        if problem:
            fields.problems.add(
                fields.file,
                fields.line("translations"),
                "translations",
                f"{shown(code)} {problem}",
                "list the code of each other language, e.g. [es], as its folder content/es/ is named",
            )
        else:
            codes.append(code)
    return tuple(codes)


def _missing_translation(fields: Fields) -> str:
    value = fields.text("missing_translation", required=False)
    if value is None or value in ("fallback", "fail"):
        return value or Site.missing_translation
    fields.problems.add(
        fields.file,
        fields.line("missing_translation"),
        "missing_translation",
        f"{shown(value)} is not fallback or fail",
        "write 'fallback' to publish a page in the original language until it is translated, or "
        "'fail' to stop the build",
    )
    return Site.missing_translation


def _strings(
    documents: dict[str, Document], unreadable: frozenset[str], content_label: str, problems: Problems
) -> Strings:
    file = f"{content_label}/{STRINGS_FILE}"
    if STRINGS_FILE in unreadable:
        return Strings(file, {}, {})  # load has reported why
    return read_strings(documents.get(STRINGS_FILE), file, problems)


def _nav_item(mapping: YamlMap, file: str, problems: Problems) -> NavItem | None:
    fields = Fields(mapping, file, problems, "navigation")
    title, page = fields.text("title"), fields.text("page")
    fields.finish()
    return NavItem(title, page) if title and page else None
