"""Template filters for pages read in both directions and in more than one set of digits.

{% load bidi %}
<div class="rich-text">{{ value|richtext|auto_direction }}</div>
<bdi><time datetime="{{ when|date:'c' }}">{{ when|naturaltime|local_digits }}</time></bdi>
{% blocktranslate count counter=n|local_digits %}{{ counter }} reply{% plural %}...
"""

from django import template

from sitewide.bidi import with_auto_direction
from sitewide.numerals import local_number

register = template.Library()


@register.filter
def auto_direction(html):
    """Rendered rich text with ``dir="auto"`` on each paragraph, list item, heading and cell."""
    return with_auto_direction(html)


@register.filter
def local_digits(value):
    """A date, relative time or count in the active language's digits (Persian digits in "fa").

    Text gets its digits replaced; an integer stays an integer that prints in them, so it still
    selects a plural form and Django still formats it. Use it on what the site writes, never on
    what people wrote or on URLs, ids and attributes."""
    return local_number(value)
