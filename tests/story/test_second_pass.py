"""Issue 20: the prose around the events (descriptions, summaries, notes, the English) held
to the claim rules of fixtures/README.md. Each correction pinned in both languages, as stored
and as a reader sees it."""

import datetime
import html
import json
import re
import zoneinfo

import pytest
from django.urls import reverse

from editions.models import Translation
from events.models import Account, Claim, Dispute, Event, EventOrder, Participation
from people.models import Actor, Precision, Role

STORY = "/sources/que-se-passe-t-il-avec-openai-et-sam-altman/"  # the story article's source page

pytestmark = pytest.mark.usefixtures("story")

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
GUILLEMETS = re.compile(r"«\s*(.+?)\s*»")


def at(day, hour=12, minute=0):
    return datetime.datetime(2023, 11, day, hour, minute, tzinfo=PACIFIC)


def text(response):
    """The page as a reader reads it: French typography's no-break spaces as plain ones."""
    return response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")


def english(kind, slug, field):
    return Translation.objects.get(**{f"{kind}__slug": slug}, field=field, language="en").text


# ------------------------------------------------ 1. Murati: an accusation, and no hour
def test_muratis_description_gives_brockmans_accusation_as_his_and_no_hour(client):
    description = Actor.objects.get(slug="mira-murati").description
    assert "informée la veille" not in description and "midi" not in description
    assert "Greg Brockman accuse l’entreprise de l’avoir informée dès la veille" in description
    assert "du vendredi 17 novembre 2023 au dimanche 19 novembre" in description
    translated = english("actor", "mira-murati", "description")
    assert "told the day before" not in translated and "noon" not in translated
    assert "Greg Brockman alleges that the company told her" in translated
    assert "Greg Brockman alleges" in text(client.get("/en/people/mira-murati/"))
    assert "Greg Brockman accuse" in text(client.get("/people/mira-murati/"))


# ------------------------------------------------ 2. her interim's English note: no hour
def test_the_english_note_on_muratis_interim_translates_the_french():
    role = Role.objects.get(slug="mira-murati-pdg-par-interim-openai")
    assert "l’article ne donne pas l’heure" in role.note
    translated = english("role", role.slug, "note")
    assert "at noon" not in translated
    assert "the article does not give the time" in translated
    assert "(start to the day" in translated and "(end to the day)" in translated


# ------------------------------------------------ 3. Murati installed after Brockman's call
def test_muratis_appointment_sorts_after_brockmans_removal_on_the_word_of_10(client):
    appointment = Event.objects.get(slug="le-conseil-nomme-mira-murati-pdg-par-interim")
    removal = Event.objects.get(slug="greg-brockman-retire-du-conseil-d-administration")
    link = EventOrder.objects.get(event=appointment, after=removal)
    assert [p.number for p in link.passages.all()] == [10]
    assert "une fois qu’elle serait installée" in link.editor_note
    friday = [e.slug for e in Event.objects.filter(day=datetime.date(2023, 11, 17))]
    for earlier in (
        "le-conseil-licencie-sam-altman",
        "greg-brockman-recoit-un-sms-d-ilya",
        "greg-brockman-retire-du-conseil-d-administration",
    ):
        assert friday.index(earlier) < friday.index(appointment.slug), earlier
    # Still before the afternoon meeting where she is « le nouveau PDG » (§ 11).
    assert friday.index(appointment.slug) < friday.index("reunion-generale-avec-le-personnel")
    assert (appointment.precision, appointment.occurred_at) == (Precision.DAY, at(17, 13, 23))
    assert "une heure après celle de ce retrait" in appointment.body
    assert "after Greg Brockman’s removal" in english("event", appointment.slug, "body")
    # The page still shows the day only, in both languages.
    header = text(client.get(appointment.get_absolute_url())).split("<h1")[1]
    assert '<time datetime="2023-11-17">vendredi 17 novembre 2023</time>' in header
    assert "13 h" not in header.split("</header>")[0]
    header = text(client.get("/en" + appointment.get_absolute_url())).split("<h1")[1]
    assert "1:23" not in header.split("</header>")[0]


def test_her_interim_starts_with_the_appointment_and_the_archive_names_no_ceo_between():
    role = Role.objects.get(slug="mira-murati-pdg-par-interim-openai")
    assert (role.start, role.start_precision) == (at(17, 13, 23), Precision.DAY)
    assert "« installée »" in role.note and "“installed”" in english("role", role.slug, "note")
    chiefs = Role.objects.held_at(at(17, 12, 30)).filter(organisation__slug="openai", title="PDG")
    assert not chiefs.exists()


# ------------------------------------------------ 4. what only Brockman's thread tells
def test_the_firing_stays_established_and_its_noon_meeting_is_the_threads(client):
    firing = Event.objects.get(slug="le-conseil-licencie-sam-altman")
    assert firing.claim == Claim.ESTABLISHED
    assert firing.summary.startswith("Vendredi, à la surprise générale, le conseil")
    assert "Selon le fil de Greg Brockman, Altman rejoint à midi un Google Meet" in firing.summary
    assert "selon Brockman encore" in firing.summary and "§ 6" in firing.body
    translated = english("event", firing.slug, "summary")
    assert translated.startswith("On Friday, to everyone’s surprise, the board")
    assert "According to Greg Brockman’s thread, Altman joins a Google Meet at noon" in translated
    assert "again according to Brockman" in translated
    page = text(client.get("/en" + firing.get_absolute_url()))
    assert "According to Greg Brockman’s thread, Altman joins a Google Meet at noon" in page


def test_the_removal_stays_established_and_its_12_23_link_is_the_threads():
    removal = Event.objects.get(slug="greg-brockman-retire-du-conseil-d-administration")
    assert removal.claim == Claim.ESTABLISHED
    assert removal.summary.startswith("Vendredi, Greg Brockman est informé qu’il est rétrogradé")
    assert "Selon son fil de tweets, Ilya Sutskever lui envoie à 12 h 23" in removal.summary
    assert removal.body.startswith("Selon le fil de Greg Brockman, 12 h 23")
    translated = english("event", removal.slug, "summary")
    assert "According to his thread of tweets, Ilya Sutskever sends him" in translated
    assert "12:23 p.m." in translated and not translated.startswith("At 12:23")
    body = english("event", removal.slug, "body")
    assert body.startswith("According to Greg Brockman’s thread, 12:23 p.m.")


@pytest.mark.parametrize(
    "slug, french, translated",
    [
        (
            "sam-altman",
            "(à midi, en visioconférence, selon le fil de Greg Brockman)",
            "(at noon, by video call, according to Greg Brockman’s thread)",
        ),
        (
            "ilya-sutskever",
            "Selon le fil de Greg Brockman, il contacte Sam Altman le jeudi soir",
            "According to Greg Brockman’s thread, he contacts Sam Altman on Thursday evening",
        ),
        (
            "ilya-sutskever",
            "Selon The Information, il écrit ensuite à toute l’entreprise",
            "According to The Information, he then writes to the whole company",
        ),
    ],
)
def test_the_descriptions_say_whose_word_the_noon_call_rests_on(client, slug, french, translated):
    actor = Actor.objects.get(slug=slug)
    assert french in actor.description.replace("\u00a0", " ")
    assert translated in english("actor", slug, "description")
    assert translated in text(client.get("/en" + actor.get_absolute_url()))


def test_the_role_notes_say_the_hours_are_the_threads():
    altman = Role.objects.get(slug="sam-altman-pdg-openai")
    assert "celle du fil de Greg Brockman" in altman.note
    assert "the one Greg Brockman’s thread gives" in english("role", altman.slug, "note")
    seat = "greg-brockman-membre-du-conseil-d-administration-openai"
    assert "selon son fil de tweets" in Role.objects.get(slug=seat).note
    assert "according to his thread of tweets" in english("role", seat, "note")
    president = Role.objects.get(slug="greg-brockman-president-openai")
    assert "midi" not in president.note
    assert "noon" not in english("role", president.slug, "note")


# ------------------------------------------------ 5. Nadella's charge: no source named
def test_nadellas_charge_is_unconfirmed_bloomberg_only_for_what_follows(client):
    charge = Event.objects.get(slug="satya-nadella-aurait-mene-la-charge")
    assert (charge.claim, charge.claimed_by) == (Claim.UNCONFIRMED, None)
    carrying = charge.participations.exclude(part="mentioned")
    assert {(p.part_claim, p.part_claimed_by) for p in carrying} == {(Claim.UNCONFIRMED, None)}
    assert "sans en nommer la source" in charge.body and "Statut : non confirmé" in charge.body
    assert "Jugement de la rédaction" in charge.body
    translated = english("event", charge.slug, "body")
    assert "without naming its source" in translated and "Status: unconfirmed" in translated
    heading = text(client.get(charge.get_absolute_url())).split("<h1>")[1].split("</h1>")[0]
    assert "non confirmé" in heading and "selon Bloomberg" not in heading
    # Bloomberg's sources still carry the short notice and the recruiting.
    notice = Event.objects.get(slug="microsoft-prevenu-quelques-minutes-avant-l-annonce")
    assert (notice.claim, notice.claimed_by.slug) == (Claim.REPORTED, "bloomberg")
    hire = Participation.objects.get(
        event__slug="microsoft-embauche-sam-altman-et-greg-brockman", actor__slug="satya-nadella"
    )
    assert (hire.part_claim, hire.part_claimed_by.slug) == (Claim.REPORTED, "bloomberg")


def test_nadellas_description_no_longer_puts_the_charge_under_bloomberg():
    description = Actor.objects.get(slug="satya-nadella").description
    charge, fury = description.split(". ")[2], description.split(". ")[3]
    assert charge.startswith("Il aurait mené la pression") and "Bloomberg" not in charge
    assert fury.startswith("Selon des sources de Bloomberg, il était furieux")
    translated = english("actor", "satya-nadella", "description")
    assert "He reportedly led the investors’ pressure on the board of directors (the article" in (
        translated
    )
    assert "announcement, and reportedly led" not in translated


# ------------------------------------------------ 6. the article's paraphrase is no quote
def test_muratis_plan_quotes_only_what_the_article_quotes():
    plan = Event.objects.get(slug="mira-murati-avait-prevu-de-reembaucher-altman-et-brockman")
    summary = plan.summary.replace("\u00a0", " ")
    assert GUILLEMETS.findall(summary) == [
        "est entré dans un silence total",
        "trouvé son propre PDG, Emmett Shear",
    ]
    assert "pour forcer le conseil d’administration à agir" in summary
    assert "pas une citation" in plan.body
    translated = english("event", plan.slug, "summary")
    assert re.findall(r"“(.+?)”", translated) == [
        "went completely silent",
        "found its own CEO, Emmett Shear",
    ]
    assert "not a quote" in english("event", plan.slug, "body")


# ------------------------------------------------ 7. Sutskever at the all-hands meeting
def test_sutskevers_presence_at_the_meeting_is_unconfirmed(client):
    meeting = Event.objects.get(slug="reunion-generale-avec-le-personnel")
    assert meeting.claim == Claim.ESTABLISHED
    parts = {p.actor.slug: (p.part_claim, p.part_claimed_by) for p in meeting.participations.all()}
    assert parts["ilya-sutskever"] == (Claim.UNCONFIRMED, None)
    assert (
        parts["mira-murati"]
        == parts["conseil-d-administration-d-openai"]
        == (
            Claim.ESTABLISHED,
            None,
        )
    )
    assert "« Sutskever aurait déclaré »" in meeting.body.replace("\u00a0", " ")
    assert "Jugement de la rédaction : sa participation est non confirmée" in meeting.body
    assert "Editor’s judgment: his part is unconfirmed" in english("event", meeting.slug, "body")
    page = text(client.get(meeting.get_absolute_url()))
    box = page.split('id="actors-title"')[1].split("</section>")[0]
    assert "non confirmé" in box.split(">Ilya Sutskever</a>")[1].split("</li>")[0]


# ------------------------------------------------ 8. dating the hire before the letter
def test_dating_the_hire_before_the_letter_is_the_archives_inference(client):
    account = Account.objects.get(slug="deja-embauches-avant-la-lettre")
    assert (account.actor, account.stated_at, account.stated_precision) == (None, None, "")
    assert "déduction de l’archive" in account.value
    assert account.editor_note.startswith("Jugement de la rédaction : ni les employés")
    assert "(§ 30)" in account.editor_note
    assert "(the archive’s inference)" in english("account", account.slug, "value")
    assert english("account", account.slug, "editor_note").startswith(
        "Editor’s judgment: neither the employees nor the article date the hiring"
    )
    page = text(client.get(reverse("disputes")))
    assert "Avant la lettre du lundi matin (déduction de l’archive)" in page
    english_page = text(client.get("/en" + reverse("disputes")))
    assert "the archive’s inference from the threat" in english_page


# ------------------------------------------------ 9. Nadella was warned, says § 24
def test_the_few_minutes_notice_was_nadellas_in_title_dispute_and_parts(client):
    notice = Event.objects.get(slug="microsoft-prevenu-quelques-minutes-avant-l-annonce")
    assert (
        notice.title
        == "Selon Bloomberg, Satya Nadella n’est prévenu que quelques minutes avant l’annonce"
    )
    assert english("event", notice.slug, "title") == (
        "According to Bloomberg, Satya Nadella is warned only a few minutes before the announcement"
    )
    parts = {p.actor.slug: (p.part, p.part_claim) for p in notice.participations.all()}
    assert parts["satya-nadella"] == ("recipient", Claim.REPORTED)
    assert parts["microsoft"] == ("mentioned", Claim.ESTABLISHED)
    assert "Jugement de la rédaction : le § 24 dit que c’est Satya Nadella" in notice.body
    dispute = Dispute.objects.get(slug="qui-savait-avant-l-annonce")
    assert "Satya Nadella, PDG de Microsoft, n’a eu que « quelques minutes »" in (
        dispute.summary.replace("\u00a0", " ")
    )
    assert "Microsoft n’a eu" not in dispute.summary
    translated = english("dispute", dispute.slug, "summary")
    assert "Satya Nadella, Microsoft’s CEO, had only “a few minutes” of notice" in translated
    page = text(client.get("/en" + notice.get_absolute_url()))
    assert "Satya Nadella is warned only a few minutes before the announcement" in page


# ------------------------------------------------ 10. the 10 billion and the credits, apart
def test_microsofts_description_keeps_the_10_billion_and_the_credits_apart():
    description = Actor.objects.get(slug="microsoft").description
    billions, credits = description.split(". ")[0], description.split(". ")[1]
    assert "10 milliards de dollars" in billions and "crédits" not in billions
    assert credits.startswith("Une grande partie de ses investissements prend la forme de crédits")
    assert "l’article ne dit pas quelle part des 10 milliards est en crédits" in credits
    translated = english("actor", "microsoft", "description")
    assert "largely in the form" not in translated
    assert "Much of its investment takes the form of cloud computing credits" in translated
    assert "the article does not say what share of the 10 billion is in credits" in translated


# ------------------------------------------------ 11. the sale was valued, says § 22
def test_the_share_sale_was_valued_at_86_billion_not_openai():
    description = Actor.objects.get(slug="openai").description
    assert "l’évaluait" not in description
    assert (
        "selon The Information, la vente potentielle d’actions menée par Thrive Capital était "
        "évaluée à 86 milliards de dollars" in description
    )
    translated = english("actor", "openai", "description")
    assert "valued it at" not in translated
    assert "the potential share sale led by Thrive Capital was valued at 86 billion" in translated
    dispute = Dispute.objects.get(slug="valorisation-de-la-vente-d-actions")
    assert (
        dispute.question
        == "À combien la vente d’actions menée par Thrive Capital est-elle évaluée ?"
    )
    assert "la valeur annoncée de la vente" in dispute.editor_note
    assert english("dispute", dispute.slug, "question") == (
        "What is the share sale led by Thrive Capital valued at?"
    )


# ------------------------------------------------ the English
def all_english():
    return list(Translation.objects.filter(language="en").values_list("text", flat=True))


def test_the_english_says_what_the_french_says():
    assert "weighs in on the day’s events" in english(
        "event", "satya-nadella-publie-une-declaration", "summary"
    )
    assert "weighs on" not in " ".join(all_english())
    # « Le président d’OpenAI devait pourtant conserver son rôle. »
    assert "pourtant" in Event.objects.get(slug="brockman-annonce-sa-demission").summary
    assert "even though, as OpenAI’s president, he was to keep his role" in english(
        "event", "brockman-annonce-sa-demission", "summary"
    )


def test_once_she_was_installed_in_one_tense():
    texts = [t for t in all_english() if "once she was" in t]
    assert texts and all("“once she was installed”" in t for t in texts)
    assert not any("settled" in t for t in all_english())
    for t in texts:
        sentence = next(s for s in re.split(r"(?<=[.;])\s", t) if "once she was" in s)
        assert "was to report" in sentence and " is to " not in sentence, sentence


def test_the_note_on_furieuse_names_the_french_words_it_discusses():
    note = english("quote", "sources-de-bloomberg-furieuse", "editor_note")
    assert "“furieuse”" in note and "“furieux”" in note
    assert "“elle” (“she”)" in note


def test_shears_words_are_a_specific_disagreement_everywhere():
    texts = [t for t in all_english() if "specific disagreement" in t]
    assert len(texts) == 4
    assert all("a specific disagreement on safety" in t for t in texts)
    assert not any("any specific" in t for t in texts)


# American spelling in translations.json, as the pages' dates (“Friday, November 17, 2023”).
BRITISH = re.compile(
    r"\b(?:\w*(?:col|fav|behavi|hon|neighb|lab|cand|vig|hum|rum|harb|arm|endeav)our\w*"
    r"|\w*(?:real|organ|recogn|commercial|apolog|critic|emphas|summar|priorit|character"
    r"|standard|final|util|capital|minim|maxim|author|normal)is(?:e|es|ed|ing|ation)s?"
    r"|\w*(?:travel|model|label|cancel|signal|fuel|counsel|level|channel|pedal|dial)l(?:ed|ing|er)"
    r"|judgement|spelt|learnt|towards|whilst|amongst|centre|programme|licence|defence|grey)\b",
    re.IGNORECASE,
)


def test_the_english_uses_american_spelling_throughout():
    found = {match.group(0) for text in all_english() for match in BRITISH.finditer(text)}
    assert found == set()
    joined = " ".join(all_english())
    for american in ("judgment", "backpedaling", "candor", "commercializing", "spelled"):
        assert american in joined, american


def test_brockmans_accusation_alleges_in_english():
    title = english("event", "mira-murati-informee-la-veille", "title")
    assert title.endswith("Greg Brockman alleges") and "claims" not in title
    for kind, slug, field in [
        ("event", "mira-murati-informee-la-veille", "summary"),
        ("event", "greg-brockman-publie-son-recit-de-la-journee", "summary"),
        ("account", "murati-savait-la-veille-selon-brockman", "value"),
        ("actor", "mira-murati", "description"),
    ]:
        translated = english(kind, slug, field)
        assert "alleges that the company" in translated and "accuses" not in translated, slug


# ------------------------------------------------ structured data in the page's language
def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def meta(page, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', page)
    return html.unescape(match.group(1)) if match else None


def test_an_english_event_page_declares_english_structured_data(client):
    event = Event.objects.get(slug="sam-altman-salue-l-equipe-de-direction")
    page = client.get("/en" + event.get_absolute_url()).content.decode()
    assert '<html lang="en">' in page
    (data,) = json_ld(page)
    assert (
        data["name"] == english("event", event.slug, "title") == meta(page, "property", "og:title")
    )
    assert data["description"] == english("event", event.slug, "summary")
    assert data["inLanguage"] == "en"
    assert "OpenAI’s management team" in [thing["name"] for thing in data["about"]]
    (french,) = json_ld(client.get(event.get_absolute_url()).content.decode())
    assert (french["name"], french["description"], french["inLanguage"]) == (
        event.title,
        event.summary.replace("\u00a0", " "),  # the test client reads no-break spaces as plain
        "fr",
    )


@pytest.mark.parametrize(
    "path, slug",
    [("/people/greg-brockman/", "greg-brockman"), ("/organisations/microsoft/", "microsoft")],
)
def test_english_people_and_organisation_pages_describe_them_in_english(client, path, slug):
    (data,) = json_ld(client.get("/en" + path).content.decode())
    assert data["description"] == english("actor", slug, "description")
    (french,) = json_ld(client.get(path).content.decode())
    assert french["description"] == Actor.objects.get(slug=slug).description.replace("\u00a0", " ")


def test_an_english_organisation_is_named_in_english(client):
    (data,) = json_ld(
        client.get("/en/organisations/conseil-d-administration-d-openai/").content.decode()
    )
    assert data["name"] == "OpenAI’s board of directors"
    assert data["parentOrganization"]["name"] == "OpenAI"


def test_the_article_stays_french_and_is_described_in_the_pages_language(client):
    page = client.get("/en" + STORY).content.decode()
    (data,) = json_ld(page)
    assert data["headline"] == "Que se passe-t-il avec OpenAI et Sam Altman ?"
    assert data["inLanguage"] == "fr"
    assert data["description"] == meta(page, "name", "description")
    assert data["description"].startswith("A source document of the archive")
    assert data["about"]["name"] == "Crisis at OpenAI, November 16–20, 2023"
    (french,) = json_ld(client.get(STORY).content.decode())
    assert french["inLanguage"] == "fr" and french["description"].startswith("Article de presse")
    assert french["about"]["name"] == "Crise à OpenAI, 16–20 novembre 2023"
