"""Text to numbered passages.

Plain text and Markdown follow one set of rules (plain text is Markdown without marks):
blank lines separate passages; a line of `#` marks is a heading (`# ` first in the document
is its title); `>` lines are a block quote. A document with no mark at all gets its first
line as its title when that line is short and reads as one (no final full stop).

HTML is read by trafilatura (events.importing.html), whose body is turned into blocks here:
its `head` elements are headings (the first, if an `h1` before any text, the title), `quote`
elements are quotes, everything else a paragraph.

Text is kept verbatim: only whitespace at the ends of a passage and of its lines is trimmed,
and the Markdown marks (`#`, `>`) that say what a block is.
"""

import re

from events.models import Passage

from .drafts import Block

Kind = Passage.Kind

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
QUOTE = re.compile(r"^>[ \t]?")
# A first line that can be a title: short, not a sentence ending with a full stop.
TITLE_LENGTH = 150


def paragraphs(text):
    """Blank-line separated blocks, each a list of its lines with their ends trimmed."""
    block = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if line:
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def split_text(text):
    blocks = []
    marked = False
    for lines in paragraphs(text):
        kind, current = None, []
        for line in lines:
            heading = HEADING.match(line)
            if heading and kind != Kind.QUOTE:
                # A heading line stands alone, even without blank lines around it.
                close(blocks, kind, current)
                kind, current = None, []
                level = len(heading.group(1))
                if heading.group(2):
                    first = level == 1 and not blocks
                    blocks.append(Block(Kind.TITLE if first else Kind.HEADING, heading.group(2)))
                marked = True
            elif QUOTE.match(line):
                if kind != Kind.QUOTE:
                    close(blocks, kind, current)
                    kind, current = Kind.QUOTE, []
                line = QUOTE.sub("", line, count=1).strip()
                if line:
                    current.append(line)
                marked = True
            else:
                # After `>` lines, a line without one continues the quote (as in Markdown).
                if kind is None:
                    kind = Kind.PARAGRAPH
                current.append(line)
        close(blocks, kind, current)
    if not marked and blocks and looks_like_title(blocks[0].text):
        blocks[0].kind = Kind.TITLE
    return blocks


def close(blocks, kind, lines):
    if lines:
        blocks.append(Block(kind, "\n".join(lines)))


def looks_like_title(text):
    return "\n" not in text and len(text) <= TITLE_LENGTH and not text.endswith(".")


# --- trafilatura's body ---------------------------------------------------------------------


def element_text(element):
    """The text of one of trafilatura's elements: its line breaks (`lb`) kept, list items and
    table cells on their own lines, whitespace at line ends trimmed."""
    parts = []

    def walk(node):
        if node.tag == "lb" or (node.tag in ("item", "row") and parts):
            parts.append("\n")
        elif node.tag == "cell" and parts and parts[-1] != "\n":
            parts.append(" | ")
        if node.text and node.tag != "lb":
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def split_body(body):
    """Blocks from trafilatura's body (`<head rend="h2">`, `<p>`, `<quote>`, `<list>`…)."""
    blocks = []
    for element in body:
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        text = element_text(element)
        if not text:
            continue
        if element.tag == "head":
            first = not blocks and element.get("rend", "h1") == "h1"
            blocks.append(Block(Kind.TITLE if first else Kind.HEADING, text))
        elif element.tag == "quote":
            blocks.append(Block(Kind.QUOTE, text))
        else:
            blocks.append(Block(Kind.PARAGRAPH, text))
    return blocks
