"""The story index's filters: industry, product, company size and region, from the URL's query.

A filtered list is a shareable address (?industry=logistics&region=europe); a value that is not
one of the choices is ignored, never an error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import Product
from stories.models.customers import Customer

ANY = [("", _("Any"))]


class StoryFilterForm(forms.Form):
    industry = forms.ChoiceField(label=_("Industry"), required=False, choices=ANY + Customer.Industry.choices)
    product = forms.ChoiceField(label=_("Product"), required=False)
    size = forms.ChoiceField(label=_("Company size"), required=False, choices=ANY + Customer.CompanySize.choices)
    region = forms.ChoiceField(label=_("Region"), required=False, choices=ANY + Customer.Region.choices)

    def __init__(self, data, *, stories):
        super().__init__(data)
        #: Only products some listed story used are offered (one query).
        used = Product.objects.filter(pk__in=stories.values("products")).order_by("name")
        self.fields["product"].choices = ANY + list(used.values_list("slug", "name"))

    def filter(self, stories):
        """``stories`` narrowed by every valid filter given (an invalid one is left out)."""
        self.is_valid()
        chosen = {name: value for name, value in self.cleaned_data.items() if value}
        lookups = {"industry": "customer__industry", "size": "customer__company_size", "region": "customer__region"}
        for name, lookup in lookups.items():
            if name in chosen:
                stories = stories.filter(**{lookup: chosen[name]})
        if "product" in chosen:
            stories = stories.filter(products__slug=chosen["product"])
        return stories

    @property
    def active(self) -> bool:
        return any(self.cleaned_data.values()) if hasattr(self, "cleaned_data") else False
