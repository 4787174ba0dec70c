"""The API docs page (/api/docs) from vendored Swagger UI files: no CDN, works offline.

django-ninja renders its CDN template unless ``ninja`` is an installed app; this page is
always our own template, pointing at ``static/vendor/swagger-ui-dist-<version>/``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed

SWAGGER_UI = "vendor/swagger-ui-dist-5.35.0"


class OfflineSwagger(Swagger):
    template = "api/swagger.html"

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        # No online validator badge (it would call validator.swagger.io).
        super().__init__({"validatorUrl": None, **(settings or {})})

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
            "swagger_ui": SWAGGER_UI,
        }
        return render(request, self.template, context)
