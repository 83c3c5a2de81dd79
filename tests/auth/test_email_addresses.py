"""The email addresses page (allauth's, in the product's look): adding an address mails its
confirmation link; an address counts for invitations and the weekly email once confirmed."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_adding_an_address_mails_its_link_and_confirming_makes_it_primary_able(client):
    jane = UserFactory(email="jane@example.com")
    client.force_login(jane)

    page = client.get(reverse("account_email")).content.decode()
    assert "jane@example.com" in page and "confirmed" in page

    added = client.post(reverse("account_email"), {"action_add": "", "email": "Jane.Work@Example.com"})
    assert added.status_code == 302
    address = EmailAddress.objects.get(user=jane, email="jane.work@example.com")
    assert address.verified is False and address.primary is False
    (message,) = mail.outbox
    assert message.to == ["jane.work@example.com"]
    assert "not confirmed" in client.get(reverse("account_email")).content.decode()

    path = re.search(r"http://testserver(/auth/confirm-email/\S+/)", message.body).group(1)
    client.post(path)
    address.refresh_from_db()
    assert address.verified is True

    client.post(reverse("account_email"), {"action_primary": "", "email": "jane.work@example.com"})
    jane.refresh_from_db()
    assert jane.email == "jane.work@example.com"
    assert EmailAddress.objects.get(user=jane, primary=True).email == "jane.work@example.com"
