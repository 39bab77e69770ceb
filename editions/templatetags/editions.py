"""The story's words in the page's language, marked as what they are.

On a French page: the French, as stored. On an English page: the English translation in
`<span class="translation" lang="en">`, or, where none exists yet, the French in
`<span lang="fr">`, so no French reaches an English page unmarked. The translations are put on
the records by `editions.pages.attach` (one query per page); a record the view did not hand
over shows its French, marked.
"""

from django import template
from django.db.models import Model
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext

from editions.pages import text_of, translates

register = template.Library()

# Fields whose untranslated value is a proper name, not French text.
PROPER_NAMES = {"name"}


def english(record, field):
    return (getattr(record, "translated_fields", None) or {}).get(field, "")


@register.simple_tag
def translated(record, field, words=None):
    """The field in the page's language, as HTML: `{% translated event "title" %}`; `words`
    cuts a long text to that many words."""
    if record is None:
        return ""
    original = getattr(record, field, "") or ""
    text = english(record, field) if translates() else ""
    shown = text or original
    if words:
        shown = Truncator(shown).words(int(words))
    if not translates():
        return shown
    if text:
        return format_html('<span class="translation" lang="en">{}</span>', shown)
    if not original or field in PROPER_NAMES:
        # A name without a translation is a proper name (« Sam Altman »), the same in English.
        return shown
    return format_html('<span lang="fr">{}</span>', shown)


@register.filter
def in_language(record, field):
    """Plain text for attributes and <title>: the translation if there is one, else the French."""
    return text_of(record, field) if record is not None else ""


@register.filter
def has_translation(record, field):
    return translates() and bool(english(record, field))


@register.inclusion_tag("editions/_original.html")
def original(record, *fields):
    """On an English page, the French the translations above come from, one click away:
    `{% original event "title" "summary" %}`. Further records (or lists of records), each
    followed by its own fields, add their French to the same place, record by record:
    `{% original dispute "question" dispute.accounts.all "value" dispute "editor_note" %}`."""
    groups = [(_records(record), [])]
    for item in fields:
        if isinstance(item, str):
            groups[-1][1].append(item)
        else:
            groups.append((_records(item), []))
    shown = [
        getattr(one, field)
        for records, names in groups
        for one in records
        for field in names
        if has_translation(one, field)
    ]
    return {"originals": shown, "label": gettext("Texte original en français")}


def _records(thing):
    if thing is None or thing == "":
        return []
    if isinstance(thing, Model):
        return [thing]
    return list(thing)


@register.inclusion_tag("editions/_gloss.html")
def gloss(quote):
    """A quote's English gloss (the quote itself stays verbatim, in French)."""
    return {"text": english(quote, "text") if translates() else ""}
