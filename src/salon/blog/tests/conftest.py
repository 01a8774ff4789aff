import pytest
from lxml import html


@pytest.fixture
def parse():
    """Parse an HTTP response's HTML into an lxml tree."""

    def _parse(response):
        return html.fromstring(response.content.decode())

    return _parse
