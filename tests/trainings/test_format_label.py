"""A training's online/on-site field is labelled as such ("Toteutustapa", "Form"), not with the materials' word for
a file format, which shares the English "Format" (the two have contexts of their own now)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.trainings.factories import TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "label", "wrong"), [("fi", "Toteutustapa", "Tiedostomuoto"), ("sv", "Form", "Filformat")]
)
def test_the_training_page_says_format_in_the_trainings_sense(client, language, label, wrong):
    training = TrainingFactory()
    with translation.override(language):
        html = client.get(reverse("trainings:detail", kwargs={"pk": training.pk})).content.decode()
    assert f"<dt>{label}</dt>" in html
    assert wrong not in html
