"""The background worker gives way to readers: `salon worker` runs at SALON_WORKER_NICE under
Linux's batch policy, its delivery threads at the idle policy, and a bad value is refused at
start."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from salon.core import priority
from salon.pagecache.tests.live import salon_env

linux_only = pytest.mark.skipif(
    not hasattr(os, "sched_getscheduler"), reason="scheduling policies are Linux's"
)


def niceness_and_policy(pid):
    """(nice, policy) of a process, from /proc/PID/stat (fields 19 and 41)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16]), int(fields[38])


@linux_only
@pytest.mark.parametrize(("setting", "added"), [(None, 19), ("5", 5)])
def test_the_worker_runs_below_the_web_server(tmp_path, setting, added):
    # The niceness adds to the one the worker was started with (this test's own).
    expected = (min(19, os.nice(0) + added), os.SCHED_BATCH)
    extra = {} if setting is None else {"SALON_WORKER_NICE": setting}
    env = salon_env(tmp_path, **extra)
    subprocess.run(
        [sys.executable, "-m", "salon", "migrate", "--verbosity", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "salon", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        seen = niceness_and_policy(worker.pid)
        while seen != expected and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
            seen = niceness_and_policy(worker.pid)
        assert seen == expected
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_a_bad_niceness_is_refused_at_start(tmp_path):
    for value in ("high", "20", "-5"):
        result = subprocess.run(
            [sys.executable, "-m", "salon", "check"],
            env=salon_env(tmp_path, SALON_WORKER_NICE=value),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0
        assert "salon.E012" in result.stderr and repr(value) in result.stderr


@linux_only
@pytest.mark.parametrize(("setting", "idle"), [("19", True), ("0", False)])
def test_sending_threads_use_only_idle_time_unless_the_worker_runs_at_normal_priority(
    settings, setting, idle
):
    settings.SALON_WORKER_NICE = setting
    seen = []

    def sender():
        priority.idle_thread()
        seen.append(os.sched_getscheduler(0))

    thread = threading.Thread(target=sender)
    thread.start()
    thread.join()
    assert seen == [os.SCHED_IDLE if idle else os.SCHED_OTHER]
    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # the calling thread kept its own
