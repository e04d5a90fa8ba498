"""Demo customer voice: six months of NPS answers with a visible trend, CSAT on the demo's solved
tickets, open and closed detractor follow-ups, referral links with clicks and sign-ups, and the
consent ledger behind it, so the reports and the timeline show something on ``make run``.

The customers are invented and repeatable (a seeded generator); their accounts
(``voice-customer-N@example.com``) cannot log in. Each was asked at most once per
VOICE_NPS_INTERVAL_DAYS, as the site would have. Once: a second run finds the first demo
customer and adds nothing. The invented customers never agreed to newsletters, so the digest
``load_demo`` then sends (``send_digest`` for the last complete week, as an operator's weekly job
would, into the console email log) goes to the demo's own accounts only; a few help articles are
dated in that week (:func:`date_articles_for_digest`) so it has something to say.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.consent import set_consent
from accounts.lookalikes import name_key
from accounts.models import ConsentRecord, Plan
from customer_voice.models import (
    FollowUp,
    Referral,
    ReferralClicks,
    ReferralLink,
    SurveyInvitation,
    SurveyResponse,
    SurveyRun,
)
from customer_voice.models.surveys import Audience, SurveyKind
from customer_voice.services.audiences import council_member_ids
from customer_voice.services.digest import last_complete_week, period_bounds
from kb.models import ArticlePage

CUSTOMERS = 320
MONTHS = 6
RESPONSE_RATE = 0.68
EMAIL = "voice-customer-{}@example.com"
#: What customers wrote, by language and category (invented for the demo).
COMMENTS = {
    "en": {
        "promoter": [
            "The help articles answered my question before I had to write.",
            "Support solved my printer problem in one reply.",
            "The community forum is friendly and quick.",
            "Clear documentation and fast answers.",
        ],
        "passive": [
            "Good product, but search could find things faster.",
            "Fine overall; the mobile pages are a bit cramped.",
            "Works, but I waited two days for a reply.",
        ],
        "detractor": [
            "I could not find how to export my data and nobody answered for a week.",
            "The last update broke my second monitor and the article did not help.",
            "Too expensive for what we use.",
            "Billing charged us twice and it took three tickets to fix.",
        ],
    },
    "ru": {
        "promoter": ["Статьи помощи очень понятные, спасибо!", "Поддержка ответила за час."],
        "passive": ["В целом хорошо, но поиск по-русски иногда промахивается."],
        "detractor": ["Не нашёл, как сменить тариф, ответа ждал неделю."],
    },
    "fa": {
        "promoter": ["راهنماها خیلی کمک کردند، ممنون!", "پشتیبانی سریع جواب داد."],
        "passive": ["خوب است، ولی بعضی مقاله‌ها هنوز ترجمه نشده‌اند."],
        "detractor": ["بعد از به‌روزرسانی چاپگر کار نمی‌کند و کسی جواب نداد."],
    },
    "he": {
        "promoter": ["מאמרי העזרה מצוינים, תודה!"],
        "passive": ["בסדר, אבל חסרים מאמרים בעברית."],
        "detractor": ["חיכיתי שבוע לתשובה מהתמיכה."],
    },
}
LANGUAGE_WEIGHTS = {"en": 0.62, "ru": 0.18, "fa": 0.12, "he": 0.08}
PLAN_WEIGHTS = {Plan.FREE: 0.4, Plan.TEAM: 0.3, Plan.BUSINESS: 0.2, Plan.ENTERPRISE: 0.1}


def _score(generator: random.Random, month: int, plan: str) -> int:
    """Loyalty improves month by month (the demo's visible trend); enterprise customers a little more."""
    promoter = 0.33 + 0.045 * month + (0.06 if plan == Plan.ENTERPRISE else 0)
    detractor = max(0.08, 0.32 - 0.035 * month)
    draw = generator.random()
    if draw < promoter:
        return generator.choice([9, 9, 10, 10, 10])
    if draw < promoter + detractor:
        return generator.choice([0, 2, 3, 4, 5, 6, 6])
    return generator.choice([7, 8, 8])


def _customers(generator: random.Random, now):
    User = get_user_model()
    sources = [choice for choice, _label in User.ReferralSource.choices] + ["", ""]
    users = []
    for number in range(CUSTOMERS):
        name = f"Demo customer {number}"
        language = generator.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
        user = User(
            username=EMAIL.format(number),
            email=EMAIL.format(number),
            display_name=name,
            display_name_key=name_key(name),
            preferred_language=language,
            referral_source=generator.choice(sources),
            plan=generator.choices(list(PLAN_WEIGHTS), weights=list(PLAN_WEIGHTS.values()))[0],
            feedback_opt_in=generator.random() < 0.9,
            marketing_opt_in=False,  # no demo digest to 320 invented addresses
            date_joined=now - timedelta(days=generator.uniform(200, 700)),
            last_login=now - timedelta(days=generator.uniform(0, 60)),
        )
        user.set_unusable_password()
        user.feedback_opt_in_at = user.date_joined if user.feedback_opt_in else None
        user.marketing_opt_in_at = user.date_joined if user.marketing_opt_in else None
        users.append(user)
    User.objects.bulk_create(users, batch_size=500)
    users = list(User.objects.filter(email__startswith="voice-customer-").order_by("pk"))
    ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(user=user, topic=topic, granted=True, source=ConsentRecord.Source.DEMO, at=user.date_joined)
            for user in users
            for topic, flag in (("feedback", user.feedback_opt_in), ("newsletter", user.marketing_opt_in))
            if flag
        ]
    )
    return users


def _answers(generator: random.Random, users, council_ids: set[int], now) -> tuple[int, int]:
    """Invitations every VOICE_NPS_INTERVAL_DAYS from a random first day; about two thirds answered."""
    start = now - timedelta(days=30 * MONTHS)
    interval = timedelta(days=settings.VOICE_NPS_INTERVAL_DAYS)
    runs = {
        audience: SurveyRun.objects.create(
            audience=audience, name=f"Relationship NPS ({audience}, demo)", created_at=start, sent_at=start
        )
        for audience in (Audience.EVERYONE, Audience.COUNCIL)
    }
    invitations, answers = [], []
    for user in users:
        if not user.feedback_opt_in:
            continue
        at = start + timedelta(days=generator.uniform(0, settings.VOICE_NPS_INTERVAL_DAYS))
        while at < now - timedelta(days=1):
            invitation = SurveyInvitation(
                kind=SurveyKind.NPS,
                run=runs[Audience.COUNCIL if user.pk in council_ids else Audience.EVERYONE],
                user=user,
                email=user.email,
                language=user.preferred_language,
                created_at=at,
                sent_at=at,
            )
            invitations.append(invitation)
            if generator.random() < RESPONSE_RATE:
                answered = at + timedelta(hours=generator.uniform(0.2, 72))
                month = min(MONTHS - 1, max(0, (answered - start).days // 30))
                score = _score(generator, month, user.plan)
                category = SurveyResponse.category_of(score)
                comment = ""
                if generator.random() < 0.55:
                    comment = generator.choice(COMMENTS[user.preferred_language][category])
                invitation.answered_at = answered
                answers.append(
                    SurveyResponse(
                        invitation=invitation,
                        kind=SurveyKind.NPS,
                        user=user,
                        score=score,
                        category=category,
                        comment=comment,
                        answered_at=answered,
                        language=user.preferred_language,
                        referral_source=user.referral_source,
                        plan=user.plan,
                        is_council=user.pk in council_ids,
                        audience=invitation.run.audience,
                    )
                )
            at += interval + timedelta(days=generator.uniform(0, 20))
    SurveyInvitation.objects.bulk_create(invitations, batch_size=500)
    for answer in answers:
        answer.invitation_id = answer.invitation.pk
    SurveyResponse.objects.bulk_create(answers, batch_size=500)
    return len(invitations), len(answers)


def _follow_ups(generator: random.Random, now) -> int:
    """Every detractor got a follow-up; the older ones are mostly closed, the last month's open."""
    agent = get_user_model().objects.filter(email="agent@example.com").first()
    follow_ups = []
    for answer in SurveyResponse.objects.filter(
        kind=SurveyKind.NPS, category=SurveyResponse.Category.DETRACTOR, user__email__startswith="voice-customer-"
    ).only("pk", "user_id", "answered_at"):
        age = (now - answer.answered_at).days
        if age > 30 and generator.random() < 0.8:
            state = generator.choice([FollowUp.State.CLOSED] * 4 + [FollowUp.State.DROPPED])
            closed = answer.answered_at + timedelta(days=generator.uniform(1, 10))
        else:
            state, closed = generator.choice([FollowUp.State.OPEN, FollowUp.State.OPEN, FollowUp.State.CONTACTED]), None
        follow_ups.append(
            FollowUp(
                response=answer,
                customer_id=answer.user_id,
                state=state,
                assignee=agent if state != FollowUp.State.OPEN else None,
                note="Called the customer; explained the fix." if state == FollowUp.State.CLOSED else "",
                created_at=answer.answered_at,
                closed_at=closed,
            )
        )
    FollowUp.objects.bulk_create(follow_ups, batch_size=500)
    return sum(1 for follow_up in follow_ups if follow_up.state in (FollowUp.State.OPEN, FollowUp.State.CONTACTED))


def _referrals(generator: random.Random, users, now) -> int:
    """member@example.com and a few demo customers are advocates with clicks and sign-ups."""
    User = get_user_model()
    advocates = [user for user in [User.objects.filter(email="member@example.com").first()] if user] + users[:6]
    links = [ReferralLink.objects.create(owner=owner, created_at=now - timedelta(days=170)) for owner in advocates]
    clicks = {}
    for link in links:
        for _ in range(generator.randint(10, 70)):
            day = (now - timedelta(days=generator.uniform(0, 165))).date()
            clicks[(link.pk, day)] = clicks.get((link.pk, day), 0) + 1
    ReferralClicks.objects.bulk_create(
        [ReferralClicks(link_id=link_id, day=day, clicks=count) for (link_id, day), count in clicks.items()]
    )
    referred = [user for user in users[6:] if user.referral_source == User.ReferralSource.FRIEND][:40]
    weights = [6, 3, 2, 1, 1, 1, 1][: len(links)]
    rows = []
    for user in referred:
        link = generator.choices(links, weights=weights)[0]
        signed_up = now - timedelta(days=generator.uniform(1, 165))
        rows.append(Referral(link=link, referred=user, clicked_at=signed_up - timedelta(hours=2), created_at=signed_up))
        User.objects.filter(pk=user.pk).update(date_joined=signed_up)
    Referral.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def load_demo_voice(now=None) -> str:
    """Build the demo's customer voice (once); returns one line saying what it did."""
    User = get_user_model()
    if User.objects.filter(email=EMAIL.format(0)).exists():
        return "Customer voice demo: already loaded"
    now = now or timezone.now()
    generator = random.Random(20261205)
    users = _customers(generator, now)
    # The demo's council member answers in the council's runs; member@example.com was never asked,
    # so logging in as them shows the in-site survey.
    demo_members = list(User.objects.filter(email__in=["member@example.com", "council@example.com"]))
    for user in demo_members:
        user.plan = Plan.TEAM
        user.save(update_fields=["plan"])
        for topic in ("feedback", "newsletter"):
            set_consent(user, topic, True, ConsentRecord.Source.DEMO, at=now - timedelta(days=300))
    council_ids = council_member_ids([user.pk for user in demo_members])
    answering = users + [user for user in demo_members if user.pk in council_ids]
    invited, answered = _answers(generator, answering, council_ids, now)
    open_follow_ups = _follow_ups(generator, now)
    referrals = _referrals(generator, users, now)
    return (
        f"Customer voice demo: {len(users)} customers, {invited} NPS invitations, {answered} answers, "
        f"{open_follow_ups} open detractor follow-ups, {referrals} referred sign-ups"
    )


#: Articles per language the demo dates in the last complete week, for the digest to list.
DIGEST_ARTICLES = 4


def date_articles_for_digest(now=None) -> str:
    """Mark a few live articles in each language as updated during the last complete ISO week
    (the demo imported them all just now, in the current, unfinished week); returns that week.

    Only ``last_published_at`` moves: the content and its revisions stay as imported.
    """
    period = last_complete_week(now)
    since, until = period_bounds(period)
    moved = []
    for language, _name in settings.LANGUAGES:
        articles = ArticlePage.objects.live().filter(locale__language_code=language).order_by("path")
        for number, pk in enumerate(articles.values_list("pk", flat=True)[:DIGEST_ARTICLES]):
            moved.append((pk, since + timedelta(days=1 + number, hours=10)))
    for pk, when in moved:
        ArticlePage.objects.filter(pk=pk).update(last_published_at=min(when, until - timedelta(hours=1)))
    return period
