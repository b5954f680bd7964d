"""The ``identity_provider`` fixture: the test OpenID Connect provider, in its own
process on a spare loopback port, for the whole test session."""

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass
class IdentityProvider:
    url: str

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def register_client(self, *redirect_uris: str) -> tuple[str, str]:
        response = requests.post(
            f"{self.url}/test/clients", json={"redirect_uris": list(redirect_uris)}, timeout=10
        )
        response.raise_for_status()
        data = response.json()
        return data["client_id"], data["client_secret"]

    @property
    def saml_metadata_url(self) -> str:
        return f"{self.url}/saml/metadata"

    @property
    def saml_sso_url(self) -> str:
        return f"{self.url}/saml/sso"

    def saml_certificate(self) -> str:
        response = requests.get(f"{self.url}/test/saml/certificate", timeout=10)
        response.raise_for_status()
        return response.text

    def register_service_provider(self, metadata: str | bytes) -> None:
        """Tell the SAML side about a service provider, by its metadata."""
        response = requests.post(
            f"{self.url}/test/saml/service-providers", data=metadata, timeout=10
        )
        response.raise_for_status()

    def add_person(self, *, username: str, email: str, password: str, **names: str) -> None:
        response = requests.post(
            f"{self.url}/test/people",
            json={"username": username, "email": email, "password": password, **names},
            timeout=10,
        )
        response.raise_for_status()


def require_xmlsec1() -> None:
    """The SAML side signs with the xmlsec1 program (Debian's package xmlsec1)."""
    if shutil.which("xmlsec1") is None:
        message = "xmlsec1 is missing: apt-get install -y xmlsec1."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory):
    try:
        import oauth2_provider  # noqa: F401
        import saml2  # noqa: F401
    except ImportError:
        message = "django-oauth-toolkit or pysaml2 is missing: pip install -e '.[dev]'."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    database = tmp_path_factory.mktemp("idp") / "idp.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sso_idp.serve", str(port), str(database)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/o/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _out, err = process.communicate()
                pytest.fail(f"The test identity provider did not start:\n{err.decode()[-2000:]}")
            time.sleep(0.2)
        yield IdentityProvider(url=url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
