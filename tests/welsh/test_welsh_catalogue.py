"""The Welsh catalogue (locale/cy) is complete: every string the code marks, each one translated.

Uses gettext's own tools (installed by bin/system-deps), which read the
catalogue exactly as compilemessages does.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "cy" / "LC_MESSAGES" / "django.po"
NOT_SOURCE = (
    ".git",
    ".venv",
    "node_modules",
    "var",
    "staticfiles",
    "vendor",
    "test-artifacts",
    "tests",
    "bench",
)


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: bin/system-deps installs gettext"
    return path


def run_gettext(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a GNU gettext tool in the C locale (its messages in English), its output kept."""
    return subprocess.run(
        [gettext_tool(name), *args], capture_output=True, text=True, check=False, env={"LC_ALL": "C"}
    )


def msgfmt_check(catalogue: Path) -> subprocess.CompletedProcess[str]:
    """``msgfmt --check --statistics``: the catalogue compiles, and how many are translated or fuzzy."""
    return run_gettext("msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue))


def test_every_string_in_the_welsh_catalogue_is_translated_and_none_is_fuzzy():
    result = msgfmt_check(CATALOGUE)
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert "translated message" in statistics
    assert "fuzzy" not in statistics, statistics
    assert "untranslated" not in statistics, statistics


def test_the_catalogue_has_no_left_over_entries():
    assert "\n#~ " not in CATALOGUE.read_text(encoding="utf-8")


def test_every_string_marked_for_translation_in_the_code_is_in_the_welsh_catalogue(tmp_path: Path):
    """makemessages on a copy of the project; the copy's catalogue gains any string ours lacks."""
    copy = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE, "*.mo", "__pycache__")
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "cy", "--no-obsolete", "-v0"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    # msgcmp: every message of the fresh catalogue (the code's strings) must be in ours.
    result = run_gettext(
        "msgcmp",
        "--use-untranslated",
        "--use-fuzzy",
        str(CATALOGUE),
        str(copy / CATALOGUE.relative_to(settings.BASE_DIR)),
    )
    fresh = (copy / CATALOGUE.relative_to(settings.BASE_DIR)).read_text(encoding="utf-8").splitlines()
    missing = [
        "\n".join(fresh[int(line) - 4 : int(line)])
        for line in re.findall(r"django\.po:(\d+): this message is used", result.stderr)
    ]
    assert result.returncode == 0, "Missing from locale/cy (run makemessages, then translate):\n" + "\n".join(
        missing
    )


# --- allauth's sign-in pages in Welsh (locale/allauth/cy, written by hand) ----------------------

ALLAUTH_CATALOGUE = settings.BASE_DIR / "locale" / "allauth" / "cy" / "LC_MESSAGES" / "django.po"
# allauth features the settings leave off (backcare/settings.py: ACCOUNT_*, MFA_*, SOCIALACCOUNT_*):
# no phone numbers, no passkey sign-up or passkey-only login, no "trust this browser", no codes
# instead of links for e-mail verification and password reset, no OpenID 1, no identity provider,
# no session list. Anything else allauth adds to its templates (a new page, a reworded button)
# must get Welsh here before the upgrade passes.
ALLAUTH_OFF = (
    "idp/",
    "openid/",
    "usersessions/",
    "account/base_manage_phone.html",
    "account/confirm_phone_verification_code.html",
    "account/phone_change.html",
    "account/messages/phone_",
    "account/signup_by_passkey.html",
    "account/confirm_email_verification_code.html",
    "account/confirm_password_reset_code.html",
    "account/email/password_reset_code_",
    "mfa/trust.html",
    "mfa/webauthn/signup_form.html",
)
# Python modules whose strings reach readers and staff: form labels and errors, messages.
# (Model names appear only in the admin's allauth sections, which stay English.)
ALLAUTH_MODULES = (
    "account/adapter.py",
    "account/fields.py",
    "account/forms.py",
    "mfa/adapter.py",
    "mfa/base/forms.py",
    "mfa/totp/forms.py",
    "mfa/webauthn/forms.py",
    "socialaccount/adapter.py",
)
# Django's own strings on those pages that Django's Welsh lacks: the password rules under the
# sign-up and new-password fields, and the username rule.
DJANGO_MODULES = ("contrib/auth/password_validation.py", "contrib/auth/validators.py")
# Django's makemessages keywords (django/core/management/commands/makemessages.py).
XGETTEXT_KEYWORDS = (
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
)


def allauth_strings(into: Path) -> Path:
    """A .pot of every string allauth shows on the pages and in the e-mails our settings switch on
    (with Django's password and username rules shown there), extracted the way makemessages does:
    templates through Django's templatize, then xgettext."""
    import allauth
    import django
    from django.utils.translation.template import templatize

    root = Path(allauth.__file__).parent
    sources = [root / module for module in ALLAUTH_MODULES]
    sources += [Path(django.__file__).parent / module for module in DJANGO_MODULES]
    templates = root / "templates"
    for template in sorted(templates.rglob("*")):
        name = template.relative_to(templates).as_posix()
        if not template.is_file() or not name.startswith(("account/", "mfa/", "socialaccount/", "allauth/")):
            continue
        if name.startswith(ALLAUTH_OFF):
            continue
        python = into / (name.replace("/", "__") + ".py")
        python.write_text(templatize(template.read_text(encoding="utf-8"), origin=name), encoding="utf-8")
        sources.append(python)
    pot = into / "allauth.pot"
    subprocess.run(
        [
            gettext_tool("xgettext"),
            "--language=Python",
            "--from-code=UTF-8",
            *XGETTEXT_KEYWORDS,
            "-o",
            str(pot),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
    )
    return pot


def test_every_allauth_string_on_the_pages_we_use_has_welsh(tmp_path: Path):
    """Sign-in, e-mail codes, sign-up, password reset, e-mail confirmation, second factors and
    provider sign-in: each string allauth shows there, translated in locale/allauth/cy."""
    pot = allauth_strings(tmp_path)
    result = run_gettext("msgcmp", str(ALLAUTH_CATALOGUE), str(pot))
    lines = pot.read_text(encoding="utf-8").splitlines()
    missing = [
        "\n".join(lines[int(line) - 4 : int(line)])
        for line in re.findall(r"allauth\.pot:(\d+): this message is used", result.stderr)
    ]
    assert result.returncode == 0, "Without Welsh in locale/allauth/cy:\n" + "\n".join(
        missing or [result.stderr]
    )


def test_the_allauth_welsh_catalogue_is_well_formed_with_nothing_fuzzy():
    result = msgfmt_check(ALLAUTH_CATALOGUE)
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
