"""The ceiling of the app server: a WSGI application that answers a fixed page at once, served by
gunicorn with the options of `salon run --production` (bench/serve.py runs it).

``HELLO_BYTES`` sets the size of the answer (default: "Hello, world!")."""

import os

BODY = (
    b"x" * int(os.environ["HELLO_BYTES"]) if os.environ.get("HELLO_BYTES") else b"Hello, world!\n"
)


def application(environ, start_response):
    start_response(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]
    )
    return [BODY]
