"""One confirm-and-act admin page for council managers: a form, a service call, a message.

Each concern's viewset (memberships, roadmap items, meetings) names its actions and implements
:meth:`ManagerActionView.perform`; a refusal from the service (an ActionRefused) shows on the form
and as a message (Wagtail's generic form page shows no form-wide errors), with its status, and
nothing is written.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from customer_council.access import is_manager
from sitewide.errors import ActionRefused


class ManagerActionView(WagtailAdminTemplateMixin, FormView):
    template_name = "wagtailadmin/generic/form.html"
    #: The model acted on (the URL's ``pk``); a queryset may stand in to join what the title needs.
    queryset = None
    #: action name -> (form class, page title, button label)
    actions: dict = {}
    #: Where to go after the action (a URL name).
    success_url_name = ""
    #: Which action this view is (set by ``as_view(action=...)``).
    action = ""

    def dispatch(self, request, pk):
        if not is_manager(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(self.queryset, pk=pk)
        return super().dispatch(request)

    def get_form_class(self):
        return self.actions[self.action][0]

    def get_page_title(self):
        return self.actions[self.action][1]

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(action_url=self.request.path, submit_button_label=self.actions[self.action][2])
        return context

    def perform(self, form) -> str:
        """Call the service for ``self.action`` on ``self.object``; return the success message."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            done = self.perform(form)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
            messages.error(self.request, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=refusal.status)
        messages.success(self.request, done)
        return redirect(self.success_url_name)
