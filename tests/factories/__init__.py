"""Test data builders. Pages are created through the same code the importer uses."""

import factory
from django.conf import settings
from django.contrib.auth import get_user_model

from kb.importing import ArticleSource, ensure_help_center, import_article, translation_key_for
from kb.models import ArticlePage

#: A reader's browser: views and searches from it are counted (bots and empty agents are not).
BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
BROWSER_HEADERS = {"HTTP_USER_AGENT": BROWSER_USER_AGENT}


def ensure_help_centers() -> dict:
    return {code: ensure_help_center(code) for code, _name in settings.LANGUAGES}


_article_counter = iter(range(1, 10**9))


def make_article(
    title=None,
    *,
    locale="en",
    category="getting-started",
    category_title="Getting started",
    translation_key=None,
    body="Some helpful text.",
    summary="",
    tags=None,
) -> ArticlePage:
    """A published article in a category, created like an imported one."""
    n = next(_article_counter)
    title = title or f"Article {n}"
    source = ArticleSource(
        path=None,
        title=title,
        slug=f"article-{n}",
        locale=locale,
        translation_key=translation_key or f"article-{n}",
        summary=summary,
        category=category,
        category_title=category_title,
        tags=tags or [],
        body=[("paragraph", f"<p>{body}</p>")] if isinstance(body, str) else body,
    )
    import_article(source)
    return ArticlePage.objects.get(
        translation_key=translation_key_for("article", source.translation_key), locale__language_code=locale
    )


#: Every factory-made user's password, for tests that log in through a form.
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    username = factory.SelfAttribute("email")
    #: Display names are unique (accounts.models): a sequence, where random names could repeat.
    display_name = factory.Sequence(lambda n: f"Member {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.emailaddress_set.get_or_create(email=self.email, defaults={"verified": True, "primary": True})
