"""Running one measurement in a child process of its own, so its peak memory and imports are
its own: the child prints ``RESULT <json>`` as its last such line (used by search.py and
similar.py)."""

import json
import subprocess
import sys


def run_child(script, action, argument, env):
    completed = subprocess.run(
        [sys.executable, script, "--child", action, str(argument)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"{action} failed")
    line = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])
