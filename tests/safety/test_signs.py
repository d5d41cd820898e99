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
