"""People, sealed per zone.

A human known to two zones has two ``Person`` rows, one per zone: what zone A knows about
her (name, phone, family, education, bank account) belongs to zone A and is never read or
changed by zone B. The only thing the two rows share is the keyed blind index of her ID
number (``id_number_hash``), the identity; no code path joins persons across zones on it.
Linking her profiles across zones needs her consent and is not built yet.

``Talent`` is her zone-A record (employer, titles, tier), tied to zone A's ``Person``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from talentpark.core.codes import Degree, ProfessionalTitle, ProgrammeLevel, Sex, SkillLevel
from talentpark.core.fields import BlindIndexField, EncryptedPIIField


class Person(models.Model):
    """A natural person as one zone knows her, identified by resident ID number.

    ID number and phone are encrypted at rest; ``*_hash`` columns are keyed blind
    indexes for exact look-up and uniqueness (one person per ID number per zone).
    """

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    name = models.CharField("姓名", max_length=50, db_index=True)
    name_pinyin = models.CharField("姓名拼音", max_length=120, blank=True, db_index=True)
    id_number = EncryptedPIIField("身份证号", kind="id_number")
    id_number_hash = BlindIndexField(source="id_number", kind="id_number", null=True)
    phone = EncryptedPIIField("手机号码", kind="phone", null=True, blank=True)
    phone_hash = BlindIndexField(source="phone", kind="phone", null=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    hukou_division = models.ForeignKey(
        "core.Division", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="户籍所在地"
    )
    hukou_in_zone = models.BooleanField("户籍已迁入园区", default=False)
    is_returnee = models.BooleanField("留学归国人员", default=False)
    returnee_country = models.CharField("留学国家/地区", max_length=40, blank=True)
    highest_degree = models.CharField(
        "最高学历", max_length=2, choices=Degree.choices, blank=True, db_index=True
    )
    email = models.EmailField("电子邮箱", blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    bank_account = EncryptedPIIField("银行账号", kind="bank_account", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="登录账号",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "自然人"
        constraints = [
            models.UniqueConstraint(fields=["zone", "id_number_hash"], name="uniq_person_id_number_per_zone")
        ]
        indexes = [models.Index(fields=["zone", "phone_hash"], name="person_zone_phone_idx")]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Education(models.Model):
    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    person = models.ForeignKey(Person, models.CASCADE, related_name="educations", verbose_name="人员")
    degree = models.CharField("学历", max_length=2, choices=Degree.choices)
    major = models.CharField("专业", max_length=60)
    university = models.ForeignKey("core.University", models.PROTECT, verbose_name="院校")
    graduated_on = models.DateField("毕业时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "教育经历"
        ordering = ["person_id", "graduated_on"]

    def __str__(self) -> str:
        return f"{self.university} {self.major} {self.get_degree_display()}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.zone_id is None and self.person_id is not None:
            self.zone_id = self.person.zone_id  # a person's education belongs to her zone
        super().save(*args, **kwargs)


class FamilyMember(models.Model):
    """Spouse and children: what spouse-employment and schooling support need."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", "配偶"
        CHILD = "child", "子女"
        PARENT = "parent", "父母"

    class Employment(models.TextChoices):
        NA = "", "—"
        EMPLOYED = "employed", "已就业"
        SEEKING = "seeking", "待就业"
        RETIRED = "retired", "已退休"

    zone = models.ForeignKey("core.Zone", models.PROTECT, related_name="+", verbose_name="园区")
    person = models.ForeignKey(Person, models.CASCADE, related_name="family", verbose_name="人员")
    relation = models.CharField("关系", max_length=8, choices=Relation.choices)
    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    employment = models.CharField("就业状况", max_length=10, choices=Employment.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "家庭成员"
        ordering = ["person_id", "relation", "birth_date"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.name}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.zone_id is None and self.person_id is not None:
            self.zone_id = self.person.zone_id  # her family belongs to her zone's record
        super().save(*args, **kwargs)


class Talent(models.Model):
    """A person's record in one zone (人才库): employer, titles, programmes, tier."""

    class Status(models.TextChoices):
        ACTIVE = "active", "在区"
        LEFT = "left", "已离区"

    class Tier(models.TextChoices):
        NONE = "", "未认定"
        A = "A", "A类（顶尖人才）"
        B = "B", "B类（领军人才）"
        C = "C", "C类（高层次人才）"
        D = "D", "D类（骨干人才）"
        E = "E", "E类（基础人才）"

    class Housing(models.TextChoices):
        OWNED = "owned", "自有住房"
        RENTED = "rented", "租房"
        APARTMENT = "apartment", "人才公寓"
        DORMITORY = "dormitory", "单位宿舍"
        NONE = "none", "暂无住房"

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    person = models.ForeignKey(Person, models.PROTECT, related_name="talents", verbose_name="人员")
    employer = models.ForeignKey(
        "registry.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="talents",
        verbose_name="工作单位",
    )
    department = models.ForeignKey(
        "accounts.Department", models.PROTECT, null=True, blank=True, verbose_name="服务部门"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="服务专员",
    )
    position_title = models.CharField("职务/岗位", max_length=60, blank=True)
    zone_entry_date = models.DateField("入区时间", db_index=True)
    professional_title = models.CharField(
        "专业技术职称", max_length=1, choices=ProfessionalTitle.choices, default=ProfessionalTitle.NONE
    )
    title_discipline = models.CharField("职称专业", max_length=40, blank=True)
    skill_level = models.CharField(
        "职业技能等级", max_length=1, choices=SkillLevel.choices, default=SkillLevel.NONE
    )
    skill_occupation = models.CharField("技能工种", max_length=40, blank=True)
    programme_level = models.CharField(
        "入选人才计划", max_length=12, choices=ProgrammeLevel.choices, blank=True, default=ProgrammeLevel.NONE
    )
    programme_name = models.CharField("人才计划名称", max_length=80, blank=True)
    tier = models.CharField("人才层次", max_length=1, choices=Tier.choices, blank=True, db_index=True)
    tier_valid_until = models.DateField("认定有效期至", null=True, blank=True)
    housing = models.CharField("住房情况", max_length=10, choices=Housing.choices, default=Housing.RENTED)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "person"], name="uniq_talent_person_per_zone")]
        indexes = [models.Index(fields=["zone", "status"]), models.Index(fields=["zone", "specialist"])]

    def __str__(self) -> str:
        return self.person.name
