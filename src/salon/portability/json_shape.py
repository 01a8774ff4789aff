"""Reading Salon's own JSON export back (``salon import-json``): parse, then check the shape.

The whole document is checked against the shape ``export_json`` writes before anything is
written, so that a bad file is refused with a precise place: the line and column of broken
JSON, or the JSON path of a field of the wrong type (``posts[12].published_at``). Keys this
Salon does not know are ignored (a newer export may add some); keys marked optional below are
the ones version 1 of the export did not write.
"""

import json
import uuid
from datetime import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from salon import languages
from salon.blog.models import BodyFormat, Status, Visibility
from salon.conversations.models import Check, Kind, Origin, Scope, State

from .export_json import FORMAT

READABLE_VERSIONS = (1, 2)


class ImportJSONError(Exception):
    """A file that cannot be imported; the message says where and why."""


# The kinds of value a field may hold; a tuple adds a parameter (choices, inner shape).
TEXT, INTEGER, BOOLEAN, DATE, UUID, LANGUAGE = (
    "text",
    "integer",
    "boolean",
    "date",
    "uuid",
    "language",
)


def nullable(shape):
    return ("null", shape)


def list_of(shape):
    return ("list", shape)


def choice(choices):
    return ("choice", tuple(choices.values))


def summaries():
    return ("summaries", TEXT)


RESPONSE = {
    "id": INTEGER,
    "parent": nullable(INTEGER),
    "kind": choice(Kind),
    "origin": choice(Origin),
    "by_author?": BOOLEAN,
    "state": choice(State),
    "author": {"name": TEXT, "email": TEXT, "url": TEXT, "photo": TEXT},
    "content": TEXT,
    "content_html": TEXT,
    "language": nullable(TEXT),
    "source_url": TEXT,
    "checks?": choice(Check),
    "created_at": DATE,
    "updated_at?": DATE,
}
PUBLISHABLE = {
    "id": INTEGER,
    "title": TEXT,
    "slug": TEXT,
    "url": TEXT,
    "language": LANGUAGE,
    "status": choice(Status),
    "published_at": DATE,
    "created_at?": DATE,
    "updated_at": DATE,
    "translation_key": UUID,
    "summaries": summaries(),
    "body": TEXT,
    "body_format": choice(BodyFormat),
    "body_html": TEXT,
}
POST = {
    **PUBLISHABLE,
    "tags": list_of(TEXT),
    "series": nullable({"slug": TEXT, "position": nullable(INTEGER)}),
    "visibility?": choice(Visibility),
    "sticky": BOOLEAN,
    "comments_open": BOOLEAN,
    "password": TEXT,
    "in_reply_to_url": TEXT,
    "cover": nullable(
        {
            "url": TEXT,
            "file?": nullable(TEXT),
            "image_url?": TEXT,
            "alt": TEXT,
            "credit": TEXT,
            "licence": TEXT,
            "licence_url": TEXT,
        }
    ),
    "source": nullable({"name": TEXT, "url": TEXT, "canonical": BOOLEAN}),
    "responses": list_of(RESPONSE),
}
PAGE = {**PUBLISHABLE, "parent": nullable(INTEGER), "menu_order": INTEGER, "show_in_menu": BOOLEAN}
SUBSCRIBER = {
    "id": INTEGER,
    "email": TEXT,
    "confirmed_at": nullable(DATE),
    "created_at": DATE,
    "subscriptions": list_of(
        {
            "post": INTEGER,
            "response": nullable(INTEGER),
            "scope": choice(Scope),
            "language": TEXT,
            "active": BOOLEAN,
            "created_at": DATE,
        }
    ),
}
DOCUMENT = {
    "format": TEXT,
    "version": INTEGER,
    "exported_at": DATE,
    "site": {"name": TEXT, "url": TEXT, "languages": list_of(TEXT)},
    "tags": list_of({"id": INTEGER, "name": TEXT, "slug": TEXT}),
    "series": list_of(
        {
            "id": INTEGER,
            "title": TEXT,
            "slug": TEXT,
            "description": TEXT,
            "planned_length": nullable(INTEGER),
        }
    ),
    "posts": list_of(POST),
    "pages": list_of(PAGE),
    "redirects": list_of(
        {
            "old_path": TEXT,
            "target": TEXT,
            "post?": nullable(INTEGER),
            "page?": nullable(INTEGER),
            "new_path?": TEXT,
        }
    ),
    "subscribers?": list_of(SUBSCRIBER),
}


def parse_date(value):
    """An ISO 8601 date with its offset, to the microsecond, as the export writes it."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


def _kind_name(shape):
    names = {
        TEXT: _("a string"),
        INTEGER: _("an integer"),
        BOOLEAN: _("true or false"),
        DATE: _("a date in ISO 8601 with its offset"),
        UUID: _("a UUID"),
        LANGUAGE: _("one of this blog's languages (%(codes)s)")
        % {"codes": ", ".join(languages.content_languages())},
    }
    if isinstance(shape, dict):
        return _("an object")
    if isinstance(shape, tuple):
        kind, inner = shape
        if kind == "null":
            return _("%(kind)s or null") % {"kind": _kind_name(inner)}
        if kind == "list":
            return _("a list")
        if kind == "summaries":
            return _("an object of texts by language")
        return _("one of %(values)s") % {"values": ", ".join(f"“{v}”" for v in inner)}
    return names[shape]


def _fits(shape, value):
    if shape == TEXT:
        return isinstance(value, str)
    if shape == INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if shape == BOOLEAN:
        return isinstance(value, bool)
    if shape == LANGUAGE:
        return isinstance(value, str) and languages.is_content_language(value)
    if shape == DATE:
        try:
            parse_date(value)
        except (TypeError, ValueError):
            return False
        return True
    if shape == UUID:
        try:
            uuid.UUID(value)
        except (TypeError, ValueError, AttributeError):
            return False
        return True
    raise AssertionError(shape)


def _shown(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


class Checker:
    def __init__(self, name):
        self.name = name

    def fail(self, path, shape, value):
        raise ImportJSONError(
            _("%(file)s: %(path)s should be %(expected)s, not %(value)s. Nothing was imported.")
            % {
                "file": self.name,
                "path": path,
                "expected": _kind_name(shape),
                "value": _shown(value),
            }
        )

    def check(self, shape, value, path):
        if isinstance(shape, dict):
            if not isinstance(value, dict):
                self.fail(path, shape, value)
            for key, inner in shape.items():
                optional = key.endswith("?")
                key = key.rstrip("?")
                where = f"{path}.{key}" if path else key
                if key not in value:
                    if optional:
                        continue
                    raise ImportJSONError(
                        _("%(file)s: %(path)s is missing. Nothing was imported.")
                        % {"file": self.name, "path": where}
                    )
                self.check(inner, value[key], where)
        elif isinstance(shape, tuple):
            kind, inner = shape
            if kind == "null":
                if value is not None:
                    self.check(inner, value, path)
            elif kind == "list":
                if not isinstance(value, list):
                    self.fail(path, shape, value)
                for index, item in enumerate(value):
                    self.check(inner, item, f"{path}[{index}]")
            elif kind == "summaries":
                if not isinstance(value, dict):
                    self.fail(path, shape, value)
                for code, text in value.items():
                    if not languages.is_content_language(code):
                        self.fail(f"{path}.{code}", LANGUAGE, code)
                    self.check(TEXT, text, f"{path}.{code}")
            elif value not in inner:
                self.fail(path, shape, value)
        elif not _fits(shape, value):
            self.fail(path, shape, value)


def _check_references(data, checker):
    """Ids that point inside the document (a reply's parent, a page's parent, a redirect's
    post) must name something the document holds."""
    tags = {t["slug"] for t in data["tags"]}
    series = {s["slug"] for s in data["series"]}
    posts = {p["id"] for p in data["posts"]}
    pages = {p["id"] for p in data["pages"]}
    responses = set()

    def missing(path, value):
        raise ImportJSONError(
            _(
                "%(file)s: %(path)s names %(value)s, which the document does not hold. Nothing "
                "was imported."
            )
            % {"file": checker.name, "path": path, "value": _shown(value)}
        )

    for i, post in enumerate(data["posts"]):
        for j, slug in enumerate(post["tags"]):
            if slug not in tags:
                missing(f"posts[{i}].tags[{j}]", slug)
        if post["series"] and post["series"]["slug"] not in series:
            missing(f"posts[{i}].series.slug", post["series"]["slug"])
        own = {r["id"] for r in post["responses"]}
        for j, response in enumerate(post["responses"]):
            if response["parent"] is not None and response["parent"] not in own:
                missing(f"posts[{i}].responses[{j}].parent", response["parent"])
        responses |= own
    for i, page in enumerate(data["pages"]):
        if page["parent"] is not None and page["parent"] not in pages:
            missing(f"pages[{i}].parent", page["parent"])
    for i, redirect in enumerate(data["redirects"]):
        for key, known in (("post", posts), ("page", pages)):
            if redirect.get(key) is not None and redirect[key] not in known:
                missing(f"redirects[{i}].{key}", redirect[key])
    for i, subscriber in enumerate(data.get("subscribers", [])):
        for j, subscription in enumerate(subscriber["subscriptions"]):
            if subscription["post"] not in posts:
                missing(f"subscribers[{i}].subscriptions[{j}].post", subscription["post"])
            if subscription["response"] is not None and subscription["response"] not in responses:
                missing(f"subscribers[{i}].subscriptions[{j}].response", subscription["response"])


def load(path, name):
    """The checked document of the file at ``path`` (``name`` is how messages call it)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ImportJSONError(
            _("Cannot read %(file)s: %(error)s.") % {"file": name, "error": error.strerror}
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        raise ImportJSONError(
            _(
                "%(file)s, line %(line)s, column %(column)s: the bytes are not UTF-8. Nothing was "
                "imported."
            )
            % {
                "file": name,
                "line": before.count(b"\n") + 1,
                "column": error.start - (before.rfind(b"\n") + 1) + 1,
            }
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportJSONError(
            _(
                "%(file)s, line %(line)s, column %(column)s: this is not valid JSON (%(error)s). "
                "Nothing was imported."
            )
            % {"file": name, "line": error.lineno, "column": error.colno, "error": error.msg}
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportJSONError(
            _(
                '%(file)s is not a Salon export: it has no "format": "%(format)s" (salon '
                "export-json writes it). Nothing was imported."
            )
            % {"file": name, "format": FORMAT}
        )
    if data.get("version") not in READABLE_VERSIONS:
        raise ImportJSONError(
            _(
                "%(file)s: version %(version)s of Salon's export is unknown to this Salon, which "
                "reads versions %(known)s. Nothing was imported."
            )
            % {
                "file": name,
                "version": _shown(data.get("version")),
                "known": ", ".join(str(v) for v in READABLE_VERSIONS),
            }
        )
    checker = Checker(name)
    checker.check(DOCUMENT, data, "")
    _check_references(data, checker)
    return data
