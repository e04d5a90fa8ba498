"""Votes, accepted answers and the staff action that turns a solved topic into a help article."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import npgettext
from django.views.decorators.http import require_POST

from forum import services
from forum.permissions import visible_topics
from forum.views.responses import member_required, refusals_as_responses, wants_json, writes_rate_limited
from forum.views.writing import _visible_post


@require_POST
@member_required
@writes_rate_limited("forum_vote")
@refusals_as_responses
def vote_view(request, pk):
    post = _visible_post(request, pk)
    if request.POST.get("action") == "unvote":
        post, voted = services.unvote(request.user, post), False
    else:
        post, voted = services.vote(request.user, post), True
    if wants_json(request):
        unit = npgettext("forum score", "vote", "votes", post.score)
        return JsonResponse({"score": post.score, "unit": unit, "voted": voted})
    return redirect(post.get_absolute_url())


@require_POST
@member_required
@writes_rate_limited("forum_vote")
@refusals_as_responses
def accept_view(request, pk):
    post = _visible_post(request, pk)
    services.accept_answer(request.user, post)
    return redirect(post.topic.get_absolute_url() + f"#post-{post.position}")


@require_POST
@member_required
@writes_rate_limited("forum_vote")
@refusals_as_responses
def clear_answer_view(request, pk):
    topic = get_object_or_404(visible_topics(request.user), pk=pk)
    services.clear_answer(request.user, topic)
    return redirect(topic.get_absolute_url())


@require_POST
@member_required
@refusals_as_responses
def draft_article_view(request, pk):
    topic = get_object_or_404(visible_topics(request.user).select_related("accepted_answer"), pk=pk)
    article = services.draft_article_from_topic(request.user, topic)
    return redirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))
