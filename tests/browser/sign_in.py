"""Signing in through the staff door (allauth's page, reached from the admin's login)."""

from django.urls import reverse


def sign_in(page, username: str, password: str, *, next_url: str | None = None) -> None:
    """Open the admin login (it hands over to the sign-in page) and sign in with a password."""
    page.goto(reverse("admin:login") + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
