"""The registry's list exports (found by ``core.export``'s autodiscovery of ``<app>.exports``).

人才库, 企业库, 平台库 and 项目库 export in their Excel import format: see
:mod:`talentpark.registry.excel.exporter`.
"""

from talentpark.registry.excel import exporter  # noqa: F401  (registers the exports)
