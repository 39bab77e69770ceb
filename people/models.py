"""Actors of the story (people and organisations) and the roles people hold.

This app is the ground floor: it knows nothing of `events`.
"""

from datetime import timedelta

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.dates import KEY_MOMENTS, Precision, at_value
from core.derived import DerivedCharField, DerivedColumnsModel, DerivedTextField
from core.links import slug_url
from core.models import DerivedQuerySet, SlugManager, precision_iff_date
from core.text import fold, name_key, slug_key


class ActorQuerySet(DerivedQuerySet):
    def people(self):
        return self.filter(kind=Actor.Kind.PERSON)

    def organisations(self):
        return self.filter(kind=Actor.Kind.ORGANISATION)

    def for_list(self):
        return self.select_related("parent").prefetch_related("aliases")

    def for_detail(self):
        return self.select_related("parent").prefetch_related("aliases", "children")

    def for_index(self):
        """A list page: each actor with its aliases and its (stored) number of events."""
        return self.for_list().order_by("name", "pk")

    def most_involved(self):
        """Actors by number of events they take part in (the story's main actors first);
        read from the stored count and its index, so it costs nothing at any size."""
        return self.filter(event_count__gt=0).order_by("-event_count", "name")

    def name_suggestions(self, limit=None):
        """(name or alias, actor name) pairs for a name field's <datalist>, in one query:
        the `limit` most involved actors' names and aliases (never every name of a big
        archive; any other name typed is still understood)."""
        actors = self.most_involved()[:limit] if limit else self.order_by()
        # Each actor joined to its aliases (one row per alias, or one with none), in one query
        # whose subquery picks the actors: the events list spends its budget elsewhere.
        rows = Actor.objects.filter(pk__in=actors.values("pk")).values_list("name", "aliases__name")
        pairs = set()
        for name, alias in rows:
            pairs.add((name, name))
            if alias:
                pairs.add((alias, name))
        return sorted(pairs, key=lambda row: row[0].casefold())

    def matching(self, *texts):
        """Actors that `texts` name by slug, name or alias, ignoring case, accents and the kind
        of apostrophe (« Conseil d'administration d’OpenAI », « ilya », « ilya-sutskever »)."""
        names = {name_key(text) for text in texts if text and text.strip()}
        if not names:
            return self.none()
        slugs = {slug_key(text) for text in texts if text}
        # Stored, indexed keys: no folding of every name per request.
        aliases = Alias.objects.filter(name_key__in=names)
        return self.filter(
            Q(name_key__in=names) | Q(slug__in=slugs) | Q(pk__in=aliases.values("actor"))
        )


class ActorManager(SlugManager.from_queryset(ActorQuerySet)):
    pass


class Actor(DerivedColumnsModel):
    """A person or an organisation: one slug namespace, so filtering by actor is one field."""

    class Kind(models.TextChoices):
        PERSON = "person", _("personne")
        ORGANISATION = "organisation", _("organisation")

    class OrganisationKind(models.TextChoices):
        COMPANY = "company", _("entreprise")
        BOARD = "board", _("conseil d'administration")
        INVESTOR = "investor", _("investisseur")
        MEDIA = "media", _("média")
        GROUP = "group", _("groupe de personnes")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    # Only for organisations (a check constraint keeps people free of them).
    organisation_kind = models.CharField(
        _("type d'organisation"), max_length=20, choices=OrganisationKind.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("organisation parente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": "organisation"},
    )
    # Derived, never edited nor dumped: computed on every write (core.derived), and the
    # event count kept by `events` on every participation change. They make name lookups,
    # search and "most involved" index reads instead of a pass over every actor.
    name_key = DerivedCharField(max_length=200, default="", db_index=True, derive="derive_name_key")
    search_text = DerivedTextField(blank=True, derive="derive_search_text")
    event_count = models.PositiveIntegerField(
        _("nombre d’événements"), default=0, editable=False, serialize=False
    )

    objects = ActorManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        indexes = [
            models.Index(fields=["kind", "name"], name="actor_kind_name_idx"),
            models.Index(fields=["-event_count", "name"], name="actor_most_involved_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["person", "organisation"]), name="actor_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="organisation")
                | (Q(organisation_kind="") & Q(parent__isnull=True)),
                name="actor_person_has_no_organisation_fields",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="actor_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def derive_name_key(self):
        return name_key(self.name)

    def derive_search_text(self):
        return fold(f"{self.name} {self.description} {self.slug}")

    @property
    def is_person(self):
        return self.kind == self.Kind.PERSON

    def get_absolute_url(self):
        if self.is_person:
            return slug_url("people:person_detail", self.slug)
        return slug_url("people:organisation_detail", self.slug)


class PersonManager(ActorManager):
    def get_queryset(self):
        return super().get_queryset().people()


class OrganisationManager(ActorManager):
    def get_queryset(self):
        return super().get_queryset().organisations()


class Person(Actor):
    objects = PersonManager()

    class Meta:
        proxy = True
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")

    def save(self, *args, **kwargs):
        self.kind = Actor.Kind.PERSON
        super().save(*args, **kwargs)


class Organisation(Actor):
    objects = OrganisationManager()

    class Meta:
        proxy = True
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def save(self, *args, **kwargs):
        self.kind = Actor.Kind.ORGANISATION
        super().save(*args, **kwargs)


class AliasManager(models.Manager.from_queryset(DerivedQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Alias(DerivedColumnsModel):
    """Another name the text uses for an actor (« Sam », « Ilya »); one actor per alias."""

    actor = models.ForeignKey(
        Actor, verbose_name=_("acteur"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("nom"), max_length=200)
    name_key = DerivedCharField(max_length=200, default="", db_index=True, derive="derive_name_key")

    objects = AliasManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("alias")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="alias_name_unique_ci"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["people.actor"]

    def derive_name_key(self):
        return name_key(self.name)


# The titles an organisation page lists first, most important first (as the fixtures and
# editors write them, in French, with their English equivalents).
LEADING_TITLES = (
    ("PDG", "directeur général", "directrice générale", "CEO"),
    (
        "président du conseil d’administration",
        "présidente du conseil d’administration",
        "président du conseil",
        "chair",
        "chairman",
    ),
    ("président", "présidente", "president"),
)


class RoleQuerySet(DerivedQuerySet):
    def for_list(self):
        return self.select_related("person", "organisation")

    def timeline(self):
        """Tenures in time order (unknown starts first), with what the page shows of each."""
        return self.select_related(
            "person",
            "organisation",
            # RoleEvidence is declared in `events` (see its docstring); a string, no import.
            "evidence__began_with",
            "evidence__ended_with",
        ).order_by(F("start").asc(nulls_first=True), F("end").asc(nulls_last=True), "title")

    def of_person(self, person):
        return self.filter(person=person).timeline()

    def in_organisation(self, organisation):
        """Roles in an organisation and in the bodies it contains (OpenAI and its board)."""
        return self.filter(
            Q(organisation=organisation) | Q(organisation__parent=organisation)
        ).timeline()

    def leading_first(self):
        """ "Who ran it?" first: chief executive, chair, president, then the rest in time order."""
        return self.order_by(
            Case(
                *(
                    When(title__iexact=title, then=Value(rank))
                    for rank, titles in enumerate(LEADING_TITLES)
                    for title in titles
                ),
                default=Value(len(LEADING_TITLES)),
            ),
            F("start").asc(nulls_first=True),
            F("end").asc(nulls_last=True),
            "title",
        )

    def in_force_at(self, moment):
        """Roles held at `moment`, leaving out titles the text gives as past but never ends."""
        return self.held_at(moment).exclude(is_former=True, end__isnull=True)

    def held_at(self, moment):
        """Roles held at `moment`; an unknown start or end is taken as open-ended."""
        return self.filter(
            Q(start__isnull=True) | Q(start__lte=moment),
            Q(end__isnull=True) | Q(end__gt=moment),
        )


class Role(DerivedColumnsModel):
    """A tenure: a person holds a title in an organisation from start to end."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    person = models.ForeignKey(
        Actor,
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="roles",
        limit_choices_to={"kind": "person"},
    )
    organisation = models.ForeignKey(
        Actor,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="staff_roles",
        limit_choices_to={"kind": "organisation"},
    )
    title = models.CharField(_("titre"), max_length=200)
    # A sole position (chief executive) has one holder at a time; a board seat does not.
    is_sole = models.BooleanField(_("poste unique"), default=False)
    is_interim = models.BooleanField(_("par intérim"), default=False)
    is_former = models.BooleanField(
        _("ancien titre"),
        default=False,
        help_text=_("Le texte présente ce titre comme passé, sans dire quand il a pris fin."),
    )
    start = models.DateTimeField(_("début"), null=True, blank=True)
    start_precision = models.CharField(
        _("précision du début"), max_length=20, choices=Precision.choices, blank=True
    )
    end = models.DateTimeField(_("fin"), null=True, blank=True)
    end_precision = models.CharField(
        _("précision de la fin"), max_length=20, choices=Precision.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    # Folded, for the admin's search (core.derived, core.admin_lists).
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

    objects = SlugManager.from_queryset(RoleQuerySet)()

    class Meta:
        # Unknown starts first on every database (SQLite and PostgreSQL disagree on NULLs).
        ordering = ["organisation__name", "title", F("start").asc(nulls_first=True)]
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        indexes = [
            models.Index(fields=["organisation", "title", "start"], name="role_org_title_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(end__gte=models.F("start")),
                name="role_end_after_start",
            ),
            precision_iff_date("start", "start_precision", name="role_start_precision_iff_start"),
            precision_iff_date("end", "end_precision", name="role_end_precision_iff_end"),
        ]

    def __str__(self):
        interim = " (par intérim)" if self.is_interim else ""
        return f"{self.person} — {self.title}{interim}, {self.organisation}"

    def derive_search_text(self):
        return fold(f"{self.title} {self.note}")

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["people.actor"]

    def moment_to_view(self):
        """Where this tenure is seen among the roles held at one moment, as (`?at=` value,
        link text): at its start; else a minute before its end; else at the story's first key
        moment, when every undated role is taken as held. None for a title the text gives as
        past without an end: no moment shows it."""
        if self.start:
            return at_value(self.start), _("Voir les rôles tenus à cette date")
        if self.end:
            return at_value(self.end - timedelta(minutes=1)), _(
                "Voir les rôles tenus juste avant la fin de ce rôle"
            )
        if self.is_former:
            return None
        at, label = KEY_MOMENTS[0]
        return at, format_lazy(_("Voir les rôles tenus {moment}"), moment=label)
