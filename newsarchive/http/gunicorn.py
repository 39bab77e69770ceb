"""gunicorn settings shared by `make run` and `make bench`, so the benchmark measures the
site exactly as it is served. Bind address and worker count come from the command line.

Sync workers, one request at a time each: measured here with 2 workers, the threaded worker
(which keeps connections alive) was slower and erratic, 30 to 100 req/s for the same page
against a steady 90 to 100 with sync workers: kept-alive connections pile up on one worker
while the other idles, and threads contend for the GIL. Keep-alive with clients belongs to
the reverse proxy in front (nginx and the like), which is also what gunicorn recommends for
sync workers.
"""

worker_class = "sync"
# The archive has nothing to say on gunicorn's control socket, and one fixed path shared by
# every instance on a machine makes two servers step on each other.
control_socket_disable = True
