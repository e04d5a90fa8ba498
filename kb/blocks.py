"""StreamField blocks for help articles. Designed once, deliberately: every change is a migration."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "code", "superscript", "subscript"]
#: A table cell holds a short phrase: a key combination, a port, a word or two with a link.
TABLE_CELL_FEATURES = ["bold", "italic", "link", "code"]


class HeadingBlock(blocks.StructBlock):
    """A section heading. Level 2 headings feed the table of contents."""

    text = blocks.CharBlock(max_length=200, label=_("Text"))
    level = blocks.ChoiceBlock(choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        label = _("Heading")
        description = _("A section heading; sections appear in the article's table of contents.")
        preview_value = {"text": "Before you begin", "level": "h2"}


class StepsBlock(blocks.StructBlock):
    """Numbered steps: the backbone of a how-to article."""

    steps = blocks.ListBlock(blocks.RichTextBlock(features=RICH_TEXT_FEATURES), label=_("Steps"))

    class Meta:
        icon = "list-ol"
        template = "blocks/steps.html"
        label = _("Numbered steps")
        description = _("An ordered list of steps the reader follows.")
        preview_value = {"steps": ["<p>Open <b>Settings</b>.</p>", "<p>Choose <b>Network</b>.</p>"]}


class CalloutBlock(blocks.StructBlock):
    """A note, tip or warning set apart from the text."""

    kind = blocks.ChoiceBlock(
        choices=[("note", _("Note")), ("tip", _("Tip")), ("warning", _("Warning"))], default="note"
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        label = _("Callout")
        description = _("A note, tip or warning that stands out from the text.")
        preview_value = {"kind": "tip", "text": "<p>Press <code>Ctrl</code>+<code>S</code> to save.</p>"}


class CodeBlock(blocks.StructBlock):
    language = blocks.CharBlock(required=False, max_length=40, label=_("Language"))
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        icon = "code"
        template = "blocks/code.html"
        label = _("Code")
        description = _("Preformatted code or terminal commands.")
        preview_value = {"language": "shell", "code": "sudo apt install gnome-tweaks"}


class TableBlock(TypedTableBlock):
    """A table of short rich-text cells (keyboard shortcuts, ports); column headings are plain text.

    Wagtail's typed table, so editors add and move rows and columns in the page editor, and a
    cell's links are page links like the text's. Columns whose headings are all empty render
    without a header row.
    """

    text = blocks.RichTextBlock(features=TABLE_CELL_FEATURES, required=False, label=_("Text"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["has_headings"] = bool(value) and any(column["heading"] for column in value.columns)
        return context

    class Meta:
        icon = "table"
        template = "blocks/table.html"
        label = _("Table")
        description = _("Rows and columns of short text, such as keyboard shortcuts.")
        preview_value = {
            "columns": [{"type": "text", "heading": "Action"}, {"type": "text", "heading": "Shortcut"}],
            "rows": [{"values": ["<p>Zoom in</p>", "<p><b>Alt+Super+=</b></p>"]}],
            "caption": "",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=250)
    alt_text = blocks.CharBlock(required=False, max_length=250, help_text=_("Describe the image for screen readers."))

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = _("Image")
        description = _("A screenshot or illustration with a caption.")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text=_("A YouTube or Vimeo address."))
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        label = _("Video")
        description = _("An embedded video.")


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        label=_("Text"),
        template="blocks/paragraph.html",
        preview_value="<p>Most settings are in the <b>Settings</b> panel.</p>",
        description=_("Rich text."),
    )
    heading = HeadingBlock()
    steps = StepsBlock()
    callout = CalloutBlock()
    code = CodeBlock()
    table = TableBlock()
    image = ImageBlock()
    video = VideoBlock()
