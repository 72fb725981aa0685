"""A question's moderator page: the question as a moderator reads it, and every moderation action on it.

The question list's title leads here. It shows the rendered body, the replies (hidden ones too), the
moderator panel the API computes (``plugins.forum.panel``) and one small form per action; each form
posts back to this page, which calls the forum's moderation service and shows a refusal with
``snippets.errors``. Who may do what is asked of ``Actor.forum_actions``; the panel and the internal
tags are private, so only those who moderate (``Actor.moderates``) see them.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import InspectView

from plugins.accounts.policy import Actor
from plugins.forum import moderation
from plugins.forum.models import InternalTag, Question, SupportTicket, Topic
from plugins.forum.panel import load_moderation_details
from snippets.errors import REFUSED, show_refusal
from snippets.lists import CommunityIndexView
from snippets.people import admin_name, request_actor


class TagForm(forms.Form):
    tag = forms.ModelChoiceField(queryset=InternalTag.objects.all(), to_field_name="name", label="Internal tag")


class MoveForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), widget=forms.CheckboxSelectMultiple, help_text="The question's topics."
    )


class EscalateForm(forms.ModelForm):
    class Meta:
        model = SupportTicket
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"reason": "Why it goes to private support; the support team reads it."}


class ReplyForm(forms.Form):
    reply = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = question.replies.all()


def _tag(question, data, by):
    moderation.tag(question, data["tag"].name, by=by)
    return f"Internal tag “{data['tag']}” added."


def _untag(question, data, by):
    moderation.untag(question, data["tag"].name, by=by)
    return f"Internal tag “{data['tag']}” removed."


def _move(question, data, by):
    moderation.move(question, list(data["topics"]), by=by)
    return "Moved to " + ", ".join(f"“{topic}”" for topic in data["topics"]) + "."


def _escalate(question, data, by):
    moderation.escalate(question, by=by, reason=data["reason"])
    return "Escalated to support."


def _hide(question, data, by):
    moderation.set_hidden(data["reply"], True, by=by)
    return f"The reply by {data['reply'].author.display_name} is hidden."


def _unhide(question, data, by):
    moderation.set_hidden(data["reply"], False, by=by)
    return f"The reply by {data['reply'].author.display_name} is shown again."


def _state(service, message: str, **arguments):
    def perform(question, data, by):
        service(question, by=by, **arguments)
        return message

    return perform


# Each action the page takes: its form (what the post must carry) and what it does (a service call, then the message).
ACTIONS = {
    "archive": (forms.Form, _state(moderation.archive, "Archived: out of listings and search.")),
    "unarchive": (forms.Form, _state(moderation.unarchive, "Unarchived: back in listings and search.")),
    "approve": (forms.Form, _state(moderation.approve, "Approved: the question is public.")),
    "pin": (forms.Form, _state(moderation.set_pinned, "Pinned in its topics.", pinned=True)),
    "unpin": (forms.Form, _state(moderation.set_pinned, "Unpinned.", pinned=False)),
    "tag": (TagForm, _tag),
    "untag": (TagForm, _untag),
    "move": (MoveForm, _move),
    "escalate": (EscalateForm, _escalate),
    "hide": (ReplyForm, _hide),
    "unhide": (ReplyForm, _unhide),
}


def question_page_url(question_id: int) -> str:
    return reverse("wagtailsnippets_forum_question:inspect", args=[question_id])


class ModeratorPageIndexView(CommunityIndexView):
    """A list whose titles open the moderator page: moderators read a post before they change it (Edit is in "…")."""

    def moderator_page_url(self, instance) -> str:
        raise NotImplementedError

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column = super()._get_title_column(field_name, column_class, **kwargs)
        column._get_url_func = self.moderator_page_url
        return column


class QuestionIndexView(ModeratorPageIndexView):
    def moderator_page_url(self, question) -> str:
        return question_page_url(question.pk)


class ReplyIndexView(ModeratorPageIndexView):
    def moderator_page_url(self, reply) -> str:
        # The reply in its thread, where it is hidden or shown again.
        return f"{question_page_url(reply.question_id)}#reply-{reply.pk}"


class QuestionInspectView(InspectView):
    """GET shows the moderator page; POST with ``action`` (one of ``ACTIONS``) performs it."""

    template_name = "community_admin/question_page.html"
    page_title = "Moderate"
    header_icon = "help"

    @cached_property
    def actor(self) -> Actor:
        return request_actor(self.request)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        # Wagtail's history page is for those who may change questions (not community moderators).
        if self.user_has_any_permission({"add", "change", "delete"}):
            history = reverse("wagtailsnippets_forum_question:history", args=[self.object.pk])
            buttons.append(Button("History", url=history, icon_name="history", priority=30))
        return buttons

    def get_object(self, queryset=None):
        questions = Question.objects.select_related("author__user").prefetch_related("topics")
        return get_object_or_404(questions, pk=self.pk)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in ACTIONS or action not in self.actor.forum_actions:
            raise PermissionDenied
        form_class, perform = ACTIONS[action]
        form = self.make_form(form_class, data=request.POST)
        if form.is_valid():
            try:
                message = perform(self.object, form.cleaned_data, request.user)
            except REFUSED as error:
                show_refusal(error, form=form)
            else:
                messages.success(request, message)
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(bound={action: form}))

    def make_form(self, form_class, **kwargs):
        if form_class is ReplyForm:
            kwargs["question"] = self.object
        return form_class(**kwargs)

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        question, rights, bound = self.object, self.actor.forum_actions, bound or {}
        replies = list(question.replies.select_related("author__user").order_by("created_at", "pk"))
        for reply in replies:
            reply.body_markup = mark_safe(reply.body_html)  # noqa: S308 -- rendered and sanitised on save (nh3)
            reply.author_name = admin_name(reply.author, self.request)
        context.update(
            question=question,
            asker_name=admin_name(question.author, self.request),
            body_markup=mark_safe(question.body_html),  # noqa: S308 -- rendered and sanitised on save (nh3)
            replies=replies,
            rights=rights,
            reply_errors=bound.get("hide") or bound.get("unhide"),
        )
        if self.actor.moderates:
            load_moderation_details([question])
            panel = question.moderator_panel
            if panel:
                panel = {**panel, "joinedAt": datetime.fromisoformat(panel["joinedAt"])}
            context.update(
                # The support ticket's reason and who escalated (staff, named by their e-mail) are private too.
                ticket=SupportTicket.objects.filter(question=question).select_related("escalated_by").first(),
                panel=panel,
                internal_tags=question.internal_tag_names,
                tag_form=bound.get("tag") or self.tag_form(question),
                untag_form=bound.get("untag"),
            )
        if "move" in rights:
            initial = {"topics": list(question.topics.all())}
            context["move_form"] = bound.get("move") or MoveForm(initial=initial)
        if "escalate" in rights and (context.get("ticket") is None or "escalate" in bound):
            context["escalate_form"] = bound.get("escalate") or EscalateForm()
        context["state_actions"] = [
            (action, label)
            for action, label, shown in (
                ("approve", "Approve", question.held),
                ("pin", "Pin", not question.pinned),
                ("unpin", "Unpin", question.pinned),
                ("archive", "Archive", not question.archived),
                ("unarchive", "Unarchive", question.archived),
            )
            if shown and action in rights
        ]
        context["state_errors"] = [form for action, form in bound.items() if ACTIONS[action][0] is forms.Form]
        return context

    @staticmethod
    def tag_form(question) -> TagForm:
        form = TagForm()
        # Offer only the tags the question does not carry yet.
        form.fields["tag"].queryset = InternalTag.objects.exclude(questions=question)
        return form
