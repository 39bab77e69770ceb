import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def editor(client):
    """A superuser, logged in on `client`: the admin's pages as an editor sees them."""
    user = get_user_model().objects.create_superuser("editrice", "e@example.org", "pw-for-tests")
    client.force_login(user)
    return user
