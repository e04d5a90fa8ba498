"""Dates and counts in the reader's digits: Persian digits in "fa", Western ones elsewhere."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe

from sitewide.numerals import LocalNumber, local_digits, local_number

PERSIAN = "۰۱۲۳۴۵۶۷۸۹"


def render(source, **context):
    return Template("{% load bidi i18n %}" + source).render(Context(context))


def test_persian_gets_persian_digits():
    assert local_digits("27 دقیقه پیش", "fa") == "۲۷ دقیقه پیش"
    assert local_digits("0123456789", "fa") == PERSIAN


@pytest.mark.parametrize("language", ["en", "ru", "he"])
def test_other_languages_keep_western_digits(language):
    assert local_digits("27 minutes, 1,234.5", language) == "27 minutes, 1,234.5"


def test_the_separators_between_persian_digits_are_persian_and_other_commas_stay():
    assert local_digits("1,234.5, ok.", "fa") == "۱٬۲۳۴٫۵, ok."


def test_the_active_language_decides_and_a_region_does_not_matter():
    with translation.override("fa"):
        assert local_digits("12") == "۱۲"
    with translation.override("he"):
        assert local_digits("12") == "12"
    assert local_digits("12", "fa-IR") == "۱۲"


def test_safe_text_stays_safe_and_plain_text_stays_plain():
    assert isinstance(local_digits(mark_safe("<b>3</b>"), "fa"), SafeData)
    assert not isinstance(local_digits("<b>3</b>", "fa"), SafeData)


def test_an_integer_stays_a_number_that_prints_in_persian_digits():
    number = local_number(21, "fa")

    assert isinstance(number, LocalNumber) and number == 21 and number + 1 == 22
    assert str(number) == "۲۱"
    assert local_number(21, "he") == 21 and type(local_number(21, "he")) is int
    assert local_number(True, "fa") is True and local_number(None, "fa") is None


def test_the_filter_turns_a_count_inside_blocktranslate_and_keeps_the_plural_form():
    source = (
        "{% blocktranslate count counter=n|local_digits trimmed %}"
        "{{ counter }} reply{% plural %}{{ counter }} replies{% endblocktranslate %}"
    )

    with translation.override("fa"):
        assert render(source, n=27) == "۲۷ پاسخ"
    with translation.override("ru"):
        assert render(source, n=21) == "21 ответ"
        assert render(source, n=22) == "22 ответа"
    with translation.override("he"):
        assert render(source, n=27) == "27 תגובות"


def test_the_filter_leaves_attributes_it_is_not_given_alone():
    source = '<time datetime="{{ when }}">{{ when|local_digits }}</time>'

    with translation.override("fa"):
        assert render(source, when="2024-03-27") == '<time datetime="2024-03-27">۲۰۲۴-۰۳-۲۷</time>'
