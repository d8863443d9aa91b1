from django.db import migrations, models


class Migration(migrations.Migration):
    """Add QuestionSet.status; the sets that exist already stay published (students use them)."""

    dependencies = [
        ("questionbank", "0003_red_flags"),
    ]

    operations = [
        # Existing rows take this default; new sets then default to draft.
        migrations.AddField(
            model_name="questionset",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="published",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="questionset",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                default="draft",
                max_length=10,
            ),
        ),
    ]
