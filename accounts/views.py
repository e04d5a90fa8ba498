from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Show and edit the signed-in person's profile; invalid input answers 400 and saves nothing."""
    # The form edits its own copy of the user: a ModelForm writes valid fields onto its instance
    # even when another field is invalid, and request.user must keep showing what is stored.
    person = get_user_model()._default_manager.get(pk=request.user.pk)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=person)
    if request.method == "POST":
        if form.is_valid() and form.save_or_refuse():
            messages.success(request, _("Your profile has been saved."))
            return redirect("profile")
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": form})
