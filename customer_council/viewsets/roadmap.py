"""The council's roadmap in the Wagtail admin (filled in by the roadmap work)."""

#: Added to the "Council" menu (customer_council.viewsets.CouncilViewSetGroup).
ADMIN_VIEWSETS = []
#: Models whose admin permissions follow CouncilManagersPolicy (customer_council.wagtail_hooks).
POLICY_MODELS = []
