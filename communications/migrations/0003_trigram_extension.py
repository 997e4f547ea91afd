"""The site search's trigram similarity of names (kaikukeskus/search.py) needs PostgreSQL's pg_trgm extension.
`TrigramExtension` does nothing on another database (the SQLite default searches by substring)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("communications", "0002_pages")]

    operations = [TrigramExtension()]
