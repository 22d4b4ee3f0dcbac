"""The actor fixtures authenticate as the roles they claim."""

from fastapi.testclient import TestClient

from tests.fixtures.actors import Actor


def test_each_actor_token_authenticates_with_its_role(
    client: TestClient, admin: Actor, inspector: Actor, artisan_user: Actor
) -> None:
    for actor in (admin, inspector, artisan_user):
        response = client.get("/api/v1/auth/me", headers=actor.headers)
        assert response.status_code == 200, response.text
        assert response.json()["role"] == actor.role.value
