"""make run's server: its start-up lines end with the demo accounts, then the address."""

from io import StringIO

from django.core.management.base import OutputWrapper

from demo.management.commands.rundemo import Command
from demo.options import DEMO_ACCOUNTS, DEMO_PASSWORD


def test_the_accounts_come_last_and_the_address_last_of_all():
    out = StringIO()
    command = Command(stdout=out)
    command.stdout = OutputWrapper(out)
    command.addr, command._raw_ipv6, command.protocol = "127.0.0.1", False, "http"
    command.on_bind(8123)
    lines = out.getvalue().rstrip().splitlines()
    assert lines[-1].startswith("probono (development server) at http://127.0.0.1:8123/ ")
    assert "http://127.0.0.1:8123/admin/" in lines[-1]
    table = lines[-3 - len(DEMO_ACCOUNTS) : -2]
    assert table[0] == f"Demo accounts (password {DEMO_PASSWORD}):"
    assert [line.split()[0] for line in table[1:]] == [a.email for a in DEMO_ACCOUNTS]
    assert "Django version" not in out.getvalue()
