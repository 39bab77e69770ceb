from django.core.management.base import BaseCommand, CommandError

from editions.validation import story_records, validate


class Command(BaseCommand):
    help = (
        "Check the story's consistency: every event has participants and passages, roles end "
        "after they start, a sole position has one holder at a time, quotes are verbatim in "
        "their passages, an alias names one actor, every role and quote cites a passage, and no "
        "free text (French or English) states as fact a time or part of the day the archive "
        "holds only on someone's word."
    )

    def handle(self, *args, **options):
        records = story_records()
        problems = validate(records)
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{len(problems)} problem(s) found in the story.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Story OK: {len(records.events)} events, {len(records.actors)} actors, "
                f"{len(records.roles)} roles, {len(records.quotes)} quotes, "
                f"{len(records.sources)} sources, {len(records.aliases)} aliases."
            )
        )
