from .accounts import Account, Credential, Observation
from .activities import Activity
from .digests import Digest
from .insights import AnomalyDismissal
from .pending import PendingWork
from .scores import ParameterChange, ScoreRecompute, ScoreSnapshot, SnapshotChunk, SnapshotRun
from .shares import ShareLink
from .tokens import AccessToken
from .users import User
from .workspaces import Invitation, Membership, Subject, Workspace

__all__ = [
    "AccessToken",
    "Account",
    "AnomalyDismissal",
    "Activity",
    "Credential",
    "Digest",
    "Invitation",
    "Membership",
    "Observation",
    "ParameterChange",
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
