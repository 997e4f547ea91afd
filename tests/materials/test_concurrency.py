"""Two staff members publish two drafts of the same material at the same moment, in two real transactions: both
succeed one after the other (the material's row lock queues the second), and the material ends with exactly one
current version, the other superseded. Row locks need PostgreSQL (see tests/localities/test_concurrency.py); the
partial unique constraint that backs them up is tested on any database in test_services.py."""

import threading

import pytest
from django.db import connection

from materials import services
from materials.models import MaterialVersion
from tests.kaikukeskus.factories import StaffFactory
from tests.materials.factories import MaterialFactory, PublishedVersionFactory, VersionFactory, add_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def test_concurrent_publishing_leaves_exactly_one_current_version():
    material = MaterialFactory(kind="guideline")
    PublishedVersionFactory(material=material, label="2022")
    drafts = [VersionFactory(material=material, label=label) for label in ("2024-a", "2024-b")]
    for draft in drafts:
        add_file(draft)
    publishers = [StaffFactory(), StaffFactory()]
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def publish(actor, version):
        try:
            start.wait()
            services.material_version_publish(actor=actor, version=version)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=pair) for pair in zip(publishers, drafts, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    statuses = sorted(MaterialVersion.objects.filter(material=material).values_list("status", flat=True))
    assert statuses == ["published", "superseded", "superseded"]


def test_telling_the_followers_locks_the_version_only_not_the_material():
    """The deadlock CI met: the first publisher's follower e-mails (after its commit) locked the version *and*,
    through the joined material, the material's row, while the second publisher held the material's row and
    waited to supersede that version. Telling the followers must lock the version's row only."""
    from django.test.utils import CaptureQueriesContext

    material = MaterialFactory(kind="guideline")
    version = PublishedVersionFactory(material=material, label="2024")
    with CaptureQueriesContext(connection) as queries:
        services.followers_notify(version=version)
    locking = [query["sql"] for query in queries if "FOR UPDATE" in query["sql"]]
    assert locking and all('FOR UPDATE OF "materials_materialversion"' in sql for sql in locking), locking
