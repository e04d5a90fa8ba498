"""Builders for customer stories: customers, images and published story pages."""

from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from kb.models import HelpCenterPage
from stories.models import Consent, Customer, StoryIndexPage, StoryPage
from stories.sections import ensure_story_index

_counter = iter(range(1, 10**9))


def make_image(title="Picture"):
    return get_image_model().objects.create(title=title, file=get_test_image_file())


def make_customer(name=None, **fields) -> Customer:
    n = next(_counter)
    defaults = {
        "industry": "logistics",
        "company_size": "medium",
        "region": "europe",
        "website": "https://example.com/",
    }
    return Customer.objects.create(name=name or f"Customer {n}", **{**defaults, **fields})


def story_index(language="en") -> StoryIndexPage:
    return ensure_story_index(HelpCenterPage.objects.get(locale__language_code=language))


def make_story(
    headline=None,
    *,
    language="en",
    customer=None,
    featured=False,
    publish_date=None,
    products=(),
    figures=(),
    quotes=(),
    hero_image=None,
    translation_of=None,
    publish=True,
    consent=True,
    **fields,
) -> StoryPage:
    """A story under ``language``'s story index, published (with a revision) unless told not to.

    A published story carries its customer's consent to everything (name, logo, figures, photos,
    every quote) for its revision, unless ``consent=False``."""
    n = next(_counter)
    headline = headline or f"Story {n}"
    story = StoryPage(
        title=fields.pop("title", headline),
        slug=fields.pop("slug", f"story-{n}"),
        headline=headline,
        summary=fields.pop("summary", f"What happened in story {n}."),
        customer=customer or make_customer(),
        featured=featured,
        challenge="<p>Too many tickets.</p>",
        solution="<p>A help center.</p>",
        results="<p>Fewer tickets.</p>",
        figures=list(figures),
        quotes=list(quotes),
        hero_image=hero_image,
        **fields,
    )
    if publish_date is not None:
        story.publish_date = publish_date
    if translation_of is not None:
        story.translation_key = translation_of.translation_key
    story_index(language).add_child(instance=story)
    if products:
        story.products.set(products)
    revision = story.save_revision()
    if publish and consent:
        grant_consent(story, revision)
    if publish:
        revision.publish()
    else:
        story.unpublish()
    return StoryPage.objects.get(pk=story.pk)


def grant_consent(story, revision, **scope) -> Consent:
    """The customer's consent in force for ``revision`` (everything unless ``scope`` says otherwise)."""
    defaults = {
        "show_name": True,
        "show_logo": True,
        "show_figures": True,
        "show_photos": True,
        "quote_ids": [quote.id for quote in revision.as_object().quotes],
        "approved_revision": revision,
        "approved_by_name": "Customer contact",
        "approved_by_email": "contact@example.com",
        "approved_at": timezone.now(),
        "withdrawn_at": None,
    }
    consent, _created = Consent.objects.update_or_create(story_id=story.pk, defaults={**defaults, **scope})
    return consent
