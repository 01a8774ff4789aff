"""The bytes of a WordPress export, made fit for an XML parser (``CleanStream``).

Before lxml sees the bytes, this thin filter:

- declares the HTML named entities (``&nbsp;``, ``&eacute;``…) that WordPress sometimes leaves
  outside CDATA, so they parse instead of stopping the import;
- removes the ASCII control characters XML forbids (pasted from word processors, they are
  invisible and WordPress's own importer ignores them), counting them for the summary;
- with ``recover``, replaces bytes that are not UTF-8 with U+FFFD and counts them (without it,
  lxml refuses the file and names the line).
"""

import codecs
import re
from html.entities import name2codepoint

_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_ENTITY_DECLARATIONS = "".join(
    f'<!ENTITY {name} "&#{code};">'
    for name, code in sorted(name2codepoint.items())
    if name not in ("amp", "lt", "gt", "quot", "apos")
).encode("ascii")
_DOCTYPE = b"<!DOCTYPE rss [" + _ENTITY_DECLARATIONS + b"]>"


class CleanStream:
    """A file-like object over the raw bytes that fixes what XML parsers choke on (see above)."""

    def __init__(self, raw, recover=False):
        self.raw = raw
        self.recover = recover
        self.started = False
        self.enabled = True
        self.control_characters = 0
        self.invalid_bytes = 0
        self.injected_at = None  # (line 1 column, length) of the declarations added
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self._decode = recover

    def _start(self, data):
        self.started = True
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
            self.enabled = False  # UTF-16: leave it to lxml
            return data
        head = data[:4096]
        declaration = re.match(rb"^(\xef\xbb\xbf)?<\?xml[^>]*\?>", head)
        if declaration:
            encoding = re.search(rb"encoding\s*=\s*[\"']([\w.:-]+)", declaration.group(0))
            if encoding and encoding.group(1).lower().replace(b"_", b"-") not in (
                b"utf-8",
                b"utf8",
            ):
                self._decode = False  # a declared single-byte encoding: lxml decodes it
        if b"<!DOCTYPE" in head or b"<!doctype" in head:
            return data
        at = declaration.end() if declaration else (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        if not data[at:].lstrip()[:1] == b"<":
            return data  # not XML at all: let lxml say so
        self.injected_at = (at - (3 if data.startswith(b"\xef\xbb\xbf") else 0), len(_DOCTYPE))
        return data[:at] + _DOCTYPE + data[at:]

    def read(self, size=-1):
        data = self.raw.read(size)
        if not self.started:
            data = self._start(data)
        if not self.enabled:
            return data
        if self._decode:
            text = self._decoder.decode(data, final=not data)
            bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
            if bad:
                self.invalid_bytes += bad
                text = re.sub("[\udc80-\udcff]+", "\ufffd", text)
            data = text.encode("utf-8")
        cleaned = data.translate(None, _CONTROL_BYTES)
        self.control_characters += len(data) - len(cleaned)
        return cleaned

    def column(self, line, column):
        """A column as counted in the original file (the declarations sit on line 1)."""
        if self.injected_at and line == 1 and column > self.injected_at[0]:
            return max(1, column - self.injected_at[1])
        return column
