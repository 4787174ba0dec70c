"""Persons become zone-owned (step 2 of 3): one person row per zone that knows her.

A person with talent records in several zones keeps her row (and her login) for the zone
of her first talent record; every other zone gets its own copy of what it held (name,
phone, education, family …), and that zone's talent record points at the copy. A person
without any talent record goes to the first zone. Educations and family members take their
person's zone.
"""

from django.db import migrations


def split(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    Talent = apps.get_model("registry", "Talent")
    Education = apps.get_model("registry", "Education")
    FamilyMember = apps.get_model("registry", "FamilyMember")
    Zone = apps.get_model("core", "Zone")
    first_zone = Zone.objects.order_by("pk").values_list("pk", flat=True).first()
    zones_of: dict[int, list[int]] = {}
    for person_id, zone_id in Talent.objects.order_by("pk").values_list("person_id", "zone_id"):
        seen = zones_of.setdefault(person_id, [])
        if zone_id not in seen:
            seen.append(zone_id)
    for person in Person.objects.filter(zone__isnull=True).order_by("pk").iterator(chunk_size=2000):
        zones = zones_of.get(person.pk) or ([first_zone] if first_zone else [])
        if not zones:
            continue
        home, *others = zones
        Person.objects.filter(pk=person.pk).update(zone_id=home)
        for zone_id in others:
            original_pk = person.pk
            educations = list(Education.objects.filter(person_id=original_pk))
            family = list(FamilyMember.objects.filter(person_id=original_pk))
            person.pk = None
            person.id = None
            person.zone_id = zone_id
            person.user_id = None  # the login stays with the home zone's row
            person.save()
            for row in educations + family:
                row.pk = None
                row.id = None
                row.person_id = person.pk
                row.zone_id = zone_id
                row.save()
            Talent.objects.filter(person_id=original_pk, zone_id=zone_id).update(person_id=person.pk)
            person = Person.objects.get(pk=original_pk)
    for model in (Education, FamilyMember):
        for zone_id in Person.objects.values_list("zone_id", flat=True).distinct():
            model.objects.filter(zone__isnull=True, person__zone_id=zone_id).update(zone_id=zone_id)


def unsplit(apps, schema_editor):
    """Back to shared persons: copies are kept as they are (their zone column is dropped)."""


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_person_zone")]

    operations = [migrations.RunPython(split, unsplit)]
