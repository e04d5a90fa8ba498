"""Writing: new topics, replies, edits, deletions, the Markdown preview and image uploads."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import services
from forum.forms import EditPostForm, ImageUploadForm, NewTopicForm, PreviewForm, ReplyForm
from forum.markdown import render as render_markdown
from forum.models import Post
from forum.permissions import visible_categories, visible_topics
from forum.services import ActionRefused
from forum.services.mentions import mention_targets
from forum.services.posting import can_delete_post, can_edit_post
from forum.services.reputation import is_trusted
from forum.views.responses import member_required, refusals_as_responses, refused_response, writes_rate_limited
from sitewide.ratelimit import rate_limited


@member_required
@writes_rate_limited("forum_post")
def new_topic(request):
    categories = visible_categories(request.user)
    if request.method == "POST":
        form = NewTopicForm(request.POST, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            try:
                topic = services.create_topic(
                    request.user,
                    category=data["category"],
                    title=data["title"],
                    body=data["body"],
                    is_question=data["is_question"],
                    # The category's language when it has one, else the language the member reads in.
                    language=data["category"].language or get_language(),
                    tags=form.tag_names(),
                )
            except ActionRefused as error:
                form.add_error(None, error.message)
                return render(request, "forum/new_topic.html", {"form": form}, status=error.status)
            if topic.last_approved_position == 0:
                say_held(request)
            return redirect(topic.get_absolute_url())
        return render(request, "forum/new_topic.html", {"form": form}, status=400)
    initial = {"visit": uuid.uuid4().hex, "is_question": True}
    chosen = categories.filter(slug=request.GET.get("category", "")).first()
    if chosen:
        initial["category"] = chosen
    return render(request, "forum/new_topic.html", {"form": NewTopicForm(initial=initial, categories=categories)})


@require_POST
@member_required
@writes_rate_limited("forum_post")
def reply_view(request, pk):
    topic = get_object_or_404(visible_topics(request.user).select_related("category"), pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = services.reply(request.user, topic, form.cleaned_data["body"])
        except ActionRefused as error:
            form.add_error(None, error.message)
            return render(request, "forum/reply_form_page.html", {"form": form, "topic": topic}, status=error.status)
        if not post.is_approved:
            say_held(request)
        return redirect(post.get_absolute_url())
    return render(request, "forum/reply_form_page.html", {"form": form, "topic": topic}, status=400)


def say_held(request) -> None:
    """Tell the member their post waits for a moderator (their member page lists what waits)."""
    messages.info(
        request,
        _(
            "Thank you. Your post is waiting for a moderator's approval: until then only you and the moderators "
            "see it. You will be notified when it is approved."
        ),
    )


def _visible_post(request, pk) -> Post:
    post = get_object_or_404(Post.objects.select_related("topic", "topic__category", "author"), pk=pk)
    if post.topic not in visible_topics(request.user).filter(pk=post.topic_id):
        raise Http404
    return post


@member_required
@writes_rate_limited("forum_edit")
def edit_view(request, pk):
    post = _visible_post(request, pk)
    if not can_edit_post(request.user, post):
        return refused_response(request, services.NotAllowed(_("You cannot edit this post.")))
    with_title = post.position == 1
    if request.method == "POST":
        form = EditPostForm(request.POST, with_title=with_title)
        if form.is_valid():
            try:
                services.edit_post(request.user, post, form.cleaned_data["body"], title=form.cleaned_data.get("title"))
            except ActionRefused as error:
                form.add_error(None, error.message)
                return render(request, "forum/edit_post.html", {"form": form, "post": post}, status=error.status)
            return redirect(post.get_absolute_url())
        return render(request, "forum/edit_post.html", {"form": form, "post": post}, status=400)
    form = EditPostForm(initial={"body": post.body_markdown, "title": post.topic.title}, with_title=with_title)
    return render(request, "forum/edit_post.html", {"form": form, "post": post})


@member_required
@refusals_as_responses
def delete_view(request, pk):
    post = _visible_post(request, pk)
    if not can_delete_post(request.user, post):
        raise services.NotAllowed(_("You cannot delete this post."))
    if request.method == "POST":
        services.delete_post(request.user, post)
        if post.position == 1:
            return redirect(post.topic.category.get_absolute_url())
        return redirect(post.topic.get_absolute_url())
    return render(request, "forum/delete_post.html", {"post": post})


@require_POST
@member_required
@rate_limited("forum_preview")
def preview(request):
    """The sanitized HTML a post would show (the editor's Preview tab fetches it)."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        return render(request, "forum/includes/preview.html", {"errors": errors}, status=400)
    text = form.cleaned_data["body"]
    try:
        html = render_markdown(text, nofollow=not is_trusted(request.user), members=mention_targets(text))
    except ValidationError as error:
        return render(request, "forum/includes/preview.html", {"errors": error.messages}, status=400)
    return render(request, "forum/includes/preview.html", {"html": html})


@require_POST
@member_required
def upload_image(request):
    """Store an image and answer the Markdown that shows it (JSON)."""
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors.get("image", []))}, status=400)
    try:
        attachment = services.store_image(request.user, form.cleaned_data["image"])
    except ActionRefused as error:
        return JsonResponse({"error": str(error.message)}, status=error.status)
    url = attachment.file.url
    return JsonResponse({"url": url, "markdown": f"![]({url})"}, status=201)
