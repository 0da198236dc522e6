"""The server-side request forgery guard: which addresses the fetcher may connect to.

Two layers.  `check_url` refuses a URL (and every redirect target) whose host resolves to a
private, loopback, link-local, metadata or otherwise non-public address, with a message that
names the address.  `GuardedBackend` checks again at connect time, on the very address the
socket connects to, so a DNS answer that changes between the check and the connection
(DNS rebinding) cannot slip through.  ``NEWSDESK_FETCH_ALLOW_PRIVATE=1`` turns both off (tests).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from newsdesk.errors import BlockedURL, FetchError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
HINT = "set NEWSDESK_FETCH_ALLOW_PRIVATE=1 to allow"
# Cloud metadata endpoints that are not caught by the private/link-local ranges.
METADATA = frozenset(ipaddress.ip_address(a) for a in ("192.0.0.192", "168.63.129.16", "100.100.100.200"))


def is_public(address: Address) -> bool:
    """A globally routable unicast address (IPv4-mapped IPv6 judged by its IPv4 part)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA:
        return False
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))


def refuse_private(host: str, addresses: Iterable[Address], what: str) -> None:
    for address in addresses:
        if not is_public(address):
            raise BlockedURL(f"{what}: {host} resolves to non-public address {address} ({HINT})")


def check_url(url: str, private_ok: bool | None = None) -> None:
    """Refuse non-HTTP schemes and hosts that resolve to non-public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedURL(f"{url}: only http and https URLs are fetched")
    if allow_private_env() if private_ok is None else private_ok:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    refuse_private(parts.hostname, resolve(parts.hostname, port), url)


def allow_private_env() -> bool:
    """The ``NEWSDESK_FETCH_ALLOW_PRIVATE`` setting, for callers without a `Settings` object."""
    import os

    return os.environ.get("NEWSDESK_FETCH_ALLOW_PRIVATE", "").lower() in ("1", "true", "yes")


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to public addresses: resolves, checks, then connects to the checked address."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        addresses = resolve(host, port)
        refuse_private(host, addresses, f"connection to {host}:{port}")
        return super().connect_tcp(str(addresses[0]), port, timeout, local_address, socket_options)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with `GuardedBackend` under its connection pool (no proxies: direct connections)."""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(),
        )
