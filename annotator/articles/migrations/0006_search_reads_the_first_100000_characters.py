# The search vector reads the text's first 100,000 characters (models.SEARCH_TEXT_CHARS):
# a tsvector over 1 MB is refused by PostgreSQL, which made an upload of a few MB of
# distinct words fail. As in 0005, the generated column is dropped and added back.
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.text
from django.db import migrations, models


def search_field(*text):
    return models.GeneratedField(
        db_persist=True,
        expression=django.contrib.postgres.search.SearchVector(
            "title", "source", *text, config="french_unaccent"
        ),
        output_field=django.contrib.postgres.search.SearchVectorField(),
    )


def replace(field):
    return [
        migrations.RemoveIndex(model_name="article", name="article_search_idx"),
        migrations.RemoveField(model_name="article", name="search"),
        migrations.AddField(model_name="article", name="search", field=field),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search"], name="article_search_idx"
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_search_ignores_accents")]

    operations = replace(search_field(django.db.models.functions.text.Left("text", 100_000)))
