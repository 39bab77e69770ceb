"""The story in the test database, seeded once per test process instead of once per test.

Seeding the story runs some 8,000 queries (every record validated, its history recorded), about
ten seconds; two hundred tests read it. So it is seeded once, inside a transaction that is never
committed (the *story layer*); each test that asks for `story` runs in a savepoint inside it (as
pytest-django's `db` always does) and is rolled back, so every one of them starts from the
freshly seeded story, as before. Tests that do not ask for the story never see it: the layer
is rolled back before such a test starts, and seeded again if a story test comes after it.
Tests are ordered so that this happens at most once per process: the tests without the story
first, then the story's, then the transactional tests; `make test`'s workers keep that order.

Transactional tests (a live server, `transaction=True`) see only committed data, so they get
the story committed, and flushed after them as before; on SQLite the first seed is kept as a
copy of the in-memory database and later ones are restored from it (SQLite's backup API).
"""

import sqlite3

import pytest

LAYER_FIXTURE = "story_layer"


def is_transactional(item):
    """As pytest-django decides it (pytest_django.fixtures._django_db_helper)."""
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )


def uses_layer(item):
    return "story" in getattr(item, "fixturenames", ()) and not is_transactional(item)


class StoryLayer:
    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None

    @property
    def is_open(self):
        return self.atomic is not None

    def open(self):
        from django.core.management import call_command
        from django.db import connection, transaction

        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            # As Django's TestCase marks its own blocks: a durable atomic block inside a test
            # checks the test's block, not this one.
            connection.atomic_blocks[-1]._from_testcase = True
            call_command("seed_story", verbosity=0)

    def close(self):
        from django.db import connection, transaction

        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        if connection.atomic_blocks[:1] != [atomic]:
            return  # already gone with its connection (check() has said which test did it)
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def check(self, test):
        """The layer must still be the outermost open transaction when a story test ends."""
        from django.db import connection

        if self.atomic is not None and connection.atomic_blocks[:1] != [self.atomic]:
            self.atomic = None
            pytest.fail(f"{test} closed the story layer's transaction", pytrace=False)


_layer = None


@pytest.fixture(scope="session")
def story_layer(django_db_setup, django_db_blocker):
    """Requested first by every non-transactional test that uses `story` (see
    pytest_collection_modifyitems), so the layer opens before the test's own transaction."""
    global _layer
    _layer = StoryLayer(django_db_blocker)
    _layer.open()
    yield _layer
    _layer.close()
    _layer = None


@pytest.fixture
def story(request, db):
    """The shipped story fixtures, seeded as `make run` seeds them."""
    if is_transactional(request.node):
        _seed_committed()
        yield
        return
    assert _layer is not None and _layer.is_open, "the story layer is not open"
    yield
    _layer.check(request.node.nodeid)


_snapshot = None


def _seed_committed():
    """seed_story, committed; on an in-memory SQLite database, restored from a copy after the
    first time (the copy holds the whole database: rows, search index, sequences)."""
    global _snapshot
    from django.core.management import call_command
    from django.db import connection

    in_memory_sqlite = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if in_memory_sqlite and _snapshot is not None:
        connection.ensure_connection()
        _snapshot.backup(connection.connection)
        return
    call_command("seed_story", verbosity=0)
    if in_memory_sqlite:
        _snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_snapshot)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """Instead of pytest-django's order: first the tests that do not see the story, database or
    not, in file order (a file's module fixtures are built once), then the story's, each asking
    for the layer before anything else, then the transactional tests (they empty the database
    after them, so they come last, as pytest-django has it)."""
    collected = {id(item): index for index, item in enumerate(items)}
    yield
    for item in items:
        if uses_layer(item):
            item.fixturenames.insert(0, LAYER_FIXTURE)
    items.sort(key=lambda item: (is_transactional(item), uses_layer(item), collected[id(item)]))


# optionalhook: without xdist (`-p no:xdist`) pytest does not know the hook, and need not.
@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile` that keeps the order above on every worker: a file's tests are one
    unit per stretch of that order (its tests without the story, then with it), so each worker
    opens the layer once, and a file's module fixtures are still built once; units go out in
    order, except browser tests, one unit each, so that the two workers finish together."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class StoryOrderScheduling(LoadScopeScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            config.option.loadscopereorder = False
            self.units = {}

        def schedule(self):
            if self.collection is None and self.collection_is_completed:
                self.units = work_units(next(iter(self.registered_collections.values())))
            super().schedule()

        def _split_scope(self, nodeid):
            return self.units[nodeid]

    return StoryOrderScheduling(config, log)


def work_units(nodeids):
    units, previous, stretch = {}, None, 0
    for nodeid in nodeids:
        path = nodeid.split("::", 1)[0]
        if path.startswith("tests/browser/"):
            units[nodeid] = nodeid
            continue
        if path != previous:
            previous, stretch = path, stretch + 1
        units[nodeid] = f"{path}#{stretch}"
    return units


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: roll the layer back for a test that must not see the story,
    seed it again for a story test that comes after such a test (only if the order is broken)."""
    if _layer is None:
        return
    if uses_layer(item):
        if not _layer.is_open:
            _layer.open()
    elif _layer.is_open:
        _layer.close()
