"""The "Customer voice" submenu of the Wagtail admin.

Every customer_voice area registers its admin items (reports, listings) with
``menu_hook = VOICE_MENU_HOOK``; the submenu itself is registered in
``customer_voice/hooks/surveys.py``.
"""

VOICE_MENU_HOOK = "register_customer_voice_menu_item"
