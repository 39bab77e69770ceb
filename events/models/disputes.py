"""Accounts and figures that disagree: a question the story answers more than one way
(« Comment Sam Altman a-t-il appris son licenciement ? », « Combien de signataires ? »), and
each answer with who gives it, where and when, side by side and never merged into one."""

from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.derived import DerivedColumnsModel, DerivedTextField
from core.models import DerivedQuerySet, SlugManager, precision_iff_date
from core.text import fold
from people.models import Actor, Precision

from .events import Event
from .provenance import Passage


class DisputeQuerySet(DerivedQuerySet):
    def for_page(self):
        """The disputes page: each question with its accounts, their passages and events, in
        a fixed number of queries."""
        return self.prefetch_related(
            Prefetch("accounts", queryset=Account.objects.for_list()),
            Prefetch("accounts__passages", queryset=Passage.objects.for_links()),
            Prefetch("events", queryset=self._events().order_by("occurred_at", "slug")),
        )

    @staticmethod
    def _events():
        return Event.objects.select_related("claimed_by").only(
            "slug", "title", "occurred_at", "precision", "claim", "claimed_by__name"
        )


class Dispute(DerivedColumnsModel):
    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", _("versions")
        FIGURES = "figures", _("chiffres")

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    question = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("ce qui diverge"))
    # The archive's judgement, if it makes one; the accounts themselves stay side by side.
    editor_note = models.TextField(_("note de la rédaction"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=1)
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("événements"), related_name="disputes", blank=True
    )
    # Folded, for the admin's search (core.derived, core.admin_lists).
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

    objects = SlugManager.from_queryset(DisputeQuerySet)()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("divergence")
        verbose_name_plural = _("divergences")
        indexes = [models.Index(fields=["position", "slug"], name="dispute_position_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["accounts", "figures"]), name="dispute_kind_valid"
            ),
        ]

    def __str__(self):
        return self.question

    def derive_search_text(self):
        return fold(f"{self.question} {self.summary}")

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["events.event"]

    def get_absolute_url(self):
        return f"{reverse('disputes')}#{self.slug}"


class AccountQuerySet(DerivedQuerySet):
    def for_list(self):
        return self.select_related("actor", "source", "source__outlet").order_by(
            "dispute", "position"
        )

    def of_event(self, event):
        """The accounts of every dispute about `event`, with their dispute, in one query."""
        return (
            self.for_list()
            .filter(dispute__events=event)
            .select_related("dispute")
            .order_by("dispute__position", "dispute__slug", "position")
        )


class Account(DerivedColumnsModel):
    """One answer to a dispute's question: what it says, who says it, through which source,
    when, and the passages it comes from."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    dispute = models.ForeignKey(
        Dispute, verbose_name=_("divergence"), on_delete=models.CASCADE, related_name="accounts"
    )
    position = models.PositiveIntegerField(_("ordre"), default=1)
    value = models.TextField(_("ce que dit cette version"))
    actor = models.ForeignKey(
        Actor,
        verbose_name=_("selon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        help_text=_("Qui donne cette version ; vide quand l’article la donne lui-même."),
    )
    source = models.ForeignKey(
        "events.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    stated_at = models.DateTimeField(_("date de cette version"), null=True, blank=True)
    stated_precision = models.CharField(
        _("précision de la date"), max_length=20, choices=Precision.choices, blank=True
    )
    passages = models.ManyToManyField(
        "events.Passage", verbose_name=_("passages"), related_name="accounts", blank=True
    )
    editor_note = models.TextField(_("note de la rédaction"), blank=True)
    # Folded, for the admin's search (core.derived, core.admin_lists).
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

    objects = SlugManager.from_queryset(AccountQuerySet)()

    class Meta:
        ordering = ["dispute", "position", "slug"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.CheckConstraint(condition=~Q(value=""), name="account_value_not_empty"),
            precision_iff_date(
                "stated_at", "stated_precision", name="account_precision_iff_stated_at"
            ),
        ]

    def __str__(self):
        return f"{self.dispute} — {self.value[:60]}"

    def derive_search_text(self):
        return fold(f"{self.value} {self.editor_note} {self.slug}")

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = [
        "events.dispute",
        "events.source",
        "events.passage",
        "people.actor",
    ]
