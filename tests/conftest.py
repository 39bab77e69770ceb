import pytest
from django.core.management import call_command


@pytest.fixture
def story(db):
    """The shipped story fixtures, seeded as `make run` seeds them."""
    call_command("seed_story", verbosity=0)
