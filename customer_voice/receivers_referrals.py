"""Signal receivers: referrals (connected in CustomerVoiceConfig.ready).

A new account whose browser carries a valid first-touch cookie (set by following a member's link,
customer_voice.views.referrals.follow_link) is attributed to that member.

The cookie is left in the browser: allauth's ``user_signed_up`` signal gets the request but not
the response, and this app adds no middleware just to expire it. It does no harm: the cookie
expires by itself after VOICE_REFERRAL_COOKIE_DAYS, and one cookie (one link, one click time)
brings at most one referral (customer_voice.services.referrals.attribute_sign_up), so a second
account made in the same browser is not attributed again.
"""

from allauth.account.signals import user_signed_up

from customer_voice.services import referrals


def attribute_referred_sign_up(sender, request, user, **kwargs):
    """allauth's ``user_signed_up`` (request, user): attribute the sign-up to the cookie's link."""
    if request is None:
        return
    touch = referrals.read_first_touch_cookie(request.COOKIES.get(referrals.COOKIE_NAME))
    if touch is None:
        return
    code, clicked_at = touch
    referrals.attribute_sign_up(user, code, clicked_at)


user_signed_up.connect(attribute_referred_sign_up, dispatch_uid="customer_voice.attribute_referred_sign_up")
