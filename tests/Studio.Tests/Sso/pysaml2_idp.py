#!/usr/bin/python3
"""A real SAML IdP for the tests: pysaml2 (signing with xmlsec1) answers one AuthnRequest of our SP.

Reads a JSON job on stdin: entity_id, sso_url, key_file, cert_file, sp_metadata_file, query (the raw query string of
our HTTP-Redirect AuthnRequest), name_id, attributes, sha1 (use pysaml2's rsa-sha1 default instead of SHA-256).
Writes JSON: response (base64, as posted to the ACS), acs, in_response_to, redirect_signature_valid.
"""
import base64
import json
import sys
from urllib.parse import parse_qs

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_UNSPECIFIED, NameID
from saml2.server import Server
from saml2.sigver import RSACrypto, verify_redirect_signature
from saml2 import xmldsig

job = json.load(sys.stdin)
config = IdPConfig().load({
    "entityid": job["entity_id"],
    "service": {"idp": {
        "endpoints": {"single_sign_on_service": [(job["sso_url"], BINDING_HTTP_REDIRECT)]},
        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_UNSPECIFIED],
        "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None,
                               "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"}},
    }},
    "key_file": job["key_file"],
    "cert_file": job["cert_file"],
    "metadata": {"local": [job["sp_metadata_file"]]},
    "xmlsec_binary": "/usr/bin/xmlsec1",
    "allow_unknown_attributes": True,
})
server = Server(config=config)

query = {k: v[0] for k, v in parse_qs(job["query"], keep_blank_values=True).items()}
request = server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT).message

# Our SP signs the redirect query: check it with the certificate our SP metadata publishes.
def wrapped(cert):
    body = "".join(cert.split())
    return "\n".join(body[i:i + 64] for i in range(0, len(body), 64))


sp_certs = [c if isinstance(c, str) else c[1] for c in server.metadata.certs(request.issuer.text, "spsso", "signing")]
signature_valid = "Signature" in query and any(
    verify_redirect_signature(query, RSACrypto(None), cert=wrapped(cert)) for cert in sp_certs)

destination = request.assertion_consumer_service_url
sign_alg = None if job.get("sha1") else xmldsig.SIG_RSA_SHA256
digest_alg = None if job.get("sha1") else xmldsig.DIGEST_SHA256
response = server.create_authn_response(
    identity=job.get("attributes", {}),
    in_response_to=request.id,
    destination=destination,
    sp_entity_id=request.issuer.text,
    name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=job["name_id"]),
    authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", "authn_auth": job["entity_id"]},
    sign_assertion=True,
    sign_response=False,
    sign_alg=sign_alg,
    digest_alg=digest_alg,
)
json.dump({
    "response": base64.b64encode(str(response).encode("utf-8")).decode("ascii"),
    "acs": destination,
    "in_response_to": request.id,
    "redirect_signature_valid": bool(signature_valid),
}, sys.stdout)
