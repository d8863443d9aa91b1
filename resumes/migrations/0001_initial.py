# Resumes were part of interviews until this app was made: the model moves here, its table,
# index and rows stay as they are (state only), and its content type follows it.

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from config.model_moves import content_type_moves

import resumes.models



class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0002_accommodations"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("interviews", "0006_resumes_and_job_descriptions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Resume",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("file", models.FileField(upload_to=resumes.models.resume_path)),
                        ("title", models.CharField(max_length=120)),
                        ("size", models.PositiveIntegerField(help_text="Bytes.")),
                        ("pages", models.PositiveSmallIntegerField()),
                        ("status", models.CharField(choices=[("parsing", "Reading it"), ("ready", "Ready"), ("failed", "Could not be read")], default="parsing", max_length=10)),
                        ("error", models.CharField(blank=True, max_length=300)),
                        ("markdown", models.TextField(blank=True)),
                        ("profile", models.JSONField(blank=True, default=dict)),
                        ("engine", models.CharField(blank=True, max_length=20)),
                        ("fallback", models.CharField(blank=True, max_length=200)),
                        ("skills_edited", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("organization", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="resumes", to="accounts.organization")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="resumes", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "interviews_resume",
                        "ordering": ("-created_at",),
                        "indexes": [models.Index(fields=["user", "-created_at"], name="interviews__user_id_f0b2bf_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_type_moves("resume", old_app="interviews", new_app="resumes"),
    ]
