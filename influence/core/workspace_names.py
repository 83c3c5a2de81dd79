"""The name a new account's own workspace gets: "Alex’s workspace" for alex@example.org.

Made from the address's local part (the part before "@", without a "+tag"), its words split
on dots, dashes and underscores and each capitalised: "alex.smith" gives "Alex Smith’s
workspace". The rest of each word stays as typed ("mcKay" stays "McKay"). Pure: the sign-up
and migration 0012 (which renames the old "alex@example.org's workspace") both use it.
"""

import re

MAX_LENGTH = 100  # Workspace.name's
FALLBACK = "My workspace"


def person_name(email: str) -> str:
    """The readable name in an address: "Alex Smith" for alex.smith+work@example.org; "" when none."""
    local = email.split("@", 1)[0].split("+", 1)[0]
    words = [word for word in re.split(r"[._\-\s]+", local) if word]
    return " ".join(word[:1].upper() + word[1:] for word in words)


def default_workspace_name(email: str) -> str:
    name = person_name(email)
    if not name:
        return FALLBACK
    suffix = "’s workspace"
    return name[: MAX_LENGTH - len(suffix)] + suffix


def old_default_name(email: str) -> str:
    """The name sign-up gave before: the whole address ("alex@example.org's workspace")."""
    return f"{email}'s workspace"[:MAX_LENGTH]
