"""The versioned JSON API (/api/v1/): Django REST framework over the same domain functions as the pages.

Requests carry a personal access token (`Authorization: Bearer infl_...`); a token
acts with its user's role, narrowed to its workspace and to reading when it says
so. Every error has one shape: {"error": {"code", "message", "details"}}.
"""
