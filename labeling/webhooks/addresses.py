"""Where a webhook may be sent: https URLs on public addresses only.

A webhook URL is the retailer's to choose, so it must not become a way into the registry's
own network (server-side request forgery). :func:`check_url` runs at subscription and
before *every* delivery (a name may resolve elsewhere tomorrow):

1. the URL is ``https`` with a host, no user info and no fragment;
2. the host is resolved once; *every* address it resolves to must be global
   (:attr:`ipaddress.IPv4Address.is_global`: not loopback, link-local — 169.254.0.0/16,
   the cloud metadata address included — RFC 1918 private, CGNAT 100.64.0.0/10, unique-local
   fc00::/7, multicast, reserved, documentation …; an IPv4-mapped IPv6 address is judged as
   the IPv4 address it maps);
3. the delivery then connects to the address checked here, never resolving again
   (:mod:`labeling.webhooks.sender`), and follows no redirect.

``allow_private`` (``KHATEM_WEBHOOK_ALLOW_PRIVATE``, never in production) lets ``http`` and
any address through, for a test receiver on this machine.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.problems import UnprocessableContent

__all__ = ["Resolver", "Target", "UnsafeWebhookUrl", "check_url", "is_public", "system_resolver"]

#: ``host, port`` → the addresses it resolves to (strings). Tests pass their own.
Resolver = Callable[[str, int], list[str]]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeWebhookUrl(UnprocessableContent):
    """A webhook URL the registry will not call; ``reason`` says why (a stable code)."""

    slug = "webhook-url-refused"
    title = "Webhook URL refused"

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail, reason=reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL: where to connect (``address``) and what to ask for."""

    scheme: str
    host: str
    port: int
    address: str
    path: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public Internet (see the module doc)."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
        if address.teredo is not None:
            return False
    return bool(address.is_global) and not address.is_multicast


def check_url(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> Target:
    """The :class:`Target` of a webhook URL, or :class:`UnsafeWebhookUrl`."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError:
        raise UnsafeWebhookUrl("url_malformed", "The URL cannot be parsed.") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeWebhookUrl("scheme_not_https", "A webhook URL must be https.")
    if not host:
        raise UnsafeWebhookUrl("url_malformed", "A webhook URL needs a host.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeWebhookUrl("url_malformed", "A webhook URL must not carry credentials.")
    if parts.fragment or "#" in url:
        raise UnsafeWebhookUrl("url_malformed", "A webhook URL must not have a fragment.")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            resolved = resolver(host, port)
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolved]
        except (OSError, UnicodeError, ValueError):
            addresses = []
        if not addresses:
            raise UnsafeWebhookUrl("host_unresolvable", f"The host {host!r} does not resolve.")
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise UnsafeWebhookUrl(
                    "address_not_public",
                    f"The host {host!r} resolves to {address}, which is not a public address.",
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=parts.scheme, host=host, port=port, address=str(addresses[0]), path=path)
