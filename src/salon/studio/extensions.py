"""What other apps add to the writing page, from their ``AppConfig.ready()``.

The media library (``salon.media``) is wired in already: its paste-and-drop script and upload
address (``media:upload``) on the body, its cover choice, its alt-text check (``images.py``).
Another app, or another upload endpoint, registers::

    extend_editor(EditorExtension(
        upload_url_name="media:upload",           # the body's data-media-upload-url
        scripts=("media/paste-upload.js",),        # static files, loaded with defer
        cover_template="media/includes/cover.html",  # inside the "Cover image" fieldset
    ))

and ``checks.register_publish_check`` for what must hold before publishing (alt texts).
Scripts are static files (no inline script: a Content-Security-Policy comes later); a template
receives the page's context (``post``, ``form``, ``data``).
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class EditorExtension:
    upload_url_name: str = ""
    scripts: tuple = ()
    stylesheets: tuple = ()
    cover_template: str = ""


editor_extensions = []


def extend_editor(extension):
    """Add ``extension`` to the writing page; adding the same one twice adds it once."""
    if extension not in editor_extensions:
        editor_extensions.append(extension)


def page_context():
    """What the editor's template needs from the registered extensions."""
    upload = next(
        (e.upload_url_name for e in editor_extensions if e.upload_url_name), "media:upload"
    )
    return {
        "media_upload_url": reverse(upload),
        "extension_scripts": [s for e in editor_extensions for s in e.scripts],
        "extension_stylesheets": [s for e in editor_extensions for s in e.stylesheets],
        "cover_templates": [e.cover_template for e in editor_extensions if e.cover_template],
    }
