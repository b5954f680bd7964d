"""Run the test identity provider: ``python -m tests.sso_idp.serve PORT DATABASE``.

Creates its tables in a fresh SQLite file, then serves on 127.0.0.1:PORT with Django's
threaded development server until it is terminated."""

import os
import sys


def main() -> None:
    port, database = sys.argv[1], sys.argv[2]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso_idp.settings"
    os.environ["IDP_DATABASE"] = database
    os.environ["IDP_BASE_URL"] = f"http://127.0.0.1:{port}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main()
