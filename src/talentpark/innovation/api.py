from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from talentpark.core.api_kit import add_listing_routes
from talentpark.innovation.pages import LECTURERS

router = Router(tags=["创新与培训"])


class LecturerOut(Schema):
    id: int
    zone_id: int
    name: str
    organisation: str
    professional_title: str
    specialty: str
    phone: str  # masked

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return str(obj.phone or "")


add_listing_routes(router, LECTURERS, LecturerOut)
