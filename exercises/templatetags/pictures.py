"""``{% picture exercise_or_step %}``: the uploaded picture in several WebP widths, else our drawing."""

from __future__ import annotations

from django import template
from django.templatetags.static import static

from exercises import pictures

register = template.Library()


@register.inclusion_tag("exercises/includes/picture.html")
def picture(
    item, sizes: str = "(min-width: 48rem) 44rem, 100vw", css_class: str = "", lazy: bool = False
) -> dict:
    """Everything the <img> needs, so width and height are always set and nothing shifts as it loads."""
    context = {"alt": item.image_alt, "sizes": sizes, "css_class": css_class, "lazy": lazy, "src": ""}
    picture = pictures.source(item, sized=True)
    if isinstance(picture, str):
        context.update(
            src=static(picture),
            width=pictures.DRAWING_WIDTH,
            height=pictures.DRAWING_HEIGHT,
        )
    elif picture:
        context.update(
            src=picture.url,
            srcset=pictures.srcset(picture, item.image_width),
            width=item.image_width,
            height=item.image_height,
        )
    return context
