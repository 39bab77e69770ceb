"""Static files as whitenoise serves them, minus the storage's own manifest.

`collectstatic` writes `staticfiles.json` (and whitenoise its compressed copies) into
STATIC_ROOT beside the files it maps. The storage reads it from disk to turn `css/base.css` into
its hashed name; no reader needs it, and it lists every static file the site has, so it is not
served.
"""

from django.contrib.staticfiles.storage import staticfiles_storage
from whitenoise.middleware import WhiteNoiseMiddleware

COMPRESSED_SUFFIXES = ("", ".gz", ".br")


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def is_hidden(self, url):
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        if not manifest or not url.startswith(self.static_prefix):
            return False
        return url[len(self.static_prefix) :] in {manifest + s for s in COMPRESSED_SUFFIXES}

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        # Called for every file while whitenoise lists STATIC_ROOT once, at start-up.
        if not self.is_hidden(url):
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):
        # With autorefresh (DEBUG), files are looked up on each request instead.
        if self.is_hidden(url):
            return None
        return super().find_file(url)
