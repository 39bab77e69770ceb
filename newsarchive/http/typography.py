"""French typography on every HTML page, applied once to the rendered text.

French puts a non-breaking space before « ; : ! ? » and inside « », so that « ? » never
wraps alone onto a line. Templates, translations and the story's data are written with plain
spaces (or none); this middleware sets the right space in the page's text, and only there:
never inside a tag, an attribute, a URL, <script>, <style>, <pre>, <textarea> or <code>, and
only where the text is French (the page's language, or a `lang="fr"` fragment of an English
page). It runs inside the page cache, so a cached page is processed once, not per request.
"""

import re

NNBSP = "\u202f"  # narrow no-break space, before ; ! ?
NBSP = "\u00a0"  # no-break space, before : and inside « »

# Elements whose content is not prose (or must stay exactly as written).
RAW = {"script", "style", "pre", "textarea", "code", "kbd", "samp"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip

TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<[^>]*>", re.S)
START = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>")
END = re.compile(r"</([a-zA-Z][a-zA-Z0-9:-]*)\s*>")
LANG = re.compile(r"""\blang\s*=\s*["']?([a-zA-Z-]+)""")

# Existing spaces (ordinary or already non-breaking) are replaced, missing ones are added.
SPACES = "[ \u00a0\u202f\u2009]"
BEFORE_HIGH = re.compile(rf"(?<=[^\s<>]){SPACES}?([;!?])(?=\s|$|[)».,;:!?])")
BEFORE_COLON = re.compile(rf"(?<=[^\s<>\d]){SPACES}?:(?=\s|$)")
OPEN_GUILLEMET = re.compile(rf"«{SPACES}*")
CLOSE_GUILLEMET = re.compile(rf"{SPACES}*»")
# An apostrophe between letters: the typographic one (’), as the interface writes it.
ENTITY = re.compile(r"(&#?[a-zA-Z0-9]+;)")
# Text without any of these needs nothing (one scan in C, not one per character).
TRIGGERS = re.compile("[;:!?«»'&]")
STRAIGHT_APOSTROPHE = re.compile(r"(?<=[^\W\d_])(?:'|&#x27;|&#39;)(?=[^\W\d_])")


def french_text(text):
    """`text` (HTML-escaped text, no tags) with French spaces and apostrophes."""
    if not TRIGGERS.search(text):
        return text
    text = STRAIGHT_APOSTROPHE.sub("’", text)
    # Entities (« &amp; », « &quot; ») end in a semicolon that is not punctuation.
    return "".join(part if ENTITY.fullmatch(part) else _spaces(part) for part in ENTITY.split(text))


def _spaces(text):
    text = OPEN_GUILLEMET.sub("«" + NBSP, text)
    text = CLOSE_GUILLEMET.sub(NBSP + "»", text)
    text = BEFORE_HIGH.sub(lambda m: NNBSP + m.group(1), text)
    # Not a time (« 12:19 ») nor a URL in the text (« https:// »): a colon followed by space.
    text = BEFORE_COLON.sub(NBSP + ":", text)
    return text


def is_french(lang):
    return lang.split("-")[0].lower() == "fr"


def french_typography(html, language="fr"):
    """Apply `french_text` to the text of `html` that is French and not raw."""
    out, stack, names, position = [], [], [], 0
    # The stack holds (element, its language, raw?) for the open elements.
    current_lang, raw = language, False
    for token in TOKEN.finditer(html):
        text = html[position : token.start()]
        if text:
            out.append(french_text(text) if is_french(current_lang) and not raw else text)
        tag = token.group()
        out.append(tag)
        position = token.end()
        if start := START.fullmatch(tag):
            name = start.group(1).lower()
            if name in VOID or tag.endswith("/>"):
                continue
            lang_attr = LANG.search(start.group(2))
            current_lang = lang_attr.group(1) if lang_attr else current_lang
            raw = raw or name in RAW
            stack.append((name, current_lang, raw))
            names.append(name)
        elif end := END.fullmatch(tag):
            name = end.group(1).lower()
            if name in names:
                while stack and stack.pop()[0] != name:
                    names.pop()
                names.pop()
                current_lang, raw = (stack[-1][1], stack[-1][2]) if stack else (language, False)
    rest = html[position:]
    out.append(french_text(rest) if is_french(current_lang) and not raw else rest)
    return "".join(out)


class FrenchTypographyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or response.get("Content-Encoding")
        ):
            return response
        charset = response.charset or "utf-8"
        language = response.get("Content-Language") or "fr"
        html = response.content.decode(charset)
        response.content = french_typography(html, language).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
