"""Client reports: a revocable link that shows one subject's report without an account.

links.py makes, finds and ends the links; report.py gathers what the report shows
(only that subject's figures, never anything else of its workspace).
"""
