"""The development console mail backend prints links whole, so a confirmation link can be opened."""

import io

from django.core.mail import EmailMessage

from operations.devmail import ReadableConsoleBackend

LINK = "http://127.0.0.1:8000/classes/alerts/confirm/" + "x" * 120 + "/"


def test_a_long_link_in_a_message_is_printed_on_one_line_with_the_headers():
    stream = io.StringIO()
    message = EmailMessage(
        subject="Please confirm",
        body=f"Open this “link”:\n{LINK}\n",
        to=["reader@example.org"],
        headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    ReadableConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert f"\n{LINK}\n" in printed
    assert "Subject: Please confirm" in printed
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in printed
    assert "Open this “link”:" in printed
