"""The dates and times a passage mentions, in French or English, for the import's review:
« vendredi 17 novembre », « 17 novembre 2023 », « 1er décembre », « novembre 2023 »,
« 13 h 30 », « 13h », « midi », "Friday, November 17", "Nov. 17, 2023", "17 November 2023",
"1:30 pm", "9 a.m.", "noon", "2023-11-17", "13:30", and a day of the week alone (« samedi »).

Each is found with what it says, normalised: `2023-11-17`, `--11-17` (no year), `2023-11`,
`13:30`, or the weekday's English name. What is no date or time (« 48 h », « 31 février ») is
left out. A reasonable recogniser for an editor's review, not a parser of every way of
writing a date: it reads the words, not their context (« en 2 h » reads as a time).
"""

import datetime
import re
from dataclasses import dataclass

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "fevr": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "lundi": "Monday",
    "mardi": "Tuesday",
    "mercredi": "Wednesday",
    "jeudi": "Thursday",
    "vendredi": "Friday",
    "samedi": "Saturday",
    "dimanche": "Sunday",
    **{day.lower(): day for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")},
    **{day.lower(): day for day in ("Saturday", "Sunday")},
}


def alternatives(words):
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


MONTH = rf"(?P<month>{alternatives(MONTHS)})\.?"
WEEKDAY = rf"(?P<weekday>{alternatives(WEEKDAYS)})"
YEAR = r"(?P<year>(?:19|20)\d\d)"
DAY = r"(?P<day>1er|[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"

PATTERNS = [
    # 2023-11-17
    ("date", r"(?P<year>\d{4})-(?P<monthnum>[01]\d)-(?P<day>[0-3]\d)"),
    # (vendredi) (le) 17 novembre (2023); 17 November 2023
    ("date", rf"(?:{WEEKDAY},?\s+(?:le\s+)?)?{DAY}\s+{MONTH}(?:,?\s+{YEAR})?"),
    # (Friday,) November 17(th)(, 2023)
    ("date", rf"(?:{WEEKDAY},?\s+)?{MONTH}\s+{DAY}(?:,?\s+{YEAR})?"),
    # novembre 2023, November 2023
    ("month", rf"{MONTH}\s+{YEAR}"),
    # 1:30 pm, 9 a.m., 11am
    (
        "time",
        r"(?P<hour>[01]?\d)(?::(?P<minute>[0-5]\d))?\s*(?P<half>[ap])\.?\s?m\.?(?![a-z])",
    ),
    # 13 h 30, 13h30, 13 h, 13 heures (30)
    ("time", r"(?P<hour>[0-2]?\d)\s*(?:h|heures?)(?:\s*(?P<minute>[0-5]\d))?(?![\w])"),
    # 13:30
    ("time", r"(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)"),
    # midi, minuit, noon, midnight (not « après-midi »)
    ("noon", r"(?<![-\w])(?P<word>midi|minuit|noon|midnight)"),
    ("weekday", WEEKDAY),
]


def numbered(pattern, index):
    """`pattern` with its group names suffixed by `index`: one regex can hold every pattern."""
    return re.sub(r"\(\?P<(\w+)>", rf"(?P<\1_{index}>", pattern)


# One pass: leftmost match first and, at one place, the first pattern that matches.
COMBINED = re.compile(
    "|".join(
        rf"(?P<p_{index}>(?<![\w-])(?:{numbered(pattern, index)}))"
        for index, (_kind, pattern) in enumerate(PATTERNS)
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Moment:
    kind: str  # "date" or "time"
    text: str  # as written
    value: str  # normalised: 2023-11-17, --11-17, 2023-11, 13:30, Friday


def find_moments(text):
    moments = []
    for match in COMBINED.finditer(text or ""):
        index = int(match.lastgroup.removeprefix("p_"))
        suffix = f"_{index}"
        found = {
            name.removesuffix(suffix): value
            for name, value in match.groupdict().items()
            if value is not None and name.endswith(suffix) and name != match.lastgroup
        }
        moment = make(PATTERNS[index][0], found, match.group(0))
        if moment is not None:
            moments.append(moment)
    return moments


def make(kind, found, text):
    try:
        if kind == "date":
            if "monthnum" in found:
                month = int(found["monthnum"])
            else:
                month = MONTHS[found["month"].lower()]
            day = 1 if found["day"].lower() == "1er" else int(found["day"])
            year = int(found["year"]) if "year" in found else 2000  # a leap year
            datetime.date(year, month, day)
            value = (
                f"{found['year']}-{month:02d}-{day:02d}"
                if "year" in found
                else (f"--{month:02d}-{day:02d}")
            )
            return Moment("date", text, value)
        if kind == "month":
            return Moment("date", text, f"{found['year']}-{MONTHS[found['month'].lower()]:02d}")
        if kind == "time":
            hour, minute = int(found["hour"]), int(found.get("minute") or 0)
            if "half" in found:
                if not 1 <= hour <= 12:
                    return None
                hour = hour % 12 + (12 if found["half"].lower() == "p" else 0)
            datetime.time(hour, minute)
            return Moment("time", text, f"{hour:02d}:{minute:02d}")
        if kind == "noon":
            noon = found["word"].lower() in ("midi", "noon")
            return Moment("time", text, "12:00" if noon else "00:00")
        return Moment("date", text, WEEKDAYS[found["weekday"].lower()])
    except ValueError:
        return None
