"""人才公寓 inventory. Applications, allocation and leases come with the housing issue."""

from __future__ import annotations

from django.db import models


class ApartmentUnit(models.Model):
    class Kind(models.TextChoices):
        EXPERT = "expert", "专家公寓"
        YOUTH = "youth", "青年人才公寓"
        BLUE_COLLAR = "blue", "蓝领公寓"

    class Layout(models.TextChoices):
        STUDIO = "studio", "单间"
        ONE = "1b", "一室一厅"
        TWO = "2b", "两室一厅"
        THREE = "3b", "三室一厅"

    class Status(models.TextChoices):
        AVAILABLE = "available", "可分配"
        OCCUPIED = "occupied", "已入住"
        RESERVED = "reserved", "已预留"
        MAINTENANCE = "maintenance", "维修中"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    estate = models.CharField("公寓项目", max_length=60)
    building = models.CharField("楼栋", max_length=20)
    unit_no = models.CharField("房号", max_length=20)
    kind = models.CharField("公寓类型", max_length=8, choices=Kind.choices, db_index=True)
    layout = models.CharField("户型", max_length=8, choices=Layout.choices)
    area = models.DecimalField("面积（㎡）", max_digits=6, decimal_places=2)
    monthly_rent = models.DecimalField("月租金（元）", max_digits=8, decimal_places=2)
    furnished = models.BooleanField("拎包入住", default=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.AVAILABLE, db_index=True
    )

    class Meta:
        verbose_name = verbose_name_plural = "人才公寓房源"
        ordering = ["estate", "building", "unit_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "estate", "building", "unit_no"], name="uniq_apartment_unit"
            ),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="apartment_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.estate}{self.building}-{self.unit_no}"
