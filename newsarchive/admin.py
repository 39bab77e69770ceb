"""The archive's own additions to the admin: events and actors can be saved as a public
correction (newsarchive.admin_corrections). Installed last, so their admins exist here."""

from django.contrib import admin

from events.models import Event
from people.models import Actor

from .admin_corrections import add_to

add_to(admin.site, Event, Actor)
