"""`manage.py generate_archive --events N --actors M --seed S`: a synthetic archive at scale.

Deterministic for a given seed: the same arguments give the same rows. Popularity is very
uneven, as in a newsroom's archive: a few actors take part in about a third of all events,
most actors in one or two. Text is French with accents; events spread over two years (`--days`);
every required field is filled. It refuses to write into a database that already holds data (the
story or an earlier archive), so it can never mix invented events with the article's.
"""

import bisect
import datetime
import itertools
import random
import time
import zoneinfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify

from core import signals
from events import counts
from events.models import (
    Article,
    Claim,
    Event,
    EventKind,
    Part,
    Participation,
    Passage,
    Section,
)
from people.models import Actor, Precision

FIRST_NAMES = [
    "Élodie", "Hélène", "Benoît", "Jérôme", "Loïc", "Maëlle", "Noémie", "Anaïs", "Clément",
    "Gaëtan", "Zoé", "Raphaël", "Inès", "Théo", "Léa", "Chloé", "Mathéo", "Océane", "Jérémie",
    "Frédéric", "Agnès", "Cécile", "Stéphane", "Joël", "Solène", "Aurélien", "Josée", "André",
]  # fmt: skip
LAST_NAMES = [
    "Lefèvre", "Mérieux", "Desprès", "Béranger", "Thévenot", "Ducrocq", "Lemaître", "Bézier",
    "Gaudré", "Crémieux", "Pétain", "Delcroix", "Fénelon", "Gérard", "Hébert", "Jézéquel",
    "Lévêque", "Ménard", "Noël", "Pâris", "Rémy", "Sénéchal", "Trémaux", "Vézinet", "Æbischer",
]  # fmt: skip
ORG_FORMS = ["Société", "Fondation", "Groupe", "Conseil", "Agence", "Coopérative", "Éditions"]
ORG_NAMES = [
    "Étoile", "Aurore", "Hélios", "Méridien", "Cité", "Océan", "Forêt", "Lumière", "Réseau",
    "Avenir", "Élan", "Écho", "Sève", "Brûlot", "Clarté", "Épure", "Phénix", "Rivière",
]  # fmt: skip
PERSON_ROLES = [
    "directrice financière", "chercheur en sécurité", "président du conseil", "ingénieure",
    "porte-parole", "investisseur", "journaliste économique", "fondatrice", "avocat",
]  # fmt: skip
TITLES = {
    "resignation": ["{a} annonce sa démission", "Démission surprise de {a}"],
    "firing": ["{b} licencie {a}", "{a} est renvoyé après une réunion tendue"],
    "appointment": ["{a} nommé à la tête de {b}", "{b} nomme {a} par intérim"],
    "meeting": ["Réunion extraordinaire entre {a} et {b}", "{a} réunit ses équipes"],
    "statement": ["{a} publie une déclaration", "Déclaration de {a} sur la sécurité"],
    "message": ["{a} écrit à {b}", "Message de {a} aux employés"],
    "letter": ["Lettre ouverte de {a}", "{a} signe une lettre adressée à {b}"],
    "hire": ["{b} embauche {a}", "{a} rejoint {b}"],
    "report": ["Révélations de presse sur {a}", "{b} révèle les coulisses de {a}"],
    "pressure": ["{a} fait pression sur {b}", "Les investisseurs pressent {a}"],
    "announcement": ["{a} annonce un accord avec {b}", "Annonce inattendue de {a}"],
    "demotion": ["{a} rétrogradé par {b}", "{a} perd la présidence"],
    "post": ["{a} publie un message énigmatique", "Publication de {a} sur le réseau"],
}
SENTENCES = [
    "Selon des sources proches du dossier, la décision a été prise à l’unanimité.",
    "Les employés ont appris la nouvelle par un message interne, stupéfaits.",
    "Le conseil d’administration n’a pas souhaité commenter cette décision.",
    "Plusieurs investisseurs réclament des explications et un retour en arrière.",
    "Le départ intervient après des semaines de désaccord sur la sécurité.",
    "Une réunion de crise s’est tenue dans l’après-midi au siège de l’entreprise.",
    "Des centaines de salariés menacent de partir si rien ne change.",
    "L’annonce a été faite sur les réseaux sociaux, à la surprise générale.",
]
# How often each kind comes up. Only kinds with titles above are drawn, so a kind added to
# EventKind later (the story's « mise au courant »…) leaves a seed's archive as it was.
KIND_WEIGHT = {
    "message": 12, "meeting": 8, "firing": 3, "demotion": 2, "appointment": 5,
    "resignation": 6, "statement": 10, "announcement": 6, "report": 8, "letter": 4,
    "hire": 5, "pressure": 5, "post": 6,
}  # fmt: skip
KINDS = [kind for kind in EventKind.values if kind in TITLES]
KIND_WEIGHTS = [KIND_WEIGHT[kind] for kind in KINDS]
PRECISIONS = [Precision.MINUTE, Precision.HOUR, Precision.AFTERNOON, Precision.DAY]
PARTS = [Part.INITIATOR, Part.TARGET, Part.PARTICIPANT, Part.MENTIONED, Part.ANNOUNCER]
# Popularity: most slots go to a "known" core of actors with Zipf-like weights (the first
# few reach about a third of all events); a small share goes to the crowd, met once or twice.
# Source documents: their sizes fall off like popularity (the first holds about a third of
# all passages: a page that crosses every limit); each event cites one to three passages.
SOURCE_ZIPF_EXPONENT = 1.0
PASSAGES_PER_EVENT = 0.8
SYNTHETIC_PREFIX = "document-synthetique-"
SOURCE_OUTLETS = ["La Gazette", "Le Courrier", "L’Écho", "La Dépêche", "Le Réveil", "Hebdo"]
CORE_SHARE = 0.2
CROWD_PROBABILITY = 0.008
ZIPF_EXPONENT = 0.93
BATCH = 5000


class Command(BaseCommand):
    help = "Fill an empty database with a deterministic synthetic archive (for scale tests)."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=100_000)
        parser.add_argument("--actors", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--days", type=int, default=730, help="how many days the events spread over"
        )
        parser.add_argument(
            "--sources", type=int, default=12, help="how many source documents events cite"
        )

    def handle(self, *args, events, actors, seed, days, sources=12, **options):
        if events < 0 or actors < 2 or days < 1 or sources < 0:
            raise CommandError(
                "--events and --sources must be 0 or more, --actors at least 2 and --days at "
                "least 1."
            )
        if Article.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).exists():
            raise CommandError(
                "This database holds the story: generate_archive writes only into an empty "
                "database (use a throwaway one, e.g. DATABASE_URL=sqlite:////tmp/bench.sqlite3)."
            )
        if Event.objects.exists() or Actor.objects.exists():
            raise CommandError(
                "This database already holds events or actors: generate_archive writes only "
                "into an empty database."
            )
        self.verbosity = options.get("verbosity", 1)
        rng = random.Random(seed)
        # Claims drawn apart, so the rest of a seed's archive is what it was before claims.
        self.claim_rng = random.Random(seed + 1)
        self.started = started = time.monotonic()
        # Counted once at the end: recounting after each batch would make the load quadratic.
        with transaction.atomic(), counts.deferred():
            actor_ids = self.create_actors(rng, actors)
            self.create_events(rng, events, actor_ids, days)
            # Drawn apart too: the events and actors of a seed stay what they were.
            self.create_sources(random.Random(seed + 2), sources, events)
            signals.archive_generated.send(sender=self.__class__, seed=seed, progress=self.progress)
            self.progress("counting facets…")
        # Statistics for the query planner, so it picks the narrow index for "this actor and
        # this kind" rather than walking all of the actor's events (SQLite has none until
        # asked; PostgreSQL's autovacuum would gather them later).
        self.progress("analysing…")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {events} events, {actors} actors and {sources} sources in "
                f"{time.monotonic() - started:.1f} s (seed {seed})."
            )
        )

    @staticmethod
    def claim(rng, first_actor_id):
        """Mostly established, some on someone's word, a few unconfirmed, as in a story."""
        draw = rng.random()
        if draw < 0.15:
            return {"claim": Claim.REPORTED, "claimed_by_id": first_actor_id}
        if draw < 0.2:
            return {"claim": Claim.ALLEGED, "claimed_by_id": first_actor_id}
        if draw < 0.25:
            return {"claim": Claim.UNCONFIRMED}
        return {"claim": Claim.ESTABLISHED}

    def progress(self, message):
        if self.verbosity >= 1:
            self.stdout.write(f"[{time.monotonic() - self.started:5.0f} s] {message}")
            self.stdout.flush()

    def create_actors(self, rng, total):
        rows, seen = [], set()
        for index in range(total):
            if rng.random() < 0.8:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                kind, org_kind = Actor.Kind.PERSON, ""
                description = f"{rng.choice(PERSON_ROLES).capitalize()}, personnage inventé."
            else:
                name = f"{rng.choice(ORG_FORMS)} {rng.choice(ORG_NAMES)}"
                kind, org_kind = Actor.Kind.ORGANISATION, Actor.OrganisationKind.COMPANY
                description = "Organisation inventée pour les essais de charge."
            if name in seen:
                name = f"{name} {index}"
            seen.add(name)
            actor = Actor(
                name=name,
                slug=slugify(name),
                kind=kind,
                organisation_kind=org_kind,
                description=description,
            )
            rows.append(actor)
        created = Actor.objects.bulk_create(rows, batch_size=BATCH)
        self.progress(f"{len(created)} actors")
        return [(actor.pk, actor.name) for actor in created]

    def create_events(self, rng, total, actor_ids, days):
        core = max(2, int(len(actor_ids) * CORE_SHARE))
        weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(core)]
        cumulative = list(itertools.accumulate(weights))
        pacific = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        start = datetime.datetime(2022, 1, 1, tzinfo=pacific)
        span_minutes = days * 24 * 60

        def draw():
            if len(actor_ids) > core and rng.random() < CROWD_PROBABILITY:
                return rng.randrange(core, len(actor_ids))
            return min(bisect.bisect(cumulative, rng.random() * cumulative[-1]), core - 1)

        done = 0
        while done < total:
            size = min(BATCH, total - done)
            events, casts = [], []
            for number in range(done, done + size):
                wanted = min(rng.choice((2, 3, 3, 4, 4, 4, 5, 5, 6)), len(actor_ids))
                cast = []
                while len(cast) < wanted:
                    index = draw()
                    if index not in cast:
                        cast.append(index)
                kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
                names = [actor_ids[i][1] for i in cast]
                title = rng.choice(TITLES[kind]).format(a=names[0], b=names[1])
                precision = rng.choice(PRECISIONS)
                moment = start + datetime.timedelta(minutes=rng.randrange(span_minutes))
                if precision != Precision.MINUTE:
                    moment = moment.replace(minute=0)
                if precision == Precision.DAY:
                    moment = moment.replace(hour=12)
                elif precision == Precision.AFTERNOON:
                    moment = moment.replace(hour=15)
                event = Event(
                    slug=f"{slugify(title)[:180]}-{number + 1}",
                    title=title,
                    summary=" ".join(rng.sample(SENTENCES, 2)),
                    body=" ".join(rng.sample(SENTENCES, 3)) if rng.random() < 0.5 else "",
                    occurred_at=moment,
                    precision=precision,
                    kind=kind,
                    section=rng.choice(Section.values),
                    **self.claim(self.claim_rng, actor_ids[cast[0]][0]),
                )
                events.append(event)
                casts.append(cast)
            Event.objects.bulk_create(events)
            participations = []
            for event, cast in zip(events, casts, strict=True):
                for position, index in enumerate(cast):
                    participation = Participation(
                        event=event,
                        actor_id=actor_ids[index][0],
                        part=PARTS[0] if position == 0 else rng.choice(PARTS[1:]),
                    )
                    participations.append(participation)
            Participation.objects.bulk_create(participations, batch_size=BATCH)
            done += size
            self.progress(f"{done} / {total} events")

    def create_sources(self, rng, total, events):
        """`total` source documents with their numbered passages, and the events' citations."""
        if not total:
            return
        passages = max(total, int(events * PASSAGES_PER_EVENT))
        weights = [1 / (rank + 1) ** SOURCE_ZIPF_EXPONENT for rank in range(total)]
        sizes = [max(1, int(passages * w / sum(weights))) for w in weights]
        pacific = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        articles = Article.objects.bulk_create(
            Article(
                slug=f"{SYNTHETIC_PREFIX}{index + 1}",
                title=f"Document synthétique n° {index + 1} : {rng.choice(SENTENCES)[:60]}",
                outlet=rng.choice(SOURCE_OUTLETS),
                language="en" if index % 5 == 4 else "fr",
                published_at=datetime.datetime(2022, 1, 1, 12, tzinfo=pacific)
                + datetime.timedelta(days=index * 7),
                published_precision=Precision.DAY,
                note="Document inventé pour les essais de charge.",
            )
            for index in range(total)
        )
        rows = []
        for article, size in zip(articles, sizes, strict=True):
            for number in range(1, size + 1):
                if number == 1:
                    kind, text = Passage.Kind.TITLE, article.title
                elif number % 12 == 2:
                    kind, text = Passage.Kind.HEADING, f"Partie {number // 12 + 1}"
                elif number % 9 == 0:
                    kind, text = Passage.Kind.QUOTE, f"« {rng.choice(SENTENCES)} »"
                else:
                    kind, text = Passage.Kind.PARAGRAPH, " ".join(rng.sample(SENTENCES, 2))
                rows.append(Passage(article=article, number=number, kind=kind, text=text))
        Passage.objects.bulk_create(rows, batch_size=BATCH)
        self.progress(f"{len(articles)} sources, {len(rows)} passages")
        # Citations in one pass over the events' ids, by source weight then a passage.
        passage_ids = [list(a.passages.values_list("pk", flat=True)) for a in articles]
        citation = Event.passages.through
        cited, batch = 0, []
        for event_id in Event.objects.order_by("pk").values_list("pk", flat=True).iterator():
            chosen = set()
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                source = rng.choices(range(total), weights)[0]
                chosen.add(rng.choice(passage_ids[source]))
            batch.extend(citation(event_id=event_id, passage_id=pk) for pk in chosen)
            if len(batch) >= BATCH:
                citation.objects.bulk_create(batch)
                cited, batch = cited + len(batch), []
        citation.objects.bulk_create(batch)
        self.progress(f"{cited + len(batch)} citations")
