"""Lecturer pool (讲师库). Challenges, experts and trainings come with the innovation issue."""

from __future__ import annotations

from django.db import models

from talentpark.core.codes import ProfessionalTitle
from talentpark.core.fields import BlindIndexField, EncryptedPIIField


class Lecturer(models.Model):
    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    name = models.CharField("姓名", max_length=50, db_index=True)
    organisation = models.CharField("工作单位", max_length=100)
    professional_title = models.CharField("职称", max_length=1, choices=ProfessionalTitle.choices)
    specialty = models.CharField("擅长领域", max_length=100)
    courses = models.TextField("主讲课程", blank=True)
    phone = EncryptedPIIField("联系电话", kind="phone", null=True, blank=True)
    phone_hash = BlindIndexField(source="phone", kind="phone", null=True, db_index=True)
    talent = models.ForeignKey(
        "registry.Talent", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="对应人才"
    )

    class Meta:
        verbose_name = verbose_name_plural = "讲师"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
