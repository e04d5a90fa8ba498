"""Every direct dependency is pinned in pyproject.toml and locked at the same version.

`make` installs from the lock files, so a pin that drifts from its lock would mean the declared
and the installed versions differ without anyone noticing.
"""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PYPROJECT = tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
#: "name[extra]==1.2.3" with an optional environment marker after ";".
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*(?P<version>[^\s;]+)\s*(?:;.*)?$")


def normalized(name: str) -> str:
    """PEP 503 normalization: "channels_redis" and "Channels-Redis" are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(name: str) -> dict[str, str]:
    """{package: version} of a lock file, following its `-r other.lock` includes."""
    pins = {}
    for line in (BASE_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            pins.update(read_lock(line.removeprefix("-r ").strip()))
            continue
        match = PIN.match(line)
        assert match, f"{name}: {line!r} is not pinned with =="
        pins[normalized(match["name"])] = match["version"]
    return pins


def declared(requirements: list[str]) -> list[tuple[str, str | None]]:
    """(package, pinned version or None when not pinned with ==) for each requirement."""
    result = []
    for requirement in requirements:
        match = PIN.match(requirement.strip())
        result.append((normalized(match["name"]), match["version"]) if match else (requirement, None))
    return result


GROUPS = [
    ("runtime", PYPROJECT["project"]["dependencies"], "requirements.lock"),
    ("test", PYPROJECT["project"]["optional-dependencies"]["test"], "requirements-test.lock"),
]


@pytest.mark.parametrize("group, requirements, lock", GROUPS, ids=[group for group, *_ in GROUPS])
def test_every_dependency_is_pinned_with_double_equals(group, requirements, lock):
    unpinned = [name for name, version in declared(requirements) if version is None]

    assert unpinned == []


@pytest.mark.parametrize("group, requirements, lock", GROUPS, ids=[group for group, *_ in GROUPS])
def test_every_dependency_is_locked_at_its_pinned_version(group, requirements, lock):
    locked = read_lock(lock)

    mismatches = {
        name: (version, locked.get(name)) for name, version in declared(requirements) if locked.get(name) != version
    }

    assert mismatches == {}, f"pyproject pin vs lock: {mismatches}"


def test_the_runtime_lock_does_not_pin_test_only_packages():
    runtime = read_lock("requirements.lock")
    test_only = {name for name, _version in declared(PYPROJECT["project"]["optional-dependencies"]["test"])}

    assert test_only & runtime.keys() == set()


def test_the_test_lock_agrees_with_the_runtime_lock():
    runtime = read_lock("requirements.lock")
    lines = (BASE_DIR / "requirements-test.lock").read_text(encoding="utf-8").splitlines()
    own = {normalized(PIN.match(line)["name"]): PIN.match(line)["version"] for line in lines if PIN.match(line)}

    assert {name: version for name, version in own.items() if runtime.get(name, version) != version} == {}
