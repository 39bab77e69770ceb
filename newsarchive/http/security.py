"""The Content-Security-Policy header, from django-csp (settings.CONTENT_SECURITY_POLICY).

Public pages never need inline code. The admin's own templates carry a few inline style
attributes, so its pages alone also allow inline styles (never inline scripts).
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path.startswith(ADMIN_PREFIX) and parts.update is None:
            parts.update = {"style-src": [UNSAFE_INLINE]}
        return parts
