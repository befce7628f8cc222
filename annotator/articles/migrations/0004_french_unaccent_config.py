# Search ignores accents (depistage finds dépistage) and keeps French stemming: a copy of
# the french configuration whose words pass through unaccent before the French stemmer.
# unaccent is a trusted extension: the database's owner may create it, no superuser needed.
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

FORWARD = """
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
"""

BACKWARD = "DROP TEXT SEARCH CONFIGURATION french_unaccent;"


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_sentence_order_by_column")]

    operations = [UnaccentExtension(), migrations.RunSQL(FORWARD, BACKWARD)]
