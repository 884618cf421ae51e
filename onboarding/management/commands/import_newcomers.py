"""Import newcomers from a CSV or XLSX export of the HR system.

    python manage.py import_newcomers FILE [--dry-run] [--by EMAIL]

Prints what was (or would be) done. When any row has a problem, lists the bad
rows (row, column, message) on stderr, writes nothing and exits with status 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onboarding.imports.reading import ImportResult, RowAction, import_result
from onboarding.imports.services import ImportCounts, ImportRefused, newcomers_import_file
from onboarding.models import User


class Command(BaseCommand):
    help = "Import newcomers from a CSV or XLSX file; nothing is written when any row has a problem."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV or XLSX file exported from the HR system")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")
        parser.add_argument("--by", metavar="EMAIL", help="e-mail address of the user to record as the importer")

    def handle(self, *args, file: Path, dry_run: bool, by: str | None, **options):
        actor = self._actor(by)
        content = self._content(file)
        if dry_run:
            result = import_result(content, filename=file.name)
            self._refuse_if_bad(result)
            counts = ImportCounts(
                created=result.count(RowAction.CREATE),
                updated=result.count(RowAction.UPDATE),
                unchanged=result.count(RowAction.UNCHANGED),
                managers_invited=len(result.new_manager_emails),
            )
            self.stdout.write(_("Dry run, nothing was written.") + " " + self._summary(counts))
            return
        try:
            counts = newcomers_import_file(content=content, filename=file.name, by=actor)
        except ImportRefused as exc:
            self._refuse_if_bad(exc.result)
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(_("Imported.") + " " + self._summary(counts)))

    def _actor(self, email: str | None) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(_("There is no user with the e-mail address %(email)s.") % {"email": email})
        return user

    def _content(self, file: Path) -> bytes:
        try:
            return file.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}) from None

    def _refuse_if_bad(self, result: ImportResult | None) -> None:
        if result is None or not result.has_errors:
            return
        for message in result.file_errors:
            self.stderr.write(message)
        for row in result.error_rows:
            for column, message in row.errors:
                self.stderr.write(
                    _("row %(row)s, %(column)s: %(message)s")
                    % {"row": row.number, "column": result.column_title(column) or "-", "message": message}
                )
        if result.file_errors:
            raise CommandError(_("The file cannot be imported; nothing was written."))
        raise CommandError(_("%(rows)s row(s) with problems; nothing was written.") % {"rows": len(result.error_rows)})

    def _summary(self, counts: ImportCounts) -> str:
        return (
            _(
                "Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, "
                "manager accounts created: %(managers_invited)s."
            )
            % counts.as_dict()
        )
