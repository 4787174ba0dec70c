"""Search shows only what the permission layer lets a user view, and the index holds no ID or phone."""

from __future__ import annotations

import pytest

from talentpark.core.search.engine import search
from talentpark.core.search.index import ROW_COLUMNS
from talentpark.core.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def _titles(user, query, kind=""):
    return {(h.kind, h.title) for h in search(user, query, kind=kind).hits}


def test_a_specialist_finds_only_her_own_talents(search_zone):
    w = search_zone.world
    assert ("talent", "唐娜") in _titles(w.bob, "唐娜")  # bob is tina's specialist
    assert ("talent", "唐娜") not in _titles(w.carol, "唐娜")  # carol (仅本人) is not
    assert ("talent", "李四") in _titles(w.carol, "李四")
    # carol still finds tina's employer: enterprises are visible zone-wide.
    assert ("enterprise", w.enterprise.name) in _titles(w.carol, w.enterprise.name)


def test_a_talent_finds_herself_but_no_other_talent(search_zone):
    w = search_zone.world
    assert ("talent", "唐娜") in _titles(w.tina, "唐娜")
    for name in ("张三", "李四", "柯然", "zs"):
        assert not [h for h in search(w.tina, name).hits if h.kind == "talent"], name
    # …and still finds the zone's enterprises, platforms and policies.
    assert ("platform", "鲁擎重工院士工作站") in _titles(w.tina, "院士工作站")
    assert ("policy", "测试高新区青年人才安家补贴实施细则") in _titles(w.tina, "安家补贴")


def test_the_province_viewer_finds_no_talents_and_no_demands(search_zone):
    w = search_zone.world
    for query in ("张三", "zs", "唐娜", "液压"):
        assert {h.kind for h in search(w.paul, query).hits} <= {"enterprise", "platform", "project", "policy"}
    assert ("enterprise", "山东鲁擎重工机械股份有限公司") in _titles(w.paul, "鲁擎重工")
    # only the zones of the viewer's province: 长治 lies in 山西
    assert ("enterprise", "长治外区电子有限公司") not in _titles(w.paul, "长治外区电子")


def test_other_zones_stay_invisible(search_zone):
    w = search_zone.world
    assert not search(w.alice, "外区人").hits
    assert not search(w.alice, "长治外区电子").hits


def test_roles_without_a_kind_never_see_it(search_zone):
    w = search_zone.world
    assert {h.kind for h in search(w.pat, "测试高新区").hits} <= {"policy"}  # partner window: policies
    assert "talent" not in {k.value for k in search(w.erin, "张三").kind_counts}  # HR: no talents
    assert not search(w.erin, "液压系统研发人才", kind="demand").hits  # another enterprise's demand
    assert search(w.erin, "盾构机").hits  # projects are zone-public


def test_facet_counts_only_count_visible_records(search_zone):
    w = search_zone.world
    carol = search(w.carol, "测试工程师")
    alice = search(w.alice, "测试工程师")
    assert carol.total < alice.total


def test_phone_digits_find_nothing(search_zone):
    w = search_zone.world
    phone = w.talent.person.phone.plaintext_for_processing()
    for query in (phone, phone[-4:], phone[:7], f"{phone[:3]} {phone[3:7]} {phone[7:]}"):
        assert not search(w.alice, query).hits, query


def test_no_id_number_or_phone_is_stored_in_the_index(search_zone):
    """Whole numbers (and their masked forms) appear nowhere in the index; the fragments a masked
    form shows (the phone's last 4 digits, the ID's last 6, the birth date) are no token of the
    person's own documents. Fragments are not looked for in other records: a random 4-digit tail
    may equal any number anywhere (a year, a salary) by chance, which says nothing of a leak."""
    import re

    from talentpark.registry.models import Enterprise, Person, Talent

    rows = list(SearchDocument.objects.values_list(*ROW_COLUMNS))
    assert rows
    text = "\n".join(" ".join(str(v) for v in row) for row in rows)
    tokens_of: dict[tuple[str, int], set[str]] = {
        (row[0], row[1]): set(re.findall(r"[0-9A-Za-z*]+", " ".join(str(v) for v in row[2:]))) for row in rows
    }
    whole: list[str] = []
    leaked_fragments: list[tuple[int, str]] = []
    checked = 0
    for person in Person.objects.all():
        fragments: list[str] = []
        if person.id_number:
            number = person.id_number.plaintext_for_processing()
            whole += [number, str(person.id_number)]
            fragments += [number[-6:], number[6:14]]
        if person.phone:
            phone = person.phone.plaintext_for_processing()
            whole += [phone, str(person.phone)]
            fragments.append(phone[-4:])
        own = set()
        for pk in Talent.objects.filter(person=person).values_list("pk", flat=True):
            own |= tokens_of.get(("talent", pk), set())
        checked += bool(own and fragments)
        leaked_fragments += [(person.pk, f) for f in fragments if f in own]
    for enterprise in Enterprise.objects.filter(contact_phone__isnull=False):
        whole.append(enterprise.contact_phone.plaintext_for_processing())
    assert [s for s in whole if s and s in text] == []
    assert leaked_fragments == []
    assert checked > 0  # the people's own documents were found and read
