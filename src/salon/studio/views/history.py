"""A post's revisions: listed with time and size, one beside the current text, restored."""

import difflib

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salon import languages
from salon.blog.models import Post

from .. import revisions, services
from ..forms import summary_field
from .access import author_only


@author_only
def revision_list(request, pk):
    post = get_object_or_404(Post, pk=pk)
    rows = []
    for version in revisions.versions_of(post):
        words, characters = revisions.size(version)
        rows.append(
            {
                "version": version,
                "date": version.revision.date_created,
                "title": version.field_dict.get("title", ""),
                "words": words,
                "characters": characters,
                "occasion": revisions.occasion(version),
            }
        )
    return render(request, "studio/revisions.html", {"post": post, "rows": rows})


def side_by_side(old, new):
    """Rows ``(left, right, kind)`` of two texts line by line: kind is ``same``, ``changed``,
    ``removed`` (left only) or ``added`` (right only)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    rows = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = old_lines[i1:i2], new_lines[j1:j2]
        if tag == "equal":
            rows += [(a, b, "same") for a, b in zip(left, right, strict=True)]
            continue
        for index in range(max(len(left), len(right))):
            a = left[index] if index < len(left) else None
            b = right[index] if index < len(right) else None
            kind = (
                "changed"
                if a is not None and b is not None
                else "removed"
                if b is None
                else "added"
            )
            rows.append((a, b, kind))
    return rows


@author_only
def revision_detail(request, pk, version_id):
    post = get_object_or_404(Post, pk=pk)
    version = get_object_or_404(revisions.versions_of(post), pk=version_id)
    then = revisions.data_of(version)
    now = services.working_copy(post).data
    summaries = [
        (code, then.get(summary_field(code), ""), now.get(summary_field(code), ""))
        for code in languages.content_languages()
    ]
    context = {
        "post": post,
        "version": version,
        "then": then,
        "now": now,
        "rows": side_by_side(then.get("body", ""), now.get("body", "")),
        "summaries": summaries,
        "words": revisions.size(version),
    }
    return render(request, "studio/revision.html", context)


@require_POST
@author_only
def restore(request, pk, version_id):
    post = get_object_or_404(Post, pk=pk)
    version = get_object_or_404(revisions.versions_of(post), pk=version_id)
    result = services.restore(post, version, request.user)
    if result.errors:
        messages.error(request, _("The revision is back in the editor but not applied yet:"))
        for name, texts in result.errors.items():
            for text in texts:
                messages.error(request, f"{name}: {text}")
    else:
        messages.success(request, _("The revision is back in the editor."))
    return redirect("studio:edit", pk=post.pk)
