"""The test identity provider's SAML 2.0 side, built on pysaml2's IdP (``saml2.server``):
its metadata, its single sign-on endpoint (HTTP-Redirect in, signed response HTTP-POST
out) for the people of its Django users, and an endpoint where tests register a service
provider by its metadata, as an IdP administrator does.

The signing key and certificate are made at start-up; pysaml2 signs with the xmlsec1
program."""

import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

_folder = Path(tempfile.mkdtemp(prefix="saml-idp-"))
_service_providers: list[str] = []  # their metadata, as registered by the tests


def _make_key_and_certificate() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fournisseur SAML de test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = _folder / "idp.key", _folder / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


KEY_FILE, CERT_FILE = _make_key_and_certificate()


def base_url() -> str:
    return os.environ["IDP_BASE_URL"]


def _config() -> IdPConfig:
    config = IdPConfig()
    config.load(
        {
            "entityid": f"{base_url()}/saml/metadata",
            "service": {
                "idp": {
                    "name": "Fournisseur SAML de test",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{base_url()}/saml/sso", BINDING_HTTP_REDIRECT)
                        ],
                    },
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "want_authn_requests_signed": False,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "key_file": KEY_FILE,
            "cert_file": CERT_FILE,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "metadata": {"inline": list(_service_providers)},
        }
    )
    return config


def _server() -> Server:
    return Server(config=_config())


def metadata(request):
    return HttpResponse(
        create_metadata_string(None, config=_config(), sign=False),
        content_type="text/xml",
    )


def certificate(request):
    return HttpResponse(Path(CERT_FILE).read_text(), content_type="text/plain")


@csrf_exempt
@require_POST
def register_service_provider(request):
    """A test registers the product's SP metadata (as fetched from the product)."""
    _service_providers.append(request.body.decode())
    return JsonResponse({"ok": True})


@login_required
def single_sign_on(request):
    """An AuthnRequest by HTTP-Redirect: once the person signed in here, a signed
    response for them, posted to the service provider's assertion consumer service."""
    encoded = request.GET.get("SAMLRequest")
    if not encoded:
        return HttpResponseBadRequest("SAMLRequest manquante")
    server = _server()
    parsed = server.parse_authn_request(encoded, BINDING_HTTP_REDIRECT)
    authn_request = parsed.message
    sp_entity_id = authn_request.issuer.text
    destination = authn_request.assertion_consumer_service_url
    known = server.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)
    if destination not in {service["location"] for service in known}:
        return HttpResponseBadRequest("Adresse de retour inconnue pour ce fournisseur de services")
    user = request.user
    response = server.create_authn_response(
        identity={"mail": [user.email], "givenName": [user.first_name], "sn": [user.last_name]},
        in_response_to=authn_request.id,
        destination=destination,
        sp_entity_id=sp_entity_id,
        name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=user.email),
        authn={
            "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
            "authn_auth": base_url(),
        },
        sign_response=True,
        sign_assertion=True,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    http = server.apply_binding(
        BINDING_HTTP_POST,
        str(response),
        destination,
        relay_state=request.GET.get("RelayState", ""),
        response=True,
    )
    return HttpResponse(http["data"])
