"""A throwaway CA, an organisation seal certificate in a PKCS#12 file and an RFC 3161 TSA on 127.0.0.1 (#17).

Nothing here is trusted anywhere but in the test that made it: the root only
exists in the test's memory and its temporary folder.
"""

import datetime
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

PASSWORD = "test-seal-password"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Testprovincie"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool, usage: x509.KeyUsage, eku=None):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        # Far enough ahead for the suite's run with the clock two years on.
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return builder.sign(signing_key, hashes.SHA256())


def _usage(*, sign: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign and not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def as_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


@dataclass
class TestPki:
    root: x509.Certificate
    seal: x509.Certificate
    p12: Path
    tsa: DummyTimeStamper


def make_pki(folder: Path) -> TestPki:
    """A root CA; under it a seal certificate (in a PKCS#12 file with its chain) and a TSA certificate."""
    root_key, seal_key, tsa_key = _key(), _key(), _key()
    root_name = _name("Test Root CA")
    root = _certificate(root_name, root_name, root_key.public_key(), root_key, ca=True, usage=_usage(ca=True))
    seal = _certificate(
        _name("Testprovincie zegel"), root_name, seal_key.public_key(), root_key, ca=False, usage=_usage(sign=True)
    )
    tsa_certificate = _certificate(
        _name("Test TSA"),
        root_name,
        tsa_key.public_key(),
        root_key,
        ca=False,
        usage=_usage(sign=True),
        eku=[ExtendedKeyUsageOID.TIME_STAMPING],
    )
    p12 = folder / "seal.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"seal",
            seal_key,
            seal,
            [root],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    tsa_private = asn1_keys.PrivateKeyInfo.load(
        tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    tsa = DummyTimeStamper(tsa_cert=as_asn1(tsa_certificate), tsa_key=tsa_private, certs_to_embed=[as_asn1(root)])
    return TestPki(root=root, seal=seal, p12=p12, tsa=tsa)


class TimestampServer:
    """An RFC 3161 server over HTTP on 127.0.0.1 (a free port), answering with the test TSA; counts requests."""

    def __init__(self, tsa: DummyTimeStamper):
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests += 1
                response = tsa.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(response)))
                self.end_headers()
                self.wfile.write(response)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
