"""An enquiry describing the warning signs of a back emergency, in Welsh or English, sent once or again."""

import pytest

from classes.models import Enquiry
from tests.classes.factories import TeacherFactory

pytestmark = pytest.mark.django_db

WELSH_EMERGENCY = "Ydi'r cwrs yn iawn i mi? Ers ddoe mae fy mhen-ôl yn ddiffrwyth ac alla i ddim pasio dŵr."
ENGLISH_EMERGENCY = "Can I join? I have numbness around my bottom and trouble passing urine since Monday."


@pytest.fixture
def teacher():
    return TeacherFactory(name="Gwen", slug="gwen")


def send(client, teacher, django_capture_on_commit_callbacks, *, message, prefix=""):
    data = {"name": "Darllenydd", "email": "reader@example.org", "message": message}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            f"{prefix}/classes/teachers/{teacher.slug}/enquire/", data, REMOTE_ADDR="192.0.2.10"
        )


def test_a_welsh_enquiry_describing_an_emergency_is_held_and_its_writer_sees_the_welsh_urgent_advice(
    client, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    response = send(
        client, teacher, django_capture_on_commit_callbacks, message=WELSH_EMERGENCY, prefix="/cy"
    )
    assert response.status_code == 302
    assert response.url.startswith("/cy/help-now/")
    body = client.get(response.url).content.decode()
    assert '<html lang="cy"' in body
    assert "GIG 111 Cymru" in body
    assert f'href="/cy/classes/teachers/{teacher.slug}/"' in body
    enquiry = Enquiry.objects.get()
    assert "numbness around the bottom or genitals" in enquiry.held_reason
    assert "trouble passing urine" in enquiry.held_reason
    assert enquiry.sent_at is None
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("prefix", "message"), [("", ENGLISH_EMERGENCY), ("/cy", WELSH_EMERGENCY)], ids=["English", "Welsh"]
)
def test_sending_a_warning_sign_enquiry_again_and_again_always_shows_the_urgent_advice(
    client, teacher, settings, django_capture_on_commit_callbacks, prefix, message
):
    settings.CLASSES_ENQUIRY_RATE_LIMIT = 2
    responses = [
        send(client, teacher, django_capture_on_commit_callbacks, message=message, prefix=prefix)
        for _ in range(4)
    ]
    assert [response.status_code for response in responses] == [302] * 4
    assert all(response.url.startswith(f"{prefix}/help-now/") for response in responses)
    assert Enquiry.objects.count() == 1


def test_an_ordinary_enquiry_sent_again_is_still_counted_against_the_limit(
    client, teacher, settings, django_capture_on_commit_callbacks
):
    settings.CLASSES_ENQUIRY_RATE_LIMIT = 2
    statuses = [
        send(
            client, teacher, django_capture_on_commit_callbacks, message="Oes lle ar y cwrs nesaf?"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_a_new_warning_sign_enquiry_refused_by_the_hourly_limit_shows_the_advice_and_keeps_the_text(
    client, teacher, settings, django_capture_on_commit_callbacks
):
    settings.CLASSES_ENQUIRY_RATE_LIMIT = 1
    send(
        client, teacher, django_capture_on_commit_callbacks, message="Oes lle ar y cwrs nesaf?", prefix="/cy"
    )
    response = send(
        client, teacher, django_capture_on_commit_callbacks, message=WELSH_EMERGENCY, prefix="/cy"
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "GIG 111 Cymru" in body
    assert 'role="alert"' in body
    assert "alla i ddim pasio dŵr" in body
    assert Enquiry.objects.count() == 1


def test_an_ordinary_enquiry_refused_by_the_hourly_limit_shows_no_urgent_advice(
    client, teacher, settings, django_capture_on_commit_callbacks
):
    settings.CLASSES_ENQUIRY_RATE_LIMIT = 1
    send(client, teacher, django_capture_on_commit_callbacks, message="Oes lle ar y cwrs nesaf?")
    response = send(client, teacher, django_capture_on_commit_callbacks, message="Is there parking?")
    assert response.status_code == 429
    assert "urgent-advice" not in response.content.decode()
