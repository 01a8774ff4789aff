import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve the site and run a background worker beside it, for a single machine "
        "(runserver, or gunicorn with --production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--production",
            action="store_true",
            help="Serve with gunicorn instead of Django's development server.",
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")

    def handle(self, *args, addrport, production, workers, **options):
        salon = [sys.executable, "-m", "salon"]
        worker = subprocess.Popen([*salon, "worker"])
        if production:
            server_cmd = [
                sys.executable,
                "-m",
                "gunicorn",
                "salon.wsgi",
                "--bind",
                addrport,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ]
        else:
            server_cmd = [*salon, "runserver", addrport, "--noreload"]
        server = subprocess.Popen(server_cmd)
        self.stdout.write(f"Salon is serving on http://{addrport}/ (worker pid {worker.pid}).")

        def stop(*_):
            for process in (server, worker):
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in (server, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        os._exit(server.returncode or 0)
