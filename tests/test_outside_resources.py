"""Tests that need something outside the checkout (the shared corpus, a second Salon, Chromium)
skip on a developer's machine, saying how to run them, and fail under CI, where it is always
there: a skipped corpus test on CI would hide a broken import (``salon.testing``)."""

import unittest
from pathlib import Path

import pytest

from salon import testing


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_under_ci_a_missing_corpus_file_fails(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(AssertionError, match="no-such-export.wxr is not there"):
        testing.corpus_file("no-such-export.wxr")


@pytest.mark.parametrize("value", [None, "", "0", "false"])
def test_elsewhere_it_skips_saying_how_to_run_it(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    with pytest.raises(unittest.SkipTest) as skipped:
        testing.corpus_file("no-such-export.wxr")
    assert f"ln -s /path/to/shared/corpus {testing.CORPUS}" in str(skipped.value)


def test_a_required_resource_fails_even_without_ci(monkeypatch):
    """``SALON_REQUIRE_BROWSER`` makes the browser tests fail without Chromium, CI or not."""
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(AssertionError, match="chromium is not installed"):
        testing.require(
            False, "chromium is not installed", "apt-get install chromium", required=True
        )


def test_the_corpus_is_looked_for_beside_the_checkout():
    """``../shared/corpus`` from the checkout's root (where CI checkouts have it)."""
    root = Path(__file__).resolve().parents[1]
    assert (root / "pyproject.toml").is_file()
    assert testing.CORPUS == root.parent / "shared" / "corpus"
