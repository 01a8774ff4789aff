"""The media library and embeds (see ``docs/design/media.md``).

What other apps (the studio's writing page) call, from ``salon import media``:

- ``media.missing_alt_text(body) -> list[Image]``: the library images a Markdown body shows
  without a description (none in the body's ``![…]``, none in the library); publishing waits
  while it is not empty;
- ``media.set_cover(post, image)``: make a library image the post's cover (caller saves);
- ``media.store_upload(uploaded_file) -> Image`` (``media.RefusedImage`` says why not);
- ``media.ImageChoiceField``: a form field choosing a library image (for the cover).

The writing page includes ``media/paste-upload.js`` and marks its textarea with
``data-media-upload-url="{% url 'media:upload' %}"``; see the design note.
"""


def missing_alt_text(body):
    from .library import missing_alt_text

    return missing_alt_text(body)


def set_cover(post, image):
    from .library import set_cover

    return set_cover(post, image)


def store_upload(uploaded, **kwargs):
    from .library import store_upload

    return store_upload(uploaded, **kwargs)


def __getattr__(name):
    if name == "RefusedImage":
        from .processing import RefusedImage

        return RefusedImage
    if name == "ImageChoiceField":
        from .forms import ImageChoiceField

        return ImageChoiceField
    raise AttributeError(name)
