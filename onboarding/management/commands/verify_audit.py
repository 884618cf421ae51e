from django.core.management.base import BaseCommand, CommandError

from onboarding.audit.trail import audit_verify


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain: exits 0 with the number of entries checked, "
        "or 1 naming the first entry that was changed or follows a removed one."
    )

    def handle(self, *args, **options):
        checked, broken, head = audit_verify()
        if broken is not None:
            raise CommandError(
                f"Audit trail broken at entry {broken.entry_id} ({broken.at.isoformat()}): {broken.reason}. "
                f"{checked} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(f"Audit trail intact: {checked} entries checked. Last hash: {head or '-'}")
