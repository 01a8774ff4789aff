"""Found by the fuzzing on PostgreSQL, whose text cannot hold NUL: an address with a NUL
character is a clear 400, never a server error, whatever middleware looks the path up."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/x%00y/", "/2024/01/02/a%00b/", "/%00", "/tag/a%00/feed/"])
def test_a_nul_character_in_an_address_is_refused(client, path):
    answer = client.get(path)
    assert answer.status_code == 400
    assert b"NUL" in answer.content


def test_a_nul_character_in_the_query_is_not_an_error(client):
    assert client.get("/?p=1%00").status_code < 500
    assert client.get("/search/?q=a%00b").status_code < 500
