"""Date formats per language (FORMAT_MODULE_PATH): one format per kind of place, see README, Translations.

Django's names carry two of the kinds, so tables (django-tables2's date columns), the admin and a bare
``|date`` follow them; the third kind has a name of its own, used as ``|date:"WEEKDAY_DATETIME_FORMAT"``
or through ``core.dates``. Every language in LANGUAGES has a module with all of them: a name a language
lacks would be printed as a format string.
"""
