"""The JSON API under /api/ (OpenAPI at /api/openapi.json, docs at /api/docs for staff)."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from ninja import NinjaAPI

from talentpark.api_docs import OfflineSwagger
from talentpark.core.api_kit import install_error_handlers, session_and_token
from talentpark.core.search.api import router as search_router
from talentpark.housing.api import router as housing_router
from talentpark.innovation.api import router as innovation_router
from talentpark.policies.api import router as policies_router
from talentpark.recruitment.api import router as recruitment_router
from talentpark.registry.api import router as registry_router
from talentpark.talentcode.api import router as talentcode_router

api = NinjaAPI(
    title="TalentPark 人才服务平台 API",
    version="1",
    description="一网四库及各业务系统的接口。列表分页；错误以中文说明并指明字段。",
    auth=session_and_token(),
    docs=OfflineSwagger(),
    docs_decorator=staff_member_required,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/registry", registry_router)
api.add_router("/policies", policies_router)
api.add_router("/recruitment", recruitment_router)
api.add_router("/housing", housing_router)
api.add_router("/innovation", innovation_router)
api.add_router("/search", search_router)
api.add_router("/talentcode", talentcode_router)
