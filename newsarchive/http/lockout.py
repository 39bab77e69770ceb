"""Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name, or
from one address, that name or address is refused until the cool-off has passed."""

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse


class LoginLockoutBackend(AxesStandaloneBackend):
    """Axes' backend, except for authenticate() calls without a request: those are not web
    logins (the test client's login(), a management command), so there is no address to
    count and nothing to lock out; axes itself refuses them with an exception."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page in the admin's look (its header, its language), with Retry-After."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    context = {
        **admin.site.each_context(request),
        "title": admin.site.site_header,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": minutes,
    }
    response = TemplateResponse(
        request, "admin/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response.render()
