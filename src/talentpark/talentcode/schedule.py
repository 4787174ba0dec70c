"""人才码's nightly housekeeping as a scheduled job (``core.scheduling``): the row
``talentcode.prune_tokens`` (every day at 03:45, created by the migration
``talentcode/0003_prune_tokens_job``) deletes issued tokens that expired more than a day ago.

A token row is needed only while its QR can be shown and for the replay check of a scan made with
it; scans and service records keep the token's id (``cti``) as text, so nothing refers to the row
afterwards. Without the job the table would grow by one row per talent per five minutes on screen.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_noop

from talentpark.core import scheduling

JOB_KIND = "talentcode.prune_tokens"
KEEP = dt.timedelta(days=1)


def prune_tokens(zone_id: int | None = None) -> str:
    """Delete the tokens (of ``zone_id``, or every zone) that expired more than a day ago."""
    from talentpark.talentcode.models import IssuedToken

    old = IssuedToken.objects.filter(expires_at__lt=timezone.now() - KEEP)
    if zone_id is not None:
        old = old.filter(zone_id=zone_id)
    deleted, _ = old.delete()
    return f"删除过期令牌 {deleted} 个"


def register() -> None:
    scheduling.register_job(
        JOB_KIND,
        prune_tokens,
        label=gettext_noop("清理过期人才码令牌"),
        description=gettext_noop("删除过期超过一天的人才码令牌（核验与服务记录保留令牌标识）"),
    )
