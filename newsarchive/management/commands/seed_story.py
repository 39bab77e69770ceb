from django.core.management.base import BaseCommand, CommandError

from newsarchive.story import FixtureError, seed, story_is_loaded


class Command(BaseCommand):
    help = (
        "Load the story fixtures into a database that has no story yet (all or nothing). Once "
        "the story is there, editors own it: nothing is loaded unless --add-missing is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="fixture folder (default: the project's fixtures/)")
        parser.add_argument(
            "--add-missing",
            action="store_true",
            help=(
                "also when the story is there: add the fixture records the database lacks and "
                "keep every record it has (this brings back records an editor deleted or "
                "renamed)"
            ),
        )

    def handle(self, *args, dir=None, add_missing=False, **options):
        loaded = story_is_loaded()
        if loaded and not add_missing:
            self.stdout.write(
                f"The story is already in the database ({loaded}): nothing loaded, so editors' "
                "changes, renames and deletions stand. `manage.py seed_story --add-missing` adds "
                "fixture records the database lacks."
            )
            return
        try:
            report = seed(dir)
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        added = sum(report.added.values())
        skipped = sum(report.skipped.values())
        for label, count in sorted(report.added.items()):
            self.stdout.write(f"  added {count} {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Story fixtures: {added} added, {skipped} already present and kept."
            )
        )
        if options["verbosity"] > 1:
            for key in report.skipped_keys:
                self.stdout.write(f"  kept {key}")
