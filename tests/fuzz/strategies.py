"""What a scanner sends: path segments, query strings and headers, hostile and malformed."""

from hypothesis import strategies as st

NASTY = [
    "..",
    "%2e%2e",
    "%00",
    "%ff",
    "%",
    "%zz",
    "'",
    '"',
    "<script>",
    "${7*7}",
    "{{7*7}}",
    "../../etc/passwd",
    "wp-login.php",
    ".env",
    "~",
    "a" * 300,
    "9" * 30,
    "-1",
    "0",
    "２０２４",
    "é",
    "\u202e",
    "x.xml",
    "feed",
    "atom",
    "json",
    "page",
]
PREFIXES = [
    "",
    "fr",
    "en",
    "2024",
    "2024/01",
    "2024/01/02",
    "tag",
    "series",
    "search",
    "feed",
    "comments/post",
    "comments/moderate",
    "comments/confirm",
    "comments/unsubscribe",
    "webmention",
    "reader",
    "challenges",
    "admin",
    "account",
    "account/verify",
    "i18n/setlang",
    "sitemap.xml",
    "media",
    "static",
    "my-conversations",
    "write",
    "desk",
]

segment = st.one_of(
    st.sampled_from(NASTY),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"),
        min_size=1,
        max_size=40,
    ),
    st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
    st.integers(min_value=-5, max_value=10**12).map(str),
)


@st.composite
def paths(draw):
    parts = [draw(st.sampled_from(PREFIXES))]
    parts += draw(st.lists(segment, max_size=4))
    path = "/" + "/".join(part for part in parts if part)
    return path + draw(st.sampled_from(["", "/", "//"]))


query_value = st.one_of(
    st.sampled_from(["", "0", "-1", "99999999999999999999", "2", "fr", "xx", "a" * 2000]),
    st.text(max_size=60),
)
queries = st.dictionaries(
    st.sampled_from(["page", "q", "lang", "tag", "year", "next", "format", "p", "s", "x", "id"]),
    query_value,
    max_size=4,
)

header_value = st.one_of(
    st.sampled_from(
        [
            "",
            "*",
            "fr",
            "xx-YY;q=2",
            "fr;q=abc, en;q=0.5",
            "text/html;q=0.9, application/activity+json",
            "Mon, 32 Foo 2024 99:99:99 GMT",
            '"bogus-etag"',
            'W/"x", *',
            "bytes=5-1",
            "1.2.3.4, ::1, not-an-ip, 999.1.1.1",
            "https",
            "a" * 4000,
        ]
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80),
)
headers = st.dictionaries(
    st.sampled_from(
        [
            "HTTP_ACCEPT_LANGUAGE",
            "HTTP_ACCEPT",
            "HTTP_IF_MODIFIED_SINCE",
            "HTTP_IF_NONE_MATCH",
            "HTTP_RANGE",
            "HTTP_X_FORWARDED_FOR",
            "HTTP_X_FORWARDED_PROTO",
            "HTTP_REFERER",
            "HTTP_USER_AGENT",
            "HTTP_COOKIE",
        ]
    ),
    header_value,
    max_size=4,
)
