"""The comment form and every rule a comment must pass before it is stored.

Refusals (the reader can fix them: a message in their language, HTTP 400, what they typed kept)
are form errors. Robot signs (the honeypot filled, the form sent faster than a person types)
are not errors: the comment is stored as spam and the sender is told nothing more. A comment
sent without the form's time (the reader's browser ran no script) is neither: it is sent once
more from a page that carries one (``views.post_comment``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from salon import languages
from salon.core import client_ip

from . import conf, text, tokens
from .models import Check, Response, Scope, State


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254, help_text=_("Never shown."))
    url = forms.URLField(label=_("Website"), max_length=500, required=False, assume_scheme="https")
    text = forms.CharField(
        label=_("Comment"),
        strip=True,
        help_text=_(
            "Plain text: leave a blank line between paragraphs; links are made from addresses."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    notify = forms.BooleanField(
        label=_("Notify me of follow-up comments by e-mail"), required=False
    )
    notify_scope = forms.ChoiceField(
        label=_("Which ones"),
        choices=Scope.choices,
        initial=Scope.REPLIES,
        required=False,
        widget=forms.RadioSelect,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    shown = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people (CSS and aria-hidden), irresistible to form-filling robots.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, post, **kwargs):
        self.post = post
        self.parent_response = None
        self.spam_reason = None  # a ``Check`` when the comment is a robot's
        self.spam_figure = None
        self.unstamped = False  # sent without the signed "shown at" time
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = conf.max_length()
        if not self.is_bound:
            self.initial.setdefault("shown", tokens.form_timestamp())

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please give a name."), code="required")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_text(self):
        value = self.cleaned_data["text"]
        limit = conf.max_length()
        if len(value) > limit:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Your comment is too long: %(length)s characters for at most %(limit)s "
                    "character.",
                    "Your comment is too long: %(length)s characters for at most %(limit)s "
                    "characters.",
                    "limit",
                ),
                code="too_long",
                params={"length": len(value), "limit": limit},
            )
        return value

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Response.objects.filter(pk=parent_id)
            .only("id", "post_id", "parent_id", "state", "kind")
            .first()
        )
        if parent is None or parent.state != State.APPROVED:
            raise forms.ValidationError(
                _("The comment you are replying to does not exist or is not published."),
                code="no_parent",
            )
        if parent.post_id != self.post.pk:
            raise forms.ValidationError(
                _("The comment you are replying to belongs to another post."),
                code="other_post",
            )
        if parent.depth >= conf.max_depth():
            raise forms.ValidationError(
                ngettext_lazy(
                    "This thread is too deep to answer here: at most %(depth)s level.",
                    "This thread is too deep to answer here: at most %(depth)s levels.",
                    "depth",
                ),
                code="too_deep",
                params={"depth": conf.max_depth()},
            )
        self.parent_response = parent
        return parent_id

    def clean_notify_scope(self):
        return self.cleaned_data.get("notify_scope") or Scope.REPLIES

    def clean(self):
        cleaned = super().clean()
        if not self.post.comments_open:
            raise forms.ValidationError(_("Comments are closed on this post."), code="closed")
        if self.errors:
            return cleaned
        if self._is_duplicate(cleaned):
            raise forms.ValidationError(
                _("You already sent this comment on this post."), code="duplicate"
            )
        if cleaned.get("homepage"):
            self.spam_reason = Check.HONEYPOT
        elif not cleaned.get("shown"):
            # The page's script did not ask for the time (no JavaScript, or a robot): not a
            # robot sign by itself; the view has the comment sent once more with a time.
            self.unstamped = True
        else:
            stamp = tokens.read_form_timestamp(cleaned["shown"])
            if stamp is None:
                self.spam_reason = Check.NO_TIMESTAMP
            else:
                age, again = stamp
                if age < (conf.min_seconds_again() if again else conf.min_seconds()):
                    self.spam_reason, self.spam_figure = Check.TOO_FAST, round(max(age, 0), 1)
        return cleaned

    def _is_duplicate(self, cleaned):
        wanted = text.normalise_for_duplicates(cleaned["text"])
        earlier = Response.objects.filter(
            post=self.post, author_email=cleaned["email"]
        ).values_list("content", flat=True)
        return any(text.normalise_for_duplicates(content) == wanted for content in earlier)

    def build_response(self, request):
        """The unsaved ``Response`` this form describes (to pass to ``submit_response``)."""
        data = self.cleaned_data
        response = Response(
            post=self.post,
            parent_id=data.get("parent"),
            kind="comment",
            origin="form",
            author_name=data["name"],
            author_email=data["email"],
            author_url=data.get("url") or "",
            content=data["text"],
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        )
        # Work out the language and the shown HTML now, before the write transaction starts:
        # on SQLite it holds the database's write lock, which should not wait for lingua.
        response.language = languages.detect_language(response.content, default="") or ""
        response.content_html = text.plain_text_to_html(response.content)
        if self.spam_reason:
            response.state = State.SPAM
            response.checks, response.checks_figure = self.spam_reason, self.spam_figure
        return response
