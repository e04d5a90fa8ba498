"""Stories customers propose, and the draft stories staff start from them or from a customer.

Three actions, each the one place its write happens (views, the admin and other apps call them):

- :func:`submit`: a logged-in customer proposes a story in their own words (the public form).
- :func:`start_draft_from_submission`: staff turn a submission into an unpublished draft story in
  one click; a second click returns the same draft.
- :func:`start_draft_for_customer`: staff (or code such as the NPS follow-up for promoters) start
  a draft story about a customer.

Refusals are :class:`~sitewide.errors.ActionRefused` with a message the person can act on.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from kb.models import HelpCenterPage
from sitewide.errors import ActionRefused
from sitewide.text import clean_line, clean_text, has_nul
from stories.models import Customer, StoryIndexPage, StoryPage, StorySubmission
from stories.sections import ensure_story_index

#: Lengths after cleaning (the model's limits; the form lets twice as much through so that the
#: refusal names the limit rather than the browser cutting the text silently).
MAX_COMPANY = StorySubmission._meta.get_field("company").max_length
MAX_ROLE = StorySubmission._meta.get_field("role").max_length
MAX_ACHIEVEMENT = StorySubmission._meta.get_field("achievement").max_length
MAX_FIGURES = StorySubmission._meta.get_field("figures").max_length
#: Fewer characters than this say too little to start a story from.
MIN_ACHIEVEMENT = 20
#: A second open submission for the same company by the same person within this time is a duplicate.
DUPLICATE_WINDOW = timedelta(hours=24)

#: Where a draft came from (the audit log's data, and the NPS work's ``source``).
SOURCE_STAFF = "staff"
SOURCE_SUBMISSION = "submission"
SOURCE_NPS = "nps"
#: The audit-log action of a draft started here (registered in stories.viewsets_submissions).
DRAFT_STARTED = "stories.draft_started"

#: A customer made from a submission knows only its name: the rest are placeholders staff set on
#: the customer's snippet before publishing. "Other" industry and the smallest size claim least;
#: the region is guessed from the language the customer wrote in (Wagtail has no "unknown" one).
NEW_CUSTOMER_INDUSTRY = Customer.Industry.OTHER
NEW_CUSTOMER_SIZE = Customer.CompanySize.SMALL
NEW_CUSTOMER_REGION_BY_LANGUAGE = {
    "ru": Customer.Region.EUROPE,
    "fa": Customer.Region.MIDDLE_EAST,
    "he": Customer.Region.MIDDLE_EAST,
}
NEW_CUSTOMER_REGION = Customer.Region.NORTH_AMERICA

#: Editors (and superusers, who have every permission) read submissions, start drafts from them
#: and from customers (stories.viewsets_submissions). Granted after every migrate (stories.signals).
STAFF_GROUPS = ["Editors"]
STAFF_PERMISSIONS = {
    "storysubmission": ["view_storysubmission", "change_storysubmission"],
    "customer": ["view_customer", "add_customer", "change_customer"],
}

HEADLINE_LENGTH = StoryPage._meta.get_field("headline").max_length
SUMMARY_LENGTH = StoryPage._meta.get_field("summary").max_length


def grant_staff_permissions() -> None:
    """Give :data:`STAFF_GROUPS` the :data:`STAFF_PERMISSIONS` (idempotent: adding a permission a
    group has changes nothing; a group that does not exist is skipped)."""
    # The stories app is installed before django.contrib.auth, so on a first migrate this runs
    # before auth has made the app's permissions: make them now (idempotent too).
    create_permissions(apps.get_app_config("stories"), verbosity=0)
    codenames = [codename for names in STAFF_PERMISSIONS.values() for codename in names]
    permissions = Permission.objects.filter(
        content_type__app_label="stories", content_type__model__in=list(STAFF_PERMISSIONS), codename__in=codenames
    )
    for group in Group.objects.filter(name__in=STAFF_GROUPS):
        group.permissions.add(*permissions)


def _site_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ActionRefused(_("Choose one of the site's languages."))
    return language


def _refuse_nul(*texts) -> None:
    if any(has_nul(text) for text in texts):
        raise ActionRefused(_("The text contains a NUL character. Remove it and try again."))


def _checked_line(text, *, limit: int, required_message=None, too_long_message=None) -> str:
    line = clean_line(text)
    if required_message and not line:
        raise ActionRefused(required_message)
    if len(line) > limit:
        raise ActionRefused(too_long_message % {"limit": limit})
    return line


def _checked_text(text, *, limit: int, too_long_message) -> str:
    cleaned = clean_text(text).strip()
    if len(cleaned) > limit:
        raise ActionRefused(too_long_message % {"limit": limit})
    return cleaned


# --- Proposing a story ---------------------------------------------------------------------------


def submit(user, company, role, language, achievement, figures="", may_contact=False) -> StorySubmission:
    """Record a story a logged-in customer proposes, in their words, as a NEW submission.

    Text is cleaned (sitewide.text); NUL bytes, over-long or empty text and an unknown language
    are refused. A second open (NEW) submission by the same person for the same company within
    24 hours is refused as a duplicate (status 409), so a double submit writes one row.
    """
    if user is None or not user.is_authenticated:
        raise ActionRefused(_("Log in to propose a story."), status=403)
    _refuse_nul(company, role, achievement, figures)
    language = _site_language(language)
    company = _checked_line(
        company,
        limit=MAX_COMPANY,
        required_message=_("Tell us the name of your company."),
        too_long_message=_("The company name is too long (at most %(limit)s characters)."),
    )
    role = _checked_line(
        role, limit=MAX_ROLE, too_long_message=_("Your role is too long (at most %(limit)s characters).")
    )
    achievement = _checked_text(
        achievement,
        limit=MAX_ACHIEVEMENT,
        too_long_message=_("What you achieved is too long (at most %(limit)s characters)."),
    )
    if len(achievement) < MIN_ACHIEVEMENT:
        raise ActionRefused(
            _("Tell us a little more about what you achieved (at least %(limit)s characters).")
            % {"limit": MIN_ACHIEVEMENT}
        )
    figures = _checked_text(
        figures, limit=MAX_FIGURES, too_long_message=_("The figures are too long (at most %(limit)s characters).")
    )
    with transaction.atomic():
        # One submitter at a time: two simultaneous submits cannot both miss each other.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        duplicate = StorySubmission.objects.filter(
            submitted_by=user,
            company__iexact=company,
            status=StorySubmission.Status.NEW,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        ).exists()
        if duplicate:
            raise ActionRefused(
                _("You already proposed a story about %(company)s today. We will be in touch about it.")
                % {"company": company},
                status=409,
            )
        return StorySubmission.objects.create(
            submitted_by=user,
            company=company,
            role=role,
            language=language,
            achievement=achievement,
            figures=figures,
            may_contact=bool(may_contact),
        )


# --- Starting a draft story ----------------------------------------------------------------------


def _story_index(language: str) -> StoryIndexPage:
    home = HelpCenterPage.objects.filter(locale__language_code=language).first()
    if home is None:
        raise ActionRefused(_("There is no help center in this language yet."), status=409)
    return ensure_story_index(home)


def _check_may_add_story(story_index: StoryIndexPage, by) -> None:
    if by is None:
        return
    if not by.is_active or not story_index.permissions_for_user(by).can_add_subpage():
        raise ActionRefused(_("You may not add stories in this language."), status=403)


def _free_slug(story_index: StoryIndexPage, base: str) -> str:
    base = slugify(base, allow_unicode=True)[:60].strip("-") or "story"
    taken = set(story_index.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _paragraphs(text: str) -> str:
    """Plain text as rich text: one <p> per paragraph, escaped, line breaks kept."""
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return "".join(f"<p>{escape(block).replace(chr(10), '<br>')}</p>" for block in blocks)


def _create_draft(story_index, customer, *, by, source, headline, summary, challenge, results) -> StoryPage:
    """An unpublished story under ``story_index`` with a first revision, logged with its source."""
    with translation.override(story_index.locale.language_code):
        to_write = gettext("To be written.")
        headline = Truncator(headline or gettext("The story of %(customer)s") % {"customer": customer.name})
        story = StoryPage(
            title=headline.chars(HEADLINE_LENGTH),
            slug=_free_slug(story_index, f"{customer.name}-story"),
            locale=story_index.locale,
            live=False,
            customer=customer,
            headline=headline.chars(HEADLINE_LENGTH),
            summary=Truncator(summary or to_write).chars(SUMMARY_LENGTH),
            challenge=challenge or f"<p>{escape(to_write)}</p>",
            solution=f"<p>{escape(to_write)}</p>",
            results=results or f"<p>{escape(to_write)}</p>",
        )
    story_index.add_child(instance=story)
    story.save_revision(user=by, log_action=True)
    log(story, DRAFT_STARTED, user=by, data={"source": source})
    return story


def _first_sentence(text: str) -> str:
    line = text.strip().split("\n", 1)[0]
    for stop in (". ", "! ", "? ", "。"):
        if stop in line:
            line = line.split(stop, 1)[0] + stop.strip()
            break
    return line


def _customer_for_submission(submission: StorySubmission) -> Customer:
    """The customer named like the submission's company (any case), made when there is none."""
    customer = Customer.objects.filter(name__iexact=submission.company).first()
    if customer is not None:
        return customer
    contact = submission.submitted_by if submission.may_contact else None
    customer, _created = Customer.objects.get_or_create(
        name=submission.company,
        defaults={
            "industry": NEW_CUSTOMER_INDUSTRY,
            "company_size": NEW_CUSTOMER_SIZE,
            "region": NEW_CUSTOMER_REGION_BY_LANGUAGE.get(submission.language, NEW_CUSTOMER_REGION),
            "contact_name": clean_line(contact.public_name)[:120] if contact else "",
            "contact_email": contact.email if contact else "",
            "contact_language": submission.language,
        },
    )
    return customer


def start_draft_from_submission(submission: StorySubmission, by) -> StoryPage:
    """The draft story made from ``submission``: created the first time, the same one after.

    The customer is found by the company's name (any case) or made with placeholder industry,
    size and region (staff set them on the customer before publishing; the submitter becomes its
    contact if they allowed it). The story is unpublished, under the story index of the
    submission's language, its headline, summary, challenge and results prefilled from the
    submitter's words. The submission is marked DRAFTED with the story and who handled it.

    ``by`` must be allowed to add pages under that story index (ActionRefused 403 otherwise).
    """
    story_index = _story_index(submission.language)
    _check_may_add_story(story_index, by)
    with transaction.atomic():
        # Locked: two clicks at once make one draft.
        submission = StorySubmission.objects.select_for_update().get(pk=submission.pk)
        if submission.story_id is not None:
            story = StoryPage.objects.filter(pk=submission.story_id).first()
            if story is not None:
                return story
        achievement = submission.achievement
        challenge = _paragraphs(achievement)
        if submission.role:
            with translation.override(submission.language):
                said = gettext("In the words of their %(role)s:") % {"role": submission.role}
            challenge = f"<p>{escape(said)}</p>{challenge}"
        story = _create_draft(
            story_index,
            _customer_for_submission(submission),
            by=by,
            source=SOURCE_SUBMISSION,
            headline=_first_sentence(achievement),
            summary=" ".join(achievement.split()),
            challenge=challenge,
            results=_paragraphs(submission.figures),
        )
        submission.story = story
        submission.status = StorySubmission.Status.DRAFTED
        submission.handled_by = by
        submission.handled_at = timezone.now()
        submission.save(update_fields=["story", "status", "handled_by", "handled_at"])
    return story


def start_draft_for_customer(customer: Customer, by, language: str, source: str = SOURCE_STAFF) -> StoryPage:
    """Start a draft story about ``customer`` in ``language``: the entry point for staff (the
    customer snippet's "Start a story") and for other apps (the NPS follow-up, for promoters).

    Contract:

    - ``customer``: a saved :class:`~stories.models.Customer`.
    - ``by``: the staff user starting it, who must be allowed to add pages under that language's
      story index (ActionRefused, status 403, otherwise); or ``None`` when code the site trusts
      starts it on its own (the NPS follow-up), which skips that check.
    - ``language``: one of settings.LANGUAGES (ActionRefused otherwise); the story goes under that
      language's story index (made if missing; ActionRefused 409 if the language has no help center).
    - ``source``: who asked, recorded in the page's audit log ("staff", "nps", ...).

    Returns an unpublished :class:`~stories.models.StoryPage` with placeholder text and a first
    revision, ready for an editor. Idempotent per customer and language: while a story about the
    customer in that language has never been published, that draft is returned instead of a
    second one, so a double click or a repeated NPS run starts one story.
    Never publishes, never emails: inviting the customer is the caller's business.
    """
    story_index = _story_index(_site_language(language))
    _check_may_add_story(story_index, by)
    with transaction.atomic():
        # Locked: two simultaneous starts for one customer make one draft.
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        open_draft = (
            StoryPage.objects.child_of(story_index)
            .filter(customer=customer, first_published_at__isnull=True)
            .order_by("pk")
            .first()
        )
        if open_draft is not None:
            return open_draft
        return _create_draft(
            story_index, customer, by=by, source=source, headline="", summary="", challenge="", results=""
        )
