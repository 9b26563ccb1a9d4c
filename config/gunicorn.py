"""gunicorn settings for the production profile (`make serve`, the load test, the benchmark)."""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "2"))
worker_class = "gthread"
timeout = 30
keepalive = 5
accesslog = None
errorlog = "-"
# gunicorn's control interface listens on one path per user by default, where a second instance
# on the same host would take the first one's socket: off, unless given a path of its own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def post_worker_init(worker):
    """The objects the application is loaded with live as long as the worker: moved out of the
    garbage collector's sight, so that its full collections scan only what requests leave. Over
    the whole heap, they took 70-100 ms, for one request in fifty."""
    gc.freeze()
