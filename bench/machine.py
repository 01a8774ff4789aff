"""How fast the machine is right now, printed beside every figure: a shared machine's figures
only compare with its own calibration and load average."""

import time


def calibration():
    """Milliseconds for a fixed pure-Python loop (best of five): about 15 on an idle recent x86
    core; it grows with the machine's contention."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(range(10**6))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)
