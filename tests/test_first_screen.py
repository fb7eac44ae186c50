"""The emergency box on a phone's first screen: on the pages a worried reader lands on, in each language, the
whole box, with its numbers and whom to call, shows at 360 × 740 without scrolling."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from support import PHONE, browser_tab

PAGES = ["index.html", "leucopenia/index.html", "leucopenia/when-to-get-help.html", "leucopenia/checker.html"]
# (folder, the temperature, the call advice) in each language
LANGUAGES = [
    ("", "38 °C", "Call your care team's 24-hour number"),
    ("es/", "38 °C", "Llame al número de 24 horas de su equipo médico"),
]
CASES = [(folder + page, temperature, call) for folder, temperature, call in LANGUAGES for page in PAGES]


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Page]:
    with browser_tab(browser, viewport=PHONE, is_mobile=True, has_touch=True) as tab:
        yield tab


@pytest.mark.parametrize(("path", "temperature", "call"), CASES, ids=[path for path, _, _ in CASES])
def test_the_emergency_box_is_whole_on_the_first_screen_of_a_phone(
    phone: Page, served_site: str, path: str, temperature: str, call: str
):
    phone.goto(served_site + path)
    boxes = (
        phone.locator(".urgent-box, .admonition.urgent").filter(has_text=temperature).filter(has_text=call)
    )
    expect(boxes.first).to_be_visible()
    places = [place for place in (box.bounding_box() for box in boxes.all()) if place]  # None: not shown
    on_first_screen = [p for p in places if p["y"] >= 0 and p["y"] + p["height"] <= PHONE["height"]]
    assert on_first_screen, (
        f"{path}: no emergency box saying {temperature!r} and {call!r} is whole within the "
        f"first {PHONE['height']} px; such boxes stand at "
        + ", ".join(f"{p['y']:.0f}–{p['y'] + p['height']:.0f} px" for p in places)
    )
