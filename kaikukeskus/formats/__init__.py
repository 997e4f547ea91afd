"""Our date and number formats where Django's own differ from how the portal's readers write them.

Django looks here first (FORMAT_MODULE_PATH) and falls back to its own module for every name not set here.
Finnish needs nothing of ours: Django's `fi` writes 1.3.2026 and 1. maaliskuuta 2026 already.
"""
