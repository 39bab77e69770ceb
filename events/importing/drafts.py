"""What an import carries between reading and saving, and how it is refused."""

from dataclasses import dataclass, field
from datetime import datetime

# A file or pasted text larger than this is refused before it is read: 2 MB is some fifty
# times a long article saved with its page, and keeps an import a quick request.
MAX_BYTES = 2 * 1024 * 1024
# A document is reviewed on one page, each passage up to three fields (kind, text, delete):
# past this many passages the review could exceed the 1,000 fields Django accepts in one POST
# (DATA_UPLOAD_MAX_NUMBER_FIELDS). The story's article has 38.
MAX_PASSAGES = 300


class ImportRefused(Exception):
    """Why a document cannot be imported, in words for the editor. `existing` is the source
    already in the archive with the same text, when that is the reason."""

    def __init__(self, message, existing=None):
        super().__init__(message)
        self.message = message
        self.existing = existing


@dataclass
class Block:
    """One passage to be: its kind (`Passage.Kind`) and its text, verbatim."""

    kind: str
    text: str


@dataclass
class Draft:
    """A document read but not saved. Metadata the document does not give stays empty."""

    blocks: list[Block]
    title: str = ""
    outlet: str = ""
    author: str = ""
    language: str = ""
    published_at: datetime | None = None
    published_precision: str = ""
    origin: str = ""  # the file name, or empty for pasted text
    notes: list[str] = field(default_factory=list)
