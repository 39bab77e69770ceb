"""Columns computed from a row's other fields on every write.

`Field.pre_save` sets the value on `save()` and `bulk_create`; raw saves skip it (fixture
loads, and django-reversion's reverts, whose preview also mutes model signals), so the
model's `_save_table` fills them then. Every way a row is written goes through one of the
two, so a derived column can be NOT NULL and indexed and is never out of step with its
sources. (`QuerySet.update()` writes columns directly: change the sources with `save()`.)
"""

from django.db import models


class DerivedMixin:
    def __init__(self, *args, derive, **kwargs):
        self.derive = derive  # the name of the model method that computes the value
        kwargs.setdefault("editable", False)
        kwargs.setdefault("serialize", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["derive"] = self.derive
        kwargs.pop("editable", None)
        kwargs.pop("serialize", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.derive)()
        setattr(model_instance, self.attname, value)
        return value


class DerivedCharField(DerivedMixin, models.CharField):
    pass


class DerivedTextField(DerivedMixin, models.TextField):
    pass


class DerivedDateField(DerivedMixin, models.DateField):
    pass


class DerivedDateTimeField(DerivedMixin, models.DateTimeField):
    pass


class DerivedSlugField(DerivedMixin, models.SlugField):
    pass


class DerivedColumnsModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        # A row read with deferred columns (a list's or the admin's light queryset) is saved
        # by Django in its loaded columns only: the derived ones are added, or they would keep
        # the values of the old sources (a search index that misses an edited summary).
        deferred = self.get_deferred_fields()
        if update_fields is None and deferred and not self._state.adding:
            loaded = {f.attname for f in self._meta.concrete_fields} - deferred
            derived = {f.attname for f in self._meta.concrete_fields if isinstance(f, DerivedMixin)}
            update_fields = {
                f.name for f in self._meta.concrete_fields if f.attname in loaded | derived
            } - {self._meta.pk.name}
        return super().save(*args, update_fields=update_fields, **kwargs)

    def _save_table(self, raw=False, *args, **kwargs):
        if raw:
            for field in self._meta.concrete_fields:
                if isinstance(field, DerivedMixin):
                    setattr(self, field.attname, getattr(self, field.derive)())
        return super()._save_table(raw, *args, **kwargs)
