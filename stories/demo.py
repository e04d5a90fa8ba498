"""The demo site's customer stories: invented companies, in every site language.

Called by demo's load_demo after the help content exists; idempotent: a story is matched by its
translation key and language, and one that exists is left as it is (a second run adds nothing).
Everything comes from ``demo_data/stories.json``: the customers (fictional companies with
example.com websites), the products they use, and each story's translations, which share one
Wagtail translation key like the articles do, so the language switcher links them. A story's help
articles are GNOME Help articles named by their translation key, in the story's own language;
when none of them is there (a smaller corpus), the first article of that language stands in,
and a language with no articles (Hebrew) gets none. No images: the templates do without a logo,
hero image or photo.

Consent: a published story needs the customer's consent for its live revision (stories.services
.consent). The demo writes what an approval would have written (the consent and a "granted" line
in the ledger) for each story, except: Fabrikam Schools is waiting for the customer's approval
(its workflow passed editorial review; the approval link went to the contact by email, printed
on the console in development), Wide World Importers allowed neither name, logo nor quotes (the
page says "a retail company in the Middle East"), and Woodgrove Bank's consent expired yesterday
(``stories_consent --expire`` unpublished it and told the staff).
"""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kb.importing import translation_key_for
from kb.models import ArticlePage, Product
from stories.approval_workflow import ensure_story_workflow
from stories.demo_readers import load_demo_story_readers
from stories.models import Consent, ConsentEvent, Customer, StoryArticle, StoryPage
from stories.sections import ensure_story_indexes
from stories.services.consent import expire_consents

#: Customers, products and stories, written for the demo; every company in it is fictional.
STORIES_FILE = Path(__file__).parent / "demo_data" / "stories.json"
#: The customer fields of the JSON that are not model fields (the "fictional" note).
CUSTOMER_FIELDS = ("industry", "company_size", "region", "website")


def load_demo_stories() -> str:
    """Build the demo stories (idempotently); returns one line saying what it did."""
    data = json.loads(STORIES_FILE.read_text(encoding="utf-8"))
    created = create_stories(data)
    readers = load_demo_story_readers()
    total = sum(len(story["translations"]) for story in data["stories"])
    read = f"; {readers} demo readers in the Stories report" if readers else ""
    if not created:
        return f"Stories demo: {total} stories kept as they are{read}"
    published = sum(created.values())
    languages = ", ".join(f"{code} {count}" for code, count in created.items())
    return (
        f"Stories demo: published {published} stories ({languages}) of {total}; one awaits approval, one expired{read}"
    )


@transaction.atomic
def create_stories(data: dict) -> dict[str, int]:
    """The stories of ``data`` that do not exist yet, published; returns how many per language."""
    indexes = {index.locale.language_code: index for index in ensure_story_indexes()}
    products = {row["slug"]: ensure_product(row) for row in data["products"]}
    customers = {row["name"]: ensure_customer(row) for row in data["customers"]}
    created: dict[str, int] = {}
    for story in data["stories"]:
        key = translation_key_for("story", story["key"])
        for language, text in story["translations"].items():
            index = indexes.get(language)
            if index is None or StoryPage.objects.filter(translation_key=key, locale=index.locale).exists():
                continue
            page = StoryPage(
                title=text["title"],
                slug=story["key"],
                locale=index.locale,
                translation_key=key,
                customer=customers[story["customer"]],
                headline=text["headline"],
                summary=text["summary"],
                publish_date=date.fromisoformat(story["publish_date"]),
                featured=story["featured"],
                challenge=text["challenge"],
                solution=text["solution"],
                results=text["results"],
                figures=[("figure", figure_value(figure)) for figure in text["figures"]],
                quotes=[("quote", quote) for quote in text["quotes"]],
                products=[products[slug] for slug in story["products"]],
                help_articles=[StoryArticle(article=article) for article in help_articles(story["articles"], language)],
            )
            page.live = story["key"] != AWAITING_APPROVAL
            index.add_child(instance=page)
            revision = page.save_revision()
            if story["key"] == AWAITING_APPROVAL:
                submit_for_customer_approval(page)
                continue
            revision.publish()
            grant_demo_consent(page, revision, story["key"])
            created[language] = created.get(language, 0) + 1
    expire_consents()
    return created


#: The demo's stories in the states a consent can be in (see the module's docstring).
AWAITING_APPROVAL = "fabrikam-schools"
LIMITED_CONSENT = "wide-world-importers"
EXPIRED_CONSENT = "woodgrove-bank"


def grant_demo_consent(page: StoryPage, revision, key: str) -> None:
    """What the customer's approval would have written: the consent and its ledger line."""
    limited = key == LIMITED_CONSENT
    scope = {
        "show_name": not limited,
        "show_logo": not limited,
        "show_figures": True,
        "show_photos": not limited,
        "quote_ids": [] if limited else [quote.id for quote in page.quotes],
        "expires_on": timezone.localdate() - timedelta(days=1) if key == EXPIRED_CONSENT else None,
    }
    contact = page.customer
    now = timezone.now()
    Consent.objects.update_or_create(
        story=page,
        defaults={
            **scope,
            "approved_revision": revision,
            "approved_by_name": contact.contact_name,
            "approved_by_email": contact.contact_email,
            "approved_at": now,
            "withdrawn_at": None,
        },
    )
    ledger_scope = {
        "name": scope["show_name"],
        "logo": scope["show_logo"],
        "figures": scope["show_figures"],
        "photos": scope["show_photos"],
        "quotes": scope["quote_ids"],
        "expires_on": scope["expires_on"].isoformat() if scope["expires_on"] else None,
    }
    ConsentEvent.objects.create(
        story=page, customer=contact, kind=ConsentEvent.Kind.GRANTED, scope=ledger_scope, revision=revision,
        by_name=contact.contact_name, by_email=contact.contact_email, comment="Demo data", at=now,
    )  # fmt: skip


def submit_for_customer_approval(page: StoryPage) -> None:
    """Start the story workflow and pass editorial review: it waits for the customer."""
    editor = get_user_model().objects.filter(groups__name="Editors").order_by("pk").first()
    workflow = ensure_story_workflow()
    state = workflow.start(page, editor)
    review = state.current_task_state
    review.task.specific.on_action(review, editor, "approve")


def ensure_product(row: dict) -> Product:
    """The demo product of this slug (or name), made when missing; an existing one is left as it is."""
    product = Product.objects.filter(Q(slug=row["slug"]) | Q(name=row["name"])).first()
    return product or Product.objects.create(slug=row["slug"], name=row["name"], description=row["description"])


def ensure_customer(row: dict) -> Customer:
    slug = row["website"].rstrip("/").rsplit("/", 1)[-1]
    customer, _created = Customer.objects.get_or_create(
        name=row["name"],
        defaults={
            **{field: row[field] for field in CUSTOMER_FIELDS},
            # Who approves the stories: an invented contact at an example.com address.
            "contact_name": f"{row['name']} contact",
            "contact_email": f"stories+{slug}@example.com",
        },
    )
    return customer


def figure_value(row: dict) -> dict:
    """A result figure's block value from its JSON row: numbers as the decimals the block holds."""
    before = row["before"]
    return {
        **row,
        "before": None if before is None else Decimal(str(before)),
        "after": Decimal(str(row["after"])),
    }


def help_articles(keys: list[str], language: str) -> list[ArticlePage]:
    """The live articles of ``language`` with these GNOME Help translation keys, in their order;
    else the first live article of that language; else none."""
    articles = ArticlePage.objects.live().filter(locale__language_code=language)
    by_key = {
        article.translation_key: article
        for article in articles.filter(translation_key__in=[translation_key_for("article", key) for key in keys])
    }
    found = [by_key[k] for k in (translation_key_for("article", key) for key in keys) if k in by_key]
    if found:
        return found
    first = articles.order_by("path").first()
    return [first] if first is not None else []
