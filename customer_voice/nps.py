"""The arithmetic of the Net Promoter Score and of CSAT: pure functions of counts, no database.

**NPS.** Of ``n`` answers on the 0-10 scale, promoters answered 9-10, passives 7-8 and
detractors 0-6. With the shares ``p_P = P / n`` and ``p_D = D / n``::

    NPS = 100 · (p_P − p_D)                                   (from −100 to +100)

The score is a difference of two proportions estimated from ONE multinomial sample, so its
variance is ``(p_P + p_D − (p_P − p_D)²) / n`` (the covariance of the two shares is
``−p_P·p_D / n``, which is why this is not the sum of two binomial variances)::

    SE  = sqrt((p_P + p_D − (p_P − p_D)²) / n)
    MOE = 1.96 · SE · 100                                      (95 %, in NPS points)

Worked example: n = 100 answers, 50 promoters, 30 passives, 20 detractors.
``p_P = 0.5``, ``p_D = 0.2``, NPS = 100 · (0.5 − 0.2) = **30**;
``SE = sqrt((0.5 + 0.2 − 0.3²) / 100) = sqrt(0.61 / 100) = 0.0781``;
MOE = 1.96 · 0.0781 · 100 = **15.3**: "NPS 30 ± 15.3 (n = 100)".

When everybody gives the same category the margin is 0 (no spread in the sample); the normal
approximation is poor for small samples anyway, which is why fewer than
``settings.VOICE_MIN_ANSWERS`` answers are reported as "too few answers" rather than as a score.

**CSAT** (good / bad): the share of good answers, ``100 · G / n``, with the usual binomial
margin ``1.96 · sqrt(p (1 − p) / n) · 100``.
"""

import math
from dataclasses import dataclass

from django.conf import settings

#: The two-sided 95 % quantile of the normal distribution.
Z_95 = 1.96


def enough_answers(n: int) -> bool:
    """Whether ``n`` answers are enough to show a score (``settings.VOICE_MIN_ANSWERS``)."""
    return n >= settings.VOICE_MIN_ANSWERS


@dataclass(frozen=True)
class NpsFigures:
    """Counts of one group of NPS answers and what follows from them.

    ``score`` and ``margin_of_error`` are in NPS points (−100..100) and ``None`` when there are no
    answers; show them only when ``enough``.
    """

    n: int
    promoters: int
    passives: int
    detractors: int

    def __post_init__(self):
        counts = (self.n, self.promoters, self.passives, self.detractors)
        if any(count < 0 for count in counts):
            raise ValueError("NPS counts cannot be negative.")
        if self.promoters + self.passives + self.detractors != self.n:
            raise ValueError("Promoters, passives and detractors must add up to n.")

    @classmethod
    def empty(cls) -> "NpsFigures":
        return cls(0, 0, 0, 0)

    def __add__(self, other: "NpsFigures") -> "NpsFigures":
        return NpsFigures(
            self.n + other.n,
            self.promoters + other.promoters,
            self.passives + other.passives,
            self.detractors + other.detractors,
        )

    def share(self, count: int) -> float | None:
        return count / self.n if self.n else None

    @property
    def promoter_share(self) -> float | None:
        return self.share(self.promoters)

    @property
    def passive_share(self) -> float | None:
        return self.share(self.passives)

    @property
    def detractor_share(self) -> float | None:
        return self.share(self.detractors)

    @property
    def score(self) -> float | None:
        if not self.n:
            return None
        return 100 * (self.promoters - self.detractors) / self.n

    @property
    def standard_error(self) -> float | None:
        """Of the NPS as a proportion difference (−1..1), not in points."""
        if not self.n:
            return None
        p, d = self.promoters / self.n, self.detractors / self.n
        # max(): rounding can leave a hair below zero when everyone is in one category.
        return math.sqrt(max(p + d - (p - d) ** 2, 0.0) / self.n)

    @property
    def margin_of_error(self) -> float | None:
        """Half the width of the 95 % confidence interval, in NPS points."""
        error = self.standard_error
        return None if error is None else 100 * Z_95 * error

    @property
    def enough(self) -> bool:
        return enough_answers(self.n)


@dataclass(frozen=True)
class CsatFigures:
    """Counts of one group of CSAT answers (good / bad); ``score`` is the % good (0..100)."""

    n: int
    good: int

    def __post_init__(self):
        if self.n < 0 or self.good < 0 or self.good > self.n:
            raise ValueError("CSAT counts must satisfy 0 <= good <= n.")

    @classmethod
    def empty(cls) -> "CsatFigures":
        return cls(0, 0)

    def __add__(self, other: "CsatFigures") -> "CsatFigures":
        return CsatFigures(self.n + other.n, self.good + other.good)

    def share(self, count: int) -> float | None:
        return count / self.n if self.n else None

    @property
    def bad(self) -> int:
        return self.n - self.good

    @property
    def score(self) -> float | None:
        return 100 * self.good / self.n if self.n else None

    @property
    def margin_of_error(self) -> float | None:
        if not self.n:
            return None
        p = self.good / self.n
        return 100 * Z_95 * math.sqrt(p * (1 - p) / self.n)

    @property
    def enough(self) -> bool:
        return enough_answers(self.n)
