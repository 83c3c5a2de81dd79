from .accounts import Account, Credential, Observation
from .activities import Activity
from .digests import Digest
from .scores import ScoreRecompute, ScoreSnapshot
from .users import User
from .workspaces import Invitation, Membership, Subject, Workspace

__all__ = [
    "Account",
    "Activity",
    "Credential",
    "Digest",
    "Invitation",
    "Membership",
    "Observation",
    "ScoreRecompute",
    "ScoreSnapshot",
    "Subject",
    "User",
    "Workspace",
]
