from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleDailyView(models.Model):
    """Views of one article on one day: a counter row, bumped with F() and never read-modify-written.

    "Popular articles" sums these over a window, so the ranking costs one aggregate query.
    """

    article = models.ForeignKey("kb.ArticlePage", on_delete=models.CASCADE, related_name="daily_views")
    date = models.DateField(db_index=True)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "date"], name="kb_one_view_row_per_day")]
        verbose_name = _("daily article views")
        verbose_name_plural = _("daily article views")

    def __str__(self):
        return f"{self.article_id} on {self.date}: {self.views}"

    @classmethod
    def add_view(cls, article_id: int, *, date=None) -> None:
        date = date or timezone.localdate()
        updated = cls.objects.filter(article_id=article_id, date=date).update(views=F("views") + 1)
        if not updated:
            row, created = cls.objects.get_or_create(article_id=article_id, date=date, defaults={"views": 1})
            if not created:
                cls.objects.filter(pk=row.pk).update(views=F("views") + 1)
