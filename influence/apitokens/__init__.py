"""Personal access tokens for the JSON API: created, found by their secret, revoked.

The API's authentication (api/authentication.py) and the settings page both
go through influence.apitokens.tokens; the secret itself is never stored.
"""
