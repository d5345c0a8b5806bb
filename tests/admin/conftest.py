"""Admin tests sign people in through the session's identity providers."""

from tests.idp.fixtures import mock_idp_fixture  # noqa: F401
from tests.idp.fixtures import node_idp_fixture  # noqa: F401
from tests.idp.fixtures import oidc_app_fixture  # noqa: F401
from tests.idp.fixtures import proconnect_app_fixture  # noqa: F401
from tests.idp.fixtures import rp_fixture  # noqa: F401
