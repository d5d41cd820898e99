"""Development e-mail: printed on the console as a person reads it.

Django's console backend prints the encoded message, so a long link (a
confirmation or unsubscribe link) is broken over lines by quoted-printable
soft breaks. This one prints the headers, then each body as written, so the
link in the console can be opened as it is.
"""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message) -> None:
        encoded = message.message()
        for name, value in encoded.items():
            if name.lower() not in {"content-transfer-encoding", "mime-version"}:
                self.stream.write(f"{name}: {value}\n")
        self.stream.write(f"\n{message.body}\n")
        for alternative in getattr(message, "alternatives", []):
            self.stream.write(f"\n[{alternative.mimetype}]\n{alternative.content}\n")
        self.stream.write("-" * 79 + "\n")
