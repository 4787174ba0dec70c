from __future__ import annotations

from decimal import Decimal

from ninja import Router, Schema

from talentpark.core.api_kit import add_listing_routes
from talentpark.housing.pages import APARTMENTS

router = Router(tags=["人才公寓"])


class ApartmentOut(Schema):
    id: int
    zone_id: int
    estate: str
    building: str
    unit_no: str
    kind: str
    layout: str
    area: Decimal
    monthly_rent: Decimal
    furnished: bool
    status: str


add_listing_routes(router, APARTMENTS, ApartmentOut)
