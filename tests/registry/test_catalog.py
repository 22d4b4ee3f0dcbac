"""The public catalogue: regions, filières, schemes with criteria, standards."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.registry.forms import slug


def test_the_twelve_regions_are_public(client: TestClient) -> None:
    regions = client.get("/api/v1/regions").json()
    assert [region["code"] for region in regions] == [f"MA-{n:02d}" for n in range(1, 13)]
    assert {"code": "MA-08", "name": "Drâa-Tafilalet", "label_lot": 4} in regions


def test_filieres_carry_their_metiers_and_their_provisional_status(client: TestClient) -> None:
    filieres = {row["code"]: row for row in client.get("/api/v1/filieres").json()}
    assert "Tapis noué main" in filieres["F01"]["metiers"]
    assert "Potier" in filieres["F04"]["metiers"]
    assert all(row["is_assumption"] for row in filieres.values())  # the décret is not public


def test_the_carpet_stamp_requires_90000_knots_for_the_superior_grade(
    client: TestClient,
) -> None:
    scheme = client.get("/api/v1/schemes/TAPIS-SUPERIEURE").json()
    knots = next(c for c in scheme["criteria"] if c["code"] == "knot_density")
    assert knots == {
        "code": "knot_density",
        "name": "Densité de nouage (tapis urbains)",
        "kind": "measured",
        "unit": "knots/m2",
        "comparison": "ge",
        "threshold": 90000.0,
        "standard_code": "Dahir 1974 (estampillage tapis)",
        "is_assumption": False,
    }
    assert scheme["is_assumption"] is False


def test_madmoun_shows_its_lead_limit_as_a_placeholder(client: TestClient) -> None:
    scheme = client.get("/api/v1/schemes/MADMOUN").json()
    lead = next(c for c in scheme["criteria"] if c["code"] == "lead_release")
    assert (lead["comparison"], lead["threshold"], lead["unit"]) == ("le", 0.8, "mg/dm2")
    assert scheme["is_assumption"] is True
    assert "not public" in scheme["assumption_note"]


def test_schemes_filter_by_family(client: TestClient) -> None:
    schemes = client.get("/api/v1/schemes", params={"family": "ESTAMPILLE_TAPIS"}).json()
    assert [s["code"] for s in schemes] == ["TAPIS-COURANTE", "TAPIS-MOYENNE", "TAPIS-SUPERIEURE"]
    assert all(s["criteria"] for s in client.get("/api/v1/schemes").json())


def test_an_unknown_scheme_is_not_found(client: TestClient) -> None:
    response = client.get("/api/v1/schemes/NOPE")
    assert response.status_code == 404
    assert slug(response) == "scheme-not-found"


def test_standards_filter_by_jurisdiction(client: TestClient) -> None:
    eu = client.get("/api/v1/standards", params={"jurisdiction": "EU"}).json()
    assert eu and all(standard["jurisdiction"] == "EU" for standard in eu)
    assert any(standard["code"].startswith("EU 84/500/EEC") for standard in eu)
    everything = client.get("/api/v1/standards").json()
    assert any(standard["is_assumption"] for standard in everything)
