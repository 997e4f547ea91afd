import factory
from django.utils import timezone

from support import services
from support.models import CannedReply, Category, Message, Question
from tests.kaikukeskus.factories import UserFactory
from tests.localities.factories import LocalityFactory


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    locality = factory.SubFactory(LocalityFactory)
    asked_by = factory.SubFactory(UserFactory)
    category = Category.PILOT
    subject = factory.Sequence(lambda n: f"Kysymys {n}")
    asked_at = factory.LazyFunction(timezone.now)
    last_message_at = factory.LazyAttribute(lambda question: question.asked_at)
    due_on = factory.LazyAttribute(lambda question: services.first_reply_due(timezone.localdate(question.asked_at)))


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    question = factory.SubFactory(QuestionFactory)
    author = factory.SelfAttribute("question.asked_by")
    body = factory.Faker("paragraph", locale="fi_FI")


class CannedReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CannedReply

    title = factory.Sequence(lambda n: f"Vakiovastaus {n}")
    body_fi = "Kiitos kysymyksestä. Ohjeistus löytyy materiaalipankista."
    body_sv = "Tack för frågan. Anvisningen finns i materialbanken."
    body_en = "Thank you for the question. The guideline is in the material bank."
