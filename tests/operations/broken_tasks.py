"""A task that fails, for tests/operations/test_errors.py to hand to the real worker."""

from django.tasks import task


@task
def fail_on_purpose() -> None:
    raise RuntimeError("the task broke")
