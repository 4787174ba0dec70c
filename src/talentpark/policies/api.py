from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from talentpark.core.api_kit import add_listing_routes
from talentpark.policies.pages import POLICIES

router = Router(tags=["政策库"])


class PolicyOut(Schema):
    id: int
    zone_id: int
    title: str
    doc_number: str
    issuing_body: str
    category: str
    target: str
    published_on: dt.date | None
    effective_from: dt.date | None
    effective_to: dt.date | None
    status: str
    summary: str


add_listing_routes(router, POLICIES, PolicyOut)
