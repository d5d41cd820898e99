"""The drill (tests/deploy/test_drill.py) plays docs/deploying.md: its table of stand-ins stays true to the guide.

The drill itself fails on any command of the guide it did not play. These quick checks
keep its two tables honest without starting a server: a stand-in or an exclusion that
no longer matches a command of the guide is a leftover, and a command two stand-ins
claim would be played by whichever came first.
"""

import pytest

from tests.deploy import drill

GUIDE = drill.Guide.read()


@pytest.mark.parametrize("stand_in", drill.STAND_INS, ids=lambda stand_in: stand_in.method)
def test_every_stand_in_still_replaces_a_command_of_the_guide(stand_in):
    assert [command for command in GUIDE.commands if stand_in.matches(command)]


@pytest.mark.parametrize("start", drill.NOT_PLAYED)
def test_every_command_left_out_of_the_drill_is_still_in_the_guide(start):
    assert [command for command in GUIDE.commands if command.bare.startswith(start)]


def test_no_command_of_the_guide_has_two_stand_ins():
    for command in GUIDE.commands:
        drill.stand_in_for(command)  # asserts there is at most one


def test_the_guide_is_read_command_by_command_with_continued_lines_joined():
    install = GUIDE.section("On a Debian server, step by step")
    assert install[0].bare.startswith("apt-get install ")
    timers = [
        command for command in install if command.bare.startswith("systemctl enable --now backcare-recheck")
    ]
    assert len(timers) == 1
    assert timers[0].bare.endswith("backcare-healthcheck.timer")  # the line after the backslash
    assert not [command for command in GUIDE.commands if command.text.startswith("#")]
