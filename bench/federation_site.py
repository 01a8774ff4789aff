"""A Salon served by gunicorn on a fresh SQLite data dir, for the federation benches."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from salon.pagecache.tests.live import free_port  # noqa: E402


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Site:
    """``Site(workers=2, **env).start()``; ``site.worker()`` adds a background worker."""

    def __init__(self, workers=2, **env):
        self.data_dir = Path(tempfile.mkdtemp(prefix="salon-bench-federation-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = dict(
            os.environ,
            SALON_DATA_DIR=str(self.data_dir),
            SALON_SITE_URL=self.base,
            SALON_LOG_LEVEL="WARNING",
            SALON_NET_ALLOW_LOOPBACK="1",
            SALON_FEDERATION_RATE_LIMIT="off",
            SALON_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            # This checkout's code, whatever the environment has installed.
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
            ),
            **env,
        )
        self.env.pop("DATABASE_URL", None)
        self.processes = []
        self.salon_command = [sys.executable, "-m", "salon"]

    @property
    def database(self):
        return self.data_dir / "salon.sqlite3"

    def start(self):
        subprocess.run(
            [*self.salon_command, "bootstrap"], env=self.env, check=True, stdout=subprocess.DEVNULL
        )
        log = (self.data_dir / "gunicorn.log").open("w")
        self.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "salon.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--threads",
                    "4",
                    "--timeout",
                    "120",
                ],
                env=self.env,
                cwd=ROOT,
                stderr=log,
                stdout=subprocess.DEVNULL,
            )
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/", timeout=2).status_code < 500:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit(f"the site did not answer at {self.base}")

    def worker(self):
        log = (self.data_dir / "worker.log").open("w")
        self.processes.append(
            subprocess.Popen(
                [*self.salon_command, "worker"],
                env=self.env,
                cwd=ROOT,
                stderr=log,
                stdout=subprocess.DEVNULL,
            )
        )

    def shell(self, code):
        subprocess.run(
            [*self.salon_command, "shell", "-c", code],
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def ready_shell(self, code):
        """A ``salon shell`` already started (Django set up) that runs ``code`` once told to by
        the returned function, which returns the ``time.monotonic()`` (one clock for every
        process) at which the code had run: the start-up's CPU stays out of what is measured."""
        process = subprocess.Popen(
            [
                *self.salon_command,
                "shell",
                "-c",
                f"import sys, time; sys.stdin.readline(); {code}; print(time.monotonic())",
            ],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

        def run():
            process.stdin.write("go\n")
            process.stdin.close()
            done_at = process.stdout.read().strip().splitlines()[-1]
            if process.wait(timeout=120):
                raise SystemExit(f"the shell failed: {code}")
            return float(done_at)

        return run

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)
