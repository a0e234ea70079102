"""Security headers (Flask-Talisman) and the real client address behind a proxy.

The Content-Security-Policy allows scripts from this site only: no inline script, no
inline event handler, no eval. Styles allow 'unsafe-inline' because templates set a
few `style=` attributes (sizes, gradients); style injection cannot run code. htmx's
own inline indicator style is switched off in base.html (`htmx-config`).

HSTS is sent only on requests that arrived over HTTPS (Talisman's rule), and nothing
redirects to HTTPS: `make run` serves plain http on 127.0.0.1. Behind a TLS-terminating
load balancer, set TRUSTED_PROXIES so werkzeug's ProxyFix believes its
X-Forwarded-For / X-Forwarded-Proto; without it (the default) those headers are not
trusted, so a client cannot pick the address that login throttling counts.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # Bootstrap draws icons (select arrow, toggler) as data: SVG
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    """Wire the headers, and ProxyFix when TRUSTED_PROXIES (hops) is above 0."""
    # One Talisman per app: it keeps its options (and the app) on itself.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",  # old browsers' frame-ancestors
        referrer_policy="strict-origin-when-cross-origin",
        strict_transport_security=True,
        strict_transport_security_max_age=app.config["HSTS_MAX_AGE"],
        strict_transport_security_include_subdomains=False,
        # Talisman would otherwise force (and on each request re-set) Secure cookies,
        # which breaks logging in over plain http in development.
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        x_content_type_options=True,
    )
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
