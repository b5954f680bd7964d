"""Fill the database with a believable French demo dataset (once: safe to run every time)."""

from django.core.management.base import BaseCommand, CommandError

from demo.builder import seed_demo
from demo.options import DEMO_PASSWORD, MARKER_EMAIL, DemoOptions, accounts_table


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
            "--no-accounts",
            action="store_true",
            help="Do not print the demo accounts (make run prints them once the server runs).",
        )
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
        if verbosity < 1:
            return
        if not result.created:
            self.stdout.write(f"Demo data already present ({MARKER_EMAIL} exists).")
        else:
            counts = result.counts
            self.stdout.write(
                f"Demo data created in {result.seconds:.1f} s: "
                f"{counts.get('accounts.User', 0)} accounts, "
                f"{counts.get('associations.Association', 0)} associations, "
                f"{counts.get('missions.Mission', 0)} missions, "
                f"{counts.get('missions.Application', 0)} applications."
            )
            if verbosity >= 2:
                width = max(len(label) for label in counts)
                for label, count in sorted(counts.items()):
                    self.stdout.write(f"  {label:<{width}}  {count:>8}")
        if not options["no_accounts"]:
            self.stdout.write("\n".join(accounts_table(result.accounts)))
