"""Register an API client (an HR system) and print its credentials; the secret is shown this once.

    python manage.py api_client_create --name NAME --scopes newcomers:read,newcomers:write [--format json]
        [--organisation-unit UNIT] [--webhook-url URL]

With ``--format json``: {"client_id", "client_secret", "token_url", "scopes"} (and the webhook's signing
secret when a webhook URL was given). The application keeps only the hash of the client secret.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.clients import SCOPES, api_client_create, token_url


class Command(BaseCommand):
    help = "Register an API client for the client-credentials grant and print its credentials (secret once)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the client's name, as the audit trail shows it")
        parser.add_argument("--scopes", required=True, help=f"comma-separated, of: {', '.join(SCOPES)}")
        parser.add_argument("--organisation-unit", default="", help="the organisation unit it serves")
        parser.add_argument("--webhook-url", default="", help="where events are delivered (https)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, name, scopes, organisation_unit, webhook_url, format, **options):
        wanted = [scope.strip() for scope in scopes.split(",") if scope.strip()]
        try:
            client, secret = api_client_create(
                name=name.strip(), scopes=wanted, organisation_unit=organisation_unit, webhook_url=webhook_url
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        answer = {
            "client_id": client.application.client_id,
            "client_secret": secret,
            "token_url": token_url(),
            "scopes": client.scope_list,
        }
        if client.webhook_url:
            answer["webhook_secret"] = client.webhook_secret
        if format == "json":
            self.stdout.write(json.dumps(answer))
        else:
            for key, value in answer.items():
                self.stdout.write(f"{key}: {' '.join(value) if isinstance(value, list) else value}")
            self.stdout.write("The client secret is shown only now; it is stored hashed.")
