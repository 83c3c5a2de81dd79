"""The "your data" export lists the user's access tokens and share links, never their secrets."""

import io
import json
import zipfile

from django.urls import reverse

from influence.apitokens.tokens import create_token
from influence.sharing import links


def test_export_lists_tokens_and_share_links_without_their_secrets(owner_client, owner, workspace, subject):
    token = create_token(owner, "CRM sync", workspace=workspace, can_write=True)
    link = links.create_link(subject, owner, days=7, password="open sesame")

    response = owner_client.get(reverse("my_data_export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    tokens = json.loads(archive.read("access_tokens.json"))
    assert [(t["name"], t["workspace_id"], t["can_write"]) for t in tokens] == [("CRM sync", workspace.pk, True)]
    assert tokens[0]["created_at"] and "expires_at" in tokens[0] and "last_used_at" in tokens[0]
    shares = json.loads(archive.read("share_links.json"))
    assert [(s["subject__name"], s["expires_at"][:10]) for s in shares] == [
        ("Jane Doe", link.expires_at.date().isoformat())
    ]
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    for secret in (token.secret, token.token.secret_hash, link.password_hash, links.link_token(link), "open sesame"):
        assert secret not in everything
