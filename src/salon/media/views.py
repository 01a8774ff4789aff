"""The author's media pages: the library, one image's details, the upload endpoint.

Staff only, CSRF-protected (Django's middleware), never kept by any cache
(``Cache-Control: private, no-store``).
"""

from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import library, tasks
from .forms import ImageForm, UploadForm
from .models import Image
from .processing import RefusedImage


def private(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def staff_json(view):
    """For the endpoints scripts call: a JSON 403 rather than the login page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return JsonResponse({"error": _("Sign in as the author first.")}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def image_json(image):
    return {
        "id": image.pk,
        "key": image.key,
        "url": image.url,
        "markdown": image.markdown(),
        "width": image.width,
        "height": image.height,
        "alt_text": image.alt_text,
        "missing_alt_text": not image.alt_text.strip(),
        "edit_url": reverse("media:edit", args=[image.pk]),
    }


@private
@require_POST
@staff_json
def upload(request):
    """Store one image (field ``file``); JSON with its id and the Markdown to insert, or a
    400 with the reason. Without ``Accept: application/json`` (the library's plain form), a
    redirect to the image's page."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = form.errors.get("file") or form.errors.get("alt_text") or []
        return _refused(request, errors[0] if errors else _("Choose an image file to upload."))
    try:
        image = library.store_upload(
            form.cleaned_data["file"], alt_text=form.cleaned_data["alt_text"]
        )
    except RefusedImage as exc:
        return _refused(request, str(exc))
    if _wants_json(request):
        return JsonResponse(image_json(image), status=201)
    return redirect("media:edit", image.pk)


def _refused(request, message):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=400)
    return _library(request, error=message, status=400)


def _library(request, error="", status=200):
    images = Image.objects.all()
    missing = request.GET.get("missing") == "alt"
    if missing:
        images = images.filter(alt_text="")
    page = Paginator(images, 48).get_page(request.GET.get("page"))
    return render(
        request,
        "media/library.html",
        {"page": page, "missing": missing, "error": error, "upload_form": UploadForm()},
        status=status,
    )


@private
@staff_member_required
def library_page(request):
    """Every image, newest first (``?missing=alt``: those without a description), and a place
    to paste, drop or choose new ones."""
    return _library(request)


@private
@staff_member_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """An image's description, credit, source and licence; saving renders again the posts
    that show it."""
    image = get_object_or_404(Image, pk=pk)
    form = ImageForm(request.POST or None, instance=image)
    if request.method == "POST" and form.is_valid():
        form.save()
        tasks.rerender_uses_later(image.pk)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = reverse("media:edit", args=[image.pk])
        return redirect(target)
    posts, pages = library.texts_using(image)
    return render(
        request,
        "media/edit.html",
        {
            "image": image,
            "form": form,
            "posts": posts.only("pk", "title", "language"),
            "pages": pages.only("pk", "title", "language"),
            "next": request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@private
@require_POST
@staff_json
def missing_alt(request):
    """The library images a body (``body``) shows without a description, as JSON."""
    images = library.missing_alt_text(request.POST.get("body", ""))
    return JsonResponse({"missing": [image_json(image) for image in images]})
