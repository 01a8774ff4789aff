"""Checks a post must pass before it is published, scheduled or updated, from any app.

An app registers ``check(post, data) -> {field: [message, ...]}`` from its ``AppConfig.ready()``
(the media library: "every image has its alt text"); the writing page refuses to publish while
any check returns a message, and shows each by its field (``"__all__"`` for the whole post).
``post`` holds the typed fields (not saved yet), ``data`` the working copy's strings.
A message may be a ``Message``: its ``links`` (text, address) are shown as links after it (the
images without a description, each to its page in the media library).
"""

from django.utils.html import format_html, format_html_join


class Message(str):
    """A check's message naming things the author can go and fix: ``links`` is a list of
    ``(text, url)``."""

    def __new__(cls, text, links=()):
        message = super().__new__(cls, text)
        message.links = [(str(label), str(url)) for label, url in links]
        return message


def keep(message):
    """A message as a string, its links kept."""
    return message if isinstance(message, Message) else str(message)


def links_of(message):
    return [{"text": text, "url": url} for text, url in getattr(message, "links", [])]


def as_html(message):
    """The message with its links, for the page shown without JavaScript."""
    links = getattr(message, "links", [])
    if not links:
        return message
    return format_html(
        "{} {}",
        str(message),
        format_html_join(", ", '<a href="{}">{}</a>', ((u, t) for t, u in links)),
    )


_checks = []


def register_publish_check(check):
    """Add ``check``; registering the same function twice adds it once."""
    if check not in _checks:
        _checks.append(check)


def run(post, data):
    errors = {}
    for check in _checks:
        for name, messages in (check(post, data) or {}).items():
            errors.setdefault(name, []).extend(
                message if isinstance(message, Message) else str(message) for message in messages
            )
    return errors
