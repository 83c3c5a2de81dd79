"""Online collection: fetch an account's numbers through its connector and store them.

`collect_account(account_id)` is what the Celery task and `manage.py collect`
run; `due_accounts(now)` and `claim_due_accounts(now)` are the dispatcher's.
"""

from influence.collection.accounts import (
    CannotCheckNow,
    CheckedHandle,
    add_account,
    canonical_handle,
    check_handle,
    delete_account,
    enter_counts,
    needs_first_collection,
    pause,
    resume,
    save_account,
)
from influence.collection.dispatch import claim_due_accounts, claim_lapsed_accounts, due_accounts
from influence.collection.metrics import backoff_seconds, history_rows, validate_metrics
from influence.collection.runner import (
    Outcome,
    Throttled,
    collect_account,
    collect_accounts,
    has_history,
)
from influence.collection.store import claim_account

__all__ = [
    "CannotCheckNow",
    "CheckedHandle",
    "Outcome",
    "Throttled",
    "add_account",
    "backoff_seconds",
    "canonical_handle",
    "check_handle",
    "claim_account",
    "claim_due_accounts",
    "claim_lapsed_accounts",
    "collect_account",
    "collect_accounts",
    "delete_account",
    "due_accounts",
    "enter_counts",
    "has_history",
    "history_rows",
    "needs_first_collection",
    "pause",
    "resume",
    "save_account",
    "validate_metrics",
]
