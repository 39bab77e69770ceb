"""The closed vocabularies of events: kinds, the article's sections, an actor's part, and
how firmly the story holds a fact (its claim)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    MESSAGE = "message", _("message")
    MEETING = "meeting", _("réunion")
    FIRING = "firing", _("licenciement")
    DEMOTION = "demotion", _("rétrogradation")
    APPOINTMENT = "appointment", _("nomination")
    RESIGNATION = "resignation", _("démission")
    STATEMENT = "statement", _("déclaration")
    ANNOUNCEMENT = "announcement", _("annonce")
    REPORT = "report", _("révélation de presse")
    LETTER = "letter", _("lettre")
    HIRE = "hire", _("embauche")
    PRESSURE = "pressure", _("pression")
    POST = "post", _("publication")
    # For what the article says happened without saying how (« en a été informée »).
    INFORMED = "informed", _("mise au courant")
    TURN = "turn", _("revirement")
    DEADLINE = "deadline", _("échéance")


class Section(models.TextChoices):
    BEGINNING = "beginning", _("Comment ça a commencé")
    NOW = "now", _("Comment ça va")


class Part(models.TextChoices):
    INITIATOR = "initiator", _("à l'initiative")
    TARGET = "target", _("visé")
    ANNOUNCER = "announcer", pgettext_lazy("part in an event", "annonce")
    PARTICIPANT = "participant", _("participe")
    RECIPIENT = "recipient", _("destinataire")
    AUTHOR = "author", _("auteur")
    WITNESS = "witness", _("témoin")
    MENTIONED = "mentioned", _("mentionné")


class Claim(models.TextChoices):
    """How sure the archive is of an event, as the article tells it (fixtures/README.md)."""

    # The article states it in its own voice, or it is public (a post, a letter, a statement).
    ESTABLISHED = "established", _("établi")
    # The article relays a named source's account: an outlet, a journalist, a participant.
    REPORTED = "reported", _("rapporté")
    # A party to the story accuses or asserts it against another party.
    ALLEGED = "alleged", _("allégué")
    # Told in the conditional with no named source (« aurait déclaré »).
    UNCONFIRMED = "unconfirmed", _("non confirmé")


# Who a claim rests on must be named for these, and only for these.
CLAIMS_WITH_CLAIMANT = [Claim.REPORTED, Claim.ALLEGED]


def claimant_iff_attributed(claim_field, claimant_field, name):
    """« Selon qui ? » has an answer exactly when the claim rests on someone's word."""
    attributed = Q(**{f"{claim_field}__in": CLAIMS_WITH_CLAIMANT})
    return models.CheckConstraint(
        condition=(attributed & Q(**{f"{claimant_field}__isnull": False}))
        | (~attributed & Q(**{f"{claimant_field}__isnull": True})),
        name=name,
    )
