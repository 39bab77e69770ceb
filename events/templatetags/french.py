"""French grammar around names: « de » before a name, elided or with its article."""

from django import template
from django.utils.translation import get_language, gettext

from core.text import fold

register = template.Library()

# Organisations named by a common noun take its article: « du Conseil d’administration »,
# « de l’Équipe de direction », « des Employés d’OpenAI ». Keyed by the folded first word.
ARTICLES = {
    "conseil": "du",
    "comite": "du",
    "equipe": "de l’",
    "employes": "des",
    "salaries": "des",
    "investisseurs": "des",
    "actionnaires": "des",
}
# « Y Combinator » is said « i-grec »: no elision, as for a consonant.
VOWELS = set("aeiouAEIOU")


def french_de(name):
    """« d’Ilya Sutskever », « de Sam Altman », « de l’Équipe de direction d’OpenAI »."""
    name = str(name).strip()
    if not name:
        return name
    first = fold(name.split()[0])
    if first in ARTICLES:
        article = ARTICLES[first]
        return f"{article}{name}" if article.endswith("’") else f"{article} {name}"
    if fold(name[0]) in VOWELS:
        return f"d’{name}"
    return f"de {name}"


@register.filter
def de(name):
    """« de {name} » in French with elision and articles; in another language, the
    translation of « de » (“of {name}” in English) with the name as it is."""
    if (get_language() or "fr").split("-")[0] == "fr":
        return french_de(name)
    return gettext("de %(name)s") % {"name": name}
