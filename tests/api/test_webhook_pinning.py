"""A webhook delivery connects to the address that was checked: a host name that
resolves to a public address at the check and to an internal one a moment later (DNS
rebinding) never makes the server call the internal host. DNS cannot run here, so the
resolver is a stub; the receivers are real HTTP(S) servers on this machine."""

import datetime
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from api import webhooks
from api.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

HOST = "hooks.partenaire.example"
PUBLIC = "93.184.216.34"  # what the host resolves to when it is checked


class Receiver:
    def __init__(self, tls: ssl.SSLContext | None = None):
        self.hits: list[tuple[str, str]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.hits.append((self.path, self.headers["Host"]))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    opened = []

    def open_receiver(tls=None):
        receiver = Receiver(tls)
        opened.append(receiver)
        return receiver

    yield open_receiver
    for receiver in opened:
        receiver.close()


def stub_resolver(monkeypatch, answers: list[str]) -> list[str]:
    """``HOST`` resolves to each of ``answers`` in turn (the last one from then on);
    other names resolve for real. Returns the names looked up."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != HOST:
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def route_public_address_to(monkeypatch, port: int) -> list[tuple[str, int]]:
    """The network: a connection to ``PUBLIC`` reaches the local receiver on ``port``
    (standing for the partner's public server). Returns every address connected to."""
    real = socket.create_connection
    connections: list[tuple[str, int]] = []

    def create_connection(address, *args, **kwargs):
        connections.append(address)
        if address[0] == PUBLIC:
            address = ("127.0.0.1", port)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return connections


def delivery_to(url: str, association, owner) -> WebhookDelivery:
    endpoint = WebhookEndpoint.objects.create(
        association=association,
        url=url,
        events=["mission.published"],
        secret=WebhookEndpoint.new_secret(),
        created_by=owner,
    )
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event="mission.published", payload={"event": "mission.published"}
    )


def test_a_host_rebound_to_an_internal_address_is_not_called(
    settings, monkeypatch, receivers, association, owner
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    internal = receivers()  # 127.0.0.1:<port>, what the second answer points at
    partner = receivers()
    lookups = stub_resolver(monkeypatch, [PUBLIC, "127.0.0.1"])
    connections = route_public_address_to(monkeypatch, partner.port)
    delivery = delivery_to(f"http://{HOST}:{internal.port}/hook?source=probono", association, owner)

    assert webhooks.attempt(delivery) is True

    assert internal.hits == []
    assert partner.hits == [("/hook?source=probono", f"{HOST}:{internal.port}")]
    assert lookups == [HOST]  # resolved once, at the check
    assert connections == [(PUBLIC, internal.port)]


def test_a_host_that_resolves_to_an_internal_address_at_the_check_is_refused(
    settings, monkeypatch, receivers, association, owner
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    internal = receivers()
    stub_resolver(monkeypatch, ["127.0.0.1", PUBLIC])
    delivery = delivery_to(f"http://{HOST}:{internal.port}/hook", association, owner)

    assert webhooks.attempt(delivery) is False
    delivery.refresh_from_db()
    assert "réseau privé" in delivery.error
    assert internal.hits == []


def make_certificate(tmp_path, name: str) -> tuple[str, str]:
    """A self-signed certificate for ``name``, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


@pytest.fixture
def tls_receiver(tmp_path, receivers, monkeypatch):
    """An HTTPS receiver whose certificate names ``certificate_name``, trusted as an
    authority by the delivery's TLS context (as a public CA would be)."""

    def start(certificate_name: str) -> Receiver:
        cert_file, key_file = make_certificate(tmp_path, certificate_name)
        server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_side.load_cert_chain(cert_file, key_file)

        monkeypatch.setattr(
            webhooks, "_tls_context", lambda: ssl.create_default_context(cafile=cert_file)
        )
        return receivers(server_side)

    return start


def test_https_to_the_pinned_address_checks_the_certificate_for_the_host_name(
    settings, monkeypatch, tls_receiver, association, owner
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver listens on 127.0.0.1
    receiver = tls_receiver(HOST)
    stub_resolver(monkeypatch, ["127.0.0.1"])
    delivery = delivery_to(f"https://{HOST}:{receiver.port}/hook", association, owner)

    assert webhooks.attempt(delivery) is True
    assert receiver.hits == [("/hook", f"{HOST}:{receiver.port}")]


def test_https_refuses_a_certificate_for_another_name(
    settings, monkeypatch, tls_receiver, association, owner
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = tls_receiver("autre.example")
    stub_resolver(monkeypatch, ["127.0.0.1"])
    delivery = delivery_to(f"https://{HOST}:{receiver.port}/hook", association, owner)

    assert webhooks.attempt(delivery) is False
    delivery.refresh_from_db()
    assert "certificate" in delivery.error.lower()
    assert delivery.response_status is None
    assert receiver.hits == []
