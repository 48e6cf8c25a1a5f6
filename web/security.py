"""Who may write: the editor token, the session that remembers it, CSRF, security headers."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class WriteAccess:
    """How writes are allowed: "token" (the editor token), "open" (loopback server, no token
    set) or "closed" (a public server with no token)."""

    mode: str
    token: str = ""

    def allows(self, presented: str | None) -> bool:
        if self.mode == "open":
            return True
        if self.mode == "closed" or not presented:
            return False
        return hmac.compare_digest(presented.encode(), self.token.encode())

    def describe(self) -> str:
        if self.mode == "open":
            return (
                "Adding articles is open to anyone who can reach this loopback address. "
                "Set ARCHIVE_EDITOR_TOKEN to require a token."
            )
        if self.mode == "closed":
            return (
                "Adding articles is DISABLED: this server listens beyond loopback and no editor "
                "token is set. Set ARCHIVE_EDITOR_TOKEN=<a long random secret> to allow it."
            )
        return "Adding articles needs the editor token (ARCHIVE_EDITOR_TOKEN)."


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def write_access_for(host: str, token: str) -> WriteAccess:
    """Writes need `token` when one is set; without one they are open only on loopback."""
    if token:
        return WriteAccess("token", token)
    return WriteAccess("open") if is_loopback(host) else WriteAccess("closed")


def new_token() -> str:
    return secrets.token_urlsafe(24)
