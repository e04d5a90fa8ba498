"""allauth's account adapter, told the client address the rest of the site uses.

allauth rate-limits logins, signups and password resets per client address. By default it reads
REMOTE_ADDR, which behind a proxy is the proxy's own: every visitor would share one bucket, and
one attacker's failed logins would lock everyone out. sitewide.ratelimit.client_address reads
X-Forwarded-For only from settings.TRUSTED_PROXIES.
"""

from allauth.account.adapter import DefaultAccountAdapter

from sitewide.ratelimit import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_address(request)
