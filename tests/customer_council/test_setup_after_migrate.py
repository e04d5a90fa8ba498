"""A fresh install needs no demo loader for the council: every ``migrate`` makes (or repairs) the
private documents collection and a council section under each help center."""

import pytest
from django.core.management import call_command
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from customer_council.documents import council_collection
from customer_council.models import CouncilIndexPage
from customer_council.privacy import DOCUMENTS_COLLECTION

pytestmark = pytest.mark.django_db


def test_migrate_makes_the_private_collection_and_a_restricted_section_per_help_center(help_centers):
    Collection.objects.filter(name=DOCUMENTS_COLLECTION).delete()
    CouncilIndexPage.objects.all().delete()

    call_command("migrate", verbosity=0)

    collection = council_collection()
    assert collection is not None
    assert CollectionViewRestriction.objects.get(collection=collection).restriction_type == "groups"
    sections = CouncilIndexPage.objects.all()
    assert {section.locale.language_code for section in sections} == set(help_centers)
    for section in sections:
        assert PageViewRestriction.objects.get(page=section).restriction_type == "groups"


def test_a_second_migrate_changes_nothing(help_centers):
    call_command("migrate", verbosity=0)
    before = (Collection.objects.count(), CouncilIndexPage.objects.count(), PageViewRestriction.objects.count())

    call_command("migrate", verbosity=0)

    assert (Collection.objects.count(), CouncilIndexPage.objects.count(), PageViewRestriction.objects.count()) == before
