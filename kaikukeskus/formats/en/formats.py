"""English as read in Finland: day first, never month first (Django's `en` writes "March 1, 2026" and
"03/01/2026", which a Finnish reader takes for 3 January). The short form spells the month, so that no
reader has to guess the order of two numbers."""

DATE_FORMAT = "j F Y"  # 1 March 2026
DATETIME_FORMAT = "j F Y, H:i"  # 1 March 2026, 14:30
SHORT_DATE_FORMAT = "j M Y"  # 1 Mar 2026
SHORT_DATETIME_FORMAT = "j M Y H:i"  # 1 Mar 2026 14:30
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"  # 1 March
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday

# The first one is what the admin's date fields show and its calendar writes: ISO, which no one misreads.
# Day-first forms are accepted; month-first ones are not, so 01/03/2026 is 1 March.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-03-01
    "%d.%m.%Y",  # 1.3.2026
    "%d/%m/%Y",  # 01/03/2026
    "%d %B %Y",  # 1 March 2026
    "%d %b %Y",  # 1 Mar 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
