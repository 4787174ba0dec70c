"""字典管理 of a demo zone: the office's own list of local talent programmes, with its history.

The zone's office starts its own copy of the platform's 本地人才计划 dictionary (an audit row),
adds its province's and city's programmes and one of the zone's, and retires an older zone
programme (kept, so old records still show its name): the dictionary page and its history
show the office's real work, and the import reads the same names the demo talents carry.
"""

from __future__ import annotations

from talentpark.accounts.models import User
from talentpark.core import dictionaries
from talentpark.core.context import ActionContext
from talentpark.core.models import Zone
from talentpark.demo.zones import ZoneProfile


def write(zone: Zone, profile: ZoneProfile) -> int:
    """Write the zone's dictionaries; returns how many items they hold."""
    office = User.objects.filter(zone=zone, role="office").order_by("pk").first()
    ctx = ActionContext(user=office, role="office", zone_id=zone.pk, reason="维护本园区人才计划目录")
    own = dictionaries.localize(ctx, dictionaries.PROGRAMMES, zone.pk)
    place = profile.short_name
    entries = [
        *((name, "provincial") for name in profile.provincial_programmes),
        *((name, "municipal") for name in profile.municipal_programmes),
        (profile.zone_programme, "zone"),
        (f"{place}青年人才“启航计划”（2019版）", "zone"),
    ]
    items = [dictionaries.save_item(ctx, own, {"label": name, "level": level}) for name, level in entries]
    # The old zone programme, replaced by the current one: kept for old records, offered no more.
    dictionaries.set_enabled(ctx, items[-1], False)
    return len(items)
