"""Offline activities: the one validation the form and the CSV import share (`rules`), and CSV files (`csv`)."""
