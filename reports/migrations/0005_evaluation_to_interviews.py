# Answers' evaluations now belong to interviews (interviews 0007 takes the model over); the
# table and rows stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0007_apps_of_their_own"),
        ("reports", "0004_report_evidence"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Evaluation")],
            database_operations=[],
        ),
    ]
