"""A saved HTML page read by trafilatura: the article's body (without the page's menus,
footers and comments) and what the page says of it (title, author, date, site name, and its
`<html lang>`). A page where trafilatura finds no article body is refused."""

import datetime
import logging

import trafilatura
from django.utils.translation import gettext as _

from people.models import Precision

from .drafts import Draft, ImportRefused
from .splitting import split_body

# trafilatura says on its logger what it could not find; the editor gets a form error.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def looks_like_html(text):
    start = text.lstrip()[:1000].lower()
    return start.startswith(("<!doctype html", "<html")) or "<body" in start


def read_html(text):
    tree = trafilatura.load_html(text)
    document = None
    if tree is not None:
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_formatting=True,
            include_comments=False,
            include_images=False,
            # Precision over recall: a page of menus and links is no article (the balanced
            # setting returns its menu as a paragraph); the review shows what was kept.
            favor_precision=True,
        )
    blocks = split_body(document.body) if document is not None else []
    if not blocks:
        raise ImportRefused(
            _(
                "Aucun texte d’article n’a été trouvé dans cette page HTML (seulement des menus, "
                "liens ou scripts). Enregistrez la page complète de l’article, ou collez son "
                "texte."
            )
        )
    draft = Draft(
        blocks=blocks,
        title=document.title or "",
        author=document.author or "",
        outlet=document.sitename or "",
        language=(tree.get("lang") or document.language or "")[:2].lower(),
    )
    if document.date:
        try:
            day = datetime.date.fromisoformat(document.date[:10])
        except ValueError:
            pass
        else:
            draft.published_at = datetime.datetime.combine(day, datetime.time())
            draft.published_precision = Precision.DAY
    return draft
