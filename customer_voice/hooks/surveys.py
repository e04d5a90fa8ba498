"""Wagtail hooks: surveys. The "Customer voice" admin submenu (every area adds its items with
``hooks.register(VOICE_MENU_HOOK, ...)``) and the survey runs listing in it."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from customer_voice.menu import VOICE_MENU_HOOK
from customer_voice.viewsets_surveys import SurveyRunReportView


@hooks.register("register_admin_menu_item")
def register_customer_voice_menu():
    # Shown only when at least one of its items is shown to the user.
    return SubmenuMenuItem(
        _("Customer voice"),
        Menu(register_hook_name=VOICE_MENU_HOOK),
        name="customer-voice",
        icon_name="group",
        order=260,
    )


@hooks.register("register_admin_urls")
def register_survey_run_urls():
    urlpatterns = [
        path("", SurveyRunReportView.as_view(), name="index"),
        path("results/", SurveyRunReportView.as_view(results_only=True), name="index_results"),
    ]
    return [path("customer-voice/survey-runs/", include((urlpatterns, "voice_survey_runs")))]


class SurveyRunsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("customer_voice.view_surveyrun")


@hooks.register(VOICE_MENU_HOOK)
def register_survey_runs_menu_item():
    return SurveyRunsMenuItem(
        _("Survey runs"), reverse("voice_survey_runs:index"), name="voice-survey-runs", icon_name="list-ul", order=100
    )
