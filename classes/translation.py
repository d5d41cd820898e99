"""The course, venue and teacher fields that have a Welsh version (django-modeltranslation).

Names, addresses, times and prices are the same in both languages; what
readers read as prose is entered twice, and so is what a teacher types that
readers see as words: the group a teacher belongs to, why a session is cancelled.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Course, Session, Teacher, Venue


@register(Teacher)
class TeacherTranslation(TranslationOptions):
    fields = ("organisation", "bio", "qualifications", "photo_alt")


@register(Venue)
class VenueTranslation(TranslationOptions):
    fields = ("accessibility_notes",)


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "description", "how_to_book", "concessions")


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("cancellation_reason",)
