"""`manage.py export_site DIR [--warc FILE.warc.gz] [--base-url URL]`: the whole archive as
static files (links rewritten to work from any static host and from file://) and/or as a
WARC for deposit with a web archive. See newsarchive.publishing.snapshot."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsarchive.publishing.snapshot import export


class Command(BaseCommand):
    help = "Write the archive as a static folder and/or a WARC file."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="an empty or new folder for the static site")
        parser.add_argument("--warc", help="write the pages to this WARC file (.warc.gz)")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="the archive's public address: WARC record URLs, and links to pages the "
            "snapshot does not hold (search, combined filters)",
        )

    def handle(self, folder=None, warc=None, base_url=None, **options):
        if not folder and not warc:
            raise CommandError("Give a folder, --warc FILE.warc.gz, or both.")
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url must start with http:// or https://, not {base_url!r}.")
        if folder:
            path = Path(folder)
            if path.exists() and (not path.is_dir() or any(path.iterdir())):
                raise CommandError(f"{folder} exists and is not an empty folder: choose another.")
        if warc and not warc.endswith(".warc.gz"):
            raise CommandError("The WARC file name must end with .warc.gz.")

        def progress(message):
            self.stdout.write(message)

        target = " and ".join(filter(None, [folder, warc]))
        self.stdout.write(f"Exporting the archive to {target} …")
        report = export(folder=folder, warc=warc, base_url=base_url, progress=progress)
        kinds = ", ".join(f"{n} {kind}" for kind, n in report["by_type"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {report['pages']} pages ({report['bytes'] / 1e6:.1f} MB): {kinds}."
            )
        )
        for url, status in report["failed"]:
            self.stderr.write(f"  {status} {url} (left out)")
        if any(status >= 500 for _url, status in report["failed"]):
            raise CommandError(
                "Some pages failed to render (5xx above): the snapshot is incomplete."
            )
        if folder:
            self.stdout.write(f"Static site: {folder}/index.html (French), {folder}/en/index.html")
        if warc:
            self.stdout.write(f"WARC: {warc}, {report['warc_records']} records")
