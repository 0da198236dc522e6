"""Fetching one URL politely and safely (minimal; the live-sources work extends it)."""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from newsdesk import __version__
from newsdesk.errors import BlockedURL, FetchError

MAX_BODY = 20 * 1024 * 1024
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@dataclass(frozen=True, slots=True)
class Document:
    url: str
    status: int
    content_type: str | None
    body: bytes


def user_agent(contact: str | None = None) -> str:
    contact = contact or os.environ.get("NEWSDESK_CONTACT", "newsdesk@localhost")
    return f"newsdesk/{__version__} (+mailto:{contact})"


def allow_private() -> bool:
    return os.environ.get("NEWSDESK_FETCH_ALLOW_PRIVATE", "") in ("1", "true", "yes")


def check_url(url: str, private_ok: bool | None = None) -> None:
    """Refuse non-HTTP schemes and hosts that resolve to private, loopback or link-local addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedURL(f"{url}: only http and https URLs are fetched")
    if allow_private() if private_ok is None else private_ok:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"{url}: cannot resolve {parts.hostname}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise BlockedURL(f"{url}: {parts.hostname} resolves to non-public address {address} "
                             "(set NEWSDESK_FETCH_ALLOW_PRIVATE=1 to allow)")


def fetch_document(url: str, client: httpx.Client | None = None, max_redirects: int = 5) -> Document:
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT, headers={"User-Agent": user_agent()})
    try:
        for _ in range(max_redirects + 1):
            check_url(url)
            response = _get(client, url)
            if response.is_redirect and "location" in response.headers:
                url = str(response.url.join(response.headers["location"]))
                continue
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            return Document(str(response.url), response.status_code, response.headers.get("content-type"),
                            response.content)
        raise FetchError(f"{url}: more than {max_redirects} redirects")
    finally:
        if own:
            client.close()


def _get(client: httpx.Client, url: str) -> httpx.Response:
    try:
        with client.stream("GET", url, follow_redirects=False) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BODY:
                    raise FetchError(f"{url}: body larger than {MAX_BODY // 1048576} MB")
                chunks.append(chunk)
            response._content = b"".join(chunks)
            return response
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc
