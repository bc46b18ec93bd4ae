from tests.api.conftest import reader  # noqa: F401  the read-only API client
