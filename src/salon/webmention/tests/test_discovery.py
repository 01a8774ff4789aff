"""Endpoint discovery follows the W3C Recommendation exactly, against real pages served on
127.0.0.1 (the cases of webmention.rocks' discovery suite, rewritten, and a few more)."""

import pytest

from salon.webmention import discovery

HTML = "<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def page(head="", body=""):
    return HTML.format(head=head, body=body)


# (name, path, response headers, head, body, expected endpoint path relative to the server root;
#  None = no endpoint)
CASES = [
    (
        "header, relative URL",
        "/p/1",
        [("Link", "</endpoint/1>; rel=webmention")],
        "",
        "",
        "/endpoint/1",
    ),
    (
        "header, absolute URL",
        "/p/2",
        [("Link", "<{base}/endpoint/2>; rel=webmention")],
        "",
        "",
        "/endpoint/2",
    ),
    (
        "<link>, relative URL",
        "/p/3",
        [],
        '<link rel="webmention" href="/endpoint/3">',
        "",
        "/endpoint/3",
    ),
    (
        "<link>, absolute URL",
        "/p/4",
        [],
        '<link rel="webmention" href="{base}/endpoint/4">',
        "",
        "/endpoint/4",
    ),
    (
        "<a>, relative URL",
        "/p/5",
        [],
        "",
        '<a rel="webmention" href="/endpoint/5">wm</a>',
        "/endpoint/5",
    ),
    (
        "<a>, absolute URL",
        "/p/6",
        [],
        "",
        '<a rel="webmention" href="{base}/endpoint/6">wm</a>',
        "/endpoint/6",
    ),
    (
        "header name in odd case",
        "/p/7",
        [("LinK", "<{base}/endpoint/7>; rel=webmention")],
        "",
        "",
        "/endpoint/7",
    ),
    (
        "header, quoted rel",
        "/p/8",
        [("Link", '<{base}/endpoint/8>; rel="webmention"')],
        "",
        "",
        "/endpoint/8",
    ),
    (
        "<link>, several rel values",
        "/p/9",
        [],
        '<link rel="webmention somethingelse" href="/endpoint/9">',
        "",
        "/endpoint/9",
    ),
    (
        "header, several rel values",
        "/p/10",
        [("Link", '<{base}/endpoint/10>; rel="webmention somethingelse"')],
        "",
        "",
        "/endpoint/10",
    ),
    (
        "header wins over <link> and <a>",
        "/p/11",
        [("Link", '</endpoint/11>; rel="webmention"')],
        '<link rel="webmention" href="/wrong/link">',
        '<a rel="webmention" href="/wrong/a">x</a>',
        "/endpoint/11",
    ),
    (
        "rel must be the exact token",
        "/p/12",
        [],
        '<link rel="not-webmention" href="/wrong/12">',
        '<a rel="webmention" href="/endpoint/12">x</a>',
        "/endpoint/12",
    ),
    (
        "commented-out endpoint ignored",
        "/p/13",
        [],
        '<!-- <link rel="webmention" href="/wrong/13"> -->',
        '<a rel="webmention" href="/endpoint/13">x</a>',
        "/endpoint/13",
    ),
    (
        "escaped markup ignored",
        "/p/14",
        [],
        "",
        '<code>&lt;a href="/wrong/14" rel="webmention"&gt;&lt;/a&gt;</code>'
        '<a rel="webmention" href="/endpoint/14">x</a>',
        "/endpoint/14",
    ),
    ("empty href is the page itself", "/p/15", [], '<link rel="webmention" href="">', "", "/p/15"),
    (
        "<a> before <link> in document order",
        "/p/16",
        [],
        "",
        '<a rel="webmention" href="/endpoint/16">x</a><link rel="webmention" href="/wrong/16">',
        "/endpoint/16",
    ),
    (
        "<link> before <a> in document order",
        "/p/17",
        [],
        '<link rel="webmention" href="/endpoint/17">',
        '<a rel="webmention" href="/wrong/17">x</a>',
        "/endpoint/17",
    ),
    (
        "several Link headers",
        "/p/18",
        [
            ("Link", '<{base}/wrong/18>; rel="other"'),
            ("Link", '<{base}/endpoint/18>; rel="webmention"'),
        ],
        "",
        "",
        "/endpoint/18",
    ),
    (
        "one Link header, several values",
        "/p/19",
        [("Link", '<{base}/wrong/19>; rel="other", <{base}/endpoint/19>; rel="webmention"')],
        "",
        "",
        "/endpoint/19",
    ),
    (
        "<link> without href skipped",
        "/p/20",
        [],
        '<link rel="webmention">',
        '<a rel="webmention" href="/endpoint/20">x</a>',
        "/endpoint/20",
    ),
    (
        "query string kept",
        "/p/21",
        [],
        '<link rel="webmention" href="/endpoint/21?query=yes&amp;x=1">',
        "",
        "/endpoint/21?query=yes&x=1",
    ),
    (
        "relative to the page's path",
        "/p/22/page",
        [],
        '<link rel="webmention" href="22/endpoint">',
        "",
        "/p/22/22/endpoint",
    ),
    (
        "quoted comma inside a parameter does not split",
        "/p/24",
        [("Link", '<{base}/wrong/24>; title="a, b"; rel="other", </endpoint/24>; rel=webmention')],
        "",
        "",
        "/endpoint/24",
    ),
    (
        "rel compared without case",
        "/p/25",
        [],
        '<link rel="WebMention" href="/endpoint/25">',
        "",
        "/endpoint/25",
    ),
    (
        "no endpoint at all",
        "/p/26",
        [],
        '<link rel="stylesheet" href="/s.css">',
        '<a href="/elsewhere">x</a>',
        None,
    ),
]


@pytest.mark.parametrize(
    "name,path,headers,head,body,expected", CASES, ids=[case[0] for case in CASES]
)
def test_discovery_case(site, name, path, headers, head, body, expected):
    """Each page advertises its endpoint one way; discovery finds exactly that one."""
    base = site.base
    site.page(
        path,
        page(head.format(base=base), body.format(base=base)),
        headers=[(k, v.format(base=base)) for k, v in headers],
    )
    found = discovery.discover(site.url(path))
    assert found.endpoint == (site.url(expected) if expected else None)


def test_relative_endpoint_resolves_against_the_final_url_after_redirects(site):
    """The target redirects; a relative endpoint is relative to where we landed."""
    site.page("/redirect/23", "", status=302, headers=[("Location", "/final/23/page")])
    site.page("/final/23/page", page('<link rel="webmention" href="endpoint">'))
    found = discovery.discover(site.url("/redirect/23"))
    assert found.final_url == site.url("/final/23/page")
    assert found.endpoint == site.url("/final/23/endpoint")


def test_header_on_the_redirect_itself_is_not_used(site):
    """Only the final response's headers count."""
    site.page(
        "/hop",
        "",
        status=301,
        headers=[("Location", "/landing"), ("Link", "</wrong>; rel=webmention")],
    )
    site.page("/landing", page('<link rel="webmention" href="/endpoint/landing">'))
    assert discovery.discover(site.url("/hop")).endpoint == site.url("/endpoint/landing")


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "image/png"])
def test_non_html_bodies_are_not_searched(site, content_type):
    """Markup in a body that is not HTML is not an endpoint; a Link header still is."""
    site.page("/doc", page('<link rel="webmention" href="/wrong">'), content_type=content_type)
    assert discovery.discover(site.url("/doc")).endpoint is None
    site.page(
        "/doc2",
        "{}",
        content_type=content_type,
        headers=[("Link", "</endpoint/doc2>; rel=webmention")],
    )
    assert discovery.discover(site.url("/doc2")).endpoint == site.url("/endpoint/doc2")


def test_xhtml_is_html(site):
    site.page(
        "/x",
        page('<link rel="webmention" href="/endpoint/x"/>'),
        content_type="application/xhtml+xml",
    )
    assert discovery.discover(site.url("/x")).endpoint == site.url("/endpoint/x")


def test_link_header_parser_reads_every_value():
    """RFC 8288 values: several links, quoted and unquoted parameters, escapes."""
    links = discovery.parse_link_header(
        '<https://a.example/1>; rel="next webmention", <https://a.example/2>;rel=prev;'
        ' title="say \\"hi\\", bye"'
    )
    assert links == [
        ("https://a.example/1", {"rel": "next webmention"}),
        ("https://a.example/2", {"rel": "prev", "title": 'say "hi", bye'}),
    ]
    assert discovery.parse_link_header("") == []
    assert discovery.parse_link_header("garbage") == []
