"""gunicorn settings shared by `make run` and `make bench`, so the benchmark measures the
site exactly as it is served. Bind address and worker count come from the command line."""

# Threads let one worker keep connections alive between requests (the sync worker closes
# each one) and wait on the database or Redis without blocking the next client.
worker_class = "gthread"
threads = 4
keepalive = 5
# The archive has nothing to say on gunicorn's control socket, and one fixed path shared by
# every instance on a machine makes two servers step on each other.
control_socket_disable = True
