"""Rich-text page links that may lead to a section of the page.

Wagtail stores a link to a page as ``<a linktype="page" id="42">`` and writes the page's current
URL when the text is rendered, so the link follows moves and renames. The importer also keeps
the section a Markdown link pointed at (``other.md#a-heading``) when that section is one the
article page gives an id to (its h2 headings, see ``ArticlePage.sections``), as
``<a linktype="page" id="42" anchor="a-heading">``. This handler renders that as
``href="/en/…/other/#a-heading"``; without an anchor it is Wagtail's own.

The page editor does not know the attribute: an editor who saves the text keeps the link to the
page and loses the section, which then opens at the top.
"""

import re

from django.utils.html import escape
from wagtail.rich_text.pages import PageLinkHandler

#: What an anchor may be: the ids heading blocks render (slugify(allow_unicode=True)).
ANCHOR = re.compile(r"^[\w-]{1,200}$")


class PageLinkWithAnchorHandler(PageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        links = super().expand_db_attributes_many(attrs_list)
        expanded = []
        for attrs, link in zip(attrs_list, links, strict=True):
            anchor = attrs.get("anchor") or ""
            if anchor and ANCHOR.match(anchor) and link.endswith('">'):
                link = f'{link[:-2]}#{escape(anchor)}">'
            expanded.append(link)
        return expanded
