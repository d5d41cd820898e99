"""What the privacy page tells readers is kept: a provider's profile, the warning signs a message
described, an address whose mail bounced."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


# --- What the privacy page says -------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "sentence"),
    [
        ("/privacy/", "we also keep the profile details it sends us"),
        ("/cy/privacy/", "rydyn ni hefyd yn cadw’r manylion proffil y mae’n eu hanfon aton ni"),
    ],
)
def test_the_privacy_page_says_a_providers_profile_details_are_kept(client, address, sentence):
    assert sentence in client.get(address).content.decode()


@pytest.mark.parametrize(
    ("address", "sentence"),
    [
        ("/privacy/", "That note is health information"),
        ("/cy/privacy/", "Gwybodaeth iechyd yw’r nodyn hwnnw"),
    ],
)
def test_the_privacy_page_says_which_warning_signs_a_message_described_is_kept_as_health_data(
    client, address, sentence
):
    assert sentence in client.get(address).content.decode()


@pytest.mark.parametrize(
    ("address", "sentence"),
    [
        ("/privacy/", "we note your address and what your mail server said"),
        ("/cy/privacy/", "rydyn ni’n nodi eich cyfeiriad a’r hyn a ddywedodd eich gweinydd e-bost"),
    ],
)
def test_the_privacy_page_says_an_address_whose_mail_bounced_is_noted(client, address, sentence):
    assert sentence in client.get(address).content.decode()
