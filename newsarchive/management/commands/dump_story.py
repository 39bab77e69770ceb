from django.core.management.base import BaseCommand

from newsarchive.story import dump, fixture_dir


class Command(BaseCommand):
    help = (
        "Write the database back to the story fixture files (natural keys), for review and commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="output folder (default: the project's fixtures/)")

    def handle(self, *args, dir=None, **options):
        directory = dir or fixture_dir()
        for name, count in dump(directory):
            self.stdout.write(f"  {name}: {count} records")
        self.stdout.write(self.style.SUCCESS(f"Story written to {directory}."))
