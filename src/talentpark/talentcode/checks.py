"""``talentpark check``: the algorithm configured for new 人才码 keys can sign here."""

from __future__ import annotations

from typing import Any

from django.core import checks

from talentpark.talentcode import algorithms, keys


@checks.register()
def signing_algorithm(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    alg = keys.configured_alg()
    reason = algorithms.unavailable_reason(alg)
    if not reason:
        return []
    return [
        checks.Warning(
            f"TALENTPARK_TALENTCODE_ALG={alg!r}：人才码签名算法不可用（{reason}），创建新签名密钥时将报错",
            hint="可选：" + "、".join(sorted(algorithms.ALGORITHMS)),
            id="talentcode.W001",
        )
    ]
