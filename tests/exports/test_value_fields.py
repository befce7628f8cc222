"""How value fields are named: `<label slug>.<attribute key>`, unique, whatever the filter."""

import pytest

from annotator.annotations.models import Label
from annotator.exports.value_fields import label_slug, label_slugs, value_fields


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Casualty figure", "casualty_figure"),
        ("Policy stance", "policy_stance"),
        ("Prise de position (élus)", "prise_de_position_elus"),
        ("  Déclaration -- officielle!  ", "declaration_officielle"),
        ("Œuvre ﬁnale", "uvre_finale"),  # Œ has no decomposition: not a–z
        ("2024 bilan", "2024_bilan"),
        ("« »", ""),
    ],
)
def test_label_slug(name, slug):
    assert label_slug(name) == slug


@pytest.mark.django_db
def test_slugs_never_collide_and_do_not_depend_on_the_filter(labels):
    claim = labels["Claim"]
    twin = Label.objects.create(name="claim!", key="5", color=1, order=0)
    bare = Label.objects.create(name="« »", key="6", color=2, order=0)
    slugs = label_slugs(Label.objects.all())
    assert slugs[claim.pk] == "claim"  # the oldest keeps it
    assert slugs[twin.pk] == f"claim__{twin.pk}"
    assert slugs[bare.pk] == f"label__{bare.pk}"
    assert len(set(slugs.values())) == len(slugs)
    twin.attributes.create(key="source", type="text", name="Source")
    (only,) = value_fields([twin.pk])
    assert only.name == f"claim__{twin.pk}.source"


@pytest.mark.django_db
def test_fields_follow_label_order_then_attribute_order(labels):
    names = [field.name for field in value_fields()]
    assert names[:3] == ["claim.checkworthy", "claim.claimant", "quote.kind"]
    labels["Claim"].attributes.filter(key="claimant").update(order=0, is_active=False)
    labels["Claim"].attributes.filter(key="checkworthy").update(order=1)
    names = [field.name for field in value_fields([labels["Claim"].pk])]
    assert names == ["claim.claimant", "claim.checkworthy"]  # switched off, still there
