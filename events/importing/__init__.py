"""Bringing a new source document into the archive: the admin's « Importer une source » and
`manage.py import_source` share this package.

1. `read_document(name, data)` or `read_text(text)`: the bytes decoded (`decoding`), a saved
   HTML page read by trafilatura (`html`), text and Markdown split into numbered passages
   (`splitting`); a `Draft` comes out, or `ImportRefused` with the reason.
2. `mentions`: for the review, the known actors each passage names and the dates and times
   it mentions (`moments`).
3. `save_draft(draft)`: the article and its passages written in one transaction and one
   history entry, refused if the same text is already there (`saving`).
"""

from .drafts import MAX_BYTES, MAX_PASSAGES, Block, Draft, ImportRefused
from .reading import EXTENSIONS, read_document, read_text
from .saving import find_duplicate, save_draft, text_digest

__all__ = [
    "EXTENSIONS",
    "MAX_BYTES",
    "MAX_PASSAGES",
    "Block",
    "Draft",
    "ImportRefused",
    "find_duplicate",
    "read_document",
    "read_text",
    "save_draft",
    "text_digest",
]
