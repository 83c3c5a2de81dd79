from .accounts import Account, Credential, Observation
from .activities import Activity
from .digests import Digest
from .pending import PendingWork
from .scores import ScoreRecompute, ScoreSnapshot, SnapshotChunk, SnapshotRun
from .shares import ShareLink
from .tokens import AccessToken
from .users import User
from .workspaces import Invitation, Membership, Subject, Workspace

__all__ = [
    "AccessToken",
    "Account",
    "Activity",
    "Credential",
    "Digest",
    "Invitation",
    "Membership",
    "Observation",
    "PendingWork",
    "ScoreRecompute",
    "ScoreSnapshot",
    "ShareLink",
    "SnapshotChunk",
    "SnapshotRun",
    "Subject",
    "User",
    "Workspace",
]
