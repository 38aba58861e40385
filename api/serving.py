"""How ``innograph serve`` runs uvicorn: proxy headers only from configured proxies.

uvicorn's default trusts ``X-Forwarded-For`` from 127.0.0.1, so any local caller (or a proxy
that passes the header through unchanged) could pick its own client address and step around
the per-address rate limit (issue #16, finding 3). Here proxy headers are off unless
``INNOGRAPH_TRUSTED_PROXIES`` lists the proxies' addresses (comma-separated IPs or networks);
then uvicorn takes the client address from the header only on connections from those.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from typing import Any

from graph.errors import ConfigError


def trusted_proxies(env: Mapping[str, str] | None = None) -> list[str]:
    raw = (env if env is not None else os.environ).get("INNOGRAPH_TRUSTED_PROXIES", "")
    proxies = [p.strip() for p in raw.split(",") if p.strip()]
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(
                f"INNOGRAPH_TRUSTED_PROXIES: {proxy!r} is not an IP address or network "
                "(list the reverse proxies' addresses, comma-separated; '*' is not accepted)"
            ) from None
    return proxies


def uvicorn_options(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` that depend on the deployment's settings."""
    proxies = trusted_proxies(env)
    options: dict[str, Any] = {"server_header": False, "proxy_headers": bool(proxies)}
    if proxies:
        options["forwarded_allow_ips"] = ",".join(proxies)
    return options
