import pytest

from api.models import ApiToken
from tests.api.helpers import api_client, make_token


@pytest.fixture
def reader(admin_user):
    """A client holding a read-only token."""
    return api_client(make_token(admin_user))


@pytest.fixture
def writer(admin_user):
    """A client holding a read-and-write token."""
    return api_client(make_token(admin_user, scope=ApiToken.Scope.READ_WRITE, name="EHR import"))
