"""Swedish as written in Finland: 1.3.2026 and 1 mars 2026, times as 14.30. Django's `sv` is Sweden's
(2026-03-01 in short form) and accepts month-first input such as 03/01/2026."""

DATE_FORMAT = "j F Y"  # 1 mars 2026
DATETIME_FORMAT = r"j F Y \k\l. H.i"  # 1 mars 2026 kl. 14.30
SHORT_DATE_FORMAT = "j.n.Y"  # 1.3.2026
SHORT_DATETIME_FORMAT = "j.n.Y H.i"  # 1.3.2026 14.30
TIME_FORMAT = "H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 1.3.2026
    "%d.%m.%y",  # 1.3.26
    "%Y-%m-%d",  # 2026-03-01
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H.%M.%S",
    "%d.%m.%Y %H.%M",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
TIME_INPUT_FORMATS = ["%H.%M.%S", "%H.%M", "%H:%M:%S", "%H:%M"]
