import pytest
from argon2 import PasswordHasher

from ideas.accounts import services


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Production argon2 parameters cost ~100 ms per hash; tests use cheap ones (still
    different from the factories' so the rehash-on-login path is exercised)."""
    hasher = PasswordHasher(time_cost=1, memory_cost=4096, parallelism=1)
    monkeypatch.setattr(services, "_hasher", hasher)
    monkeypatch.setattr(services, "_DUMMY_HASH", hasher.hash("timing only"))
