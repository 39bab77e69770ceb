"""An uploaded file or pasted text read into a `Draft`, or refused with the reason."""

from pathlib import PurePath

from django.utils.translation import gettext as _

from events.models import Passage

from .decoding import decode
from .drafts import MAX_BYTES, MAX_PASSAGES, Draft, ImportRefused
from .html import looks_like_html, read_html
from .splitting import split_text

EXTENSIONS = (".txt", ".md", ".html", ".htm")


def check_size(size):
    if size > MAX_BYTES:
        raise ImportRefused(
            _("Le document est trop gros (%(size)s Mo ; au plus %(max)s Mo).")
            % {"size": f"{size / 1024 / 1024:.1f}", "max": f"{MAX_BYTES / 1024 / 1024:g}"}
        )


def read_document(name, data):
    """A file's bytes, read by its extension: `.txt`, `.md`, `.html` or `.htm`."""
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise ImportRefused(
            _("Le type de fichier « %(ext)s » n’est pas pris en charge (%(known)s).")
            % {"ext": extension or name, "known": ", ".join(EXTENSIONS)}
        )
    check_size(len(data))
    if not data.strip():
        raise ImportRefused(_("Le fichier est vide."))
    text = decode(data)
    draft = finish(read_html(text) if extension in (".html", ".htm") else read_markup(text))
    draft.origin = PurePath(name).name
    return draft


def read_text(text):
    """Pasted text: Markdown or plain text, or a whole HTML page pasted as its source."""
    text = (text or "").replace("\x00", "")
    check_size(len(text.encode("utf-8")))
    if not text.strip():
        raise ImportRefused(_("Le texte est vide."))
    return finish(read_html(text) if looks_like_html(text) else read_markup(text))


def read_markup(text):
    return Draft(blocks=split_text(text))


def finish(draft):
    if not draft.blocks:
        raise ImportRefused(_("Le document ne contient aucun texte."))
    if len(draft.blocks) > MAX_PASSAGES:
        raise ImportRefused(
            _("Le document a %(count)d passages ; une importation en relit au plus %(max)d.")
            % {"count": len(draft.blocks), "max": MAX_PASSAGES}
        )
    if not draft.title:
        draft.title = default_title(draft.blocks)
    return draft


def default_title(blocks):
    """The title passage's text, or else the start of the first passage (editable)."""
    for block in blocks:
        if block.kind == Passage.Kind.TITLE:
            return block.text[:300]
    first = " ".join(blocks[0].text.split())
    if len(first) <= 120:
        return first
    return first[:120].rsplit(" ", 1)[0] + " …"
