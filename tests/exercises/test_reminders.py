"""Routine reminders: "Remind me" on an exercise or the routine gives calendar events that follow
each exercise's own dosage, with alarms, titled and linked back, in the page's language. Every
file is read by two independent parsers: icalendar and vobject."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from exercises import demo
from exercises.models import Exercise

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HOST = "backcare.example.org"
FIRST = date(2026, 12, 4)  # a Friday: the day after "today" below
MORNING, MIDDAY, EVENING = time(8), time(13), time(20)

# Each demo exercise's advice, as its page words it, and the reminders that advice means:
# (times of day, number of days, minutes each time).
DEMO_DOSAGE = {
    # "morning and night", "a few minutes each time, for a couple of days"
    "knee-walking": ([MORNING, EVENING], 2, 5),
    # "once or twice a day", "about two minutes": an everyday exercise, so a week
    "knees-to-chest": ([MORNING, EVENING], 7, 2),
    # "once a day", "a minute or two"
    "pelvic-tilts": ([MORNING], 7, 2),
    # "once a day", "two or three minutes"
    "cat-and-cow": ([MORNING], 7, 3),
    # "once or twice a day", "a couple of minutes"
    "lying-knee-rolls": ([MORNING, EVENING], 7, 2),
    # "a few times a day", "about a minute"
    "seated-neck-turns": ([MORNING, MIDDAY, EVENING], 7, 1),
}


@pytest.fixture(autouse=True)
def _site(settings, monkeypatch):
    settings.SITE_URL = f"https://{HOST}"
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 12, 3))


@pytest.fixture
def demo_exercises():
    return demo.load()


def ics_url(*slugs: str, start: date = FIRST, welsh: bool = False) -> str:
    with translation.override("cy" if welsh else "en-gb"):
        path = reverse("routine:reminders")
    return f"{path}?e={','.join(sorted(slugs))}&from={start.isoformat()}"


def fetch(client, url: str) -> tuple[Calendar, list]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = vobject.readOne(response.content.decode())
    return Calendar.from_ical(response.content), parsed.vevent_list


def starts(calendar: Calendar) -> list[datetime]:
    return sorted(event.start for event in calendar.events)


def at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=LONDON)


# --- Each demo exercise's own dosage ------------------------------------------


@pytest.mark.parametrize("slug", DEMO_DOSAGE)
def test_an_exercise_s_reminders_follow_its_own_dosage(client, demo_exercises, slug):
    times, days, minutes = DEMO_DOSAGE[slug]
    exercise = Exercise.objects.get(slug=slug)
    calendar, parsed = fetch(client, ics_url(slug))
    expected = [at(FIRST + timedelta(days=n), moment) for n in range(days) for moment in times]
    assert starts(calendar) == expected
    assert sorted(event.dtstart.value for event in parsed) == expected  # the second parser agrees
    for event in calendar.events:
        assert event.end - event.start == timedelta(minutes=minutes)
        assert str(event["SUMMARY"]) == exercise.title
        assert str(event["URL"]) == f"https://{HOST}/exercises/{slug}/"
        assert exercise.repetitions in str(event["DESCRIPTION"])
        [alarm] = event.subcomponents
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["TRIGGER"].dt == timedelta(0)
    assert all(event.valarm.trigger.value == timedelta(0) for event in parsed)


def test_morning_and_night_for_a_couple_of_days_is_four_reminders(client, demo_exercises):
    calendar, parsed = fetch(client, ics_url("knee-walking"))
    assert starts(calendar) == [
        at(date(2026, 12, 4), MORNING),
        at(date(2026, 12, 4), EVENING),
        at(date(2026, 12, 5), MORNING),
        at(date(2026, 12, 5), EVENING),
    ]
    assert len(parsed) == 4
    assert {str(event["SUMMARY"]) for event in calendar.events} == {"Knee walking"}
    assert all("about 20 steps" in str(event["DESCRIPTION"]) for event in calendar.events)


def test_the_demo_dosage_numbers_match_the_data_migration(demo_exercises):
    """A site that loaded the demo before the fields existed gets the same numbers (0007)."""
    from importlib import import_module

    migration = import_module("exercises.migrations.0007_fill_demo_reminder_dosage")
    loaded = {e.slug: (e.times_a_day, e.reminder_days, e.minutes) for e in Exercise.objects.all()}
    assert loaded == migration.DOSAGE
    assert {
        slug: (len(times), days, minutes) for slug, (times, days, minutes) in DEMO_DOSAGE.items()
    } == loaded


def test_a_changed_dosage_changes_the_reminders_and_retires_the_kept_file(
    client, demo_exercises, committed, monkeypatch
):
    url = ics_url("pelvic-tilts")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    exercise = Exercise.objects.get(slug="pelvic-tilts")
    before = int(next(iter(Calendar.from_ical(client.get(url).content).events))["SEQUENCE"])
    later = timezone.now() + timedelta(seconds=5)  # the editor's change, a few seconds on
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    with committed():
        exercise.times_a_day, exercise.reminder_days = 2, 3
        exercise.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    calendar = Calendar.from_ical(response.content)
    assert len(calendar.events) == 6
    assert all(int(event["SEQUENCE"]) > before for event in calendar.events)


# --- A routine -------------------------------------------------------------


def test_a_routine_s_reminders_combine_its_exercises_each_by_its_own_dosage(client, demo_exercises):
    calendar, parsed = fetch(client, ics_url("knee-walking", "pelvic-tilts", "seated-neck-turns"))
    events = {event.start: event for event in calendar.events}
    # Days 1-2: knee walking morning and night, pelvic tilts mornings, neck turns three times.
    # Days 3-7: pelvic tilts mornings and neck turns three times. Same moment, one event.
    assert len(events) == 2 * 3 + 5 * 3 == len(parsed)
    first_morning = events[at(FIRST, MORNING)]
    assert str(first_morning["SUMMARY"]) == "My routine: Knee walking, Pelvic tilts, Seated neck turns"
    assert str(first_morning["URL"]) == (
        f"https://{HOST}/routine/?e=knee-walking,pelvic-tilts,seated-neck-turns"
    )
    description = str(first_morning["DESCRIPTION"])
    for slug in ("knee-walking", "pelvic-tilts", "seated-neck-turns"):
        assert f"https://{HOST}/exercises/{slug}/" in description
    assert first_morning.end - first_morning.start == timedelta(minutes=5 + 2 + 1)
    assert str(events[at(FIRST, EVENING)]["SUMMARY"]) == "My routine: Knee walking, Seated neck turns"
    # A moment with one exercise is titled and linked as that exercise.
    midday = events[at(FIRST, MIDDAY)]
    assert str(midday["SUMMARY"]) == "Seated neck turns"
    assert str(midday["URL"]) == f"https://{HOST}/exercises/seated-neck-turns/"
    third_morning = events[at(FIRST + timedelta(days=2), MORNING)]
    assert str(third_morning["SUMMARY"]) == "My routine: Pelvic tilts, Seated neck turns"
    assert at(FIRST + timedelta(days=7), MORNING) not in events
    assert all(len(event.subcomponents) == 1 for event in calendar.events)


def test_uids_carry_the_host_and_are_the_same_in_both_languages(client, demo_exercises):
    english, _ = fetch(client, ics_url("knee-walking"))
    welsh, _ = fetch(client, ics_url("knee-walking", welsh=True))
    uids = sorted(str(event["UID"]) for event in english.events)
    assert len(set(uids)) == 4
    assert all(uid.endswith(f"@{HOST}") for uid in uids)
    assert uids == sorted(str(event["UID"]) for event in welsh.events)


def test_the_welsh_file_is_in_welsh_and_links_to_welsh_pages(client, demo_exercises):
    calendar, parsed = fetch(client, ics_url("knee-walking", "pelvic-tilts", welsh=True))
    morning = next(event for event in calendar.events if event.start == at(FIRST, MORNING))
    assert str(morning["SUMMARY"]) == "Fy nhrefn: Cerdded y pengliniau, Gogwyddo’r pelfis"
    assert str(morning["URL"]) == f"https://{HOST}/cy/routine/?e=knee-walking,pelvic-tilts"
    assert f"https://{HOST}/cy/exercises/knee-walking/" in str(morning["DESCRIPTION"])
    assert "Symudwch yn ysgafn" in str(morning["DESCRIPTION"])
    assert str(calendar["NAME"]).startswith("Nodiadau atgoffa:")
    evening = next(event for event in parsed if event.dtstart.value == at(FIRST, EVENING))
    assert evening.summary.value == "Cerdded y pengliniau"


def test_the_file_without_a_first_day_or_exercises_leads_to_the_reminders_page(client, demo_exercises):
    response = client.get(reverse("routine:reminders") + "?e=knee-walking")
    assert response.status_code == 302
    assert response["Location"] == reverse("routine:remind") + "?e=knee-walking"
    assert client.get(reverse("routine:reminders") + "?from=2026-12-04")["Location"] == reverse(
        "routine:remind"
    )


def test_a_subscribed_file_keeps_working_after_its_first_day(client, demo_exercises, monkeypatch):
    url = ics_url("knee-walking")
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2027, 3, 1))
    calendar, _ = fetch(client, url)
    assert starts(calendar)[0] == at(FIRST, MORNING)


# --- The pages -----------------------------------------------------------------


def test_the_exercise_page_offers_remind_me(client, demo_exercises):
    content = client.get(reverse("exercises:detail", args=["knee-walking"])).content.decode()
    assert f'href="{reverse("routine:remind")}?e=knee-walking">Remind me</a>' in content


def test_the_routine_page_offers_remind_me_for_the_whole_routine(client, demo_exercises):
    content = client.get(reverse("routine:page") + "?e=cat-and-cow,knee-walking").content.decode()
    assert f'href="{reverse("routine:remind")}?e=cat-and-cow,knee-walking">Remind me</a>' in content


def test_the_reminders_page_shows_the_plan_and_links_from_tomorrow(client, demo_exercises):
    response = client.get(reverse("routine:remind"), {"e": "knee-walking"})
    content = response.content.decode()
    assert "<h1>Reminders for Knee walking</h1>" in content
    assert "4 reminders" in content
    assert content.count("<tr>") == 5  # the heading row and four reminders
    ics = ics_url("knee-walking").replace("&", "&amp;")
    assert f'href="{ics}" download' in content
    assert f'href="webcal://{HOST}{ics}"' in content
    assert 'name="from" value="2026-12-04"' in content
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_reader_chooses_the_first_day_without_javascript(client, demo_exercises):
    content = client.get(
        reverse("routine:remind"), {"e": "knee-walking", "from": "2026-12-20"}
    ).content.decode()
    assert ics_url("knee-walking", start=date(2026, 12, 20)).replace("&", "&amp;") in content
    assert "Sunday 20 December" in content
    assert "Monday 21 December" in content


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("20/12/2026", "We could not read that date, so the reminders start tomorrow."),
        ("2028-01-01", "Reminders can start on any day from today to a year ahead, so they start tomorrow."),
        ("2026-11-30", "Reminders can start on any day from today to a year ahead, so they start tomorrow."),
    ],
)
def test_a_day_that_cannot_be_used_is_explained_and_tomorrow_offered(client, demo_exercises, value, message):
    content = client.get(reverse("routine:remind"), {"e": "knee-walking", "from": value}).content.decode()
    assert message in content
    assert 'name="from" value="2026-12-04"' in content
    assert ics_url("knee-walking").replace("&", "&amp;") in content


def test_the_welsh_reminders_page_is_in_welsh(client, demo_exercises):
    with translation.override("cy"):
        url = reverse("routine:remind")
    content = client.get(url, {"e": "knee-walking,pelvic-tilts"}).content.decode()
    assert "<h1>Nodiadau atgoffa ar gyfer fy nhrefn</h1>" in content
    assert "Tanysgrifio i’r nodiadau atgoffa" in content
    assert "/cy/routine/reminders.ics?e=knee-walking,pelvic-tilts&amp;from=2026-12-04" in content


def test_an_empty_routine_has_nothing_to_remind_of(client, demo_exercises):
    content = client.get(reverse("routine:remind")).content.decode()
    assert "There is nothing to be reminded of yet" in content
    assert "reminders.ics" not in content


# --- The fields ----------------------------------------------------------------


def test_more_than_four_times_a_day_is_refused_with_a_message(demo_exercises):
    exercise = Exercise.objects.get(slug="knee-walking")
    exercise.times_a_day = 5
    with pytest.raises(ValidationError) as raised:
        exercise.full_clean()
    assert "times_a_day" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        exercise.save()


def test_an_editor_sets_the_dosage_numbers_in_the_admin(editor_client, demo_exercises):
    from tests.exercises.test_admin import exercise_form

    exercise = Exercise.objects.get(slug="knee-walking")
    data = exercise_form(
        exercise.category,
        slug="knee-walking",
        times_a_day="3",
        reminder_days="5",
        minutes="4",
        **{"steps-TOTAL_FORMS": "0"},
    )
    response = editor_client.post(reverse("admin:exercises_exercise_change", args=[exercise.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise.refresh_from_db()
    assert (exercise.times_a_day, exercise.reminder_days, exercise.minutes) == (3, 5, 4)
    data["times_a_day"] = "9"
    response = editor_client.post(reverse("admin:exercises_exercise_change", args=[exercise.pk]), data)
    assert response.status_code == 200
    assert "times_a_day" in response.context["adminform"].form.errors
