"""A real identity provider for the single sign-on tests, in a Django project of its
own run as a separate process (``serve.py``) on a loopback port: django-oauth-toolkit's
OpenID Connect server, and pysaml2's SAML 2.0 IdP (``saml.py``). Tests register clients,
service providers and people through its ``/test/`` endpoints, then sign in through its
real discovery document, JWKS, authorisation, token and userinfo endpoints, or through
its SAML metadata and single sign-on endpoint."""
