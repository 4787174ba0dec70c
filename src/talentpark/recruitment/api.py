from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from talentpark.core.api_kit import add_listing_routes
from talentpark.recruitment.pages import DEMANDS, POSITIONS

router = Router(tags=["招聘"])


class PositionOut(Schema):
    id: int
    zone_id: int
    enterprise_id: int
    title: str
    category: str
    headcount: int
    min_degree: str
    major: str
    salary_min: int
    salary_max: int
    status: str
    published_on: dt.date


class DemandOut(Schema):
    id: int
    zone_id: int
    enterprise_id: int
    title: str
    major: str
    min_degree: str
    count: int
    urgency: str
    status: str
    reported_on: dt.date


add_listing_routes(router, POSITIONS, PositionOut)
add_listing_routes(router, DEMANDS, DemandOut)
