"""``runserver`` for ``make run``: its start-up lines end with the demo accounts, then the
address to open (Django's own banner and warning are left out)."""

import sys

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from demo.options import DEMO_ACCOUNTS, accounts_table


class Command(RunserverCommand):
    help = "Serve the product for development; the demo accounts and the address come last."
    # Set by runserver's handle() from the address given (the type stubs omit them).
    addr: str
    _raw_ipv6: bool

    def on_bind(self, server_port: int) -> None:
        if self._raw_ipv6:
            host = f"[{self.addr}]"
        elif self.addr == "0":
            host = "0.0.0.0"
        else:
            host = self.addr
        url = f"{self.protocol}://{host}:{server_port}/"
        quit_command = "CTRL-BREAK" if sys.platform == "win32" else "CONTROL-C"
        lines = [
            "",
            *accounts_table(DEMO_ACCOUNTS),
            "",
            f"probono (development server) at {url} (admin: {url}admin/); "
            f"quit with {quit_command}.",
        ]
        self.stdout.write("\n".join(lines))
