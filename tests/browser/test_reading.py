"""Reading the story on a phone and on a wide screen, in Chromium: a timeline whose marks never
overlap, all five days on a phone, no sideways scroll at 320 px, the events list's shortcuts
and filters, and axe-core over every page type with no WCAG A/AA violation."""

import itertools
import re
from pathlib import Path

import pytest

from events.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "assets" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def story_site(transactional_db, story):
    event = Event.objects.order_by("occurred_at", "slug").first()
    return {
        "home": "/",
        "events": "/events/",
        "events, one actor and a day": "/events/?actor=sam-altman&day=2023-11-17",
        "event": event.get_absolute_url(),
        "person": "/people/sam-altman/",
        "person at a moment": "/people/ilya-sutskever/?at=2023-11-18T12:00",
        "organisation": "/organisations/openai/",
        "sources": "/sources/",
        "source": "/sources/que-se-passe-t-il-avec-openai-et-sam-altman/",
        "search": "/search/?q=sutskever",
        "quotes": "/quotes/",
        "quotes, a speaker": "/quotes/?speaker=sam-altman",
        "network": "/network/",
        "disputes": "/disputes/",
        "changes": "/changes/",
        "people": "/people/",
        "organisations": "/organisations/",
        "not found": "/nowhere/",
        "English home": "/en/",
        "English events": "/en/events/",
        "English network": "/en/network/",
    }


def visible_boxes(page, selector):
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .map(e => e.getBoundingClientRect())
            .filter(r => r.width > 0 && r.height > 0)
            .map(r => [
                r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY
            ])""",
        selector,
    )


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", [360, 1280])
def test_no_timeline_mark_overlaps_another(page, story_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/")
    marks = visible_boxes(page, ".timeline__mark")
    # Every event of the story is drawn, once per main actor taking part (or « others »).
    assert len(marks) >= Event.objects.count()
    clashes = [(a, b) for a, b in itertools.combinations(marks, 2) if overlap(a, b)]
    assert not clashes, clashes[:5]
    # Each mark is big enough to see and to touch.
    shapes = visible_boxes(page, ".timeline__shape")
    assert min(r[2] - r[0] for r in shapes) >= 10
    assert min(r[2] - r[0] for r in marks) >= 20
    page.screenshot(path=f"test-results/timeline-{width}.png", full_page=True)


def test_the_five_days_are_visible_on_a_phone(page, story_site):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page.base_url + "/")
    days = page.locator(".timeline__svg--narrow .timeline__day-link")
    assert days.count() == 5
    for n in range(5):
        day = days.nth(n)
        assert day.is_visible()
        box = day.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The day heading leads to that day's events.
    days.nth(1).click()
    page.wait_for_url("**/events/?day=2023-11-17")
    assert "vendredi 17 novembre 2023" in page.locator(".results").inner_text().lower()


@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_no_page_scrolls_sideways_at_320_px(page, story_site, text_size):
    page.set_viewport_size({"width": 320, "height": 800})
    wide = {}
    for name, path in story_site.items():
        page.goto(page.base_url + path)
        # The reader's own text size (WCAG 1.4.4 and 1.4.10): the page reflows, still no scroll.
        page.evaluate("size => { document.documentElement.style.fontSize = size }", text_size)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide[name] = overflow
    assert not wide


def test_the_header_fits_a_phone_and_200_percent_text(page, story_site):
    # On a phone the header used to take 28 % of the first screen: now under a quarter.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/events/")
    assert page.locator(".site-header").bounding_box()["height"] < 740 / 4
    page.set_viewport_size({"width": 640, "height": 800})
    page.goto(page.base_url + "/events/")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    header = page.locator(".site-header").bounding_box()
    assert header["width"] <= 640
    button = page.locator(".site-search button").bounding_box()
    assert button["x"] + button["width"] <= 640


def test_events_on_a_phone_shortcuts_first_then_filter_to_the_results(page, story_site):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page.base_url + "/events/")
    shortcuts = page.locator(".quick-filters")
    assert shortcuts.bounding_box()["y"] < page.locator("#results-title").bounding_box()["y"]
    # The facets used to start about 10,000 px down: the day shortcuts are on the first screen.
    friday = shortcuts.get_by_role("link", name=re.compile(r"^ven\.? 17 nov"))
    assert friday.bounding_box()["y"] < 800
    friday.click()
    page.wait_for_url("**/events/?day=2023-11-17#results-title")
    assert page.locator("#results-title").bounding_box()["y"] < 800
    # The full form is folded; open it and filter: empty fields stay out of the URL.
    page.locator(".filters__details > summary").click()
    page.get_by_label("Nom de l’acteur").fill("Sutskever")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/events/?actor=Sutskever&day=2023-11-17#results-title")
    assert "match=" not in page.url and "kind=" not in page.url and "q=" not in page.url
    heading = page.locator("#results-title")
    assert heading.bounding_box()["y"] < 800  # the results, not the form, are on screen
    # Events are grouped by day; the kind label is not dressed as the actor links.
    assert page.locator(".results__day-title").first.inner_text().lower().startswith("vendredi")
    kind = page.locator(".chip--kind").first
    actor = page.locator(".card__actors .chip").first
    style = "e => getComputedStyle(e).textDecorationLine + getComputedStyle(e).borderRadius"
    assert kind.evaluate(style) != actor.evaluate(style)
    page.screenshot(path="test-results/events-phone.png", full_page=True)


def test_touch_targets_are_at_least_24_px(page, story_site):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page.base_url + "/events/?actor=sam-altman&actor=greg-brockman")
    page.locator(".filters__details > summary").click()
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                '.field label.choice, .quick-filters a, .card__actors a, .facet__list a, '
                + '.site-nav a')]
            .map(e => [e.textContent.trim(), e.getBoundingClientRect().height])
            .filter(([, h]) => h > 0 && h < 24)"""
    )
    assert not small


@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_no_wcag_violation_on_any_page_type(browser, live_server, story_site, width):
    # The site's CSP forbids inline scripts, which is what an injected axe is.
    context = browser.new_context(
        locale="fr-FR", viewport={"width": width, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    found = {}
    try:
        for name, path in story_site.items():
            page.goto(live_server.url + path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
            )
            violations = [
                (v["id"], [node["target"] for node in v["nodes"][:3]]) for v in result["violations"]
            ]
            if violations:
                found[name] = violations
    finally:
        context.close()
    assert not found
