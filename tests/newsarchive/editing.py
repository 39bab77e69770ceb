"""An editor beside the readers: a second client, logged in to the admin, saving events as a
browser does (the change form read back, some fields changed, posted)."""

from django.contrib.auth import get_user_model

from core.html_forms import form_data
from tests.conftest import ReadingClient


def editor_client():
    user = get_user_model().objects.create_superuser("editrice", "e@example.org", "pw-for-tests")
    client = ReadingClient()
    client.force_login(user)
    return client


def admin_edit(editor, url, **changes):
    data = form_data(editor.get(url).content.decode(), "event_form")
    for name, value in changes.items():
        data[name] = [value]
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
