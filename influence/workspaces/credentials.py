"""A workspace's API credentials, stored encrypted with the FIELD_ENCRYPTION_KEYS.

The clear value never leaves this module except to a connector; pages show the
hint of its last characters only. Values are written with the newest key and
read with any of them (MultiFernet), so a key is rotated by putting the new one
first, running `manage.py rotate_credentials`, then dropping the old one. A value
that no key opens is treated as absent: the page asks for it again and
collection falls back to the instance's own credential.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction

from influence.core.choices import CredentialName
from influence.core.models import Credential, Workspace

logger = logging.getLogger(__name__)

MASK = "••••"
# Shorter secrets show no hint: four characters of an eight-character secret is half of it.
HINT_MIN_LENGTH = 12


NEEDS_AGAIN = "needs to be entered again"


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(ciphertext: str) -> str:
    """The clear value; InvalidToken when none of the keys is the one it was stored with."""
    return _fernet().decrypt(ciphertext.encode()).decode()


def hint_of(plain: str) -> str:
    return plain[-4:] if len(plain) >= HINT_MIN_LENGTH else ""


def masked(credential: Credential) -> str:
    """What a page shows of a stored credential: "••••abcd"."""
    return MASK + credential.hint


def readable(credential: Credential) -> bool:
    """Whether one of the keys opens the stored value (else it has to be entered again)."""
    try:
        decrypt(credential.ciphertext)
    except InvalidToken:
        return False
    return True


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
    """{credential name: clear value} of a workspace; connectors fall back to the environment's.

    A value no key opens is left out, so collection uses the instance-wide
    credential when there is one and otherwise records the account as needing a key.
    """
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    values: dict[str, str] = {}
    for name, ciphertext in Credential.objects.filter(workspace_id=workspace_id).values_list("name", "ciphertext"):
        try:
            values[name] = decrypt(ciphertext)
        except InvalidToken:
            logger.error("credential workspace=%s name=%s cannot be decrypted with any key", workspace_id, name)
    return values


@dataclass
class Rotation:
    rotated: int = 0
    # Values no key opens (their key was dropped): they stay as they are, to be entered again.
    unreadable: list[Credential] = field(default_factory=list)


def rotate_credentials() -> Rotation:
    """Re-encrypt every stored credential with the newest key, so that older keys can be dropped."""
    fernet = _fernet()
    outcome = Rotation()
    with transaction.atomic():
        # Locked: a value saved on the page meanwhile must not be overwritten with the old one.
        rows = list(Credential.objects.select_for_update(of=("self",)).select_related("workspace").order_by("pk"))
        changed = []
        for credential in rows:
            try:
                credential.ciphertext = fernet.rotate(credential.ciphertext.encode()).decode()
            except InvalidToken:
                outcome.unreadable.append(credential)
            else:
                changed.append(credential)
        Credential.objects.bulk_update(changed, ["ciphertext"], batch_size=500)
    outcome.rotated = len(changed)
    return outcome
