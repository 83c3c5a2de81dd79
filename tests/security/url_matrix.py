"""What every URL answers each persona: the table test_url_matrix.py checks, one row per URL name.

A row says how to build the URL's arguments from the world (tests/security/world.py),
the expected status of a GET per persona, and, for views that change data, of a
POST with `data`. LOGIN means a redirect to the login page with ?next=.
Personas: anonymous, outsider (a member of another workspace only), viewer,
editor and owner of the world's workspace.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "login"


def _no_arguments(world) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    get: dict
    post: dict | None = None
    kwargs: Callable = _no_arguments
    data: Callable = field(default=_no_arguments)


def by_persona(outsider, viewer, editor, owner, anonymous=LOGIN) -> dict:
    return {"anonymous": anonymous, "outsider": outsider, "viewer": viewer, "editor": editor, "owner": owner}


def everyone(status, anonymous=None) -> dict:
    """The same answer for all, e.g. a public page (anonymous too unless told)."""
    return by_persona(status, status, status, status, anonymous=status if anonymous is None else anonymous)


def signed_in(status) -> dict:
    """A page about the signed-in user themselves: any user, no workspace involved."""
    return everyone(status, anonymous=LOGIN)


def members(status=200) -> dict:
    """Members see it; outsiders get 404."""
    return by_persona(404, status, status, status)


def editors(status=302) -> dict:
    """Editors and owners change it; viewers get 403, outsiders 404."""
    return by_persona(404, 403, status, status)


def owners(status=302) -> dict:
    """Owners only; editors and viewers get 403, outsiders 404."""
    return by_persona(404, 403, 403, status)


POST_ONLY = signed_in(405)
# Log-in and sign-up: a visitor's form; a signed-in user is sent home.
VISITORS_ONLY = by_persona(302, 302, 302, 302, anonymous=200)


def workspace(world) -> dict:
    return {"pk": world.workspace.pk}


def subject(world) -> dict:
    return {"pk": world.subject.pk}


def account(world) -> dict:
    return {"pk": world.account.pk}


def manual_account(world) -> dict:
    return {"pk": world.manual_account.pk}


def activity(world) -> dict:
    return {"pk": world.activity.pk}


def viewer_membership(world) -> dict:
    return {"pk": world.workspace.pk, "member_pk": world.memberships["viewer"].pk}


def invitation(world) -> dict:
    return {"pk": world.workspace.pk, "invitation_pk": world.invitation.pk}


def invitation_token(world) -> dict:
    return {"token": world.invitation_token}


def unsubscribe_token(world) -> dict:
    from influence.digests.tokens import unsubscribe_token as token_for

    return {"token": token_for(world.users["viewer"])}


def share_token(world) -> dict:
    from influence.sharing.links import link_token

    return {"token": link_token(world.share_link)}


def password_reset_key(world) -> dict:
    return {"uidb36": "1", "key": "set-password"}


def confirmation_key(world) -> dict:
    return {"key": "not-a-key"}


ACTIVITY = {"kind": "talk", "title": "A talk", "date": "2026-01-15", "audience": "120"}

TABLE: dict[str, Row] = {
    # Workspaces, members and invitations.
    "workspace_list": Row(get=signed_in(200)),
    "workspace_create": Row(get=signed_in(200), post=signed_in(302), data=lambda w: {"name": "New one"}),
    "workspace_switch": Row(
        get=POST_ONLY, post=by_persona(404, 302, 302, 302), data=lambda w: {"workspace": w.workspace.pk}
    ),
    "workspace_settings": Row(get=members(200), kwargs=workspace),
    "workspace_rename": Row(
        get=POST_ONLY, post=owners(302), kwargs=workspace, data=lambda w: {"rename-name": "Renamed"}
    ),
    "workspace_invite": Row(
        get=POST_ONLY,
        post=owners(302),
        kwargs=workspace,
        data=lambda w: {"invite-email": "someone@example.com", "invite-role": "owner"},
    ),
    "invitation_revoke": Row(get=POST_ONLY, post=owners(302), kwargs=invitation),
    "member_role": Row(get=POST_ONLY, post=owners(302), kwargs=viewer_membership, data=lambda w: {"role": "owner"}),
    # GET asks "remove this person?"; its POST removes.
    "member_remove": Row(get=owners(200), post=owners(302), kwargs=viewer_membership),
    "workspace_transfer": Row(
        get=POST_ONLY,
        post=owners(302),
        kwargs=workspace,
        data=lambda w: {"transfer-membership": w.memberships["viewer"].pk},
    ),
    # Any member may leave (the last owner is told to transfer first: 302 with a message).
    "workspace_leave": Row(get=POST_ONLY, post=members(302), kwargs=workspace),
    # Public (the page offers a visitor the sign-up form); only the invited address, once confirmed,
    # accepts (403 for other signed-in users; a visitor's POST goes to log in).
    "invitation": Row(
        get=everyone(200), post=by_persona(403, 403, 403, 403, anonymous=LOGIN), kwargs=invitation_token
    ),
    # The user's own data.
    "my_data": Row(get=signed_in(200)),
    "my_data_export": Row(get=signed_in(200)),
    "my_account_delete": Row(get=signed_in(200), post=signed_in(400), data=lambda w: {"password": "wrong"}),
    # Accounts (allauth's pages): public ones answer everyone; signed-in users are sent home from
    # log-in and sign-up. A GET of log-out only shows its button. Steps that exist only in the
    # middle of a flow (a log-in code, a re-authentication code) send the visitor back (302).
    "account_login": Row(get=VISITORS_ONLY, post=VISITORS_ONLY),
    "account_signup": Row(get=VISITORS_ONLY, post=VISITORS_ONLY),
    "account_logout": Row(get=by_persona(200, 200, 200, 200, anonymous=302), post=everyone(302)),
    "account_inactive": Row(get=everyone(200)),
    "account_email_verification_sent": Row(get=everyone(200)),
    # An unknown key: the page says the link is not valid; confirming it finds nothing (404).
    "account_confirm_email": Row(get=everyone(200), post=everyone(404), kwargs=confirmation_key),
    "resend_confirmation": Row(get=POST_ONLY, post=signed_in(302)),
    "account_email": Row(get=signed_in(200), post=signed_in(302)),
    "account_change_password": Row(get=signed_in(200), post=signed_in(200)),
    # The matrix's users have a password: setting one sends them to changing it.
    "account_set_password": Row(get=signed_in(302), post=signed_in(302)),
    "account_reset_password": Row(get=everyone(200), post=everyone(200)),
    "account_reset_password_done": Row(get=everyone(200)),
    "account_reset_password_from_key": Row(get=everyone(200), post=everyone(200), kwargs=password_reset_key),
    "account_reset_password_from_key_done": Row(get=everyone(200)),
    "account_reauthenticate": Row(get=signed_in(200), post=signed_in(200)),
    "account_request_reauthentication_code": Row(get=signed_in(200), post=signed_in(200)),
    "account_confirm_reauthentication_code": Row(get=signed_in(302), post=signed_in(302)),
    "account_confirm_login_code": Row(get=everyone(302), post=everyone(302)),
    "healthz": Row(get=everyone(200)),
    # Subjects and their charts.
    "home": Row(get=signed_in(200)),
    "compare": Row(get=signed_in(200)),
    "compare_data": Row(get=signed_in(200)),
    "compare_csv": Row(get=signed_in(200)),
    # Creates in the user's current workspace: the outsider's own (400: no name), the others' Acme PR.
    "subject_create": Row(get=POST_ONLY, post=by_persona(400, 403, 400, 400)),
    # Adds the sample story to the user's current workspace: the outsider's own, the others' Acme PR.
    "sample_create": Row(get=POST_ONLY, post=by_persona(302, 403, 302, 302)),
    "first_run_dismiss": Row(get=POST_ONLY, post=signed_in(302)),
    "subject_detail": Row(get=members(200), kwargs=subject),
    "subject_rename": Row(get=POST_ONLY, post=editors(302), kwargs=subject, data=lambda w: {"name": "Renamed"}),
    "subject_delete": Row(get=editors(200), post=editors(302), kwargs=subject),
    "subject_changes": Row(get=members(200), kwargs=subject),
    "subject_items": Row(get=members(200), kwargs=subject),
    "subject_series": Row(get=members(200), kwargs=subject),
    "subject_series_csv": Row(get=members(200), kwargs=subject),
    "subject_metrics": Row(get=members(200), kwargs=subject),
    "subject_metrics_csv": Row(get=members(200), kwargs=subject),
    "subject_insights": Row(get=members(200), kwargs=subject),
    "subject_status": Row(get=members(200), kwargs=subject),
    # Editors are sent back to the subject page (with a message: the world has no unusual day).
    "anomaly_dismiss": Row(
        get=POST_ONLY, post=editors(302), kwargs=subject,
        data=lambda w: {"account": w.account.pk, "metric": "followers", "day": w.observation.day.isoformat()},
    ),
    # Activities.
    "activity_create": Row(get=editors(200), post=editors(302), kwargs=subject, data=lambda w: ACTIVITY),
    "activity_edit": Row(get=editors(200), post=editors(302), kwargs=activity, data=lambda w: ACTIVITY),
    "activity_delete": Row(get=editors(200), post=editors(302), kwargs=activity),
    "activity_import": Row(get=editors(200), post=editors(200), kwargs=subject),
    "activity_export": Row(get=members(200), kwargs=subject),
    "activity_template": Row(get=signed_in(200)),
    # Network accounts.
    "account_create": Row(get=editors(200), post=editors(200), kwargs=subject, data=lambda w: {"network": "manual"}),
    "account_edit": Row(get=editors(200), post=editors(200), kwargs=account, data=lambda w: {"handle": ""}),
    "account_pause": Row(get=POST_ONLY, post=editors(302), kwargs=account),
    "account_resume": Row(get=POST_ONLY, post=editors(302), kwargs=account),
    "account_delete": Row(get=editors(200), post=editors(302), kwargs=account),
    "account_collect": Row(get=POST_ONLY, post=editors(302), kwargs=account),
    # Counts are typed in for manual accounts only (404 for the others).
    "account_counts": Row(get=editors(200), post=editors(200), kwargs=manual_account),
    # Workspace settings owned by other areas.
    # API credentials are secrets: their page is for owners only.
    "workspace_credentials": Row(get=owners(200), post=owners(200), kwargs=workspace),
    # Editors and viewers see the parameters read-only; only owners post them (an empty form: 400).
    "workspace_scoring": Row(get=members(200), post=owners(400), kwargs=workspace),
    "workspace_scoring_reset": Row(get=POST_ONLY, post=owners(302), kwargs=workspace),
    "workspace_scoring_progress": Row(get=members(200), kwargs=workspace),
    # The JSON API: the schema and docs are public; every resource needs an access token, which a
    # browser session is not (401 for everyone here; tests/api checks the personas' tokens).
    "api_schema": Row(get=everyone(200)),
    "api_docs": Row(get=everyone(200)),
    "api_workspaces": Row(get=everyone(401)),
    "api_subjects": Row(get=everyone(401), post=everyone(401)),
    "api_subject": Row(get=everyone(401), kwargs=subject),
    "api_subject_accounts": Row(get=everyone(401), post=everyone(401), kwargs=subject),
    "api_subject_activities": Row(get=everyone(401), post=everyone(401), kwargs=subject),
    "api_activities_bulk": Row(get=everyone(401), post=everyone(401), kwargs=subject),
    "api_subject_scores": Row(get=everyone(401), kwargs=subject),
    "api_subject_score_day": Row(
        get=everyone(401), kwargs=lambda w: {"pk": w.subject.pk, "day": w.snapshot.day.isoformat()}
    ),
    "api_subject_insights": Row(get=everyone(401), kwargs=subject),
    "api_account": Row(get=everyone(401), kwargs=account),
    "api_account_pause": Row(get=everyone(401), post=everyone(401), kwargs=account),
    "api_account_resume": Row(get=everyone(401), post=everyone(401), kwargs=account),
    "api_account_counts": Row(get=everyone(401), post=everyone(401), kwargs=manual_account),
    "api_activity": Row(get=everyone(401), kwargs=activity),
    "api_not_found": Row(get=everyone(404), post=everyone(404), kwargs=lambda w: {"rest": "nothing-here/"}),
    # The user's own settings and their API access tokens (revoking a token of no one: nothing to do, 302).
    "user_settings": Row(get=signed_in(200)),
    "token_create": Row(
        get=POST_ONLY, post=signed_in(200), data=lambda w: {"name": "Script", "workspace": "", "access": "read"}
    ),
    "token_revoke": Row(get=POST_ONLY, post=signed_in(302), kwargs=lambda w: {"pk": 999999}),
    # Client reports: editors share a subject; the report itself is public (410 once revoked or expired).
    "share_create": Row(get=POST_ONLY, post=editors(302), kwargs=subject, data=lambda w: {"days": "30"}),
    "share_revoke": Row(get=POST_ONLY, post=editors(302), kwargs=lambda w: {"pk": w.share_link.pk}),
    "shared_report": Row(get=everyone(200), post=everyone(200), kwargs=share_token),
    "shared_report_series": Row(get=everyone(200), kwargs=share_token),
    # Two factors (allauth's pages; the matrix's users have none set up): setting up and the recovery
    # codes ask first to confirm it is you (302); removing, viewing or downloading codes that do not
    # exist answers 404; the log-in step for a code exists only in the middle of a log-in (302).
    "mfa_index": Row(get=signed_in(200)),
    "mfa_activate_totp": Row(get=signed_in(302), post=signed_in(302), data=lambda w: {"code": "123456"}),
    "mfa_deactivate_totp": Row(get=signed_in(404), post=signed_in(404)),
    "mfa_view_recovery_codes": Row(get=signed_in(404)),
    "mfa_generate_recovery_codes": Row(get=signed_in(302), post=signed_in(302)),
    "mfa_download_recovery_codes": Row(get=signed_in(404)),
    "mfa_authenticate": Row(get=everyone(302), post=everyone(302), data=lambda w: {"code": "123456"}),
    "mfa_reauthenticate": Row(get=signed_in(302), post=signed_in(302), data=lambda w: {"code": "123456"}),
    # Sessions: the list, and "log out everywhere else".
    "usersessions_list": Row(get=signed_in(200), post=signed_in(302)),
    # Log-in with GitHub or Google: public; without their settings (as here) the providers answer 404.
    "github_login": Row(get=everyone(404), post=everyone(404)),
    "github_callback": Row(get=everyone(404)),
    "google_login": Row(get=everyone(404), post=everyone(404)),
    "google_callback": Row(get=everyone(404)),
    "socialaccount_login_cancelled": Row(get=everyone(200)),
    "socialaccount_login_error": Row(get=signed_in(401)),
    # Only in the middle of a log-in with another site; otherwise back to the log-in page.
    "socialaccount_signup": Row(get=everyone(302)),
    "socialaccount_connections": Row(get=signed_in(200), post=signed_in(200)),
    # A workspace's two-factor requirement: its owners switch it.
    "workspace_two_factor": Row(get=POST_ONLY, post=owners(302), kwargs=workspace, data=lambda w: {}),
    # The weekly email.
    "digest_preferences": Row(get=signed_in(200), post=signed_in(200)),
    "digest_preview": Row(get=signed_in(200)),
    "digest_unsubscribe": Row(get=everyone(200), post=everyone(200), kwargs=unsubscribe_token),
}
