from django.core.management.base import BaseCommand, CommandError

from newsarchive.story import FixtureError, seed


class Command(BaseCommand):
    help = (
        "Load the story fixtures: add every record missing from the database and keep every "
        "record already there, so an editor's change is never overwritten. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="fixture folder (default: the project's fixtures/)")

    def handle(self, *args, dir=None, **options):
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
