"""The demo story: a PR agency with two years of realistic history, seeded by `manage.py seed_demo`."""
