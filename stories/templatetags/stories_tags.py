"""Template tags of story pages: the schema.org description, embedded safely.

{% load stories_tags %}
{% story_schema_org page %}
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

register = template.Library()

#: Characters that could end the <script> element or open a comment inside it, written as JSON
#: escapes (the JSON means the same): a customer called "</script><script>…" stays a string.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def ld_json_script(data: dict):
    """``data`` as a ``<script type="application/ld+json">`` element that no value can break out of.

    (Django's json_script escapes the same way but writes type="application/json", which search
    engines do not read as structured data.)"""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_SAFE)
    # No "<", ">" or "&" is left in the JSON (SCRIPT_SAFE), so nothing in it can close the element.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def story_schema_org(context, page, image_url=""):
    """The story as a schema.org Article about its customer (an Organization)."""
    request = context["request"]
    site = Site.find_for_request(request)
    customer = {"@type": "Organization", "name": page.customer_label}
    if page.shows_customer_name and page.customer.website:
        customer["url"] = page.customer.website
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.headline,
        "name": page.title,
        "description": page.summary,
        "datePublished": page.publish_date.isoformat(),
        "inLanguage": page.locale.language_code,
        "url": page.get_full_url(request),
        "about": customer,
        "publisher": {"@type": "Organization", "name": context.get("SITE_NAME") or (site.site_name if site else "")},
    }
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if image_url:
        data["image"] = image_url
    return ld_json_script(data)
