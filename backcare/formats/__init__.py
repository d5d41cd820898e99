"""Date and time formats for both languages (``FORMAT_MODULE_PATH``).

Templates name these formats (``|date:"DATE_FORMAT"``) instead of spelling a
pattern, so a Welsh page says "Dydd Mercher 25 Tachwedd 2026, 7:00 yh" and an
English one "Wednesday 25 November 2026, 7:00 p.m.".
"""

from django.utils.translation import gettext_noop

# Django's own Welsh catalogue writes "y.b."/"y.h."; Welsh health bodies and most
# Welsh writing today use "yb"/"yh". Our catalogue (locale/cy) overrides these two.
gettext_noop("a.m.")
gettext_noop("p.m.")
