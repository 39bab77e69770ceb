"""A reviewed draft written as an `Article` and its `Passage`s: all or nothing, in one history
entry, refused when the archive already holds the same text.

The same text: the passages' texts in order, each with its whitespace runs made one space and
in Unicode NFC form (a re-saved file or a pasted copy differs there, not in words), hashed
(SHA-256). Imported documents keep that digest (`Article.text_digest`, unique); a document that
came another way (the story's article) is digested from its passages when an import checks.
"""

import hashlib
import unicodedata

import reversion
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.models import Article, Passage

from .drafts import ImportRefused


def text_digest(texts):
    normalised = "\n\n".join(
        " ".join(unicodedata.normalize("NFC", text).split()) for text in texts if text.strip()
    )
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def find_duplicate(texts):
    """The source already holding this text, or None."""
    digest = text_digest(texts)
    found = Article.objects.filter(text_digest=digest).first()
    if found is not None:
        return found
    for article in Article.objects.filter(text_digest="").order_by("pk"):
        stored = article.passages.order_by("number").values_list("text", flat=True)
        if text_digest(stored) == digest:
            return article
    return None


def refuse_duplicate(article):
    raise ImportRefused(
        _("Cette source est déjà dans l’archive : « %(title)s ». Rien n’a été importé.")
        % {"title": article.title},
        existing=article,
    )


def unique_slug(title):
    base = slugify(title)[:190].strip("-") or "source"
    taken = set(
        Article.objects.filter(slug__startswith=base).values_list("slug", flat=True).iterator()
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_draft(draft, user=None):
    """The draft saved; `ImportRefused` (and nothing written) if its text is already there."""
    texts = [block.text for block in draft.blocks]
    if not any(text.strip() for text in texts):
        raise ImportRefused(_("Le document ne contient aucun texte."))
    try:
        with transaction.atomic(), reversion.create_revision():
            existing = find_duplicate(texts)
            if existing is not None:
                refuse_duplicate(existing)
            article = Article(
                slug=unique_slug(draft.title),
                title=draft.title[:300],
                language=draft.language or "fr",
                outlet=draft.outlet[:200],
                published_at=draft.published_at,
                published_precision=draft.published_precision if draft.published_at else "",
                note=import_note(draft),
                text_digest=text_digest(texts),
            )
            article.save()
            number = 0
            for block in draft.blocks:
                if not block.text.strip():
                    continue
                number += 1
                Passage(article=article, number=number, kind=block.kind, text=block.text).save()
            if user is not None and user.is_authenticated:
                reversion.set_user(user)
            reversion.set_comment(_("Source importée"))
    except IntegrityError:
        # Another import of the same text committed between the check and this save.
        existing = find_duplicate(texts)
        if existing is None:
            raise
        refuse_duplicate(existing)
    return article


def import_note(draft):
    lines = []
    if draft.author:
        lines.append(_("Auteur : %(author)s") % {"author": draft.author})
    if draft.origin:
        lines.append(_("Importé du fichier « %(name)s ».") % {"name": draft.origin})
    return "\n".join(lines)
