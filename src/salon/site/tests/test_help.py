"""Every `salon` command answers `--help` with its usage, in both interface languages.

Argparse formats help text with regular expressions, which need a real ``str``: a lazy
translation given as a command's or an argument's help crashes ``--help`` (issue #17).
"""

import contextlib
import io

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.utils import translation

# Salon's own commands and Django's (every installed app's), discovered rather than listed.
COMMANDS = sorted(get_commands().items())


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize(("name", "app"), COMMANDS, ids=[name for name, _app in COMMANDS])
def test_help_exits_zero_with_a_usage(name, app, language):
    """`salon NAME --help` prints a usage line and exits 0, whatever the interface language."""
    out, err = io.StringIO(), io.StringIO()
    with (
        translation.override(language),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        pytest.raises(SystemExit) as exit_,
    ):
        load_command_class(app, name).run_from_argv(["salon", name, "--help"])
    assert exit_.value.code in (0, None), err.getvalue()
    assert out.getvalue().startswith(f"usage: salon {name}"), out.getvalue()[:200]


def test_salon_commands_are_among_those_checked():
    """The discovery finds Salon's own commands, not only Django's."""
    salon_commands = {name for name, app in COMMANDS if app.startswith("salon.")}
    assert {
        "run",
        "bootstrap",
        "import-wxr",
        "export-wxr",
        "export-json",
        "backup",
        "restore",
    } <= salon_commands
