DATE_FORMAT = "l j F Y"  # Dydd Mercher 25 Tachwedd 2026
TIME_FORMAT = "g:i a"  # 7:00 yh
DATETIME_FORMAT = "l j F Y, g:i a"  # Dydd Mercher 25 Tachwedd 2026, 7:00 yh
YEAR_MONTH_FORMAT = "F Y"  # Tachwedd 2026
