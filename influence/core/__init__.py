"""The domain's foundation: the models (every table lives in this app), the choices, who may see
and change what (`permissions`), emails' rendering, the periodic tasks beat runs, the admin and
the management commands."""
