"""Admin for the forum: topics and their groups, the docs-path mapping, internal tags, questions, replies."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django_filters import BooleanFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView, SnippetViewSetGroup

from plugins.forum import moderation
from plugins.forum.models import (
    DocsTopicMapping,
    InternalTag,
    Question,
    Reply,
    Topic,
    TopicGroup,
    waiting_for_answer,
)
from snippets.lists import CommunitySnippetViewSet
from snippets.people import MemberColumn
from snippets.question_page import QuestionIndexView, QuestionInspectView, ReplyIndexView, question_page_url


class TopicGroupViewSet(CommunitySnippetViewSet):
    model = TopicGroup
    icon = "folder-open-inverse"
    menu_label = "Topic groups"
    list_display = ["label", "slug", "sort_order"]
    search_fields = ["label"]
    sort_order_field = "sort_order"
    inspect_view_enabled = True
    panels = [FieldPanel("label"), FieldPanel("slug"), FieldPanel("sort_order")]


class TopicViewSet(CommunitySnippetViewSet):
    model = Topic
    icon = "folder"
    menu_label = "Topics"
    list_display = ["label", "slug", "group"]
    list_filter = ["group"]
    search_fields = ["label", "description"]
    inspect_view_enabled = True
    panels = [
        FieldPanel("label"),
        FieldPanel("slug"),
        FieldPanel("group"),
        FieldPanel("description"),
        FieldPanel("channel_webhook_url"),
    ]


class DocsTopicMappingViewSet(CommunitySnippetViewSet):
    model = DocsTopicMapping
    icon = "link"
    menu_label = "Docs → topic"
    list_display = ["path_prefix", "topic"]
    search_fields = ["path_prefix"]
    inspect_view_enabled = True
    panels = [FieldPanel("path_prefix"), FieldPanel("topic")]


class InternalTagViewSet(CommunitySnippetViewSet):
    model = InternalTag
    icon = "warning"
    menu_label = "Internal tags"
    list_display = ["name"]
    search_fields = ["name"]
    inspect_view_enabled = True
    panels = [FieldPanel("name")]


class PostForm(WagtailAdminModelForm):
    """A question's or reply's admin form (the author is a read-only panel: never a form field, so a
    posted ``author`` is ignored); a moderator's edit of someone's words is noted in the question's
    history (``moderation.record_edit``)."""

    TEXT_FIELDS = ("subject", "body")

    def save(self, commit=True):
        before = {
            name: self.initial.get(name, "")
            for name in self.TEXT_FIELDS
            if name in self.fields and name in self.changed_data
        }
        post = super().save(commit=commit)
        if commit and before:
            moderation.record_edit(post, by=self.for_user, before=before)
        return post


class QuestionEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        question = self.object
        return [
            # Archiving, tagging, pinning, moving, escalating and hiding replies happen on the moderator page.
            Button("Moderate", url=question_page_url(question.pk), icon_name="cog"),
            Button(
                "View replies",
                url=reverse("wagtailsnippets_forum_reply:list") + f"?question={question.pk}",
                icon_name="list-ul",
            ),
            *super().header_more_buttons,
        ]


class QuestionFilterSet(WagtailFilterSet):
    # The community dashboard's "waiting for an answer" links here (with a topic): the same rule, the same rows.
    waiting = BooleanFilter(label="Waiting for an answer", method="filter_waiting")

    class Meta:
        model = Question
        fields = ["topics", "pinned", "held"]

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(waiting_for_answer()) if value else queryset.exclude(waiting_for_answer())


class QuestionViewSet(CommunitySnippetViewSet):
    # The admin searches the database directly: fresh at once, whether or not a task worker has indexed yet.
    search_backend_name = None
    model = Question
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    inspect_view_class = QuestionInspectView
    icon = "help"
    menu_label = "Questions"
    list_display = [
        "subject",
        MemberColumn("author", label="Asked by"),
        Column("num_replies", label="Replies", sort_key="num_replies"),
        Column("last_activity_at", label="Last activity"),
        BooleanColumn("pinned"),
        BooleanColumn("held", label="Held"),
        Column("archived_at", label="Archived"),
    ]
    filterset_class = QuestionFilterSet
    search_fields = ["subject", "body"]
    ordering = ["-last_activity_at"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("subject"),
            FieldPanel("body"),
            FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            FieldPanel("page"),
            FieldPanel("pinned"),
            FieldPanel("internal_tags", widget=forms.CheckboxSelectMultiple),
            FieldPanel("author", read_only=True),
        ],
        base_form_class=PostForm,
    )


class ReplyViewSet(CommunitySnippetViewSet):
    # The admin searches the database directly: fresh at once, whether or not a task worker has indexed yet.
    search_backend_name = None
    model = Reply
    index_view_class = ReplyIndexView
    icon = "comment-add"
    menu_label = "Replies"
    list_display = ["__str__", MemberColumn("author", label="By"), "upvotes", BooleanColumn("hidden"), "created_at"]
    list_filter = ["hidden", "question"]
    search_fields = ["body"]
    inspect_view_enabled = True
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [FieldPanel("body"), FieldPanel("hidden"), FieldPanel("question", read_only=True)], base_form_class=PostForm
    )


class ForumGroup(SnippetViewSetGroup):
    menu_label = "Forum"
    menu_icon = "comment"
    menu_order = 155
    items = (
        QuestionViewSet,
        ReplyViewSet,
        TopicViewSet,
        TopicGroupViewSet,
        DocsTopicMappingViewSet,
        InternalTagViewSet,
    )
