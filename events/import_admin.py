"""The admin's « Importer une source » (ArticleAdmin.get_urls): a form to paste a text or
upload a file, then a review of what was read, editable, saved on confirmation.

The review carries its whole state in the form it posts (the metadata fields, one kind and
text field per passage): nothing is kept on the server between the two steps.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from people.models import Precision

from . import importing
from .importing import metadata
from .importing.mentions import mentions
from .models import Passage

# The admin's own wide text box.
WIDE = forms.TextInput(attrs={"class": "vTextField"})
LANGUAGE_CHOICES = [("fr", _("français")), ("en", _("anglais"))]
PRECISION_CHOICES = [("", _("d’après la date (jour, ou minute avec l’heure)"))] + list(
    Precision.choices
)


class MetadataForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=300, required=False, widget=WIDE)
    outlet = forms.CharField(label=_("Média"), max_length=200, required=False, widget=WIDE)
    author = forms.CharField(
        label=_("Auteur"),
        max_length=200,
        required=False,
        widget=WIDE,
        help_text=_("Noté dans la note de la source."),
    )
    published = forms.CharField(
        label=_("Date de publication"),
        max_length=40,
        required=False,
        help_text=_("AAAA-MM-JJ, ou AAAA-MM-JJTHH:MM (heure du Pacifique)."),
    )
    published_precision = forms.ChoiceField(
        label=_("Précision de la date"), choices=PRECISION_CHOICES, required=False
    )

    def overrides(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "outlet": data["outlet"],
            "author": data["author"],
            "language": data["language"],
            "published": data["published"],
            "precision": data["published_precision"],
        }


class UploadForm(MetadataForm):
    text = forms.CharField(
        label=_("Texte"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        help_text=_(
            "Collez le texte : une ligne vide entre les paragraphes ; « # » devant un titre ou "
            "un intertitre, « > » devant une citation (Markdown)."
        ),
    )
    document = forms.FileField(
        label=_("ou un fichier"),
        required=False,
        help_text=format_lazy(
            _("Un fichier .txt ou .md, ou une page web enregistrée (.html) ; {max} Mo au plus."),
            max=importing.MAX_BYTES // (1024 * 1024),
        ),
    )
    language = forms.ChoiceField(
        label=_("Langue"),
        choices=[("", _("d’après le document (français sinon)"))] + LANGUAGE_CHOICES,
        required=False,
    )
    field_order = ["text", "document", "title", "outlet", "author", "published"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, document = cleaned.get("text") or "", cleaned.get("document")
        if text.strip() and document:
            raise forms.ValidationError(
                _("Collez un texte ou choisissez un fichier, pas les deux.")
            )
        try:
            if document:
                draft = importing.read_document(document.name, read_upload(document))
            elif text.strip():
                draft = importing.read_text(text)
            else:
                raise forms.ValidationError(_("Collez un texte ou choisissez un fichier."))
            self.draft = metadata.apply(draft, **self.overrides())
            refuse_if_known(self.draft)
        except importing.ImportRefused as refused:
            raise refusal(refused) from refused
        return cleaned


def read_upload(document):
    """The upload's bytes, refused past the limit before reading more than it."""
    if document.size is not None and document.size > importing.MAX_BYTES:
        importing.reading.check_size(document.size)
    return document.read(importing.MAX_BYTES + 1)


class ReviewForm(MetadataForm):
    language = forms.ChoiceField(label=_("Langue"), choices=LANGUAGE_CHOICES)
    origin = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True

    @classmethod
    def initial_for(cls, draft):
        return {
            "title": draft.title,
            "outlet": draft.outlet,
            "author": draft.author,
            "language": draft.language,
            "published": metadata.published_text(draft),
            "published_precision": draft.published_precision,
            "origin": draft.origin,
        }


class PassageForm(forms.Form):
    kind = forms.ChoiceField(label=_("type"), choices=Passage.Kind.choices)
    text = forms.CharField(
        label=_("texte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
    )


PassageFormSet = forms.formset_factory(
    PassageForm,
    extra=0,
    can_delete=True,
    max_num=importing.MAX_PASSAGES,
    absolute_max=importing.MAX_PASSAGES,
    validate_max=True,
)


def refusal(refused):
    """A refusal as a form error; a duplicate links to the source already there."""
    article = refused.existing
    if article is None:
        return forms.ValidationError(refused.message)
    return forms.ValidationError(
        format_html(
            '{} <a href="{}">{}</a> · <a href="{}">{}</a>',
            refused.message,
            reverse("admin:events_article_change", args=[article.pk]),
            gettext("Sa fiche dans l’administration"),
            article.get_absolute_url(),
            gettext("Sa page publique"),
        ),
        code="duplicate",
    )


def refuse_if_known(draft):
    existing = importing.find_duplicate([block.text for block in draft.blocks])
    if existing is not None:
        importing.saving.refuse_duplicate(existing)


def draft_from_review(form, passages):
    blocks = [
        importing.Block(data["kind"], data["text"].strip())
        for data in passages.cleaned_data
        if data and not data.get("DELETE") and data["text"].strip()
    ]
    draft = importing.Draft(blocks=blocks, origin=form.cleaned_data["origin"])
    return metadata.apply(draft, **form.overrides())


def attach_mentions(passages):
    """Each passage form gets `mentions` (actors named, dates and times) for its text."""
    texts = [
        (form.data.get(form.add_prefix("text")) if form.is_bound else form.initial.get("text"))
        or ""
        for form in passages.forms
    ]
    for form, found in zip(passages.forms, mentions(texts), strict=True):
        form.mentions = found


def import_source(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("step") == "review":
        form = ReviewForm(request.POST)
        passages = PassageFormSet(request.POST, prefix="passages")
        if form.is_valid() and passages.is_valid() and "save" in request.POST:
            try:
                draft = draft_from_review(form, passages)
                if not draft.blocks:
                    raise importing.ImportRefused(gettext("Le document ne contient aucun texte."))
                article = importing.save_draft(draft, user=request.user)
            except importing.ImportRefused as refused:
                form.add_error(None, refusal(refused))
            else:
                count = article.passages.count()
                messages.success(
                    request,
                    ngettext(
                        "La source « %(title)s » a été importée : %(count)d passage.",
                        "La source « %(title)s » a été importée : %(count)d passages.",
                        count,
                    )
                    % {"title": article.title, "count": count},
                )
                return HttpResponseRedirect(
                    reverse("admin:events_article_change", args=[article.pk])
                )
        return render_review(model_admin, request, form, passages)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            draft = form.draft
            review = ReviewForm(initial=ReviewForm.initial_for(draft))
            passages = PassageFormSet(
                initial=[{"kind": block.kind, "text": block.text} for block in draft.blocks],
                prefix="passages",
            )
            return render_review(model_admin, request, review, passages)
    else:
        form = UploadForm()
    return render(model_admin, request, "admin/events/article/import_source.html", form=form)


def render_review(model_admin, request, form, passages):
    attach_mentions(passages)
    return render(
        model_admin,
        request,
        "admin/events/article/import_review.html",
        form=form,
        passages=passages,
    )


def render(model_admin, request, template, **context):
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "title": gettext("Importer une source"),
            "has_view_permission": model_admin.has_view_permission(request),
            **context,
        },
    )


def import_urls(model_admin):
    view = model_admin.admin_site.admin_view(lambda request: import_source(model_admin, request))
    return [path("import/", view, name="events_article_import")]
