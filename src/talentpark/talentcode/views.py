"""The public key list for offline verifiers: no login, nothing private."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from talentpark.talentcode.keys import published_keys

MAX_AGE = 300  # a verifier refetches at least as often as a retiring key's grace period


@require_safe
def keys_json(request: HttpRequest) -> HttpResponse:
    body = published_keys()
    etag = '"' + hashlib.sha256(json.dumps(body["keys"], sort_keys=True).encode()).hexdigest()[:32] + '"'
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, sort_keys=True), content_type="application/json"
        )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
