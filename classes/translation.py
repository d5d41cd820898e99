"""The course, venue and teacher fields that have a Welsh version (django-modeltranslation).

Names, addresses, times and prices are the same in both languages; what
readers read as prose is entered twice.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Course, Teacher, Venue


@register(Teacher)
class TeacherTranslation(TranslationOptions):
    fields = ("bio", "qualifications", "photo_alt")


@register(Venue)
class VenueTranslation(TranslationOptions):
    fields = ("accessibility_notes",)


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "description", "how_to_book", "concessions")
