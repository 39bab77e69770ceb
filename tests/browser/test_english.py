"""The English edition in Chromium: every page type read as the browser builds it has no French
text outside an element whose lang is French, and the French original opens in place."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Text nodes and accessible names not inside a French element (by the nearest lang attribute,
# as a screen reader picks its voice), matching the telltales of French prose.
UNMARKED_FRENCH = r"""() => {
  const telltale = new RegExp(
    '[«»]|\\b(?:de la|le|la|les|des|du|une|est|avec|pour|dans|sur|selon|aux?|ce|cette|qui|que)\\b'
    + '|[àâçéèêëîïôûùœ]', 'i');
  const french = (element) => {
    const holder = element.closest('[lang]');
    return holder !== null && holder.lang.toLowerCase().startsWith('fr');
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest('script, style')) continue;
    const text = node.textContent.trim();
    if (text && telltale.test(text) && !french(element)) found.push(text);
  }
  for (const element of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
    for (const name of ['aria-label', 'title', 'alt', 'placeholder']) {
      const text = element.getAttribute(name);
      if (text && telltale.test(text) && !french(element)) found.push(`${name}: ${text}`);
    }
  }
  if (telltale.test(document.title)) found.push(`<title>: ${document.title}`);
  return found;
}"""

PAGES = [
    "/en/",
    "/en/events/",
    "/en/events/?actor=sam-altman&kind=firing",
    "/en/events/le-conseil-licencie-sam-altman/",
    "/en/events/sam-altman-au-siege-d-openai-avec-un-badge-invite/",
    "/en/people/",
    "/en/people/emmett-shear/",
    "/en/organisations/",
    "/en/organisations/conseil-d-administration-d-openai/",
    "/en/organisations/openai/?at=2023-11-18T12:00",
    "/en/sources/que-se-passe-t-il-avec-openai-et-sam-altman/",
    "/en/sources/",
    "/en/search/?q=sutskever",
    "/en/disputes/",
    "/en/quotes/",
    "/en/network/",
    "/en/no-such-page/",
    "/en/events/?day=2023-13-45",
]


@pytest.mark.parametrize("width", [360, 1280])
def test_english_pages_show_no_unmarked_french(page, story, width):
    page.set_viewport_size({"width": width, "height": 900})
    report = {}
    for path in PAGES:
        page.goto(page.base_url + path)
        assert page.evaluate("document.documentElement.lang") == "en"
        found = page.evaluate(UNMARKED_FRENCH)
        if found:
            report[path] = found[:5]
    assert not report, "\n".join(f"{path}: {texts}" for path, texts in report.items())


def test_the_french_original_opens_beside_the_translation(page, story):
    page.goto(page.base_url + "/en/events/le-conseil-licencie-sam-altman/")
    heading = page.locator("h1 .translation")
    assert heading.inner_text() == "The board of directors fires Sam Altman"
    assert heading.get_attribute("lang") == "en"
    original = page.locator("details.original")
    french = original.locator('p[lang="fr"]').first
    assert not french.is_visible()
    original.locator("summary").click()
    assert french.is_visible()
    assert french.inner_text() == "Le conseil d’administration licencie Sam Altman"


def test_a_quote_stays_french_with_its_translation_under_it(page, story):
    page.goto(page.base_url + "/en/events/sam-altman-au-siege-d-openai-avec-un-badge-invite/")
    quote = page.locator("figure.quote").first
    assert quote.locator("blockquote").get_attribute("lang") == "fr"
    assert "La première et la dernière fois que j’en porte un" in quote.inner_text()
    gloss = quote.locator(".gloss")
    assert gloss.get_attribute("lang") == "en"
    assert gloss.inner_text() == "Translation: The first and last time I wear one"
