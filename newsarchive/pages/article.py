"""Reading a source document: its names linked to the actors' pages, its headings at their
level, what each passage backs (newsarchive.pages.sources). `/article/`, the one article's
old address, now redirects to the first source document's page.
"""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.generic import RedirectView

from events.models import Article, Participation, Passage, Quote, Source
from people.models import Role

APOSTROPHES = "'’ʼ"


class ActorLinker:
    """Wraps actor names and aliases found in a text in links to the actors' pages.

    One regular expression, longest names first, so « Sam Altman » wins over « Sam » and
    « Conseil d’administration d’OpenAI » over « OpenAI », and a name inside a longer name is
    never linked twice. Matching runs on the raw text; every piece is escaped before output.
    """

    def __init__(self, actors):
        self.by_name = {}
        for actor in actors:
            for name in [actor.name, *(alias.name for alias in actor.aliases.all())]:
                self.by_name.setdefault(self.key(name), actor)
        names = sorted(self.by_name, key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(self.name_pattern(name) for name in names) + r")(?!\w)",
                re.IGNORECASE,
            )
            if names
            else None
        )

    @staticmethod
    def key(name):
        return re.sub(f"[{APOSTROPHES}]", "'", name).casefold()

    @staticmethod
    def name_pattern(name):
        # The article mixes ’ and '; a name matches whichever apostrophe the text uses.
        return "".join(f"[{APOSTROPHES}]" if c in APOSTROPHES else re.escape(c) for c in name)

    def link(self, text):
        """Escaped `text` with the first mention of each actor linked (later ones left plain,
        so a paragraph does not turn into a wall of links)."""
        if self.pattern is None:
            return escape(text)
        pieces, cursor, linked = [], 0, set()
        for match in self.pattern.finditer(text):
            actor = self.by_name.get(self.key(match.group()))
            if actor is None or actor.pk in linked:
                continue
            linked.add(actor.pk)
            pieces.append(escape(text[cursor : match.start()]))
            pieces.append(
                f'<a class="actor-link" href="{escape(actor.get_absolute_url())}">'
                f"{escape(match.group())}</a>"
            )
            cursor = match.end()
        pieces.append(escape(text[cursor:]))
        return mark_safe("".join(pieces))


@dataclass
class Block:
    """A passage as the page shows it."""

    passage: Passage
    html: str
    heading_level: int = 0

    @property
    def events(self):
        return self.passage.events_shown

    @property
    def quotes(self):
        return self.passage.quotes_shown

    @property
    def roles(self):
        return [evidence.role for evidence in self.passage.roles_shown]

    @property
    def has_links(self):
        return bool(self.events or self.quotes or self.roles)

    @property
    def hidden_links(self):
        """How many facts this passage backs past those shown (a bounded number of each)."""
        passage = self.passage
        return sum(
            max(0, (getattr(passage, f"{name}_total", None) or 0) - len(shown))
            for name, shown in (
                ("event", self.events),
                ("quote", self.quotes),
                ("role", self.roles),
            )
        )


def heading_levels(passages):
    """Section headings (« Comment ça a commencé ») are followed at once by a day heading
    (« jeudi 16 novembre »): a heading followed by a heading is a level 2, the others level 3.
    The fixture does not say which is which; the article's layout does."""
    levels = {}
    for index, passage in enumerate(passages):
        if passage.kind != Passage.Kind.HEADING:
            continue
        following = passages[index + 1] if index + 1 < len(passages) else None
        levels[passage.pk] = 2 if following and following.kind == Passage.Kind.HEADING else 3
    return levels


def drawn_from(passages):
    """Actors of the facts drawn from `passages` (a queryset of one page of a source
    document: taking part, quoted, holding a role, cited as a source): the names worth
    linking, however many actors the archive holds."""
    here = {"passages__in": passages}
    roles = Role.objects.filter(evidence__passages__in=passages)
    return (
        Q(pk__in=Participation.objects.filter(event__passages__in=passages).values("actor"))
        | Q(pk__in=Quote.objects.filter(**here).values("speaker"))
        | Q(pk__in=roles.values("person"))
        | Q(pk__in=roles.values("organisation"))
        | Q(pk__in=Source.objects.filter(**here).values("outlet"))
        | Q(pk__in=Source.objects.filter(**here).values("author"))
    )


class ArticleView(RedirectView):
    """The one article's old address: a permanent redirect to the first source document's
    page. Browsers keep the `#pN` anchor across a redirect, and the source page keeps the same
    `pN` ids; `?passage=N` goes to the page that holds passage N (`#pN` added)."""

    permanent = True
    query_string = False

    def get_redirect_url(self, *args, **kwargs):
        article = Article.objects.order_by("pk").only("slug").first()
        if article is None:
            raise Http404("No source document has been loaded.")
        number = self.request.GET.get("passage", "")
        if number.isascii() and number.isdigit() and 0 < len(number) < 10 and int(number):
            return Passage(article=article, number=int(number)).get_absolute_url()
        return article.get_absolute_url()
