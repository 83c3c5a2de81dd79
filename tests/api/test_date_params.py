"""Dates in the API's query strings are days from 1900 to a year ahead, or a 400 naming the parameter."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("route", ["api_subject_activities", "api_subject_scores"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "yesterday"])
def test_a_date_outside_the_products_days_is_a_400_naming_it(owner_api, subject, route, value):
    response = owner_api.get(reverse(route, args=[subject.pk]), {"from": value})
    assert response.status_code == 400
    assert "from" in response.json()["error"]["details"]


@pytest.mark.parametrize("route", ["api_subject_activities", "api_subject_scores"])
def test_a_date_within_them_is_taken(owner_api, subject, route):
    response = owner_api.get(reverse(route, args=[subject.pk]), {"from": "2020-01-01", "to": "2026-01-01"})
    assert response.status_code == 200
