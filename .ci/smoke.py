"""Production smoke test, without containers: the processes of docker-compose.yml as it
declares them (the migrate, web, worker and beat commands read from the file, Caddy
with the Caddyfile), on this machine's PostgreSQL and Redis, checked over HTTPS.

    .venv/bin/python .ci/smoke.py

It creates and drops a database of its own (SMOKE_DATABASE_URL, default: the server of
DATABASE_URL, database probono_smoke), empties a Redis database of its own before and
after (SMOKE_REDIS_URL, default: the server of REDIS_URL, database 13), and uses ports
clear of the development servers: Caddy on SMOKE_HTTPS_PORT / SMOKE_HTTP_PORT (18443 /
18080), gunicorn on 127.0.0.1:18001, Caddy's admin endpoint on 127.0.0.1:12019. Every
process it starts is stopped on exit, and its database dropped.
"""

import email
import html
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import redis
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HTTPS_PORT = int(os.environ.get("SMOKE_HTTPS_PORT", "18443"))
HTTP_PORT = int(os.environ.get("SMOKE_HTTP_PORT", "18080"))
APP_PORT = int(os.environ.get("SMOKE_APP_PORT", "18001"))
ADMIN_PORT = int(os.environ.get("SMOKE_CADDY_ADMIN_PORT", "12019"))
SITE = f"https://localhost:{HTTPS_PORT}"
SITE_NAME = "Probono Smoke"
# The job the smoke test runs every 2 seconds (instead of daily at 4:15) to see beat
# send it and the worker run it.
PERIODIC_JOB = "purge-personal-data-access-log"


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + name))


DATABASE_URL = os.environ.get("SMOKE_DATABASE_URL") or with_database(
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    "probono_smoke",
)
REDIS_URL = os.environ.get("SMOKE_REDIS_URL") or with_database(
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), "13"
)


class Smoke:
    def __init__(self) -> None:
        self.started = time.monotonic()
        self.tmp = Path(tempfile.mkdtemp(prefix="probono-smoke-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.passed: list[str] = []
        self.failed: list[str] = []
        self.database_created = False
        self.cookies = CookieJar()
        for folder in ("static", "media", "mail", "caddy-data", "caddy-config"):
            (self.tmp / folder).mkdir()
        self.env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "localhost",
            "SITE_URL": SITE,
            "SITE_NAME": SITE_NAME,
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "EMAIL_URL": f"filemail://{self.tmp / 'mail'}",
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "TRUSTED_PROXY_COUNT": "1",
            "GUNICORN_BIND": f"127.0.0.1:{APP_PORT}",
            "GUNICORN_WORKERS": "2",
            "BEAT_INTERVAL_OVERRIDES": json.dumps({PERIODIC_JOB: 2}),
            # Caddy: the same Caddyfile, other ports and paths.
            "SITE_ADDRESS": f"localhost:{HTTPS_PORT}",
            "HTTP_PORT": str(HTTP_PORT),
            "APP_UPSTREAM": f"127.0.0.1:{APP_PORT}",
            "CADDY_ADMIN": f"127.0.0.1:{ADMIN_PORT}",
            "XDG_DATA_HOME": str(self.tmp / "caddy-data"),
            "XDG_CONFIG_HOME": str(self.tmp / "caddy-config"),
        }
        for name in ("DJANGO_SETTINGS_MODULE", "DEBUG", "CI"):
            self.env.pop(name, None)
        self.compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]

    # -- processes ---------------------------------------------------------------

    def command(self, service: str) -> list[str]:
        """The service's command, as docker-compose.yml declares it."""
        command = self.compose[service]["command"]
        return shlex.split(command) if isinstance(command, str) else list(command)

    def start(self, name: str, command: list[str]) -> None:
        log = self.tmp / f"{name}.log"
        self.logs[name] = log
        with log.open("w") as out:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped whole
            )

    def run(self, name: str, command: list[str], timeout: float = 120) -> str:
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise SmokeError(
                f"{name} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return result.stdout

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    # -- services of the machine ------------------------------------------------

    def create_database(self) -> None:
        name = urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/")
        with psycopg.connect(with_database(DATABASE_URL, "postgres"), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
        self.database_created = True

    def drop_database(self) -> None:
        if not self.database_created:
            return
        name = urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/")
        with psycopg.connect(with_database(DATABASE_URL, "postgres"), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def flush_redis(self) -> None:
        redis.Redis.from_url(REDIS_URL).flushdb()

    def sql(self, query: str) -> list[tuple]:
        with psycopg.connect(DATABASE_URL) as db:
            return db.execute(query).fetchall()

    # -- HTTP ---------------------------------------------------------------------

    def tls(self) -> ssl.SSLContext:
        root = self.tmp / "caddy-data/caddy/pki/authorities/local/root.crt"
        return ssl.create_default_context(cafile=str(root))

    def opener(self, *, follow: bool = True) -> urllib.request.OpenerDirector:
        handlers: list = [
            urllib.request.HTTPSHandler(context=self.tls()),
            urllib.request.HTTPCookieProcessor(self.cookies),
        ]
        if not follow:
            handlers.append(NoRedirect())
        return urllib.request.build_opener(*handlers)

    def fetch(self, url: str, *, data: dict | None = None, follow: bool = True):
        """(status, headers, body) of a GET, or of a form POST when ``data`` is given."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        if data is not None:
            request.add_header("Origin", SITE)
            request.add_header("Referer", url)
        try:
            with self.opener(follow=follow).open(request, timeout=20) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def wait_until_served(self, timeout: float = 90) -> None:
        root = self.tmp / "caddy-data/caddy/pki/authorities/local/root.crt"
        deadline = time.monotonic() + timeout
        last = "nothing yet"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise SmokeError(f"{name} exited ({process.returncode})")
            if root.exists():
                try:
                    status, _, _ = self.fetch(f"{SITE}/healthz")
                    if status == 200:
                        return
                    last = f"/healthz answered {status}"
                except (OSError, ssl.SSLError) as error:
                    last = str(error)
            time.sleep(0.5)
        raise SmokeError(f"not served within {timeout:.0f} s: {last}")

    # -- the checks ---------------------------------------------------------------

    def check(self, what: str, ok: bool, detail: str = "") -> None:
        if ok:
            self.passed.append(what)
            print(f"  ok    {what}")
        else:
            self.failed.append(what)
            print(f"  FAIL  {what}{': ' + detail if detail else ''}")

    def plant(self) -> str:
        """An association with an uploaded logo (stored as an upload is), and a line of
        the staff access log past its retention, for the periodic job to delete."""
        code = """
import io
from datetime import timedelta
from PIL import Image
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from accounts.models import User
from associations.models import Association
from core.models import PersonalDataAccess
from taxonomy.models import Departement
out = io.BytesIO()
Image.new("RGBA", (64, 64), (30, 120, 200, 200)).save(out, "PNG")
association = Association(
    name="Les Amis du Rhône", slug="les-amis-du-rhone", rna="W751000001", city="Lyon",
    postcode="69003", departement=Departement.objects.get(code="69"),
    latitude=45.76, longitude=4.85, verification_state=Association.State.VERIFIED,
)
association.logo = SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")
association.save()
PersonalDataAccess.objects.create(
    actor_email="equipe@example.org", action=PersonalDataAccess.Action.VIEW,
    content_type=ContentType.objects.get_for_model(User), object_id="1",
    created_at=timezone.now() - timedelta(days=3 * 365),
)
print(association.get_absolute_url())
"""
        output = self.run("plant", ["python", "manage.py", "shell", "-v", "0", "-c", code])
        return output.strip().splitlines()[-1]

    def check_pages(self, association_url: str) -> None:
        status, headers, body = self.fetch(f"{SITE}/")
        page = body.decode()
        self.check("home page over HTTPS answers 200", status == 200, str(status))
        self.check(
            "HSTS on the home page",
            "max-age=" in (headers.get("Strict-Transport-Security") or ""),
        )
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
        self.check("home page links a hashed stylesheet", bool(stylesheet))
        if stylesheet:
            status, headers, _ = self.fetch(SITE + stylesheet.group(1))
            self.check(
                "static file served by Caddy with a year of cache",
                status == 200 and "immutable" in (headers.get("Cache-Control") or ""),
                f"{status} {headers.get('Cache-Control')}",
            )

        status, _, body = self.fetch(SITE + association_url)
        logo = re.search(r'src="(/media/associations/logos/[^"]+)"', body.decode())
        self.check("association page shows its uploaded logo", status == 200 and bool(logo))
        if logo:
            status, headers, image = self.fetch(SITE + html.unescape(logo.group(1)))
            self.check(
                "uploaded logo answers 200 as an image",
                status == 200
                and headers.get_content_type() in {"image/png", "image/jpeg"}
                and image[:4] in {b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb"},
                f"{status} {headers.get_content_type()}",
            )
        status, _, _ = self.fetch(f"{SITE}/media/volunteers/photos/any.jpg")
        self.check("volunteers' photos are not served as files", status == 404, str(status))

        status, headers, _ = self.fetch(f"http://localhost:{HTTP_PORT}/missions/", follow=False)
        self.check(
            "plain HTTP redirects to HTTPS",
            status in {301, 302, 307, 308} and headers.get("Location") == f"{SITE}/missions/",
            f"{status} {headers.get('Location')}",
        )

        status, _, body = self.fetch(f"{SITE}/healthz")
        health = json.loads(body) if status == 200 else {}
        self.check(
            "/healthz is green (database, cache and broker)",
            health.get("status") == "ok"
            and (health.get("database"), health.get("cache"), health.get("broker"))
            == ("ok", "ok", "ok"),
            body.decode()[:300],
        )

    def check_sign_up(self) -> None:
        status, _, body = self.fetch(f"{SITE}/comptes/signup/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())
        if status != 200 or not token:
            self.check("sign-up page answers with its form", False, str(status))
            return
        password = secrets.token_urlsafe(16)
        status, _, _ = self.fetch(
            f"{SITE}/comptes/signup/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "role": "volunteer",
                "first_name": "Léa",
                "last_name": "Martin",
                "email": "lea.martin@example.org",
                "password1": password,
                "password2": password,
                "accept_terms": "on",
            },
            follow=False,
        )
        self.check("sign-up over HTTPS (CSRF behind the proxy)", status == 302, str(status))
        message = self.last_email()
        if message is None:
            self.check("sign-up e-mail written", False)
            return
        text = "".join(
            part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
            for part in message.walk()
            if part.get_content_type() == "text/plain"
        )
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        links = re.findall(r"https?://[^\s\"'<>]+", text)
        self.check(
            "sign-up e-mail has the site name",
            subject.startswith(f"[{SITE_NAME}]")
            and SITE_NAME in text
            and "example.com" not in text,
            subject,
        )
        self.check(
            "sign-up e-mail links are absolute https links to SITE_URL",
            bool(links)
            and all(link.rstrip("/") == SITE or link.startswith(f"{SITE}/") for link in links),
            " ".join(links),
        )
        confirm = next((link for link in links if "/confirm-email/" in link), None)
        if confirm:
            status, _, _ = self.fetch(confirm)
            self.check("the e-mail's confirmation link opens", status == 200, str(status))

    def last_email(self, timeout: float = 10) -> email.message.Message | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            files = sorted((self.tmp / "mail").glob("*.log"))
            if files:
                raw = files[-1].read_bytes().split(b"\n" + b"-" * 79 + b"\n")[0]
                return email.message_from_bytes(raw)
            time.sleep(0.2)
        return None

    def check_periodic_job(self, timeout: float = 45) -> None:
        query = "select count(*) from core_personaldataaccess"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.sql(query) != [(0,)]:
            time.sleep(0.5)
        self.check(
            f"periodic job {PERIODIC_JOB!r} sent by beat and run by the worker",
            self.sql(query) == [(0,)],
            f"still {self.sql(query)[0][0]} old line(s) after {timeout:.0f} s",
        )

    def check_deploy(self) -> None:
        try:
            self.run(
                "check --deploy",
                ["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            )
        except SmokeError as error:
            self.check("manage.py check --deploy is clean", False, str(error))
        else:
            self.check("manage.py check --deploy is clean", True)

    # -- the whole run ------------------------------------------------------------

    def main(self) -> int:
        for port in (HTTPS_PORT, HTTP_PORT, APP_PORT, ADMIN_PORT):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    raise SmokeError(f"port {port} is taken: set the SMOKE_*_PORT variables")
        print(f"Production smoke test: {SITE}, {redact(DATABASE_URL)}, {REDIS_URL}")
        self.create_database()
        self.flush_redis()
        self.run("migrate", self.command("migrate"), timeout=300)
        print(f"  migrated and collected static files after {self.elapsed():.1f} s")
        association_url = self.plant()
        self.start("web", self.command("web"))
        self.start("worker", self.command("worker"))
        self.start("beat", self.command("beat"))
        self.start("caddy", ["caddy", "run", "--config", "Caddyfile", "--adapter", "caddyfile"])
        self.wait_until_served()
        print(f"  served after {self.elapsed():.1f} s")
        self.check_pages(association_url)
        self.check_sign_up()
        self.check_periodic_job()
        self.check_deploy()
        return 1 if self.failed else 0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def cleanup(self) -> None:
        self.stop_all()
        if self.failed or os.environ.get("SMOKE_KEEP_LOGS"):
            for name, log in self.logs.items():
                print(f"--- {name} (last lines of {log.name}) ---")
                print("\n".join(log.read_text(errors="replace").splitlines()[-25:]))
        try:
            self.drop_database()
            self.flush_redis()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class SmokeError(Exception):
    pass


def redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(parts.password, "***"))
    return urllib.parse.urlunsplit(parts)


def main() -> int:
    smoke = Smoke()

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        status = smoke.main()
    except (Exception, KeyboardInterrupt) as error:
        smoke.failed.append(str(error) or type(error).__name__)
        print(f"  FAIL  {type(error).__name__}: {error}")
        status = 1
    finally:
        smoke.cleanup()
    seconds = time.monotonic() - smoke.started
    print(f"Smoke test took {seconds:.1f} s.")
    print(f"smoke: {len(smoke.passed)} passed, {len(smoke.failed)} failed")
    return status


if __name__ == "__main__":
    sys.exit(main())
