"""Telling obvious robots from readers: their visits, votes and searches are not counted."""

import re

#: User agents of crawlers, link previewers and monitoring tools: their visits are not readers.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|preview|monitor|curl|wget|python-requests|httpx|headless",
    re.IGNORECASE,
)


def is_probably_bot_agent(user_agent: str) -> bool:
    """No user agent, or one that names itself a crawler, previewer or script."""
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))
