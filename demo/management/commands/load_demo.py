"""manage.py load_demo: the whole demo site from data files, idempotently.

A second run changes nothing: help centers and accounts are matched by key, articles by
(translation key, locale) with a fingerprint of their source file.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from haystack import connections
from wagtail.models import Site

from customer_council.demo import load_demo_council
from customer_voice.demo import date_articles_for_digest, load_demo_voice
from forum.demo import load_demo_forum
from forum.models import Topic
from kb.importing import ensure_help_center, translation_key_for
from kb.management.commands.import_articles import run_import
from kb.models import ArticlePage
from kb.search.backend import index_creation_allowed
from stories.demo import load_demo_stories
from support.demo import load_demo_support

#: (email, password, display name, groups, is_superuser). Documented in README.
DEMO_ACCOUNTS = [
    ("admin@example.com", "demo-admin-pass", "Ada Admin", [], True),
    ("editor@example.com", "demo-editor-pass", "Eddie Editor", ["Editors"], False),
    ("agent@example.com", "demo-agent-pass", "Sam Support", ["Support agents"], False),
    ("moderator@example.com", "demo-moderator-pass", "Mo Moderator", ["Community moderators"], False),
    ("member@example.com", "demo-member-pass", "Casey Customer", [], False),
    ("council@example.com", "demo-council-pass", "Cora Council", [], False),
    ("manager@example.com", "demo-manager-pass", "Morgan Manager", ["Council managers"], False),
]
#: GNOME Help articles (their translation keys) the demo promotes on every language's home.
PROMOTED_ARTICLES = [
    "net-wireless-connect",
    "user-changepassword",
    "printing-setup",
    "files-recover",
    "sound-nosound",
    "shell-introduction",
]


class Command(BaseCommand):
    help = "Load the demo site: help centers in every language, GNOME Help articles, demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, no_progress=False, **options):
        # Building the demo is an operator's rebuild: the first publish may create the index.
        with index_creation_allowed():
            rebuild = self.prepare_search_index()
            self.load(no_progress=no_progress)
            if rebuild:
                call_command("rebuild_index", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo site ready."))

    def load(self, *, no_progress):
        for code, _name in settings.LANGUAGES:
            ensure_help_center(code)
        self.configure_site()
        corpus = settings.CORPORA_DIR / "gnome-help-structured"
        if corpus.is_dir():
            result = run_import(corpus, stdout=self.stdout, stderr=self.stderr, progress=not no_progress)
            self.stdout.write(
                f"GNOME Help: created {result.created}, updated {result.updated}, "
                f"unchanged {result.unchanged}, failed {result.failed}"
            )
        else:
            self.stderr.write(self.style.WARNING(f"{corpus} not found: no demo articles (set CORPORA_DIR)."))
        self.promote_articles()
        self.create_accounts()
        self.stdout.write(f"Support demo: {load_demo_support()} contact visits added")
        self.stdout.write(load_demo_forum(progress=not no_progress, stderr=self.stderr))
        manager = get_user_model().objects.get(email="manager@example.com")
        self.stdout.write(load_demo_council(manager))
        self.stdout.write(load_demo_stories())
        self.stdout.write(load_demo_voice())
        # The weekly digest, as the operator's cron job sends it (printed by the console email
        # backend); a re-run sends nothing new for the same week.
        period = date_articles_for_digest()
        call_command("send_digest", period=period, no_progress=True, stdout=self.stdout, stderr=self.stderr)

    def promote_articles(self):
        """A fresh demo has no views to rank "Popular articles": its homes show editors' picks.

        Each is promoted by a published revision, as an editor would, so the page editor agrees.
        """
        keys = [translation_key_for("article", key) for key in PROMOTED_ARTICLES]
        for article in ArticlePage.objects.filter(translation_key__in=keys, live=True, promoted=False):
            article.promoted = True
            article.save_revision().publish()

    def prepare_search_index(self) -> bool:
        """Start a new index when the one on disk is missing or was built with another schema.

        The importers index what they write, so a new site's index fills as the demo loads.
        Returns whether the site already had content: what a re-run leaves unchanged is not
        written again, so that index is then rebuilt at the end.
        """
        backend = connections["default"].get_backend()
        if not hasattr(backend, "index_is_current") or backend.index_is_current():
            return False
        call_command("clear_index", interactive=False, verbosity=0)
        return ArticlePage.objects.exists() or Topic.objects.exists()

    def configure_site(self):
        """Absolute links (sitemap, feeds, emails) use BASE_URL's host, not Wagtail's "localhost:80"."""
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        port = address.port or (443 if address.scheme == "https" else 80)
        Site.objects.filter(is_default_site=True).exclude(hostname=address.hostname, port=port).update(
            hostname=address.hostname, port=port, site_name=settings.WAGTAIL_SITE_NAME
        )

    def create_accounts(self):
        User = get_user_model()
        for email, password, name, groups, is_superuser in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "username": email,
                    # Display names are unique: on a site in use, a member may hold the demo name.
                    "display_name": User.objects.free_display_name(name),
                    "is_staff": is_superuser or bool(groups),
                    "is_superuser": is_superuser,
                },
            )
            if created:
                user.set_password(password)
                user.save()
                # allauth: the demo addresses count as verified so the accounts can log in at once.
                user.emailaddress_set.create(email=email, verified=True, primary=True)
            user.groups.add(*Group.objects.filter(name__in=groups))
