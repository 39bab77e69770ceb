"""Bytes to text, or a clear refusal.

UTF-8 first (a byte-order mark, as Windows editors write it, is dropped). Failing that,
Windows-1252 (which covers Latin-1 text: « é », « ’ », « € »), but only when every byte is a
character of it and the result holds no control character: Latin-1 alone would decode any
bytes at all, so a binary file or another encoding would come out as plausible garbage.
Anything else is refused; the editor re-saves the file as UTF-8.
"""

import re

from django.utils.translation import gettext as _

from .drafts import ImportRefused

# C0 controls other than tab, line feed, form feed and carriage return, and the C1 range.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not CONTROL.search(text):
            return text
    raise ImportRefused(
        _(
            "Le fichier n’est pas un texte lisible : son encodage n’est ni UTF-8 ni "
            "Windows-1252 (Latin-1), ou il contient des caractères de contrôle. Enregistrez-le "
            "en UTF-8 et importez-le de nouveau."
        )
    )
