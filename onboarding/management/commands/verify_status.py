from django.core.management.base import BaseCommand, CommandError

from core.clock import local_today
from onboarding.newcomers.status_check import status_checks


class Command(BaseCommand):
    help = (
        "Check that the fast ways of reading newcomers' status (the status filters' index facts, the "
        "dashboard's grouped counts) give exactly the status derived from the facts, for every newcomer: "
        "exits 0 when all agree, 1 naming each check that does not (with the first newcomer ids)."
    )

    def handle(self, *args, **options):
        checks = status_checks(today=local_today())
        for check in checks:
            verdict = "ok" if check.ok else "DIFFERS"
            line = f"{verdict}  {check.name}: {check.derived} by the facts, {check.fast} by the shortcut"
            if check.examples:
                line += " (newcomer ids " + ", ".join(str(pk) for pk in check.examples) + ")"
            self.stdout.write(line)
        failed = [check.name for check in checks if not check.ok]
        if failed:
            raise CommandError(f"Status shortcuts differ from the derived status: {'; '.join(failed)}.", returncode=1)
        self.stdout.write(f"Status verified: {len(checks)} checks agree.")
