"""The English interface is complete: every catalog entry translated, none left fuzzy."""

import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    path for path in ROOT.glob("**/locale/en/LC_MESSAGES/django.po") if ".venv" not in path.parts
)


def entries(path):
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if any(line.startswith("msgid ") for line in lines):
            yield lines


def test_the_four_catalogs_are_there():
    # The interface (locale/), people, newsarchive and the English edition's own (editions).
    assert len(CATALOGS) == 4
    for path in CATALOGS:
        assert path.with_suffix(".mo").exists(), path


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_string_is_translated(path):
    untranslated, fuzzy = [], []
    for lines in entries(path):
        text = "\n".join(lines)
        first, rest = re.search(r'^msgid "(.*)"\n?((?:".*"\n?)*)', text, re.M).groups()
        msgid = first + "".join(re.findall(r'^"(.*)"$', rest, re.M))
        if "#, fuzzy" in text or re.search(r"^#,.*\bfuzzy\b", text, re.M):
            fuzzy.append(msgid)
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', text, re.M)
        # msgid "" is the header.
        if msgid and any(not (first or rest.strip()) for first, rest in msgstrs):
            untranslated.append(msgid)
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def test_a_part_in_an_event_and_a_kind_of_event_read_differently_in_english():
    from events.models import EventKind, Part

    with translation.override("en"):
        assert str(Part.ANNOUNCER.label) == "announcer"
        assert str(EventKind.ANNOUNCEMENT.label) == "announcement"
