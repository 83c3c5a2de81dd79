"""The subject page's "Client report" panel: editors see and manage the links; viewers see none."""

from influence.sharing import links


def test_editors_see_the_links_with_their_addresses_and_a_form(editor_client, subject, owner):
    link = links.create_link(subject, owner, days=7)
    revoked = links.create_link(subject, owner, days=30)
    links.revoke_link(revoked)
    page = editor_client.get(f"/subjects/{subject.pk}/").content.decode()
    assert 'id="sharing"' in page
    assert links.link_url(link) in page
    assert links.link_url(revoked) not in page
    assert "revoked" in page
    assert f'action="/subjects/{subject.pk}/share/"' in page
    assert f'action="/shares/{link.pk}/revoke/"' in page


def test_viewers_see_no_sharing_panel(viewer_client, subject, owner):
    link = links.create_link(subject, owner, days=7)
    page = viewer_client.get(f"/subjects/{subject.pk}/").content.decode()
    assert 'id="sharing"' not in page
    assert links.link_token(link) not in page
