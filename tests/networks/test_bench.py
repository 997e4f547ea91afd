import pytest

from bench.bench_partner_import import run, spreadsheet

pytestmark = pytest.mark.django_db


def test_benchmark_runs_in_the_test_database_and_leaves_nothing_behind():
    from networks.models import Partner

    result = run(300, create_database=False)
    assert result["created"] == 300 and result["errors"] == 0 and result["unchanged_on_reimport"] == 300
    assert result["contacts"] == 300 and result["history_rows"] == 300 and result["ok"]
    assert not Partner.objects.exists()


def test_benchmark_file_is_windows_encoded_semicolon_csv():
    content = spreadsheet(3, ["Kajaani"])
    assert content.decode("cp1252").splitlines()[0].startswith("Rooli;Nimi;Kunta")
