from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.markdown import MAX_TITLE_CHARACTERS, clean_body, clean_title
from forum.services.posting import MIN_TITLE_CHARACTERS


class BodyField(forms.CharField):
    """Markdown text, checked by forum.markdown (size, NUL bytes, nesting) with a clear message."""

    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your post"))
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"rows": 8, "dir": "auto", "data-markdown-editor": ""})

    def clean(self, value):
        # No max_length here: clean_body says how long the text is and what the limit is,
        # rather than the browser silently cutting it.
        value = super().clean(value)
        return clean_body(value) if value else value

    def to_python(self, value):
        # Django refuses NUL characters before clean(); report them with our message instead.
        if value and "\x00" in value:
            raise ValidationError(_("The text contains a NUL character. Remove it and try again."))
        return super().to_python(value)


class TitleField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Title"))
        kwargs.setdefault("min_length", MIN_TITLE_CHARACTERS)
        kwargs.setdefault("max_length", MAX_TITLE_CHARACTERS)
        super().__init__(**kwargs)
        self.widget.attrs.update({"dir": "auto", "autocomplete": "off"})

    def to_python(self, value):
        if value and "\x00" in value:
            raise ValidationError(_("The title contains a NUL character. Remove it and try again."))
        return clean_title(super().to_python(value))


class NewTopicForm(forms.Form):
    category = forms.ModelChoiceField(queryset=None, label=_("Category"), empty_label=None)
    title = TitleField(help_text=_("Ask a specific question, as you would to a colleague."))
    body = BodyField(label=_("Details"), help_text=_("What did you try? What happened? Markdown works."))
    is_question = forms.BooleanField(
        label=_("This is a question (the best answer can be accepted)"), required=False, initial=True
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=200, help_text=_("Up to five, separated by commas.")
    )
    #: Ties the suggestions shown and opened while writing to this one attempt (support events).
    visit = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories

    def tag_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data.get("tags", "").split(",") if name.strip()]


class ReplyForm(forms.Form):
    body = BodyField(label=_("Your reply"))


class EditPostForm(forms.Form):
    title = TitleField(required=False)
    body = BodyField(label=_("Text"))

    def __init__(self, *args, with_title=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
        else:
            self.fields["title"].required = True


class PreviewForm(forms.Form):
    body = BodyField(required=True)


class ImageUploadForm(forms.Form):
    image = forms.FileField(label=_("Image"))
