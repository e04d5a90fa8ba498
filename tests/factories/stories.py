"""Builders for customer stories: customers, images and published story pages."""

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from kb.models import HelpCenterPage
from stories.models import Customer, StoryIndexPage, StoryPage
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
    **fields,
) -> StoryPage:
    """A story under ``language``'s story index, published (with a revision) unless told not to."""
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
    if publish:
        revision.publish()
    else:
        story.unpublish()
    return StoryPage.objects.get(pk=story.pk)
