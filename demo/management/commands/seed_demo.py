"""Fill the database with a believable French demo dataset (once: safe to run every time)."""

from django.core.management.base import BaseCommand, CommandError

from demo.builder import seed_demo
from demo.options import DEMO_PASSWORD, MARKER_EMAIL, DemoOptions


class Command(BaseCommand):
    help = (
        "Create demo associations, volunteers, companies, missions and engagements, with "
        f"log-in accounts sharing the password « {DEMO_PASSWORD} ». Does nothing when the "
        f"demo data is already there ({MARKER_EMAIL} exists)."
    )

    def add_arguments(self, parser):
        defaults = DemoOptions()
        parser.add_argument("--associations", type=int, default=defaults.associations)
        parser.add_argument("--volunteers", type=int, default=defaults.volunteers)
        parser.add_argument("--missions", type=int, default=defaults.missions)
        parser.add_argument("--companies", type=int, default=defaults.companies)
        parser.add_argument(
            "--seed",
            type=int,
            default=defaults.seed,
            help="Random seed: the same seed gives the same data (on the same day).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        demo_options = DemoOptions(
            associations=options["associations"],
            volunteers=options["volunteers"],
            missions=options["missions"],
            companies=options["companies"],
            seed=options["seed"],
        )
        log = self.stdout.write if verbosity >= 2 else None
        try:
            result = seed_demo(demo_options, log=log)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not result.created:
            self.stdout.write(f"Demo data already present ({MARKER_EMAIL} exists): nothing to do.")
            return
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Demo data created in {result.seconds:.1f} s."))
            width = max(len(label) for label in result.counts)
            for label, count in sorted(result.counts.items()):
                self.stdout.write(f"  {label:<{width}}  {count:>8}")
            self._accounts_table(result.accounts)

    def _accounts_table(self, accounts) -> None:
        rows = [("E-mail", "Rôle", "Mot de passe")] + [
            (account.email, account.role, DEMO_PASSWORD) for account in accounts
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
        self.stdout.write("\nComptes de démonstration :")
        self.stdout.write(line)
        for n, row in enumerate(rows):
            self.stdout.write(
                "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
            )
            if n == 0:
                self.stdout.write(line)
        self.stdout.write(line)
