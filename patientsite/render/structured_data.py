"""Structured data: a page described for search engines as schema.org JSON-LD, and JSON made safe to sit
inside a <script> element."""

from __future__ import annotations

import json

from markupsafe import Markup

from patientsite.content.model import Topic
from patientsite.render.paths import absolute_url
from patientsite.render.views import PageView


def json_ld(view: PageView, base_url: str | None, topics: tuple[Topic, ...]) -> Markup:
    """The page as a MedicalWebPage about its topic's condition (every topic's, outside one)."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": view.title,
        "description": view.description,
        "inLanguage": view.text_language,
        "dateModified": view.updated.isoformat(),
    }
    if base_url:
        data["url"] = absolute_url(base_url, view.path)
    conditions = [_condition(topic) for topic in ((view.topic,) if view.topic else topics)]
    if conditions:
        data["about"] = conditions[0] if len(conditions) == 1 else conditions
    if view.review.is_reviewed:
        data["lastReviewed"] = view.review.reviewed_on.isoformat()
        data["reviewedBy"] = {"@type": "Person", "name": view.review.reviewed_by}
    if view.sources:
        data["citation"] = [{"@type": "CreativeWork", "name": s.title, "url": s.url} for s in view.sources]
    return safe_json(data)


def _condition(topic: Topic) -> dict:
    condition = {"@type": "MedicalCondition", "name": topic.title}
    if topic.other_names:
        condition["alternateName"] = list(topic.other_names)
    return condition


def safe_json(data: object) -> Markup:
    """JSON that can sit inside <script>: '<', '>' and '&' are escaped, so '</script>' cannot break out."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
