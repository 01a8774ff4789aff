import errno
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from salon.site.staticfiles import collect

CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"


def split_addrport(addrport):
    """``(host, port)`` of runserver's ``[ADDR:]PORT`` (``[::1]:8000`` for IPv6)."""
    host, _sep, port = addrport.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


def connect_host(host):
    """Where to knock to see whether a server bound to ``host`` answers."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "0": "127.0.0.1"}.get(host, host)


def port_taken(host, port):
    """Whether something already listens on ``host:port``. With ``--reuse-port`` gunicorn would
    not refuse to start there: a second server would share the port with the first, each
    answering some of the readers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # not fooled by TIME_WAIT
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def wait_until_listening(host, port, server):
    """Knock at ``host:port`` until something accepts, or ``server`` exits; True if it answers.

    The server takes seconds to start (imports, checks): saying "serving" before it accepts
    connections sends a newcomer to an address that refuses them.
    """
    while server.poll() is None:
        try:
            with socket.create_connection((connect_host(host), port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def gunicorn_options(workers, threads):
    """gunicorn's threaded worker: each process serves ``threads`` requests at once, keeps
    connections open between requests (the sync worker closes every one) and keeps one database
    connection per thread; one process per core lets cached pages use every core (one Python
    process runs one thread at a time). bench/serve.py uses the same options."""
    return [
        "--worker-class",
        "gthread",
        # Each process listens on its own socket and the kernel spreads new connections over
        # them. On one shared socket whichever process wakes first accepts, and connections
        # kept open (a browser's, a load test's) piled up on one process: wrk's 16 were found
        # 15 or 16 to 1 in about half the runs, one core then serving everything at a third of
        # the throughput while the other sat idle.
        "--reuse-port",
        "--workers",
        str(max(1, workers)),
        "--threads",
        str(max(1, threads)),
        # Seconds an idle connection stays open: a reader's next page, a proxy's pool.
        "--keep-alive",
        "5",
        # The heartbeat file in memory, not on a disk that may stall under load.
        "--worker-tmp-dir",
        "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir(),
        "--access-logfile",
        "-",
    ]


class Command(BaseCommand):
    help = (
        "Serve the site and run a background worker beside it, for a single machine "
        "(runserver, or gunicorn with --production)."
    )
    # The development server runs the system checks itself; gunicorn does not, so handle()
    # runs them for --production. Running them twice would delay the first page by seconds.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--production",
            action="store_true",
            help="Serve with gunicorn instead of Django's development server.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.SALON_WEB_WORKERS,
            help="gunicorn worker processes (SALON_WEB_WORKERS; default: one per core).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.SALON_WEB_THREADS,
            help="threads per worker process (SALON_WEB_THREADS).",
        )

    def handle(self, *args, addrport, production, workers, threads, skip_checks=False, **options):
        if production:
            if not skip_checks:
                self.check(display_num_errors=True)
            collect()  # hashed, compressed static files; milliseconds when nothing changed
        # Without mail settings, the development server prints mail rather than knocking at a
        # localhost:25 that refuses (the reader would wait for a link that never comes): passed
        # on to the worker, which sends mail, and to the server, whose checks then stay quiet.
        mail_to_console = not production and not settings.SALON_MAIL_CONFIGURED
        if mail_to_console:
            os.environ["SALON_EMAIL_BACKEND"] = CONSOLE_MAIL
        salon = [sys.executable, "-m", "salon"]
        if ":" not in addrport:
            addrport = f"127.0.0.1:{addrport}"
        host, port = split_addrport(addrport)
        if production and port_taken(host, port):
            raise CommandError(
                f"Something already serves on {addrport}: stop it or choose another address."
            )
        worker = subprocess.Popen([*salon, "worker"])
        if production:
            server_cmd = [sys.executable, "-m", "gunicorn", "salon.wsgi", "--bind", addrport]
            server_cmd += gunicorn_options(workers, threads)
        else:
            server_cmd = [*salon, "runserver", addrport, "--noreload"]
        server = subprocess.Popen(server_cmd)

        stopped = []

        def stop(*_):
            stopped.append(True)
            for process in (server, worker):
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            if wait_until_listening(host, port, server):
                self.stdout.write(
                    f"Salon is serving on http://{addrport}/ (worker pid {worker.pid})."
                )
                if mail_to_console:
                    self.stdout.write(
                        "Mail is printed here, not sent: set SALON_EMAIL_HOST to send it."
                    )
                self.stdout.flush()  # a pipe buffers: whoever waits for the line needs it now
            server.wait()
        except KeyboardInterrupt:
            stopped.append(True)
        finally:
            stop()
            for process in (server, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        # Stopped on purpose (Ctrl+C, SIGTERM): a clean exit; the server's own failure: its code.
        os._exit(0 if stopped else server.returncode or 0)
