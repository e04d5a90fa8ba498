"""Search understands each language: inflections, stemming, Persian and Hebrew spelling variants."""

import pytest

from kb.search.service import search
from tests.search_helpers import publish_article, reader

pytestmark = pytest.mark.django_db


def found(query, language):
    return [hit.title for hit in search(reader(), query, language=language).hits]


def test_a_russian_word_is_found_in_another_inflection(help_centers, django_capture_on_commit_callbacks):
    publish_article(
        django_capture_on_commit_callbacks, "Работа с почтой", locale="ru", body="Список клиентов и их адреса."
    )

    assert found("клиенты", "ru") == ["Работа с почтой"]
    assert found("клиента", "ru") == ["Работа с почтой"]


def test_english_is_stemmed(help_centers, django_capture_on_commit_callbacks):
    publish_article(django_capture_on_commit_callbacks, "Network settings", body="Connecting printers to a network.")

    assert found("connection", "en") == ["Network settings"]
    assert found("printer", "en") == ["Network settings"]


def test_persian_arabic_letter_forms_and_zero_width_non_joiner_are_normalised(
    help_centers, django_capture_on_commit_callbacks
):
    # Stored with Persian ی and ک and a zero-width non-joiner inside «فایل‌ها».
    publish_article(django_capture_on_commit_callbacks, "مدیریت فایل‌ها", locale="fa", body="کپی کردن فایل‌ها در یک پوشه")

    assert found("كپي", "fa") == ["مدیریت فایل‌ها"]  # typed with Arabic ي and ك
    assert found("فایل ها", "fa") == ["مدیریت فایل‌ها"]  # a space instead of the non-joiner
    assert found("فایلها", "fa") == ["مدیریت فایل‌ها"]  # no separator at all


def test_hebrew_points_are_folded(help_centers, django_capture_on_commit_callbacks):
    publish_article(django_capture_on_commit_callbacks, "הגדרות מקלדת", locale="he", body="שלום לכולם")

    assert found("שָׁלוֹם", "he") == ["הגדרות מקלדת"]  # pointed query, unpointed text


def test_a_search_runs_in_the_readers_language_first_and_says_when_it_falls_back(
    help_centers, django_capture_on_commit_callbacks
):
    publish_article(django_capture_on_commit_callbacks, "Bluetooth headset pairing", body="Pair a headset.")
    publish_article(
        django_capture_on_commit_callbacks, "Сопряжение гарнитуры", locale="ru", body="Bluetooth гарнитура."
    )

    in_russian = search(reader(), "bluetooth", language="ru")
    assert [hit.title for hit in in_russian.hits] == ["Сопряжение гарнитуры"]
    assert not in_russian.fell_back

    english_only = search(reader(), "headset", language="ru")
    assert english_only.fell_back
    assert [hit.title for hit in english_only.hits] == ["Bluetooth headset pairing"]


def test_the_search_page_tells_the_reader_about_the_fallback(client, help_centers, django_capture_on_commit_callbacks):
    publish_article(django_capture_on_commit_callbacks, "Bluetooth headset pairing", body="Pair a headset.")

    html = client.get("/ru/search/", {"q": "headset"}).content.decode()

    assert "Bluetooth headset pairing" in html
    assert 'class="notice"' in html
