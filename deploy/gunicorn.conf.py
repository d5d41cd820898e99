"""gunicorn settings for BackCare: ``gunicorn -c deploy/gunicorn.conf.py backcare.wsgi``.

Everything can be overridden from the environment (deploy/.env.example lists
the variables), so the systemd unit, bench/run and the tests share this file.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "backcare.wsgi:application"
# Under systemd, backcare-web.socket holds the listening socket and hands it
# over (LISTEN_FDS); gunicorn then uses that socket and ignores ``bind``, so a
# restart refuses no connection. Without systemd (bench/run, the tests) gunicorn
# binds GUNICORN_BIND itself.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# The usual 2 × cores + 1 processes, capped: each worker holds its own
# database pool (DATABASE_POOL_MAX connections) and ~60-100 MB of memory.
workers = _int("GUNICORN_WORKERS", min(2 * _cores() + 1, _int("GUNICORN_MAX_WORKERS", 8)))
# gthread, not sync: the sync worker closes every connection after one
# response, so nginx's upstream keep-alive would be wasted; gthread keeps
# connections open and a few threads cover the time a request waits on
# PostgreSQL or Redis. Keep threads <= DATABASE_POOL_MAX.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
keepalive = _int("GUNICORN_KEEPALIVE", 75)  # longer than nginx's upstream keepalive_timeout (60 s)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30

# Recycle workers now and then so a slow leak cannot grow for ever; the jitter
# keeps them from all restarting at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Import Django once in the master and fork: faster start, shared memory pages.
# Safe because Django opens its database pool and the Redis client lazily, on
# each worker's first request, never in the master.
preload_app = True

# The worker heartbeat file lives in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's advice

# Only nginx on this host may tell us the client's address and scheme.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

# Access log with the request time in milliseconds (%(M)s) and the client
# address nginx forwarded; set GUNICORN_ACCESSLOG to a path, "-" for stderr,
# or to nothing to turn it off (bench/run does, as it also turns off nginx's).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "backcare-web")
