"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit's
OIDC server in a Django project of its own, run as a separate process (``serve.py``)
on a loopback port. Tests register clients and people through its ``/test/`` endpoints,
then sign in through its real discovery document, JWKS, authorisation, token and
userinfo endpoints."""
