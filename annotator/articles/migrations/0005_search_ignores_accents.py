# A generated column's expression cannot be altered in place (Django refuses, and
# PostgreSQL 15 has no SET EXPRESSION): drop the column with its index, add it back with the
# new configuration. Adding it computes every existing row; the text is only read, so the
# immutability trigger (0002, BEFORE UPDATE OF text) does not fire.
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


def search_field(config):
    return models.GeneratedField(
        db_persist=True,
        expression=django.contrib.postgres.search.SearchVector(
            "title", "source", "text", config=config
        ),
        output_field=django.contrib.postgres.search.SearchVectorField(),
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_french_unaccent_config")]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_search_idx"),
        migrations.RemoveField(model_name="article", name="search"),
        migrations.AddField(
            model_name="article", name="search", field=search_field("french_unaccent")
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search"], name="article_search_idx"
            ),
        ),
    ]
