"""Sending e-mail through an SMTP server: STARTTLS, implicit TLS (SSL) or, on loopback, plain.

The password never sits in ``kundkit.yaml``: the config names an environment variable
(``password_env: KUNDKIT_SMTP_PASSWORD``) and it is read when the connection opens. Every failure
becomes a :class:`~kundkit.errors.DeliveryError` that quotes the server's reply.
"""

from __future__ import annotations

import ipaddress
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Literal

from kundkit.errors import ConfigError, DeliveryError
from kundkit.i18n import _
from kundkit.messaging.schemas import SMTP_SCHEMA

Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}



def read_secret(variable: str, *, environ: Mapping[str, str] | None = None,
                purpose: str = "") -> str:
    """The value of environment variable ``variable``; a missing or empty one is a ConfigError
    naming it (and what it is for)."""
    env = os.environ if environ is None else environ
    value = env.get(variable, "")
    if not value:
        raise ConfigError(
            _("The environment variable {name} is not set; it must hold the {purpose}")
            .format(name=variable, purpose=purpose or _("secret named in kundkit.yaml")))
    return value


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SmtpSettings:
    """The ``email:`` section of ``kundkit.yaml`` (see :data:`SMTP_SCHEMA`)."""

    host: str
    port: int = 0
    security: Security = "starttls"
    user: str | None = None
    password_env: str | None = None
    sender: str = ""
    timeout: float = 30.0
    ca_file: str | None = None
    local_hostname: str | None = None
    message_id_domain: str | None = None

    def __post_init__(self) -> None:
        if self.security not in DEFAULT_PORTS:
            raise ConfigError(_("email.security must be starttls, ssl or none, not {value!r}")
                              .format(value=self.security))
        if not self.port:
            object.__setattr__(self, "port", DEFAULT_PORTS[self.security])
        if self.user and not self.password_env:
            raise ConfigError(_("email.user is set but email.password_env is not: name the "
                                "environment variable that holds the password"))
        if self.user and self.security == "none" and not is_loopback(self.host):
            # A password sent without TLS can be read by anyone on the way.
            raise ConfigError(_("email.security none would send the password to {host} "
                                "unencrypted; use starttls or ssl").format(host=self.host))

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> SmtpSettings:
        known = set(SMTP_SCHEMA["properties"])
        return cls(**{key: value for key, value in section.items() if key in known})


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    # Certificates and host names are always checked; a server with its own CA is trusted by
    # naming that CA (ca_file), never by switching verification off.
    return ssl.create_default_context(cafile=settings.ca_file)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
        else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"


class SmtpMailer:
    """One connection to the server, reused for every message of a send-out::

        with SmtpMailer(settings) as mailer:
            for email in emails:
                mailer.send(email)
    """

    def __init__(self, settings: SmtpSettings, *, environ: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.environ = environ
        self._smtp: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def open(self) -> None:
        if self._smtp is not None:
            return
        s = self.settings
        password = read_secret(s.password_env, environ=self.environ,
                               purpose=_("SMTP password of {user}").format(user=s.user)) \
            if s.user and s.password_env else None
        try:
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, local_hostname=s.local_hostname, timeout=s.timeout,
                    context=_tls_context(s))
            else:
                smtp = smtplib.SMTP(s.host, s.port, local_hostname=s.local_hostname,
                                    timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(self._failure(
                _("Cannot connect to SMTP server {where}: {reason}"), exc)) from exc
        self._smtp = smtp
        try:
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(_("SMTP server {where} does not offer STARTTLS")
                                        .format(where=self.where))
                smtp.starttls(context=_tls_context(s))
                smtp.ehlo()
            if s.user and password is not None:
                if not smtp.has_extn("auth"):
                    raise DeliveryError(_("SMTP server {where} does not offer login (AUTH); "
                                          "check email.security").format(where=self.where))
                try:
                    smtp.login(s.user, password)
                except UnicodeEncodeError:
                    # smtplib encodes credentials as ASCII and cannot send others.
                    raise ConfigError(_("The SMTP user name or password has characters other "
                                        "than ASCII, which SMTP login cannot carry")) from None
        except (DeliveryError, ConfigError):
            self.close()
            raise
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise DeliveryError(_("SMTP server {where} refused the login of {user}: {reply}")
                                .format(where=self.where, user=s.user, reply=_reply(exc))) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise DeliveryError(self._failure(
                _("SMTP server {where} broke off the session: {reason}"), exc)) from exc

    def send(self, email: EmailMessage) -> str:
        """Send one message; returns its Message-ID (the provider id of an e-mail)."""
        self.open()
        assert self._smtp is not None
        try:
            refused = self._smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            replies = "; ".join(f"{addr}: {code} {msg.decode('utf-8', 'replace')}"
                                for addr, (code, msg) in exc.recipients.items())
            raise DeliveryError(_("SMTP server {where} refused the recipient: {reply}")
                                .format(where=self.where, reply=replies)) from exc
        except smtplib.SMTPSenderRefused as exc:
            raise DeliveryError(_("SMTP server {where} refused the sender {sender}: {reply}")
                                .format(where=self.where, sender=exc.sender,
                                        reply=_reply(exc))) from exc
        except (OSError, smtplib.SMTPException) as exc:
            # The connection may be unusable now; the next send opens a fresh one.
            self.close()
            raise DeliveryError(self._failure(
                _("SMTP server {where} did not accept the message: {reason}"), exc)) from exc
        if refused:
            replies = "; ".join(f"{addr}: {code} {msg.decode('utf-8', 'replace')}"
                                for addr, (code, msg) in refused.items())
            raise DeliveryError(_("SMTP server {where} refused the recipient: {reply}")
                                .format(where=self.where, reply=replies))
        return str(email.get("Message-ID", ""))

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def __enter__(self) -> SmtpMailer:
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _failure(self, message: str, exc: BaseException) -> str:
        if isinstance(exc, smtplib.SMTPResponseException):
            reason = _reply(exc)
        elif isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
            reason = _("no answer within {seconds} s").format(seconds=self.settings.timeout)
        elif isinstance(exc, ssl.SSLError):
            reason = _("TLS failed: {reason}").format(reason=exc.reason or exc)
        elif isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
        else:
            reason = str(exc) or type(exc).__name__
        return message.format(where=self.where, reason=reason)


def send_email(email: EmailMessage, settings: SmtpSettings, *,
               environ: Mapping[str, str] | None = None) -> str:
    """Send one message on its own connection; returns its Message-ID."""
    with SmtpMailer(settings, environ=environ) as mailer:
        return mailer.send(email)
