"""/events/?source=<slug>: the events drawn from one source document, with its facet."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from events import counts
from events.models import Article, Event, FacetCount
from tests.factories import ArticleFactory, EventFactory, PassageFactory, PersonFactory

pytestmark = pytest.mark.postgres

URL = reverse("events:event_list")


@pytest.fixture
def two_sources(db):
    first = ArticleFactory(slug="premier-article", title="Premier article")
    second = ArticleFactory(slug="suite-de-l-histoire", title="Suite de l’histoire")
    p1, p2 = PassageFactory(article=first, number=1), PassageFactory(article=first, number=2)
    q1 = PassageFactory(article=second, number=1)
    sam = PersonFactory(name="Sam Altman", slug="sam-altman")
    events = {
        "only-first": EventFactory(title="Tiré du premier", passages=[p1, p2], actors=[sam]),
        "both": EventFactory(title="Tiré des deux", passages=[p2, q1], actors=[sam]),
        "only-second": EventFactory(title="Tiré de la suite", passages=[q1]),
        "none": EventFactory(title="Sans passage"),
    }
    return first, second, events


def titles(response):
    return re.findall(
        r'class="card__title"[^>]*>\s*<a [^>]*>([^<]+)</a>', response.content.decode()
    )


def facet(response, key="source"):
    """The facet's values as (label, count) pairs."""
    html = response.content.decode()
    section = re.search(
        rf'<section class="facet" aria-labelledby="facet-{key}">(.*?)</section>', html, re.S
    )
    if not section:
        return []
    return [
        (re.sub(r"<[^>]+>", "", label).replace("Retirer le filtre :", "").strip(), int(n))
        for label, n in re.findall(
            r'<a href="[^"]*"[^>]*>(.*?)</a> <span class="facet__count">(\d+)</span>',
            section.group(1),
            re.S,
        )
    ]


def test_a_source_filter_lists_the_events_drawn_from_it(client, two_sources):
    response = client.get(URL, {"source": "suite-de-l-histoire"})
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Tiré de la suite", "Tiré des deux"]
    html = response.content.decode()
    # The chip says which source, and removes it.
    assert "source : <cite" in html and "Suite de l’histoire</cite>" in html
    # The form keeps the source when the reader changes another filter.
    assert '<input type="hidden" name="source" value="suite-de-l-histoire">' in html


def test_the_unfiltered_list_counts_the_events_of_each_source(client, two_sources):
    response = client.get(URL)
    assert facet(response) == [("Premier article", 2), ("Suite de l’histoire", 2)]


def test_the_source_facet_follows_the_other_filters(client, two_sources):
    # One actor (its own path), then one actor and words (the general one).
    assert facet(client.get(URL, {"actor": "sam-altman"})) == [
        ("Premier article", 2),
        ("Suite de l’histoire", 1),
    ]
    chosen = client.get(URL, {"source": "premier-article"})
    assert sorted(titles(chosen)) == ["Tiré des deux", "Tiré du premier"]
    # Filtered by the first source, its events still cite the second one once.
    assert facet(chosen) == [("Premier article", 2), ("Suite de l’histoire", 1)]


def test_a_source_combines_with_an_actor(client, two_sources):
    response = client.get(URL, {"source": "suite-de-l-histoire", "actor": "sam-altman"})
    assert titles(response) == ["Tiré des deux"]


@pytest.mark.parametrize(
    "query, message",
    [
        ({"source": "inconnue"}, "Aucune source ne porte l’identifiant « inconnue »"),
        ({"source": "pas un slug!"}, "Identifiant de source invalide."),
        ({"source": ["premier-article", "suite-de-l-histoire"]}, "Une seule valeur à la fois"),
    ],
)
def test_a_bad_source_is_a_400_that_says_why(client, two_sources, query, message):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_kept_source_counts_follow_every_write(two_sources):
    first, second, events = two_sources

    def kept():
        return dict(
            FacetCount.objects.filter(actor=None, facet="source").values_list("value", "count")
        )

    def recounted():
        counts.rebuild()
        return kept()

    before = kept()
    assert before == {str(first.pk): 2, str(second.pk): 2} == recounted()
    # Added and removed from either side of the relation, cleared, deleted.
    events["none"].passages.add(second.passages.get())
    assert kept()[str(second.pk)] == 3 == recounted()[str(second.pk)]
    second.passages.get().events.remove(events["both"])
    assert kept() == recounted()
    events["only-first"].passages.clear()
    assert kept() == recounted() == {str(first.pk): 1, str(second.pk): 2}
    events["both"].delete()
    assert kept() == recounted() == {str(second.pk): 2}
    # A passage moved to the other document, then a document deleted with its passages.
    moved = second.passages.get()
    moved.article, moved.number = first, 9
    moved.save()
    assert kept() == recounted() == {str(first.pk): 2}
    first.delete()
    assert kept() == recounted() == {}


def test_the_story_counts_its_one_article(db):
    call_command("seed_story", verbosity=0)
    article = Article.objects.get()
    cited = Event.objects.citing(article).count()
    assert cited > 0
    assert FacetCount.objects.get(actor=None, facet="source").count == cited


def test_an_event_citing_several_sources_names_each(client, two_sources):
    _, _, events = two_sources
    html = client.get(events["both"].get_absolute_url()).content.decode()
    assert "Tiré de 2 documents :" in html
    assert '<a href="/sources/premier-article/"><cite lang="fr">Premier article</cite></a>' in html
    # Each passage says which document it is from.
    assert '§ 1 de <cite lang="fr">Suite de l’histoire</cite></a>' in html
    single = client.get(events["only-first"].get_absolute_url()).content.decode()
    assert "Tiré de 1 document" not in single


def test_the_sources_pages_link_to_the_events_drawn_from_each(client, two_sources):
    link = '<a href="/events/?source=suite-de-l-histoire">2 événements tirés de ce document</a>'
    assert link in client.get("/sources/").content.decode()
    assert link in client.get("/sources/suite-de-l-histoire/").content.decode()
    english = client.get("/en/sources/suite-de-l-histoire/").content.decode()
    assert 'href="/en/events/?source=suite-de-l-histoire"' in english


def test_a_dispute_sets_accounts_from_two_sources_side_by_side(
    client, two_sources, django_assert_max_num_queries
):
    from tests.editions.factories import AccountFactory, DisputeFactory

    first, second, _ = two_sources
    dispute = DisputeFactory(question="Combien étaient-ils ?")
    one = AccountFactory(dispute=dispute, value="Cinq cents, selon le premier.")
    one.passages.set([first.passages.get(number=2)])
    other = AccountFactory(dispute=dispute, value="Sept cents, selon la suite.")
    other.passages.set([second.passages.get(number=1)])
    with django_assert_max_num_queries(10):
        html = client.get("/disputes/").content.decode()
    side = html[html.index("Combien étaient-ils ?") :]
    assert side.index("Cinq cents") < side.index('§ 2 de <cite lang="fr">Premier article')
    assert side.index("Sept cents") < side.index('§ 1 de <cite lang="fr">Suite de l’histoire')


def test_the_json_export_filters_by_source_and_gives_its_facet(client, two_sources):
    data = client.get("/events.json", {"source": "suite-de-l-histoire"}).json()
    assert data["total"] == 2
    assert sorted(event["title"] for event in data["events"]) == [
        "Tiré de la suite",
        "Tiré des deux",
    ]
    assert data["facets"]["source"] == [
        {"value": "suite-de-l-histoire", "title": "Suite de l’histoire", "count": 2},
        {"value": "premier-article", "title": "Premier article", "count": 1},
    ]
    assert client.get("/events.json", {"source": "inconnue"}).status_code == 400
