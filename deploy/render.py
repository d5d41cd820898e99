#!/usr/bin/env python3
"""Fill the @NAME@ placeholders of a deploy/ template.

    python3 deploy/render.py deploy/nginx/backcare.conf > /etc/nginx/sites-available/backcare.conf
    python3 deploy/render.py deploy/nginx/backcare.conf LISTEN=127.0.0.1:18080 TLS= ...

Without arguments the production values below are used; every NAME=VALUE
argument replaces one. A placeholder left without a value is an error, so a
template and its callers cannot drift apart silently. Standard library only:
it runs with the system's python3, without the project's virtualenv.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")
BROTLI_STATIC_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")

PRODUCTION = {
    # nginx/backcare.conf
    "UPSTREAM": "127.0.0.1:8000",
    "CACHE_DIR": "/var/cache/nginx/backcare",
    "LISTEN": "443 ssl http2",
    "SERVER_NAME": "example.org",
    "TLS": "include /etc/nginx/snippets/backcare-tls.conf;",
    "STATIC_ROOT": "/srv/backcare/staticfiles",
    "MEDIA_ROOT": "/srv/backcare/media",
    "MICROCACHE_SECONDS": "1",
    # nginx/backcare.conf's rate limits per client address (its comments give the
    # reasons; docs/deploying.md, "Rate limits"): a rate ("10r/m") and a burst
    # refused beyond at once, for form posts, sign-in posts and every PDF request.
    "FORM_RATE": "10r/m",
    "FORM_BURST": "30",
    "SIGN_IN_RATE": "10r/m",
    "SIGN_IN_BURST": "20",
    "PDF_RATE": "30r/m",
    "PDF_BURST": "60",
    # …and one for every address together, on the same form posts: a rate, the posts over
    # it let through at once, and how many may wait their turn before one is refused.
    "SITE_FORM_RATE": "5r/s",
    "SITE_FORM_DELAY": "30",
    "SITE_FORM_BURST": "60",
    # nginx/tls.conf
    "TLS_CERTIFICATE": "/etc/letsencrypt/live/example.org/fullchain.pem",
    "TLS_CERTIFICATE_KEY": "/etc/letsencrypt/live/example.org/privkey.pem",
    # nginx/redirect-http.conf
    "HTTP_LISTEN": "listen 80; listen [::]:80;",
    "HTTP_SERVER_NAMES": "example.org www.example.org",
    "ACME_ROOT": "/var/www/letsencrypt",
    "HTTPS_ORIGIN": "https://example.org",
    # Debian's libnginx-mod-http-brotli-static loads itself through modules-enabled.
    "BROTLI_STATIC": "brotli_static on;" if BROTLI_STATIC_MODULE.exists() else "",
}


def standalone_defaults(prefix: Path) -> dict[str, str]:
    """Values for deploy/nginx/standalone.conf: nginx in a folder of its own."""
    is_root = os.geteuid() == 0
    return {
        "PREFIX": str(prefix),
        # As root, workers drop to nobody (temporary folders must be readable by it).
        "USER": "user nobody nogroup;" if is_root else "",
        "WORKER_PROCESSES": "auto",
        "ACCESS_LOG": "off",
        "SITE": str(prefix / "backcare.conf"),
        "EXTRA": "",
        "LOAD_MODULES": f"load_module {BROTLI_STATIC_MODULE};" if BROTLI_STATIC_MODULE.exists() else "",
    }


def render(template: str, values: dict[str, str]) -> str:
    missing = sorted({name for name in PLACEHOLDER.findall(template) if name not in values})
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def render_file(path: str | Path, **values: str) -> str:
    return render(Path(path).read_text(), {**PRODUCTION, **values})


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__.strip())
        return 0 if argv else 2
    overrides = {}
    for argument in argv[1:]:
        name, sep, value = argument.partition("=")
        if not sep:
            print(f"render.py: expected NAME=VALUE, got {argument!r}", file=sys.stderr)
            return 2
        overrides[name] = value
    try:
        sys.stdout.write(render_file(argv[0], **overrides))
    except KeyError as error:
        print(f"render.py: {argv[0]}: {error.args[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
