"""A real SMTP server (aiosmtpd) on loopback for the e-mail tests: it keeps what it receives,
can refuse recipients, and accepts one login."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from typing import Any

from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Capture:
    """An aiosmtpd handler that keeps what it receives."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append({
            "from": envelope.mail_from, "to": list(envelope.rcpt_tos), "raw": envelope.content,
            "message": BytesParser(policy=policy.default).parsebytes(envelope.content),
            "login": getattr(session.auth_data, "login", None),
            "tls": session.ssl is not None, "peer": session.peer})
        return "250 2.0.0 Ok: queued"


def authenticator(login: bytes, password: bytes) -> Callable[..., AuthResult]:
    """An aiosmtpd authenticator that accepts exactly this login."""

    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == login \
            and auth_data.password == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    return check


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
