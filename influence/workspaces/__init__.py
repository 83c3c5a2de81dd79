"""Workspaces: members and roles (`members`), invitations, the API credentials a workspace
enters (`credentials`), and a user's own data: export and deletion (`privacy`)."""
