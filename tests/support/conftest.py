"""Fixtures the support tests share."""

import pytest

from tests.support.admin_helpers import an_agent


@pytest.fixture
def agent_user():
    """A support agent named as the admin shows them ("Sam Support")."""
    return an_agent(display_name="Sam Support")


@pytest.fixture
def agent(client, agent_user):
    """The test client, logged in as :func:`agent_user`."""
    client.force_login(agent_user)
    return client
