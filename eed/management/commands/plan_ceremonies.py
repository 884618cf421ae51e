"""Plan the newcomers who still need a ceremony.

    python manage.py plan_ceremonies [--today YYYY-MM-DD] [--apply [--by EMAIL]] [--format json|text]

Without --apply nothing changes. With --apply every proposed assignment goes
through the same service as assigning by hand (witness requests and invites
included); refusals are listed on stderr and the others still go through.
JSON output: {"assigned": [{"newcomer": id, "ceremony": id}], "unplaced":
[{"newcomer": id, "reason": code}], "proposed": [{"starts_at": ISO 8601,
"appointing_body": code, "newcomers": [id, ...]}]}.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.clock import local_today
from core.command_options import today_option
from eed.planner.plan import Plan
from eed.planner.services import REASON_MESSAGES, planner_apply, planner_preview
from onboarding.models import User


def plan_as_json(plan: Plan) -> dict:
    return {
        "assigned": [{"newcomer": n, "ceremony": c} for n, c in plan.assigned],
        "unplaced": [{"newcomer": n, "reason": reason} for n, reason in plan.unplaced],
        "proposed": [
            {"starts_at": p.starts_at.isoformat(), "appointing_body": p.body, "newcomers": list(p.newcomer_ids)}
            for p in plan.proposed
        ],
    }


class Command(BaseCommand):
    help = (
        "Plan newcomers who need a ceremony into the planned ceremonies; --apply to assign them. "
        "--today previews the plan as that day would see it (core.clock); --apply acts now, so it "
        "takes no other day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="the day to plan from (default: today)")
        parser.add_argument("--apply", action="store_true", help="assign as planned (otherwise nothing changes)")
        parser.add_argument("--by", metavar="EMAIL", help="e-mail address of the user to record as the planner")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")

    def handle(self, *args, today=None, apply=False, by=None, output_format="text", **options):
        actor = self._actor(by)
        day = today_option(today)
        if apply and day is not None and day != local_today():
            raise CommandError(_("--apply assigns newcomers now: it cannot be combined with another --today."))
        preview = planner_preview(today=day)
        if output_format == "json":
            self.stdout.write(json.dumps(plan_as_json(preview.plan)))
        else:
            self._write_text(preview)
        if apply:
            outcome = planner_apply(assignments=preview.plan.assigned, by=actor)
            for who, why in outcome.refused:
                self.stderr.write(_("%(name)s was not placed: %(reason)s") % {"name": who, "reason": why})
            summary = _("Applied: %(placed)d placed, %(already)d already there, %(refused)d refused.") % {
                "placed": len(outcome.placed),
                "already": len(outcome.already),
                "refused": len(outcome.refused),
            }
            self.stderr.write(summary)

    def _write_text(self, preview) -> None:
        for row in preview.assigned_rows():
            when = timezone.localtime(row.ceremony.starts_at)
            self.stdout.write(
                f"{row.newcomer.full_name} (#{row.newcomer.pk}) -> {when:%Y-%m-%d %H:%M} (#{row.ceremony.pk})"
            )
        for row in preview.unplaced_rows():
            self.stdout.write(f"{row.newcomer.full_name} (#{row.newcomer.pk}): {REASON_MESSAGES[row.reason]}")
        for proposal in preview.proposal_rows():
            names = ", ".join(n.full_name for n in proposal.newcomers)
            when = timezone.localtime(proposal.starts_at)
            self.stdout.write(
                _("Proposed: %(when)s, %(body)s: %(names)s")
                % {
                    "when": f"{when:%Y-%m-%d %H:%M}",
                    "body": proposal.body_label,
                    "names": names,
                }
            )

    def _actor(self, email: str | None) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(_("There is no user with the e-mail address %(email)s.") % {"email": email})
        return user
