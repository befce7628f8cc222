import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from annotator.annotations import spans
from annotator.annotations.models import Label
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_migration_seeds_the_four_labels_with_keys():
    seeded = {label.name: label.key for label in Label.objects.all()}
    assert seeded == {"Claim": "1", "Quote": "2", "Casualty figure": "3", "Policy stance": "4"}


def test_label_in_use_cannot_be_deleted_only_deactivated(client, assignment, analyst, labels):
    claim = labels["Claim"]
    spans.create_span(assignment.pk, analyst, label=claim, start=0, end=4)
    with pytest.raises(ProtectedError), transaction.atomic():
        claim.delete()
    admin = make_user("root")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.get(reverse("admin:annotations_label_delete", args=[claim.pk]))
    assert response.status_code == 403
    claim.is_active = False
    claim.save()
    assert Label.objects.filter(pk=claim.pk, is_active=False).exists()


def test_two_active_labels_cannot_share_a_key(labels):
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(name="Rumour", key="1", color=5)
    assert Label.objects.create(name="Rumour", key="1", color=5, is_active=False)


def test_keys_are_digits_one_to_nine(labels):
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(name="Other", key="x", color=5)
