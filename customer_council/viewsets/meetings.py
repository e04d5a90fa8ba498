"""The council's meetings in the Wagtail admin (filled in by the meetings work)."""

#: Added to the "Council" menu (customer_council.viewsets.CouncilViewSetGroup).
ADMIN_VIEWSETS = []
#: Models whose admin permissions follow CouncilManagersPolicy (customer_council.wagtail_hooks).
POLICY_MODELS = []
