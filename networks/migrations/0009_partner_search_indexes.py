"""The site search's venues (networks/search.py) from indexes on PostgreSQL: a GIN index per reading language
(fi, sv, en) of the document `kaikukeskus.search.matching()` searches, the name and the offer as the reader sees
it. Without them every search computed the document of every partner (0.8 s over 15,000 partners). The name's
word similarity uses 0003's trigram index on `UPPER(name)`. Nothing happens on SQLite (the embedded default
searches by substring)."""

from django.db import migrations

from kaikukeskus.search import search_index, shown_text

LANGUAGES = ("fi", "sv", "en")


def _indexes():
    return [
        search_index(f"partner_search_{language}", texts=["name", shown_text("offer", language)], language=language)
        for language in LANGUAGES
    ]


def _on_postgresql(method: str):
    """A RunPython function calling `schema_editor.<method>(Partner, index)` for each index, on PostgreSQL only."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        partner = apps.get_model("networks", "Partner")
        for index in _indexes():
            getattr(schema_editor, method)(partner, index)

    return run


class Migration(migrations.Migration):
    dependencies = [("networks", "0008_self_assessment"), ("communications", "0003_trigram_extension")]

    operations = [migrations.RunPython(_on_postgresql("add_index"), _on_postgresql("remove_index"), elidable=False)]
