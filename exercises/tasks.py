"""Background work for the exercises app: building the PDF handouts.

Every handout build is asked for here, after the transaction that changed it
commits (``enqueue_build``), so ``handouts`` never imports this module back.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task

from . import handouts
from .models import Exercise, Handout

logger = logging.getLogger(__name__)


@task
def build_handout(handout_id: int) -> bool:
    """Rebuild one handout's PDFs, one per language. A language that fails keeps its last good
    PDF online and the error is recorded; the other languages are still rebuilt."""
    handout = Handout.objects.filter(pk=handout_id).first()
    if handout is None:
        return False
    try:
        handouts.build(handout)
    except handouts.HandoutBuildError:
        return False  # build() logged it and recorded it in build_error
    except Exception as error:
        logger.exception("Could not build handout %s", handout_id)
        Handout.objects.filter(pk=handout_id).update(build_error=f"{type(error).__name__}: {error}"[:300])
        return False
    return True


def enqueue_build(handout_id: int) -> None:
    """Rebuild the handout's PDFs in a task, once the current transaction commits."""
    transaction.on_commit(lambda: build_handout.enqueue(handout_id), robust=True)


def enqueue_rebuilds(exercise: Exercise) -> None:
    """After the exercise is saved, rebuild every handout it is in (a task each, after commit)."""
    for handout_id in Handout.objects.containing(exercise).values_list("pk", flat=True):
        enqueue_build(handout_id)
