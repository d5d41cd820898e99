"""Demo exercises, written for BackCare. Loaded by ``manage.py load_demo``."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import Category, Exercise, Handout, HandoutItem
from .tasks import build_handout

CATEGORIES = [
    ("lower-back", "Lower back", "Gentle movements for a stiff or achy lower back.", 1),
    ("hips", "Hips", "Loosening the hips takes strain off the lower back.", 2),
    ("neck-and-shoulders", "Neck and shoulders", "For tension after screens, driving and desks.", 3),
]

EXERCISES = [
    {
        "slug": "knee-walking",
        "category": "lower-back",
        "title": "Knee walking",
        "summary": (
            "A tiny, gentle movement done lying down that eases a lower back "
            "stiffened by long days of sitting or long journeys."
        ),
        "starting_position": (
            "Lie on your back on a mat or carpet, knees bent and feet flat on the floor.\n"
            "Place your feet hip-width apart, about 10 to 15 cm from your bottom. "
            "Let your arms rest by your sides."
        ),
        "steps": [
            "Keep both feet still and firmly on the floor throughout.",
            "Slide one knee gently forwards, away from you, by only a couple of centimetres. "
            "The other knee will draw back towards you a little on its own.",
            "Now let the other knee move forwards, so the first one comes back. "
            "This is one “step” of the walk.",
            "Keep walking the knees like this, about 20 times in all. The knees travel "
            "forwards and back in two parallel lines: they do not fall outwards or in.",
            "Rest, breathing easily, before you roll onto your side to get up.",
        ],
        "repetitions": "about 20 steps",
        "frequency": "morning and night",
        "duration": "a few minutes each time, for a couple of days",
        "cautions": (
            "Stop if the movement causes pain rather than easing stiffness.\n"
            "Keep the movement small: bigger is not better here.\n"
            "See a doctor or physiotherapist if pain lasts more than a few weeks, "
            "spreads down a leg, or comes with numbness or tingling."
        ),
        "body": (
            "Many people find their lower back tightens after days of sitting at work, "
            "or after long train or car journeys, or when they have been away from their "
            "usual yoga practice for a while.\n\n"
            "Knee walking is one of the simplest ways to ease it: **a few minutes, morning "
            "and night, for a couple of days** is often enough to feel a difference.\n\n"
            "If your back pain is long-term, a *yoga for backs* class with a teacher who "
            "can watch you move is the next step."
        ),
        "days_ago": 3,
    },
    {
        "slug": "knees-to-chest",
        "category": "lower-back",
        "title": "Knees to chest",
        "summary": "A restful hug that gently lengthens the muscles of the lower back.",
        "starting_position": "Lie on your back with your knees bent and feet flat on the floor.",
        "steps": [
            "Breathe out and bring one knee towards your chest, holding it lightly "
            "below the kneecap or behind the thigh.",
            "Bring the other knee up to join it, so you are holding both.",
            "Stay for five slow breaths, letting the lower back soften into the floor.",
            "Lower one foot to the floor, then the other.",
        ],
        "repetitions": "3 to 5 times",
        "frequency": "once or twice a day",
        "duration": "about two minutes",
        "cautions": (
            "Hold behind the thighs instead if holding the knees strains them.\n"
            "Stop if you feel pain in the hips or groin.\n"
            "Not advised in late pregnancy: ask your midwife."
        ),
        "days_ago": 10,
    },
    {
        "slug": "pelvic-tilts",
        "category": "lower-back",
        "title": "Pelvic tilts",
        "summary": "A small rocking of the pelvis that wakes up the lower back and tummy muscles.",
        "starting_position": (
            "Lie on your back with your knees bent, feet flat and hip-width apart. "
            "Notice the small gap between your lower back and the floor."
        ),
        "steps": [
            "As you breathe out, gently press your lower back towards the floor, "
            "tilting the pelvis so the tailbone lifts slightly.",
            "As you breathe in, let the pelvis roll back so the small arch returns.",
            "Keep rocking slowly between the two, in time with your breath.",
        ],
        "repetitions": "10 slow tilts",
        "frequency": "once a day",
        "duration": "a minute or two",
        "cautions": ("Keep the movement small and smooth, with no jerking.\nStop if it sharpens any pain."),
        "days_ago": 20,
    },
    {
        "slug": "cat-and-cow",
        "category": "lower-back",
        "title": "Cat and cow",
        "summary": "Rounding and gently arching the spine on hands and knees, in time with the breath.",
        "starting_position": (
            "Come onto your hands and knees, hands under your shoulders and knees under your hips. "
            "Put a folded blanket under your knees if they are sensitive."
        ),
        "steps": [
            "Breathe out and round your back up towards the ceiling, letting your head hang.",
            "Breathe in and let your tummy drop a little as you look gently forwards.",
            "Move slowly between the two shapes, only as far as is comfortable.",
        ],
        "repetitions": "8 to 10 rounds",
        "frequency": "once a day",
        "duration": "two or three minutes",
        "cautions": (
            "If kneeling hurts, try the same movement sitting on a chair with hands on your knees.\n"
            "Keep the arching part small if you have been told you have a slipped disc."
        ),
        "days_ago": 35,
    },
    {
        "slug": "lying-knee-rolls",
        "category": "hips",
        "title": "Lying knee rolls",
        "summary": "Letting the knees sway from side to side for a soft twist through the hips and lower back.",
        "starting_position": (
            "Lie on your back, knees bent and together, feet flat on the floor. "
            "Stretch your arms out to the sides at shoulder height."
        ),
        "steps": [
            "Breathe out and let both knees lower a little way to the right, keeping both shoulders down.",
            "Breathe in and bring them back to the middle.",
            "Breathe out and lower them to the left, then return.",
        ],
        "repetitions": "5 times to each side",
        "frequency": "once or twice a day",
        "duration": "a couple of minutes",
        "cautions": (
            "Only go as far as feels easy; the knees need not touch the floor.\n"
            "Stop if you feel pain in the lower back or down a leg."
        ),
        "days_ago": 50,
    },
    {
        "slug": "seated-neck-turns",
        "category": "neck-and-shoulders",
        "title": "Seated neck turns",
        "summary": "Slow turns of the head that ease a neck stiffened by screens or driving.",
        "starting_position": "Sit tall on a firm chair with your feet flat on the floor and shoulders relaxed.",
        "steps": [
            "Turn your head slowly to the right, as if looking over your shoulder, and pause for a breath.",
            "Come back to the middle.",
            "Turn slowly to the left, pause, and come back.",
        ],
        "repetitions": "5 times each way",
        "frequency": "a few times a day",
        "duration": "about a minute",
        "cautions": (
            "Move slowly and stop well before any pain.\n"
            "Stop and seek advice if you feel dizzy or notice pins and needles in the arms."
        ),
        "days_ago": 70,
    },
]


# Line drawings shipped in exercises/static/exercises/drawings/ (drawn by bin/draw-exercises):
# the starting position, then {step number: drawing}, each with a description of the position.
DRAWINGS = {
    "knee-walking": (
        (
            "lying-knees-bent.svg",
            "A person lying on their back on a mat, knees bent, feet flat, arms by their sides.",
        ),
        {
            2: (
                "knee-walking-one-knee.svg",
                "Lying on the back: one knee has slid a little forwards, feet still.",
            ),
            3: (
                "knee-walking-other-knee.svg",
                "Lying on the back: now the other knee slides forwards, feet still.",
            ),
        },
    ),
    "knees-to-chest": (
        (
            "lying-knees-bent.svg",
            "A person lying on their back on a mat, knees bent, feet flat, arms by their sides.",
        ),
        {
            1: ("knees-to-chest-one.svg", "Lying on the back, holding one bent knee towards the chest."),
            2: ("knees-to-chest-both.svg", "Lying on the back, holding both bent knees towards the chest."),
        },
    ),
    "pelvic-tilts": (
        (
            "pelvic-tilt-start.svg",
            "Lying on the back, knees bent, with a small arch between the lower back and mat.",
        ),
        {
            1: (
                "pelvic-tilt-flat.svg",
                "Lying on the back with the lower back pressed gently down to the mat.",
            ),
            2: (
                "pelvic-tilt-arch.svg",
                "Lying on the back with the small arch under the lower back returned.",
            ),
        },
    ),
    "cat-and-cow": (
        (
            "hands-and-knees.svg",
            "A person on hands and knees on a mat, back level, a folded blanket under the knees.",
        ),
        {
            1: (
                "cat.svg",
                "On hands and knees with the back rounded up towards the ceiling and the head hanging.",
            ),
            2: (
                "cow.svg",
                "On hands and knees with the tummy dropped a little and the head looking forwards.",
            ),
        },
    ),
    "lying-knee-rolls": (
        (
            "knee-rolls-middle.svg",
            "Seen from above: lying on the back, arms stretched out, knees bent together.",
        ),
        {
            1: (
                "knee-rolls-right.svg",
                "Seen from above: both knees lowered a little way to one side, shoulders flat.",
            ),
            3: ("knee-rolls-left.svg", "Seen from above: both knees lowered a little way to the other side."),
        },
    ),
    "seated-neck-turns": (
        (
            "seated-facing-forwards.svg",
            "A person sitting tall on a chair, feet flat, hands on thighs, looking ahead.",
        ),
        {
            1: ("seated-turn-right.svg", "Sitting on a chair with the head turned slowly to the right."),
            3: ("seated-turn-left.svg", "Sitting on a chair with the head turned slowly to the left."),
        },
    ),
}


@transaction.atomic
def load(*, author: AbstractBaseUser | None = None) -> list[Exercise]:
    """Create or refresh the demo categories and exercises; safe to run again."""
    categories = {}
    for slug, name, description, position in CATEGORIES:
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    exercises = []
    now = timezone.now()
    for data in EXERCISES:
        data = dict(data)
        steps = data.pop("steps")
        slug = data.pop("slug")
        (drawing, drawing_alt), step_drawings = DRAWINGS[slug]
        exercise, _ = Exercise.objects.update_or_create(
            slug=slug,
            defaults={
                "drawing": drawing,
                "image_alt": drawing_alt,
                **{key: value for key, value in data.items() if key != "days_ago"},
                "category": categories[data["category"]],
                "status": Exercise.Status.PUBLISHED,
                "published_at": now - timedelta(days=data["days_ago"]),
                "author": author,
            },
        )
        exercise.steps.all().delete()
        exercise.steps.bulk_create(
            [
                exercise.steps.model(
                    exercise=exercise,
                    position=n,
                    text=text,
                    drawing=step_drawings.get(n, ("", ""))[0],
                    image_alt=step_drawings.get(n, ("", ""))[1],
                )
                for n, text in enumerate(steps, 1)
            ]
        )
        exercises.append(exercise)
    load_handout()
    return exercises


HANDOUT = {
    "slug": "back-care-handout",
    "title": "Back care handout",
    "intro": (
        "Four gentle movements for a lower back stiffened by sitting, driving or long journeys. "
        "Do them slowly on a mat or carpet, morning and night, for a few days. Small is enough."
    ),
    "closing_note": (
        "If your back pain is long-term, a yoga for backs class with a teacher who can watch you "
        "move is the next step: see the classes on our website."
    ),
    "exercises": ["knee-walking", "knees-to-chest", "pelvic-tilts", "cat-and-cow"],
}


def load_handout() -> Handout:
    """The demo "Back care handout" (as in the post the site grew from), with its PDF built."""
    handout, _ = Handout.objects.update_or_create(
        slug=HANDOUT["slug"],
        defaults={
            "title": HANDOUT["title"],
            "intro": HANDOUT["intro"],
            "closing_note": HANDOUT["closing_note"],
            "is_published": True,
        },
    )
    handout.items.all().delete()
    HandoutItem.objects.bulk_create(
        [
            HandoutItem(handout=handout, exercise=Exercise.objects.get(slug=slug), position=n)
            for n, slug in enumerate(HANDOUT["exercises"], 1)
        ]
    )
    transaction.on_commit(lambda: build_handout.enqueue(handout.pk), robust=True)
    return handout
