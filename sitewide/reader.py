"""Who is asking: the one value every reading and recording service takes instead of a request.

:class:`ReaderMiddleware` builds one per request (``request.reader``) from the logged-in user,
the session, the visitor cookie, the language and the user agent. Reports, commands and tests
build one with :meth:`Reader.anonymous` or :meth:`Reader.for_user`, never a fake request.

A reader holds:

* ``user``: the logged-in user, or an AnonymousUser;
* ``language``: the interface language of the request (a code of settings.LANGUAGES);
* ``is_bot``: the user agent names a crawler, previewer or script (its visits, votes and
  searches are not counted);
* ``visitor_id``: the random first-party visitor id this browser already has ("" if none), and
  :meth:`Reader.get_or_create_visitor_id` for the services that record analytics: a new id is
  set as a cookie on the response (sitewide.visitor), and no other page sets that cookie;
* ``audiences``: the audiences the search index narrows by ("public", "login", "group:<id>",
  "password:<restriction id>", "superuser"); the database re-check decides in the end;
* ``passed_password_restrictions``: the Wagtail password restrictions this session has passed;
* ``client_key``: a keyed hash of the client's address (never the address).

It holds no reference to the request: services cannot read parameters, cookies or headers the
middleware did not put here.
"""

from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import cached_property
from wagtail.models import PageViewRestriction

from sitewide.bots import is_probably_bot_agent
from sitewide.ratelimit import client_key
from sitewide.visitor import new_visitor_id, visitor_id_from_cookies

#: Audiences stored in the search index and held by readers.
PUBLIC = "public"
LOGIN = "login"
#: Superusers pass every group restriction, including one whose groups are not saved yet.
SUPERUSER = "superuser"


class Reader:
    """Who is asking (see the module's docstring). Compare readers by what they hold, not identity."""

    def __init__(
        self,
        *,
        user=None,
        language: str = "",
        is_bot: bool = False,
        visitor_id: str = "",
        session: Mapping | None = None,
        client_key: str = "",
    ):
        self.user = user if user is not None else AnonymousUser()
        self.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        self.is_bot = bool(is_bot)
        self._visitor_id = visitor_id
        #: True once a service asked for an id this browser did not have (the cookie must be set).
        self.visitor_id_is_new = False
        #: True once a service used the visitor id (the response then varies by cookie).
        self.visitor_id_was_used = False
        self._session = session if session is not None else {}
        #: A keyed hash of the client's address (sitewide.ratelimit), never the address itself:
        #: tells anonymous readers without a visitor cookie apart, e.g. to count a view once.
        self.client_key = client_key

    # Building one -------------------------------------------------------------------------------
    @classmethod
    def anonymous(cls, language: str = "") -> "Reader":
        """A visitor with no account and no session: what feeds, the sitemap and reports show."""
        return cls(language=language)

    @classmethod
    def for_user(cls, user, language: str = "") -> "Reader":
        """A logged-in user outside any request (commands, notifications, tests)."""
        return cls(user=user, language=language)

    @classmethod
    def from_request(cls, request) -> "Reader":
        return cls(
            user=getattr(request, "user", None),
            language=getattr(request, "LANGUAGE_CODE", ""),
            is_bot=is_probably_bot_agent(request.META.get("HTTP_USER_AGENT", "")),
            visitor_id=visitor_id_from_cookies(request.COOKIES),
            session=getattr(request, "session", None),
            client_key=client_key(request),
        )

    # Who it is ----------------------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated and self.user.is_active)

    @property
    def authenticated_user(self):
        """The logged-in, active user, or None."""
        return self.user if self.is_authenticated else None

    @property
    def visitor_id(self) -> str:
        """The visitor id this browser already has, or "" (never creates one)."""
        if self._visitor_id:
            self.visitor_id_was_used = True
        return self._visitor_id

    def get_or_create_visitor_id(self) -> str:
        """The visitor id, or a new random one that the response will set as a cookie."""
        if not self._visitor_id:
            self._visitor_id = new_visitor_id()
            self.visitor_id_is_new = True
        self.visitor_id_was_used = True
        return self._visitor_id

    @property
    def passed_password_restrictions(self) -> list[int]:
        """The password restrictions this session has passed (read live: a form may pass one now)."""
        passed = self._session.get(PageViewRestriction.passed_view_restrictions_session_key, [])
        return [pk for pk in passed if isinstance(pk, int)]

    @cached_property
    def group_ids(self) -> frozenset[int]:
        user = self.authenticated_user
        if user is None:
            return frozenset()
        return frozenset(user.groups.values_list("pk", flat=True))

    @property
    def audiences(self) -> list[str]:
        """The audiences this reader belongs to (a superset check: the database decides in the end)."""
        audiences = [PUBLIC]
        user = self.authenticated_user
        if user is not None:
            audiences.append(LOGIN)
            if user.is_superuser:
                audiences.append(SUPERUSER)
                # Every group too, for documents indexed before the "superuser" audience existed.
                audiences.extend(f"group:{pk}" for pk in self._all_group_ids)
            else:
                audiences.extend(f"group:{pk}" for pk in sorted(self.group_ids))
        audiences.extend(f"password:{pk}" for pk in self.passed_password_restrictions)
        return audiences

    @cached_property
    def _all_group_ids(self) -> list[int]:
        return list(self.user.groups.model.objects.order_by("pk").values_list("pk", flat=True))

    def __repr__(self) -> str:
        who = f"user {self.user.pk}" if self.is_authenticated else "anonymous"
        return f"<Reader {who}, {self.language}{', bot' if self.is_bot else ''}>"


def reader_of(request) -> Reader:
    """The request's reader: the one ReaderMiddleware built, or one built now for a request that
    did not pass the middleware (Wagtail's internal requests, a test's RequestFactory)."""
    reader = getattr(request, "reader", None)
    if reader is None:
        reader = request.reader = Reader.from_request(request)
    return reader
