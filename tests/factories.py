"""factory_boy factories for the tests."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from accounts.models import Cohort, Membership, Organization, OrganizationDomain, User
from questionbank.models import Question, Skill, Track
from questionbank.services import clean_points, question_set_points

PASSWORD = "a-Strong-passw0rd!"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"University {n} Career Centre")
    slug = factory.Sequence(lambda n: f"university-{n}")


class OrganizationDomainFactory(factory.django.DjangoModelFactory[OrganizationDomain]):
    class Meta:
        model = OrganizationDomain

    organization = factory.SubFactory(OrganizationFactory)
    domain = factory.Sequence(lambda n: f"uni{n}.example")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.STUDENT


class CohortFactory(factory.django.DjangoModelFactory[Cohort]):
    class Meta:
        model = Cohort

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")


class TrackFactory(factory.django.DjangoModelFactory[Track]):
    class Meta:
        model = Track
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")
    description = "A field of work."


class SkillFactory(factory.django.DjangoModelFactory[Skill]):
    class Meta:
        model = Skill

    track = factory.SubFactory(TrackFactory)
    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")
    description = "What the skill is."
    resources = factory.LazyFunction(
        lambda: [{"title": "Practice: a drill", "practise": "Do the drill twice a week."}]
    )


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    skill = factory.SubFactory(SkillFactory)
    track = factory.SelfAttribute("skill.track")
    type = Question.Type.TECHNICAL
    difficulty = 5
    text = factory.Sequence(lambda n: f"How would you approach scenario number {n}?")
    reference_answer = "I would start by understanding the problem, then weigh the options."
    status = Question.Status.PUBLISHED

    @factory.post_generation
    def points(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            question_set_points(
                question=self,
                points=clean_points(
                    key_points=["Understands the problem", "Weighs options", "Checks the result"],
                    red_flags=["Picks an option without weighing any", "Skips checking the result"],
                    follow_ups=["Why that option?", "Give an example from your work."],
                ),
            )
