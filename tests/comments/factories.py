"""Comment factories. Exercises are the pages comments hang from in these tests."""

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from comments.models import Comment, CommentEvent
from tests.factories import ExerciseFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment
        exclude = ["on"]

    on = factory.SubFactory(ExerciseFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.on))
    object_id = factory.LazyAttribute(lambda o: str(o.on.pk))
    status = Comment.Status.APPROVED
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    text = factory.Sequence(lambda n: f"Does this help with sciatica? (question {n})")
    submitted_at = factory.LazyFunction(timezone.now)
    # Unless a test says otherwise, the comment got its status when it was sent.
    status_changed_at = factory.SelfAttribute("submitted_at")
    ip = "192.0.2.10"
    user_agent = "Mozilla/5.0 (Linux; Android 14) Mobile"
    referrer = "https://backcare.example.org/exercises/"
    permalink = factory.LazyAttribute(lambda o: "http://testserver" + o.on.get_absolute_url())

    class Params:
        pending = factory.Trait(status=Comment.Status.PENDING)
        spam = factory.Trait(status=Comment.Status.SPAM, spam_verdict="spam")


def reply_to(parent: Comment, **kwargs) -> Comment:
    """A reply on the same page as ``parent``."""
    return CommentFactory(
        content_type=parent.content_type, object_id=parent.object_id, parent=parent, **kwargs
    )


def events(comment: Comment) -> list[str]:
    return list(
        CommentEvent.objects.filter(comment=comment).order_by("at", "pk").values_list("kind", flat=True)
    )
