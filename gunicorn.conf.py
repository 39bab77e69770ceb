"""gunicorn settings, the one place for them: `make run`, `make bench` and the tests that start
servers all use this file (`--config gunicorn.conf.py`), so the benchmark and the tests see the
site as it is served. `--bind` and `--workers` on the command line override the values here.

Sync workers, one request at a time each: measured here with 2 workers, the threaded worker
(which keeps connections alive) was slower and erratic, 30 to 100 req/s for the same page
against a steady 90 to 100 with sync workers: kept-alive connections pile up on one worker
while the other idles, and threads contend for the GIL. Keep-alive with clients belongs to
the reverse proxy in front (nginx and the like), which is also what gunicorn recommends for
sync workers.
"""

import os

wsgi_app = "newsarchive.wsgi:application"
bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WORKERS", "2"))
worker_class = "sync"

# A request that takes longer than this is stuck (every page answers in well under a second,
# and a database that does not answer is a 503 after its connect timeout): the worker is
# killed and replaced. On SIGTERM, workers get this long to finish their requests.
timeout = 30
graceful_timeout = 20

# The archive has nothing to say on gunicorn's control socket (gunicorn 25.1+), and its one
# fixed default path, shared by every instance on a machine, makes two servers step on each
# other: off.
control_socket_disable = True

# Access log on stdout: the usual combined format, plus the time taken in milliseconds.
accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
