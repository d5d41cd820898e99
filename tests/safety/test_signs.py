import pytest

from safety import signs
from safety.models import WarningSign

pytestmark = pytest.mark.django_db

WARNING_SIGNS = [
    "I've lost feeling in my saddle area",
    "My saddle area feels numb since Tuesday",
    "There is numbness around my bottom and genitals",
    "I can't feel my bottom when I wipe",
    "Since yesterday I have trouble passing urine",
    "I can't pee properly and my back is agony",
    "I've had trouble controlling my bowels",
    "I lost control of my bladder this morning",
    "WEAKNESS IN BOTH LEGS when I stand up",
    "Both of my legs feel numb and tingly",
    "My legs gave way on the stairs",
    "Back pain with a fever and shivers",
    "My back has hurt since I had a fall last week",
    "I fell down the stairs and now my lower back hurts",
    "Sore back after a car accident",
    "I am losing weight without trying and my back aches at night",
]

ORDINARY_BACKS = [
    "My lower back is stiff after sitting all day at work",
    "After a long train journey my back feels tight",
    "Both my knees click when I do knee walking, is that normal?",
    "My legs feel a bit tight after the class",
    "I fell asleep during the relaxation at the end!",
    "Thank you, I will pass this on to my sister",
    "I feel it stretching in my bottom and the backs of my legs",
    "Lovely gentle exercise, my back feels looser already",
    "Is this exercise OK to do in the autumn term after the summer break?",
]


@pytest.mark.parametrize("text", WARNING_SIGNS)
def test_a_message_describing_a_back_emergency_is_recognised(text):
    assert signs.warning_signs(text)


@pytest.mark.parametrize("text", ORDINARY_BACKS)
def test_ordinary_back_stiffness_is_not_taken_for_an_emergency(text):
    assert signs.warning_signs(text) == []


def test_the_meaning_of_each_sign_found_is_named_once():
    found = signs.warning_signs("Numb saddle, numbness in the saddle area, and both legs weak")
    assert found == ["numbness in the saddle area", "weakness or numbness in both legs"]


def test_a_sign_an_editor_adds_is_used_at_once():
    assert signs.warning_signs("my vision went blurry with the back pain") == []
    WarningSign.objects.create(words="vision blurry", meaning="sight problems")
    assert signs.warning_signs("my vision went blurry with the back pain") == ["sight problems"]


def test_a_sign_taken_out_of_use_no_longer_matches():
    WarningSign.objects.create(words="vision blurry", meaning="sight problems", active=False)
    assert signs.warning_signs("my vision went blurry") == []


def test_the_built_in_signs_apply_even_with_an_empty_list_in_the_database():
    WarningSign.objects.all().delete()
    assert signs.warning_signs("I've lost feeling in my saddle area") == ["numbness in the saddle area"]


def test_words_match_with_endings_but_not_inside_longer_unrelated_words():
    assert signs.find("numbness of the saddle", [("numb saddle", "x")]) == ["x"]
    assert signs.find("a saddlebag and a numbskullduggery", [("numb saddle", "x")]) == []


def test_words_far_apart_do_not_make_a_sign():
    text = "My saddle on the bike was uncomfortable so I walked home the long way and my fingers went numb"
    assert signs.find(text, [("numb saddle", "x")]) == []


# --- Welsh, and editors' signs as editors type them -------------------------------------


def welsh(words: str) -> signs.Sign:
    return signs.Sign(words, "x", WarningSign.Language.WELSH)


@pytest.mark.parametrize(
    "text",
    [
        "mae gen i dwymyn ac mae fy nghefn yn brifo",  # nasal (cefn) and soft (twymyn)
        "ei chefn hi a thwymyn",  # aspirate
        "ei gefn o, gyda thymheredd",  # soft, and the aspirate of tymheredd
    ],
)
def test_a_welsh_sign_matches_through_soft_nasal_and_aspirate_mutations(text):
    assert signs.find(text, [welsh("cefn twymyn"), welsh("cefn tymheredd")]) == ["x"]


def test_a_welsh_sign_matches_with_or_without_accents():
    assert signs.find("methu pasio dŵr", [welsh("pasio dwr")]) == ["x"]
    assert signs.find("methu basio dwr", [welsh("pasio dŵr")]) == ["x"]


def test_an_english_sign_does_not_match_a_word_that_only_looks_like_a_welsh_mutation():
    english = [signs.Sign("coes weak", "x", WarningSign.Language.ENGLISH)]
    assert signs.find("my back goes weak", english) == []
    assert signs.find("my back goes weak", [welsh("coes weak")]) == ["x"]


@pytest.mark.parametrize("written", ["pen-ôl", "pen ôl", "penôl", "pen-ol", "PEN ÔL"])
def test_a_welsh_compound_is_one_word_however_it_is_written(written):
    mutated = "m" + written.lower().replace("pen", "hen", 1)  # fy mhen-ôl, fy mhen ôl, …
    assert signs.find(f"mae fy {mutated} yn ddiffrwyth", [welsh("pen-ôl diffrwyth")]) == ["x"]
    assert signs.find(f"{written} diffrwyth", [welsh("penol diffrwyth")]) == ["x"]


def test_the_knee_is_never_read_as_the_first_half_of_the_bottom():
    assert signs.find("poen yn fy mhen-glin ar ôl cerdded", [welsh("pen ôl"), welsh("pen cerdded")]) == []


def test_welsh_negators_are_words_of_a_sign_not_filler():
    assert signs.find("alla i ddim pasio dŵr", [welsh("dim pasio dwr")]) == ["x"]
    assert signs.find("dw i'n gallu pasio dŵr yn iawn", [welsh("dim pasio dwr")]) == []
    assert signs.find("dw i'n methu teimlo fy nhraed", [welsh("methu teimlo traed")]) == ["x"]
    assert signs.find("dw i'n teimlo fy nhraed", [welsh("methu teimlo traed")]) == []


def test_welsh_filler_words_do_not_use_up_the_window():
    text = "mae fy nghoesau i wedi bod yn teimlo yn ddiffrwyth"
    assert signs.find(text, [welsh("coesau diffrwyth")]) == ["x"]


def test_an_editors_sign_with_capitals_apostrophes_and_filler_words_matches():
    WarningSign.objects.create(words="Can't feel my TOES", meaning="numb toes")
    assert signs.warning_signs("since Monday I can’t really feel the toes on both feet") == ["numb toes"]
    assert signs.warning_signs("I CANT FEEL MY TOES") == ["numb toes"]


def test_a_welsh_sign_an_editor_adds_matches_through_mutations():
    text = "mae gen i boen yn fy mrest ers bore ma"
    assert signs.warning_signs(text) == []
    WarningSign.objects.create(words="poen brest", meaning="chest pain", language=WarningSign.Language.WELSH)
    assert signs.warning_signs(text) == ["chest pain"]


def test_an_editors_english_sign_is_matched_only_as_written():
    WarningSign.objects.create(
        words="poen brest", meaning="chest pain", language=WarningSign.Language.ENGLISH
    )
    assert signs.warning_signs("mae gen i boen yn fy mrest") == []
    assert signs.warning_signs("poen brest") == ["chest pain"]


def test_every_text_is_checked_against_both_languages_signs():
    assert signs.warning_signs("mae fy nghefn yn brifo ar ôl car accident") == [
        "back pain after a fall or accident"
    ]
    assert signs.warning_signs("I think it's cauda equina") == ["mentions cauda equina syndrome"]


def test_the_text_read_is_bounded_however_much_it_expands():
    # U+FDFA is one character that Unicode normalisation turns into eighteen.
    assert len(signs.plain_words("\ufdfa" * 10_000)) < signs.MAX_NORMALISED
    assert signs.warning_signs("\ufdfa" * 10_000 + " numb saddle") == []
    assert signs.warning_signs("numb saddle " + "\ufdfa" * 10_000) == ["numbness in the saddle area"]


def test_a_word_repeated_many_times_far_from_the_other_words_makes_no_sign():
    far = "back " * 500 + "one two three four five six seven " + "fever " * 500
    assert signs.find(far, [("back fever", "x")]) == []
    assert signs.find("back " * 500 + "one two three four five fever", [("back fever", "x")]) == ["x"]
