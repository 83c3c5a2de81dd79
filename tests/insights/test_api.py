"""The API's insights: in the schema, the same shape and values as insights.json, the same permissions."""

import pytest
from django.urls import reverse

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_the_api_gives_a_subjects_insights_as_the_page_reads_them(owner, owner_client, subject, story):
    api = token_client(owner)
    response = api.get(f"/api/v1/subjects/{subject.pk}/insights/")
    assert response.status_code == 200
    from_api = response.json()
    from_page = owner_client.get(reverse("subject_insights", args=[subject.pk])).json()
    assert from_api == from_page
    assert from_api["effects"][0]["activity"] == story["keynote"].pk
    assert from_api["anomalies"][0]["day"] == story["spike"].isoformat()


def test_an_outsiders_token_gets_404_and_no_token_401(outsider, subject, story):
    assert token_client(outsider).get(f"/api/v1/subjects/{subject.pk}/insights/").status_code == 404
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/v1/subjects/{subject.pk}/insights/").status_code == 401


def test_the_schema_documents_the_insights_operation(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/subjects/{id}/insights/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(component["properties"]) >= {"growth", "projections", "effects", "anomalies"}
