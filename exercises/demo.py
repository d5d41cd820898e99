"""Demo exercises, written for BackCare. Loaded by ``manage.py load_demo``."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation

from .models import Category, Exercise, Handout, HandoutItem
from .tasks import enqueue_build

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

WELSH_CATEGORIES = {
    "lower-back": (
        "Rhan isaf y cefn",
        "Symudiadau ysgafn ar gyfer rhan isaf y cefn pan fydd yn anystwyth neu’n boenus.",
    ),
    "hips": ("Cluniau", "Mae llacio’r cluniau yn tynnu straen oddi ar ran isaf y cefn."),
    "neck-and-shoulders": ("Gwddf ac ysgwyddau", "Ar gyfer tyndra ar ôl sgriniau, gyrru a gwaith desg."),
}

# The same exercises in Welsh, written for BackCare (not a word-for-word translation).
WELSH = {
    "knee-walking": {
        "title": "Cerdded y pengliniau",
        "summary": (
            "Symudiad bach, ysgafn wrth orwedd sy’n llacio rhan isaf y cefn ar ôl dyddiau hir "
            "o eistedd neu deithiau hir."
        ),
        "starting_position": (
            "Gorweddwch ar eich cefn ar fat neu garped, gyda’ch pengliniau wedi plygu a’ch traed "
            "yn fflat ar y llawr.\n"
            "Rhowch eich traed led eich cluniau ar wahân, tua 10 i 15 cm o’ch pen-ôl. "
            "Gadewch i’ch breichiau orffwys wrth eich ochrau."
        ),
        "steps": [
            "Cadwch y ddwy droed yn llonydd ac yn gadarn ar y llawr drwy’r amser.",
            "Llithrwch un pen-glin yn ysgafn ymlaen, oddi wrthych, ddim mwy na centimetr neu ddau. "
            "Bydd y pen-glin arall yn dod yn ôl tuag atoch ychydig ohono’i hun.",
            "Nawr gadewch i’r pen-glin arall symud ymlaen, fel bod y cyntaf yn dod yn ôl. "
            "Dyna un “cam” o’r cerdded.",
            "Daliwch ati i gerdded y pengliniau fel hyn, tua 20 gwaith i gyd. Mae’r pengliniau’n "
            "symud yn ôl ac ymlaen mewn dwy linell gyfochrog: dydyn nhw ddim yn cwympo tuag allan "
            "nac i mewn.",
            "Gorffwyswch, gan anadlu’n rhwydd, cyn rholio ar eich ochr i godi.",
        ],
        "repetitions": "tua 20 cam",
        "frequency": "bore a nos",
        "duration": "ychydig funudau bob tro, am ddiwrnod neu ddau",
        "cautions": (
            "Stopiwch os yw’r symudiad yn achosi poen yn hytrach na llacio’r anystwythder.\n"
            "Cadwch y symudiad yn fach: nid yw mwy yn well yma.\n"
            "Ewch i weld meddyg neu ffisiotherapydd os yw’r boen yn para mwy nag ychydig wythnosau, "
            "yn lledu i lawr coes, neu’n dod gyda diffyg teimlad neu binnau bach."
        ),
        "body": (
            "Mae llawer o bobl yn gweld bod rhan isaf eu cefn yn tynhau ar ôl dyddiau o eistedd yn "
            "y gwaith, ar ôl teithiau hir ar y trên neu yn y car, neu pan fyddan nhw wedi bod heb "
            "eu hymarfer ioga arferol am sbel.\n\n"
            "Cerdded y pengliniau yw un o’r ffyrdd symlaf o’i lacio: mae **ychydig funudau, bore a "
            "nos, am ddiwrnod neu ddau** yn aml yn ddigon i deimlo gwahaniaeth.\n\n"
            "Os yw eich poen cefn yn un hirdymor, dosbarth *ioga i’r cefn* gydag athro sy’n gallu "
            "gwylio sut rydych chi’n symud yw’r cam nesaf."
        ),
    },
    "knees-to-chest": {
        "title": "Pengliniau at y frest",
        "summary": "Cwtsh gorffwysol sy’n ymestyn cyhyrau rhan isaf y cefn yn ysgafn.",
        "starting_position": (
            "Gorweddwch ar eich cefn gyda’ch pengliniau wedi plygu a’ch traed yn fflat ar y llawr."
        ),
        "steps": [
            "Anadlwch allan a dewch ag un pen-glin tuag at eich brest, gan ei ddal yn ysgafn o dan "
            "badell y pen-glin neu y tu ôl i’r forddwyd.",
            "Dewch â’r pen-glin arall i fyny ato, fel eich bod yn dal y ddau.",
            "Arhoswch am bum anadl araf, gan adael i ran isaf eich cefn ymlacio i’r llawr.",
            "Rhowch un droed i lawr ar y llawr, yna’r llall.",
        ],
        "repetitions": "3 i 5 gwaith",
        "frequency": "unwaith neu ddwywaith y dydd",
        "duration": "tua dwy funud",
        "cautions": (
            "Daliwch y tu ôl i’r morddwydydd yn lle hynny os yw dal y pengliniau’n rhoi straen arnyn nhw.\n"
            "Stopiwch os ydych chi’n teimlo poen yn y cluniau neu’r werddyr.\n"
            "Ni chaiff ei argymell tua diwedd beichiogrwydd: gofynnwch i’ch bydwraig."
        ),
    },
    "pelvic-tilts": {
        "title": "Gogwyddo’r pelfis",
        "summary": "Siglo bach ar y pelfis sy’n deffro cyhyrau rhan isaf y cefn a’r bol.",
        "starting_position": (
            "Gorweddwch ar eich cefn gyda’ch pengliniau wedi plygu, a’ch traed yn fflat a led "
            "eich cluniau ar wahân. Sylwch ar y bwlch bach rhwng rhan isaf eich cefn a’r llawr."
        ),
        "steps": [
            "Wrth anadlu allan, gwasgwch ran isaf eich cefn yn ysgafn tuag at y llawr, gan ogwyddo’r "
            "pelfis fel bod asgwrn y gynffon yn codi ychydig.",
            "Wrth anadlu i mewn, gadewch i’r pelfis rolio’n ôl fel bod y bwa bach yn dychwelyd.",
            "Daliwch ati i siglo’n araf rhwng y ddau, i rythm eich anadl.",
        ],
        "repetitions": "10 gogwydd araf",
        "frequency": "unwaith y dydd",
        "duration": "munud neu ddwy",
        "cautions": (
            "Cadwch y symudiad yn fach ac yn llyfn, heb ysgytio.\n"
            "Stopiwch os yw’n gwneud unrhyw boen yn waeth."
        ),
    },
    "cat-and-cow": {
        "title": "Y gath a’r fuwch",
        "summary": (
            "Crymu’r asgwrn cefn a’i fwáu’n ysgafn ar eich dwylo a’ch pengliniau, i rythm eich anadl."
        ),
        "starting_position": (
            "Ewch ar eich dwylo a’ch pengliniau, gyda’ch dwylo o dan eich ysgwyddau a’ch pengliniau "
            "o dan eich cluniau. Rhowch flanced wedi’i phlygu o dan eich pengliniau os ydyn nhw’n sensitif."
        ),
        "steps": [
            "Anadlwch allan a chrymwch eich cefn i fyny tuag at y nenfwd, gan adael i’ch pen hongian.",
            "Anadlwch i mewn a gadewch i’ch bol ollwng ychydig wrth i chi edrych ymlaen yn ysgafn.",
            "Symudwch yn araf rhwng y ddau siâp, dim ond cyn belled ag sy’n gyfforddus.",
        ],
        "repetitions": "8 i 10 rownd",
        "frequency": "unwaith y dydd",
        "duration": "dwy neu dair munud",
        "cautions": (
            "Os yw penlinio’n brifo, rhowch gynnig ar yr un symudiad yn eistedd ar gadair gyda’ch "
            "dwylo ar eich pengliniau.\n"
            "Cadwch y bwa’n fach os ydych chi wedi cael gwybod bod gennych chi ddisg wedi llithro."
        ),
    },
    "lying-knee-rolls": {
        "title": "Rholio’r pengliniau wrth orwedd",
        "summary": (
            "Gadael i’r pengliniau siglo o ochr i ochr, gan droelli’r cluniau a rhan isaf y cefn yn ysgafn."
        ),
        "starting_position": (
            "Gorweddwch ar eich cefn, gyda’ch pengliniau wedi plygu a gyda’i gilydd, a’ch traed yn "
            "fflat ar y llawr. Estynnwch eich breichiau allan i’r ochrau ar uchder eich ysgwyddau."
        ),
        "steps": [
            "Anadlwch allan a gadewch i’r ddau ben-glin ostwng ychydig i’r dde, gan gadw’r ddwy "
            "ysgwydd i lawr.",
            "Anadlwch i mewn a dewch â nhw’n ôl i’r canol.",
            "Anadlwch allan a’u gostwng i’r chwith, yna dewch yn ôl.",
        ],
        "repetitions": "5 gwaith i bob ochr",
        "frequency": "unwaith neu ddwywaith y dydd",
        "duration": "munud neu ddwy",
        "cautions": (
            "Peidiwch â mynd ymhellach nag sy’n teimlo’n rhwydd; does dim angen i’r pengliniau "
            "gyffwrdd â’r llawr.\n"
            "Stopiwch os ydych chi’n teimlo poen yn rhan isaf y cefn neu i lawr coes."
        ),
    },
    "seated-neck-turns": {
        "title": "Troi’r gwddf wrth eistedd",
        "summary": "Troi’r pen yn araf i lacio gwddf sydd wedi cyffio ar ôl sgriniau neu yrru.",
        "starting_position": (
            "Eisteddwch yn syth ar gadair gadarn gyda’ch traed yn fflat ar y llawr a’ch ysgwyddau "
            "wedi ymlacio."
        ),
        "steps": [
            "Trowch eich pen yn araf i’r dde, fel petaech chi’n edrych dros eich ysgwydd, ac "
            "arhoswch am un anadl.",
            "Dewch yn ôl i’r canol.",
            "Trowch yn araf i’r chwith, arhoswch, a dewch yn ôl.",
        ],
        "repetitions": "5 gwaith bob ffordd",
        "frequency": "ychydig o weithiau’r dydd",
        "duration": "tua munud",
        "cautions": (
            "Symudwch yn araf a stopiwch ymhell cyn unrhyw boen.\n"
            "Stopiwch a gofynnwch am gyngor os ydych chi’n teimlo’n benysgafn neu’n sylwi ar binnau "
            "bach yn eich breichiau."
        ),
    },
}


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


# The same descriptions in Welsh.
DRAWING_ALT_CY = {
    "A person lying on their back on a mat, knees bent, feet flat, arms by their sides.": (
        "Rhywun yn gorwedd ar ei gefn ar fat, y pengliniau wedi’u plygu, y traed yn fflat "
        "a’r breichiau wrth yr ochrau."
    ),
    "A person on hands and knees on a mat, back level, a folded blanket under the knees.": (
        "Rhywun ar ei ddwylo a’i bengliniau ar fat, y cefn yn wastad, a blanced wedi’i phlygu dan y pengliniau."
    ),
    "A person sitting tall on a chair, feet flat, hands on thighs, looking ahead.": (
        "Rhywun yn eistedd yn syth ar gadair, y traed yn fflat, y dwylo’n gorffwys ar y morddwydydd, yn edrych yn syth ymlaen."
    ),
    "Lying on the back with the lower back pressed gently down to the mat.": (
        "Gorwedd ar y cefn, gyda rhan isaf y cefn wedi’i gwasgu’n ysgafn i lawr ar y mat."
    ),
    "Lying on the back with the small arch under the lower back returned.": (
        "Gorwedd ar y cefn, gyda’r bwa bach dan ran isaf y cefn wedi dod yn ôl."
    ),
    "Lying on the back, holding both bent knees towards the chest.": (
        "Gorwedd ar y cefn, yn dal y ddau ben-glin wedi’u plygu tuag at y frest."
    ),
    "Lying on the back, holding one bent knee towards the chest.": (
        "Gorwedd ar y cefn, yn dal un pen-glin wedi’i blygu tuag at y frest."
    ),
    "Lying on the back, knees bent, with a small arch between the lower back and mat.": (
        "Gorwedd ar y cefn, y pengliniau wedi’u plygu, gyda bwa bach rhwng rhan isaf y cefn a’r mat."
    ),
    "Lying on the back: now the other knee slides forwards, feet still.": (
        "Gorwedd ar y cefn: nawr mae’r pen-glin arall yn llithro ymlaen, a’r traed yn llonydd."
    ),
    "Lying on the back: one knee has slid a little forwards, feet still.": (
        "Gorwedd ar y cefn: mae un pen-glin wedi llithro ychydig ymlaen, a’r traed yn llonydd."
    ),
    "On hands and knees with the back rounded up towards the ceiling and the head hanging.": (
        "Ar y dwylo a’r pengliniau, gyda’r cefn wedi’i grymu i fyny tua’r nenfwd a’r pen yn hongian."
    ),
    "On hands and knees with the tummy dropped a little and the head looking forwards.": (
        "Ar y dwylo a’r pengliniau, gyda’r bol wedi gollwng ychydig a’r pen yn edrych ymlaen."
    ),
    "Seen from above: both knees lowered a little way to one side, shoulders flat.": (
        "Oddi uchod: y ddau ben-glin wedi’u gostwng ychydig i un ochr, a’r ysgwyddau’n fflat."
    ),
    "Seen from above: both knees lowered a little way to the other side.": (
        "Oddi uchod: y ddau ben-glin wedi’u gostwng ychydig i’r ochr arall."
    ),
    "Seen from above: lying on the back, arms stretched out, knees bent together.": (
        "Oddi uchod: gorwedd ar y cefn, y breichiau wedi’u hymestyn allan, a’r pengliniau wedi’u plygu gyda’i gilydd."
    ),
    "Sitting on a chair with the head turned slowly to the left.": (
        "Eistedd ar gadair gyda’r pen wedi troi’n araf i’r chwith."
    ),
    "Sitting on a chair with the head turned slowly to the right.": (
        "Eistedd ar gadair gyda’r pen wedi troi’n araf i’r dde."
    ),
}


@transaction.atomic
def load(*, author: AbstractBaseUser | None = None) -> list[Exercise]:
    """Create or refresh the demo categories and exercises, in English and Welsh; safe to run again."""
    with translation.override("en-gb"):
        return _load(author)


def _load(author: AbstractBaseUser | None) -> list[Exercise]:
    categories = {}
    for slug, name, description, position in CATEGORIES:
        name_cy, description_cy = WELSH_CATEGORIES[slug]
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "name_cy": name_cy,
                "description_cy": description_cy,
                "position": position,
            },
        )
    exercises = []
    now = timezone.now()
    for data in EXERCISES:
        data = dict(data)
        steps = data.pop("steps")
        welsh = dict(WELSH[data["slug"]])
        welsh_steps = welsh.pop("steps")
        slug = data.pop("slug")
        (drawing, drawing_alt), step_drawings = DRAWINGS[slug]
        exercise, _ = Exercise.objects.update_or_create(
            slug=slug,
            defaults={
                "drawing": drawing,
                "image_alt_en_gb": drawing_alt,
                "image_alt_cy": DRAWING_ALT_CY[drawing_alt],
                **{key: value for key, value in data.items() if key != "days_ago"},
                **{f"{key}_cy": value for key, value in welsh.items()},
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
                    text_cy=text_cy,
                    drawing=step_drawings.get(n, ("", ""))[0],
                    image_alt_en_gb=step_drawings.get(n, ("", ""))[1],
                    image_alt_cy=DRAWING_ALT_CY.get(step_drawings.get(n, ("", ""))[1], ""),
                )
                for n, (text, text_cy) in enumerate(zip(steps, welsh_steps, strict=True), 1)
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
HANDOUT_CY = {
    "title": "Taflen gofal cefn",
    "intro": (
        "Pedwar symudiad ysgafn ar gyfer rhan isaf y cefn sydd wedi cyffio ar ôl eistedd, gyrru neu "
        "deithio’n bell. Gwnewch nhw’n araf ar fat neu garped, bore a nos, am ychydig ddyddiau. "
        "Mae symudiad bach yn ddigon."
    ),
    "closing_note": (
        "Os oes gennych boen cefn hirdymor, dosbarth ioga i’r cefn gydag athro sy’n gallu eich gwylio "
        "yn symud yw’r cam nesaf: gweler y dosbarthiadau ar ein gwefan."
    ),
}


def load_handout() -> Handout:
    """The demo "Back care handout" (as in the post the site grew from), with its PDF built."""
    handout, _ = Handout.objects.update_or_create(
        slug=HANDOUT["slug"],
        defaults={
            "title_en_gb": HANDOUT["title"],
            "intro_en_gb": HANDOUT["intro"],
            "closing_note_en_gb": HANDOUT["closing_note"],
            **{f"{key}_cy": value for key, value in HANDOUT_CY.items()},
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
    enqueue_build(handout.pk)
    return handout
