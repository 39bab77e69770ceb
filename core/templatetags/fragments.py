"""`{% fragment obj arg … %}…{% endfragment %}`: a piece of a page rendered once per content.

The block is kept, in each worker's memory, under a digest of everything it can read: the
objects and values given as arguments (for a record: its loaded fields, the related rows
loaded with it, its prefetched lists, the values attached to it such as its translations),
the active language, the release and the block's place in its template. So a fragment is
reused only when it would render the same, and needs no invalidation: a changed record has
another digest. An event's card on a list page is rendered once, not on every render of
every list that shows it. The block must read nothing but its arguments (and the language).
A value the digest cannot read (a queryset not yet evaluated, an unknown object) renders the
block as usual, uncached; so does a block that queries the database while it renders (a
relation that was not loaded with its record: the digest did not see those rows).
"""

import dataclasses
import datetime
import decimal
import hashlib
import threading
import uuid
from collections import OrderedDict

from django import template
from django.conf import settings
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language

register = template.Library()

MAX_FRAGMENTS = 5000
MAX_DEPTH = 16
PLAIN = (str, int, float, bool, type(None), datetime.date, datetime.time, decimal.Decimal)
PLAIN += (uuid.UUID, datetime.timedelta)

_kept = OrderedDict()
_lock = threading.Lock()


class Unreadable(Exception):
    """A value whose content the digest cannot read: the block renders uncached."""


def _feed(digest, value, seen, depth):
    if isinstance(value, PLAIN):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, Promise):
        digest.update(f"str:{str(value)!r};".encode())
    elif isinstance(value, Model):
        label = f"<{value._meta.label}:{value.pk!r}"
        digest.update(label.encode())
        if id(value) in seen:  # its content is in the digest already
            digest.update(b"^>")
            return
        if depth > MAX_DEPTH:
            raise Unreadable(label)
        seen.add(id(value))
        for name, item in sorted(value.__dict__.items()):
            if name != "_state":
                digest.update(f"{name}=".encode())
                _feed(digest, item, seen, depth + 1)
        for name, item in sorted(value._state.fields_cache.items()):
            digest.update(f"+{name}=".encode())
            _feed(digest, item, seen, depth + 1)
        digest.update(b">")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(f"({type(value).__qualname__}".encode())
        for item in dataclasses.fields(value):
            digest.update(f"{item.name}=".encode())
            _feed(digest, getattr(value, item.name), seen, depth + 1)
        digest.update(b")")
    elif isinstance(value, QuerySet):
        if value._result_cache is None:
            raise Unreadable("a queryset not yet read")
        _feed(digest, value._result_cache, seen, depth)
    elif isinstance(value, (list, tuple)):
        digest.update(b"[")
        for item in value:
            _feed(digest, item, seen, depth + 1)
        digest.update(b"]")
    elif isinstance(value, dict):
        digest.update(b"{")
        for key, item in sorted(value.items(), key=lambda pair: repr(pair[0])):
            _feed(digest, key, seen, depth + 1)
            _feed(digest, item, seen, depth + 1)
        digest.update(b"}")
    else:
        raise Unreadable(type(value).__name__)


def digest_of(*values):
    digest = hashlib.blake2b(digest_size=20)
    seen = set()
    for value in values:
        _feed(digest, value, seen, 0)
    return digest.hexdigest()


class FragmentNode(template.Node):
    def __init__(self, nodelist, arguments, place):
        self.nodelist = nodelist
        self.arguments = arguments
        self.place = place

    def render(self, context):
        values = [argument.resolve(context) for argument in self.arguments]
        try:
            key = (self.place, get_language(), settings.ARCHIVE_RELEASE, digest_of(*values))
        except Unreadable:
            return self.nodelist.render(context)
        with _lock:
            kept = _kept.get(key)
            if kept is not None:
                _kept.move_to_end(key)
                return kept
        queried = []
        with connection.execute_wrapper(lambda execute, *args: queried.append(1) or execute(*args)):
            rendered = self.nodelist.render(context)
        if queried:  # it read rows the digest did not see (a relation not loaded): not kept
            return rendered
        with _lock:
            _kept[key] = rendered
            while len(_kept) > MAX_FRAGMENTS:
                _kept.popitem(last=False)
        return rendered


@register.tag
def fragment(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} names what the block shows")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    origin = getattr(parser, "origin", None)
    place = f"{origin.name if origin else '?'}:{token.position}"
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits], place)


def forget_all():
    """Empty the kept fragments (tests)."""
    with _lock:
        _kept.clear()
