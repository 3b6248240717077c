"""docker-compose.yml against the Compose Specification's JSON schema, offline.

The schema is the copy that check-jsonschema vendors (``vendor.compose-spec``); nothing is
downloaded. No Docker engine runs on these machines, so beyond the schema the test checks what
the deployment promises: Milvus standalone with etcd and MinIO, named volumes, health checks,
start order, and PolicyQA pointed at the Milvus service.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_file_matches_the_compose_spec_schema(compose) -> None:  # type: ignore[no-untyped-def]
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(vendored.read_text(encoding="utf-8"))
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    errors = sorted(validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
                    .iter_errors(compose), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    # the schema is strict about unknown keys: a typo would not pass it
    broken = {**compose, "services": {**compose["services"], "etcd": {
        **compose["services"]["etcd"], "helthcheck": {}}}}
    assert any(validator_cls(schema).iter_errors(broken))


def test_milvus_standalone_as_documented_with_volumes_and_health_checks(compose) -> None:  # type: ignore[no-untyped-def]
    services = compose["services"]
    assert {"etcd", "minio", "standalone", "policyqa", "policyqa-index"} <= set(services)
    standalone = services["standalone"]
    assert standalone["command"] == ["milvus", "run", "standalone"]
    assert standalone["environment"]["ETCD_ENDPOINTS"] == "etcd:2379"
    assert standalone["environment"]["MINIO_ADDRESS"] == "minio:9000"
    assert standalone["image"].startswith("milvusdb/milvus:v2.5.")  # pymilvus 2.5 (pyproject)
    for name, service in services.items():
        if name != "policyqa-index":  # a one-shot job
            assert service["healthcheck"]["test"], name
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert source in compose["volumes"], f"{name}: {volume} is not a named volume"
    assert standalone["depends_on"] == {"etcd": {"condition": "service_healthy"},
                                        "minio": {"condition": "service_healthy"}}
    server = services["policyqa"]
    assert server["depends_on"]["standalone"] == {"condition": "service_healthy"}
    assert server["depends_on"]["policyqa-index"] == {"condition": "service_completed_successfully"}
    assert "/readyz" in " ".join(server["healthcheck"]["test"])
    for service in (server, services["policyqa-index"]):
        env = service["environment"]
        assert env["POLICYQA_BACKEND"] == "milvus"
        assert env["POLICYQA_MILVUS_URI"] == "http://standalone:19530"
    assert services["policyqa-index"]["command"] == ["policyqa", "build", "--in-place"]
    assert (ROOT / server["build"] / "Dockerfile").is_file()
