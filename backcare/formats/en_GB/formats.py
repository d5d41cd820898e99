DATE_FORMAT = "l j F Y"  # Wednesday 25 November 2026
TIME_FORMAT = "g:i a"  # 7:00 p.m.
DATETIME_FORMAT = "l j F Y, g:i a"  # Wednesday 25 November 2026, 7:00 p.m.
YEAR_MONTH_FORMAT = "F Y"  # November 2026
