"""A workspace's API credentials, stored encrypted (Fernet keyed by FIELD_ENCRYPTION_KEY).

The clear value never leaves this module except to a connector; pages show the
hint of its last characters only.
"""

from __future__ import annotations

import logging

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from influence.core.choices import CredentialName
from influence.core.models import Credential, Workspace

logger = logging.getLogger(__name__)

MASK = "••••"
# Shorter secrets show no hint: four characters of an eight-character secret is half of it.
HINT_MIN_LENGTH = 12


def _fernet() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEY.encode())


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(ciphertext: str) -> str:
    """The clear value; InvalidToken when the key changed since it was stored."""
    return _fernet().decrypt(ciphertext.encode()).decode()


def hint_of(plain: str) -> str:
    return plain[-4:] if len(plain) >= HINT_MIN_LENGTH else ""


def masked(credential: Credential) -> str:
    """What a page shows of a stored credential: "••••abcd"."""
    return MASK + credential.hint


def set_credential(workspace: Workspace, name: str, value: str) -> Credential:
    """Store (or replace) one credential of a workspace, encrypted."""
    value = value.strip()
    if name not in CredentialName.values:
        raise ValueError(f"Unknown credential “{name}”.")
    if not value:
        raise ValueError("An empty credential cannot be stored; remove it instead.")
    credential, _ = Credential.objects.update_or_create(
        workspace=workspace, name=name, defaults={"ciphertext": encrypt(value), "hint": hint_of(value)}
    )
    return credential


def remove_credential(workspace: Workspace, name: str) -> bool:
    deleted, _ = Credential.objects.filter(workspace=workspace, name=name).delete()
    return bool(deleted)


def credentials_for(workspace: Workspace | int) -> dict[str, str]:
    """{credential name: clear value} of a workspace; connectors fall back to the environment's."""
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    values: dict[str, str] = {}
    for name, ciphertext in Credential.objects.filter(workspace_id=workspace_id).values_list("name", "ciphertext"):
        try:
            values[name] = decrypt(ciphertext)
        except InvalidToken:
            # FIELD_ENCRYPTION_KEY changed: the stored value is lost; the environment's applies
            # and the owner is asked (by the failing account) to enter it again.
            logger.error("credential workspace=%s name=%s cannot be decrypted with the current key", workspace_id, name)
    return values
