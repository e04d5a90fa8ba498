"""The door of every council view: who gets in, and what everyone else is told.

* anonymous visitors are sent to log in (the council's existence is public; its content is not);
* a member who owes the current charter or confidentiality agreement goes to the acceptance page
  before anything else opens;
* everyone else who may not enter gets the same 404 as for a page that does not exist, so an
  idea's or meeting's URL says nothing about whether it exists. ``council_home`` alone answers
  outsiders with a page explaining what the council is (status 403), because its URL is public.
Council managers always enter.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from customer_council.access import current_membership, is_manager, may_enter, pending_agreements


def member_required(view):
    """Let in active members who have accepted the current agreements, and council managers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if is_manager(user) or may_enter(user):
            return view(request, *args, **kwargs)
        if current_membership(user) is not None and pending_agreements(user):
            return redirect("customer_council:agreements")
        raise Http404

    return wrapped


def manager_required(view):
    """Council managers only; everyone else sees a 404 (or the login page)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_manager(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
