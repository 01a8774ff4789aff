"""Real processes for the serving tests: Salon servers (`salon run --production`) and nginx,
on free loopback ports, each in its own process group, killed whole at the end."""

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from salon.testing import free_port, require

SRC = Path(__file__).resolve().parents[3]
README = SRC.parent / "README.md"
NGINX = "/usr/sbin/nginx"


def salon_env(data_dir, **settings):
    """The environment of a Salon process: no setting from the caller's but ``settings``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SALON_", "DATABASE_URL"))
    }
    env.update(
        PYTHONPATH=str(SRC),
        SALON_DATA_DIR=str(data_dir),
        SALON_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SALON_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        **settings,
    )
    return env


def salon(env, *arguments, timeout=300):
    """Run a `salon` command to its end; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "salon", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


class Process:
    """A process started in its own group; ``stop()`` ends the whole group."""

    def __init__(self, command, env, log):
        self.log = log
        with open(log, "w") as output:
            self.popen = subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.PIPE,
                stderr=output,
                text=True,
                start_new_session=True,
            )
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.popen.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, text, timeout=120):
        deadline = time.monotonic() + timeout
        said = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            assert line is not None, f"ended: {said}\n{Path(self.log).read_text()}"
            said.append(line)
            if text in line:
                return line
        raise AssertionError(f"no {text!r} in {timeout} s: {said}")

    def stop(self):
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(self.popen.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def start_salon(env, log, *, production=True):
    """`salon run --production` (server and worker) on a free port: ``(process, base URL)``."""
    port = free_port()
    command = [sys.executable, "-m", "salon", "run", f"127.0.0.1:{port}"]
    process = Process([*command, "--production"] if production else command, env, log)
    process.wait_for("serving on")
    return process, f"http://127.0.0.1:{port}"


def readme_nginx_block():
    """The nginx configuration the README gives (its one ```nginx block)."""
    match = re.search(r"```nginx\n(.*?)```", README.read_text(), re.S)
    assert match, "the README gives no nginx configuration"
    return match.group(1)


def start_nginx(folder, published, upstream, workers=1):
    """nginx as an unprivileged process with the README's configuration, in front of
    ``upstream`` (``host:port``) and serving ``published``: ``(process, base URL)``."""
    require(
        os.access(NGINX, os.X_OK) and shutil.which("nginx") != "",
        "nginx is not installed",
        "apt-get install nginx to run the static-publishing tests",
    )
    port = free_port()
    site = readme_nginx_block()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("server_name example.org;", "server_name 127.0.0.1 localhost;"),
        ("/srv/salon/published", str(published)),
        ("127.0.0.1:8000", upstream),
    ):
        assert old in site, old
        site = site.replace(old, new)
    temp = folder / "nginx-temp"
    temp.mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"worker_processes {workers};\npid {folder / 'nginx.pid'};\nerror_log stderr warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n  access_log off;\n"
        + "".join(
            f"  {kind}_temp_path {temp / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + site
        + "}\n"
    )
    process = Process(
        [NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
        os.environ.copy(),
        folder / "nginx.log",
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            assert process.popen.poll() is None, (folder / "nginx.log").read_text()
            assert time.monotonic() < deadline, "nginx did not listen"
            time.sleep(0.1)
    return process, base


def get(url, **headers):
    """``(status, headers, body)`` of a GET (errors included)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
