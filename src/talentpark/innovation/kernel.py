"""What innovation declares to the kernel (imported by ``InnovationConfig.ready``): its
personal-information fields.
"""

from __future__ import annotations

from talentpark.core import pii_inventory
from talentpark.core.pii_inventory import PIField

pii_inventory.register(
    PIField("innovation.lecturer.name", "general", "讲师库展示与培训安排", "退出讲师库后3年"),
    PIField("innovation.lecturer.phone", "general", "培训联系", "退出讲师库后3年"),
)
