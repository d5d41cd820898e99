"""AdminLanguage moved from backcare to accounts without touching the database: the rows stay."""

import pytest

from tests.migrations import migrate_to, migrate_to_the_end

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_login_keeps_its_admin_language_when_the_model_moves_to_accounts(django_user_model):
    before = migrate_to([("backcare", "0003_counted_limits_table"), ("accounts", None)])
    try:
        user = before.get_model("auth", "User").objects.create(username="gwen")
        before.get_model("backcare", "AdminLanguage").objects.create(user_id=user.pk, language="cy")
    finally:
        after = migrate_to_the_end()
    assert list(
        after.get_model("accounts", "AdminLanguage").objects.values_list("user__username", "language")
    ) == [("gwen", "cy")]
    from accounts.models import AdminLanguage

    assert AdminLanguage.objects.get(user__username="gwen").language == "cy"
