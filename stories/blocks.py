"""StreamField blocks for customer stories. Designed once, deliberately: every change is a migration.

Figures and quotes are each a stream of one block type, so every figure and every quote carries
Wagtail's stable block id: the customer's consent (which quotes, per person, may be shown) can
name a quote by it, and it survives edits, reordering and translation copies.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

#: The challenge, solution and results sections: prose with links and lists, no headings (the
#: page gives each section its own).
STORY_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ResultFigureBlock(blocks.StructBlock):
    """A measured result: "Time to first reply, 12 h -> 3 h, in the first six months"."""

    label = blocks.CharBlock(max_length=80, label=_("What was measured"))
    before = blocks.DecimalBlock(required=False, min_value=0, max_digits=12, decimal_places=2, label=_("Before"))
    after = blocks.DecimalBlock(min_value=0, max_digits=12, decimal_places=2, label=_("After"))
    unit = blocks.CharBlock(required=False, max_length=16, label=_("Unit"), help_text=_("For example %, h, min."))
    period = blocks.CharBlock(
        required=False, max_length=80, label=_("Period"), help_text=_("For example: in the first six months.")
    )
    display = blocks.ChoiceBlock(
        choices=[("number", _("Big number")), ("chart", _("Before/after chart"))],
        default="number",
        label=_("Show as"),
    )

    class Meta:
        icon = "doc-full"
        template = "stories/blocks/result_figure.html"
        label = _("Result figure")
        description = _("A measured result, shown as a big number or as a small before/after chart.")
        preview_value = {
            "label": "Time to first reply",
            "before": Decimal("12"),
            "after": Decimal("3"),
            "unit": "h",
            "period": "in the first six months",
            "display": "chart",
        }

    def clean(self, value):
        value = super().clean(value)
        if value["display"] == "chart" and value["before"] is None:
            raise StructBlockValidationError(
                block_errors={"before": ValidationError(_("A before/after chart needs the value before."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        before, after = value["before"], value["after"]
        if before is not None:
            largest = max(before, after) or 1
            #: Bar lengths in the chart's 100-unit-wide drawing.
            context["before_width"] = round(before / largest * 100, 1)
            context["after_width"] = round(after / largest * 100, 1)
        return context


class PullQuoteBlock(blocks.StructBlock):
    """Words of one person at the customer, with their role and photo."""

    quote = blocks.TextBlock(max_length=600, label=_("Quote"))
    person = blocks.CharBlock(max_length=120, label=_("Person"))
    role = blocks.CharBlock(required=False, max_length=120, label=_("Role"))
    photo = ImageChooserBlock(required=False, label=_("Photo"))

    class Meta:
        icon = "openquote"
        template = "stories/blocks/pull_quote.html"
        label = _("Pull quote")
        description = _("A quote from a person at the customer, with their role and photo.")
        preview_value = {
            "quote": "Our customers find the answer before they think of writing to us.",
            "person": "Dana Levi",
            "role": "Head of Support",
        }


class ResultFiguresBlock(blocks.StreamBlock):
    figure = ResultFigureBlock()


class PullQuotesBlock(blocks.StreamBlock):
    quote = PullQuoteBlock()
