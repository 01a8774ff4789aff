"""Property tests over the public entry points (hypothesis): random paths, queries, headers and
form fields, mutated import files. The invariant everywhere: no server error, no unhandled
exception, no partial write.

Example counts stay moderate so the suite stays fast: the ``salon`` profile (the default) runs
about 40 examples a property; ``pytest --hypothesis-profile=salon-long tests/fuzz`` runs 1,000.
How many cases ran is printed at the end of the session ("fuzzing: N cases")."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("salon", max_examples=40, **COMMON)
settings.register_profile("salon-long", max_examples=1000, **COMMON)
settings.load_profile("salon")

CASES = Counter()


@pytest.fixture
def count_case(request):
    """Call once per generated example: the session's closing line adds them up by test."""
    name = request.node.name

    def count():
        CASES[name] += 1

    return count


def pytest_terminal_summary(terminalreporter):
    if CASES:
        terminalreporter.write_line(
            f"fuzzing: {sum(CASES.values())} cases ("
            + ", ".join(f"{name} {count}" for name, count in sorted(CASES.items()))
            + ")"
        )
