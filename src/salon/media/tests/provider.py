"""A real oEmbed provider on 127.0.0.1 for the tests (no mocked HTTP).

``Provider`` serves, over plain HTTP, a video page advertising its JSON oEmbed, the oEmbed
answer and a thumbnail; its player lives on a second server, over HTTPS (a certificate made
for 127.0.0.1 by the test), since Salon only embeds https players. Every request either server
receives is recorded.
"""

import datetime
import io
import ipaddress
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PIL import Image as PILImage


def jpeg_bytes(size=(640, 360), colour=(30, 90, 160)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def self_signed(tmp_path):
    """(certificate file, key file) for 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client hanging up early is expected here."""


class Server:
    """Routes (path with query -> (status, content type, body)) and the requests received."""

    def __init__(self, tls=None):
        self.routes = {}
        self.requests = []
        self.httpd = _Server(("127.0.0.1", 0), self._handler())
        scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.base = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def url(self, path):
        return self.base + path

    def route(self, path, body, content_type="text/html; charset=utf-8", status=200):
        self.routes[path] = (status, content_type, body.encode() if isinstance(body, str) else body)
        return self.url(path)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                status, content_type, body = server.routes.get(
                    self.path, (404, "text/plain", b"not found")
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Provider:
    """A video site: ``/watch/<id>`` pages, ``/oembed?id=<id>``, ``/thumb/<id>.jpg``, and the
    player ``/embed/<id>`` on the HTTPS server."""

    def __init__(self, tmp_path):
        self.site = Server()
        self.player = Server(tls=self_signed(tmp_path))

    def video(self, video_id, title="A talk on bicycles", player_src=None, advertise=True):
        """Publish a video; returns its page's address."""
        oembed = f"/oembed?id={video_id}"
        head = (
            f'<link rel="alternate" type="application/json+oembed" href="{oembed}" title="{title}">'
            if advertise
            else ""
        )
        page = self.site.route(
            f"/watch/{video_id}",
            f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
            f"<body><h1>{title}</h1></body></html>",
        )
        src = player_src or self.player.url(f"/embed/{video_id}")
        self.site.route(
            oembed,
            json.dumps(
                {
                    "version": "1.0",
                    "type": "video",
                    "title": title,
                    "author_name": "Ada",
                    "provider_name": "TubeLoop",
                    "provider_url": self.site.base + "/",
                    "width": 640,
                    "height": 360,
                    "html": f'<iframe width="640" height="360" src="{src}" allowfullscreen>'
                    "</iframe><script>alert('never')</script>",
                    "thumbnail_url": self.site.url(f"/thumb/{video_id}.jpg"),
                    "thumbnail_width": 640,
                    "thumbnail_height": 360,
                }
            ),
            content_type="application/json",
        )
        self.site.route(f"/thumb/{video_id}.jpg", jpeg_bytes(), content_type="image/jpeg")
        self.player.route(
            f"/embed/{video_id}", f"<!DOCTYPE html><title>player</title><p>Playing {video_id}</p>"
        )
        return page

    def stop(self):
        self.site.stop()
        self.player.stop()
