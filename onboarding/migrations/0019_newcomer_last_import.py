"""Remember which import last created or changed a newcomer (the newcomer list's "this import" filter)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0018_seal_queued_mail")]

    operations = [
        migrations.AddField(
            model_name="newcomer",
            name="last_import",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="newcomers",
                to="onboarding.importbatch",
                verbose_name="last import",
            ),
        ),
    ]
