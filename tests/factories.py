import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from influence.core import models
from influence.core.choices import ActivityKind, Network, Role
from influence.scoring import latest

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    time_zone = "UTC"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """The user's email as their primary address, confirmed unless `verified=False`."""
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=extracted is not False)


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Workspace

    name = factory.Sequence(lambda n: f"Workspace {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.OWNER


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Subject

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Subject {n}")


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Account

    subject = factory.SubFactory(SubjectFactory)
    network = Network.GITHUB
    handle = factory.Sequence(lambda n: f"handle{n}")


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Observation

    account = factory.SubFactory(AccountFactory)
    metric = "followers"
    day = factory.LazyFunction(lambda: timezone.now().date())
    value = 100


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Activity

    subject = factory.SubFactory(SubjectFactory)
    kind = ActivityKind.TALK
    title = factory.Sequence(lambda n: f"Talk {n}")
    date = factory.LazyFunction(lambda: timezone.now().date() - dt.timedelta(days=10))
    audience = 100


class ScoreSnapshotFactory(factory.django.DjangoModelFactory):
    """A stored score; its subject's latest score and changes follow, as after store_snapshots."""

    class Meta:
        model = models.ScoreSnapshot

    subject = factory.SubFactory(SubjectFactory)
    day = factory.LazyFunction(lambda: timezone.now().date())
    total = 50.0
    online = 30.0
    offline = 20.0
    online_points = 1.0
    offline_points = 1.0
    model_version = "test"

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            latest.refresh([instance.subject_id])
