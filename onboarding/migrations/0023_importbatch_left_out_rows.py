"""An import of only the valid rows keeps the rows it left out (for their download) and how many there were."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0022_fill_newcomer_search_keys")]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="left_out_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="left_out_rows",
            field=models.TextField(blank=True, default=""),
        ),
    ]
