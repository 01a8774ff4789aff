"""Checks a post must pass before it is published, scheduled or updated, from any app.

An app registers ``check(post, data) -> {field: [message, ...]}`` from its ``AppConfig.ready()``
(the media library: "every image has its alt text"); the writing page refuses to publish while
any check returns a message, and shows each by its field (``"__all__"`` for the whole post).
``post`` holds the typed fields (not saved yet), ``data`` the working copy's strings.
"""

_checks = []


def register_publish_check(check):
    """Add ``check``; registering the same function twice adds it once."""
    if check not in _checks:
        _checks.append(check)


def run(post, data):
    errors = {}
    for check in _checks:
        for name, messages in (check(post, data) or {}).items():
            errors.setdefault(name, []).extend(str(message) for message in messages)
    return errors
