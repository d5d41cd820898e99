"""SMTP with a separate bounce address (the envelope sender, which becomes Return-Path).

Readers see the site's ``From``; mail servers send bounces to the envelope
sender. Sending with ``EMAIL_BOUNCE_ADDRESS`` there puts every bounce in one
mailbox that ``manage.py record_bounces`` reads, instead of the practice's inbox.
"""

from __future__ import annotations

import copy

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend


class BounceAddressBackend(EmailBackend):
    def __init__(self, *args, bounce_address: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bounce_address = bounce_address

    def _send(self, email_message: EmailMessage) -> bool:
        if not self.bounce_address:
            return super()._send(email_message)  # type: ignore[misc]  # private in Django, not in its stubs
        envelope = copy.copy(email_message)
        # The From header stays what the message says; only the envelope changes.
        envelope.extra_headers = {"From": email_message.from_email, **email_message.extra_headers}
        envelope.from_email = self.bounce_address
        return super()._send(envelope)  # type: ignore[misc]
