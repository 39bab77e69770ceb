"""Every write to the archive's data (admin save, inline, revert, recover, delete, fixtures)
moves the data version forward; page caches and validators are keyed on it."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.signals import bulk_written
from newsarchive.models import DataVersion

DATA_APPS = {"people", "events", "editions"}
# Derived rows follow a write that already bumped the version.
NOT_DATA = {"events.facetcount"}


def is_data(model):
    return model._meta.app_label in DATA_APPS and model._meta.label_lower not in NOT_DATA


def data_changed(sender, **kwargs):
    # Raw saves too: a revert in the admin is one.
    if is_data(sender):
        DataVersion.objects.bump()


def connect():
    for signal in (post_save, post_delete, m2m_changed, bulk_written):
        signal.connect(data_changed, dispatch_uid=f"newsarchive.versioning.{signal!r}")
