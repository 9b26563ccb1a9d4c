from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.jsonld import describe
from core.listing import visible_record
from movements.models import Movement
from practices.models import Practice

from . import models


def sections_with_principles(principles=None):
    """Every section, each with its published principles in `published_principles`."""
    principles = models.Principle.objects.published() if principles is None else principles
    return models.Section.objects.select_related("source").prefetch_related(
        Prefetch(
            "principles", queryset=principles.order_by("order"), to_attr="published_principles"
        )
    )


def with_illustrations(principles):
    """`principles` with the published practices and movements that illustrate each, in
    `published_practices` and `published_movements` (two queries, however many)."""
    return principles.prefetch_related(
        Prefetch(
            "practices",
            queryset=Practice.objects.published().only("pk", "slug", "title").order_by("title"),
            to_attr="published_practices",
        ),
        Prefetch(
            "movements",
            queryset=Movement.objects.published()
            .only("pk", "slug", "name", "acronym")
            .order_by("name"),
            to_attr="published_movements",
        ),
    )


def note_source(sections):
    """The guidance note itself: the document its sections are taken from."""
    return next((section.source for section in sections if section.source_id), None)


def guidance(request):
    sections = list(sections_with_principles())
    groups = models.InfographicGroup.objects.prefetch_related(
        Prefetch(
            "principles",
            queryset=models.Principle.objects.published(),
            to_attr="published_principles",
        )
    )
    findings = list(models.Finding.objects.prefetch_related("countries"))
    resources = list(models.Resource.objects.all())
    resource_groups = [
        (label, [resource for resource in resources if resource.category == value])
        for value, label in models.Resource.Category.choices
    ]
    return render(
        request,
        "guidance/guidance.html",
        {
            "section": "guidance",
            "sections": sections,
            "source": note_source(sections),
            "groups": groups,
            "phases": models.Phase.objects.all(),
            "value_adds": models.ValueAdd.objects.all(),
            "opportunities": [f for f in findings if f.kind == models.Finding.Kind.OPPORTUNITY],
            "challenges": [f for f in findings if f.kind == models.Finding.Kind.CHALLENGE],
            "definitions": models.Definition.objects.all(),
            "member_types": models.MemberType.objects.all(),
            "resource_groups": [(label, items) for label, items in resource_groups if items],
            "breadcrumbs": [(_("Guidance"), None)],
        },
    )


def checklist(request):
    sections = list(
        sections_with_principles(with_illustrations(models.Principle.objects.published()))
    )
    return render(
        request,
        "guidance/checklist.html",
        {
            "section": "guidance",
            "sections": [section for section in sections if section.published_principles],
            "principle_count": sum(len(section.published_principles) for section in sections),
            "source": note_source(sections),
            "phases": models.Phase.objects.all(),
            "breadcrumbs": [
                (_("Guidance"), reverse("guidance:guidance")),
                (_("Reflection checklist"), None),
            ],
        },
    )


def neighbours(principle):
    """The published principles just before and after this one, across section boundaries."""
    published = models.Principle.objects.published().select_related("section")
    position = (principle.section.order, principle.order)
    before = Q(section__order__lt=position[0]) | Q(
        section__order=position[0], order__lt=position[1]
    )
    after = Q(section__order__gt=position[0]) | Q(section__order=position[0], order__gt=position[1])
    previous = published.filter(before).order_by("-section__order", "-order").first()
    following = published.filter(after).order_by("section__order", "order").first()
    return previous, following


def visible_principle(request, slug):
    return visible_record(
        request, models.Principle, slug, ["section", "infographic_group", "source"], ["tags"]
    )


def principle_detail(request, slug):
    principle = visible_principle(request, slug)
    previous, following = neighbours(principle)
    return render(
        request,
        "guidance/principle_detail.html",
        {
            "section": "guidance",
            "principle": principle,
            "json_ld": describe(
                request,
                principle,
                "CreativeWork",
                principle.title,
                description=principle.explanation,
                isPartOf={
                    "@type": "CreativeWork",
                    "name": str(principle.section),
                    "url": request.build_absolute_uri(principle.section.get_absolute_url()),
                },
                keywords=[tag.name for tag in principle.tags.all()],
                inLanguage="en",
            ),
            "practices": principle.practices.published().for_list(),
            "movements": principle.movements.published().prefetch_related("countries"),
            "previous": previous,
            "next": following,
            "breadcrumbs": [
                (_("Guidance"), reverse("guidance:guidance")),
                (str(principle.section), principle.section.get_absolute_url()),
                (principle.title, None),
            ],
        },
    )
