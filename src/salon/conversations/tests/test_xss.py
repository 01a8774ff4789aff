"""Every user-supplied string is shown inert: 58 XSS payloads go through every comment field
(and every field a Webmention or an import can fill), and neither the post page, the refusal
pages nor the mail carry any of them live."""

import re
from pathlib import Path

import pytest
from lxml import html

from salon.conversations.models import Origin, Response, State, Subscriber, Subscription

from .conftest import html_part

pytestmark = pytest.mark.django_db

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "cite",
    "background",
    "data",
    "poster",
    "srcdoc",
    "xlink:href",
    "lowsrc",
    "dynsrc",
}
SITE_SCRIPT = re.compile(r"^/static/[\w/.-]+\.js$")
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):", re.I)
# What the conversation section itself is made of; anything else came from a payload.
PAGE_TAGS = {
    "section",
    "h1",
    "h2",
    "h3",
    "p",
    "ol",
    "ul",
    "li",
    "article",
    "header",
    "span",
    "a",
    "time",
    "div",
    "blockquote",
    "br",
    "em",
    "strong",
    "i",
    "b",
    "u",
    "s",
    "q",
    "cite",
    "code",
    "pre",
    "abbr",
    "del",
    "ins",
    "sub",
    "sup",
    "img",
    "form",
    "input",
    "textarea",
    "label",
    "fieldset",
    "legend",
    "button",
    "data",
}
MAIL_TAGS = PAGE_TAGS - {
    "form",
    "input",
    "textarea",
    "label",
    "fieldset",
    "legend",
    "button",
    "img",
    "data",
} | {"html", "head", "meta", "title", "body", "hr", "small"}


def test_there_are_at_least_fifty_payloads():
    assert len(PAYLOADS) >= 50


def assert_inert(root, allowed_tags, where):
    """No script-capable element, no event handler, no script URL, no injected style."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions are not rendered
        assert element.tag in allowed_tags, f"{where}: <{element.tag}> {html.tostring(element)}"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: {name}= on <{element.tag}>"
            if name.lower() in URL_ATTRIBUTES or (element.tag, name) == ("data", "value"):
                compact = re.sub(r"[\s\x00-\x1f]", "", value)
                assert not BAD_SCHEME.match(compact), f"{where}: {name}={value!r}"
            if name.lower() == "style":
                assert "honeypot" in element.get("class", ""), f"{where}: style={value!r}"
    forms = root.cssselect("form")
    assert len(forms) <= 1, f"{where}: an injected form"


def conversation(response):
    tree = html.fromstring(response.content.decode())
    # The only scripts are the site's own static files (the embeds' loader), never inline.
    injected = [s for s in tree.iter("script") if not SITE_SCRIPT.match(s.get("src", "")) or s.text]
    assert not injected, "no script on the page but the site's own files"
    for element in tree.iter():
        if isinstance(element.tag, str):
            assert not any(name.lower().startswith("on") for name in element.attrib)
    return tree


def test_payloads_in_name_and_text_are_shown_inert_on_the_page_and_in_mail(
    client, post, send_comment, smtp, settings
):
    settings.SALON_COMMENTS_MODERATION = "none"
    settings.SALON_COMMENTS_MAX_LINKS = 100
    subscriber = Subscriber.objects.create(email="reader@example.org", confirmed_at=post.created_at)
    Subscription.objects.create(
        subscriber=subscriber, post=post, scope="all", language="en", active=True
    )
    for number, payload in enumerate(PAYLOADS):
        answer = send_comment(
            post,
            name=payload,
            text=f"{payload}\n\n{payload} #{number}",
            email=f"user{number}@example.org",
            url="https://ok.example/",
        )
        assert answer.status_code == 303, (payload, answer.content[:2000])
    assert Response.objects.approved().count() == len(PAYLOADS)

    tree = conversation(client.get(post.get_absolute_url()))
    section = tree.cssselect("section.conversation")[0]
    assert_inert(section, PAGE_TAGS, "post page")
    names = [" ".join(n.text_content().split()) for n in section.cssselect(".p-author .p-name")]
    assert names == [" ".join(p.split()) for p in PAYLOADS], "names are shown, as text"

    messages = smtp.wait_for(2 * len(PAYLOADS))
    assert len(messages) == 2 * len(PAYLOADS)  # the author's notice and one follow-up each
    for message in messages:
        assert "\n" not in message["Subject"].strip()
        assert not {"Bcc", "Cc"} & set(message.keys()), "no injected header"
        assert_inert(html_part(message), MAIL_TAGS, f"mail {message['Subject']}")


def test_payloads_in_the_website_field_are_refused_or_shown_inert(
    client, post, send_comment, settings
):
    settings.SALON_COMMENTS_MODERATION = "none"
    accepted = 0
    for number, payload in enumerate(PAYLOADS):
        answer = send_comment(
            post, url=payload, text=f"Website test {number}", email=f"web{number}@example.org"
        )
        if answer.status_code == 400:
            refusal = conversation(answer)
            assert_inert(
                refusal.cssselect("section.comment-refused")[0],
                PAGE_TAGS,
                f"refusal of {payload!r}",
            )
        else:
            assert answer.status_code == 303, payload
            accepted += 1
    tree = conversation(client.get(post.get_absolute_url()))
    assert_inert(tree.cssselect("section.conversation")[0], PAGE_TAGS, "post page")
    for link in tree.cssselect("section.conversation .p-author a"):
        assert link.get("href").startswith(("http://", "https://"))
    assert Response.objects.count() == accepted


def test_payloads_in_the_email_field_are_refused_inert(post, send_comment):
    for payload in PAYLOADS:
        answer = send_comment(post, email=payload)
        assert answer.status_code == 400, payload
        refusal = conversation(answer)
        assert_inert(refusal.cssselect("section.comment-refused")[0], PAGE_TAGS, payload)
    assert not Response.objects.exists()


def test_payloads_from_webmentions_and_imports_are_shown_inert(client, post):
    """Rows other doors write directly: author URL and photo, source, HTML content."""
    for number, payload in enumerate(PAYLOADS):
        for kind in ("reply", "like", "repost", "mention"):
            Response.objects.create(
                post=post,
                kind=kind,
                state=State.APPROVED,
                origin=Origin.WEBMENTION if number % 2 else Origin.IMPORT,
                author_name=payload,
                author_url=payload,
                author_photo=payload,
                source_url=f"{payload}#{kind}{number}",
                content=payload,
                content_html=payload,
            )
    tree = conversation(client.get(post.get_absolute_url()))
    assert_inert(tree.cssselect("section.conversation")[0], PAGE_TAGS, "post page")
    for image in tree.cssselect("section.conversation img"):
        assert image.get("src").startswith(("http://", "https://"))
