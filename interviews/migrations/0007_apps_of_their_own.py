# Resumes and spoken questions move to apps of their own (resumes, voice), and answers'
# evaluations come here from reports (which depends on interviews, never the reverse). Tables,
# indexes and rows stay as they are: every operation is on Django's state only.

import django.db.models.deletion
from django.db import migrations, models

from config.model_moves import content_type_moves



class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("interviews", "0006_resumes_and_job_descriptions"),
        ("reports", "0004_report_evidence"),
        ("resumes", "0001_initial"),
        ("voice", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="interview",
                    name="resume",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="interviews", to="resumes.resume"),
                ),
                migrations.DeleteModel(name="Resume"),
                migrations.DeleteModel(name="SpeechClip"),
                migrations.CreateModel(
                    name="Evaluation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("answer", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="evaluation", to="interviews.answer")),
                        ("technical", models.FloatField()),
                        ("depth", models.FloatField()),
                        ("experience", models.FloatField()),
                        ("clarity", models.FloatField()),
                        ("confidence", models.FloatField()),
                        ("overall", models.FloatField(help_text="Weighted, 0-10.")),
                        ("key_points", models.JSONField(default=list)),
                        ("strengths", models.JSONField(default=list)),
                        ("missing", models.JSONField(default=list)),
                        ("red_flags", models.JSONField(default=list)),
                        ("seniority_signals", models.JSONField(default=list)),
                        ("signals", models.JSONField(default=dict)),
                        ("followup_needed", models.BooleanField(default=False)),
                        ("followup_type", models.CharField(blank=True, max_length=10)),
                        ("followup_reason", models.CharField(blank=True, max_length=300)),
                        ("engine", models.CharField(default="local", max_length=20)),
                        ("fallback", models.CharField(blank=True, max_length=200)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={"db_table": "reports_evaluation"},
                ),
            ],
            database_operations=[],
        ),
        content_type_moves("evaluation", old_app="reports", new_app="interviews"),
    ]
