"""Every sign-in page the settings switch on, at 390 px in a real browser, in English and Welsh:
axe-core finds nothing (WCAG 2.2 A/AA) and every button and field is a large target.

The pages and how each is reached come from tests/accounts/sign_in_pages.py (derived from the
URLconf); the state a page needs (signed in, halfway through a sign-in) is made with Django's test
client and handed to the browser as its cookies.
"""

import pytest
from django.test import Client

from tests.accounts.sign_in_pages import PAGES, address, prepare

# Restore the migrated rows after each test, as tests/browser/test_accounts.py does.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The smallest height of a button, a button-like link or a text field (site.css gives 44 px).
LARGE_TARGET = 44


def small_targets(page) -> list[str]:
    return page.evaluate(
        """minimum => [...document.querySelectorAll(
              'main button, main a.btn, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main textarea, main select')]
            .filter(element => element.offsetParent !== null)
            .filter(element => element.getBoundingClientRect().height < minimum)
            .map(element => element.outerHTML.slice(0, 120))""",
        LARGE_TARGET,
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_sign_in_page_is_accessible_with_large_targets_at_390px_in_both_languages(
    page, axe, live_server, name
):
    client = Client()
    kwargs = prepare(client, name)
    page.context.add_cookies(
        [
            {"name": key, "value": morsel.value, "url": live_server.url}
            for key, morsel in client.cookies.items()
        ]
    )
    for language in ("en-gb", "cy"):
        response = page.goto(address(name, kwargs, language))
        assert response is not None
        assert response.status == PAGES[name].status
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "wider than the phone"
        assert page.locator("h1").count() == 1
        assert small_targets(page) == []
        axe(page)
