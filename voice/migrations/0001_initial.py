# Spoken questions were kept by interviews until this app was made: the model moves here, its
# table and rows stay as they are (state only), and its content type follows it.

from django.db import migrations, models

from config.model_moves import content_type_moves



class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("interviews", "0006_resumes_and_job_descriptions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SpeechClip",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("provider", models.CharField(max_length=20)),
                        ("voice", models.CharField(help_text="The provider's voice and model.", max_length=200)),
                        ("text_hash", models.CharField(help_text="SHA-256 of the text spoken.", max_length=64)),
                        ("content_type", models.CharField(max_length=50)),
                        ("file", models.FileField(upload_to="speech/")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "interviews_speechclip",
                        "constraints": [models.UniqueConstraint(fields=("provider", "voice", "text_hash"), name="speech_clip_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_type_moves("speechclip", old_app="interviews", new_app="voice"),
    ]
