"""What the editor says of a document, over what was read from it: the admin form's optional
fields and the command's options (`--outlet`, `--published`, `--language`)."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Precision

from .drafts import ImportRefused

LANGUAGES = ("fr", "en")
PUBLISHED = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}))?$")


def parse_published(value):
    """`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (the archive's time zone, Pacific) → (an aware
    datetime, the precision that goes with it: day or minute); (None, "") for nothing."""
    value = (value or "").strip()
    if not value:
        return None, ""
    match = PUBLISHED.match(value)
    try:
        if match is None:
            raise ValueError(value)
        day = datetime.date.fromisoformat(match.group(1))
        hour, minute = (int(part) for part in (match.group(2) or "0:0").split(":"))
        moment = datetime.datetime.combine(day, datetime.time(hour, minute))
    except ValueError as error:
        raise ImportRefused(
            _(
                "Date de publication « %(value)s » illisible : écrivez AAAA-MM-JJ ou "
                "AAAA-MM-JJTHH:MM (heure du Pacifique)."
            )
            % {"value": value[:40]}
        ) from error
    precision = Precision.MINUTE if match.group(2) else Precision.DAY
    return timezone.make_aware(moment), precision


def apply(draft, *, title="", outlet="", author="", language="", published="", precision=""):
    """The draft with what the editor gave in place of what was read; refuses a precision
    with no date and a language the archive does not read."""
    if title.strip():
        draft.title = title.strip()
    if outlet.strip():
        draft.outlet = outlet.strip()
    if author.strip():
        draft.author = author.strip()
    if language:
        if language not in LANGUAGES:
            raise ImportRefused(
                _("Langue « %(value)s » inconnue : fr ou en.") % {"value": language[:10]}
            )
        draft.language = language
    elif draft.language not in LANGUAGES:
        draft.language = "fr"
    moment, default_precision = parse_published(published)
    if moment is not None:
        draft.published_at = moment
        draft.published_precision = precision or default_precision
    elif draft.published_at is not None:
        if timezone.is_naive(draft.published_at):
            draft.published_at = timezone.make_aware(draft.published_at)
        draft.published_precision = precision or draft.published_precision or Precision.DAY
    elif precision:
        raise ImportRefused(_("Une précision de date sans date de publication."))
    return draft


def published_text(draft):
    """The draft's publication date as the forms write it back."""
    if draft.published_at is None:
        return ""
    moment = timezone.localtime(draft.published_at)
    if draft.published_precision == Precision.MINUTE or (moment.hour, moment.minute) != (0, 0):
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.strftime("%Y-%m-%d")
