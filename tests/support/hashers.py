from django.contrib.auth.hashers import Argon2PasswordHasher


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    """Still argon2, with costs that keep the many log-ins of a test suite quick."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
