"""How an API record names the records it links to: their key, name, API address and page, so a
client can show and follow a link without another request. No queries: the linked records come
with the record (select_related, prefetch_related)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse as api_reverse


def api_url(request, basename, key):
    """The absolute API address of one record, e.g. api_url(request, "practice", "slug")."""
    return api_reverse(f"api:{basename}-detail", args=[key], request=request)


def page_url(request, path):
    return request.build_absolute_uri(path) if path else None


def list_page(view_name, param, value):
    """The public list page filtered to one value, for types without pages of their own."""
    return f"{reverse(view_name)}?{param}={value}"


class AddressedSerializer(serializers.Serializer):
    """A record's API address (`url`) and public page (`page`). A Serializer rather than a plain
    mixin, so that DRF collects the two fields into every serializer built on it."""

    basename = ""  # The API route of the record's type
    key = "slug"

    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, record):
        return api_url(self.context["request"], self.basename, getattr(record, self.key))

    @extend_schema_field({"type": ["string", "null"], "format": "uri"})
    def get_page(self, record):
        return page_url(self.context["request"], self.page_path(record))

    def page_path(self, record):
        return record.get_absolute_url()


class LinkSerializer(AddressedSerializer):
    """A linked record: its key, name, API address and public page."""

    slug = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    def get_fields(self):
        # A base's fields come first in DRF; links have always begun with their key and name.
        fields = super().get_fields()
        first = [name for name in ("slug", "name") if name in fields]
        return {**{name: fields.pop(name) for name in first}, **fields}

    def get_slug(self, record) -> str:
        return getattr(record, self.key)

    def get_name(self, record) -> str:
        return str(record)


def link(basename, page_path=None, key="slug", name=None):
    """A LinkSerializer for one type (its API route, optionally how its page is found)."""
    attributes = {"basename": basename, "key": key}
    if page_path:
        attributes["page_path"] = lambda self, record: page_path(record)
    if key != "slug":  # The key's own name, e.g. "code" for countries.
        attributes[key] = serializers.SerializerMethodField(method_name="get_slug")
        attributes["slug"] = None
    return type(name or f"{basename.title()}Link", (LinkSerializer,), attributes)


ThemeLink = link("theme")
ApproachLink = link("approach")
RegionLink = link("region")
CountryLink = link("country", key="code")
OrganisationLink = link(
    "organisation",
    page_path=lambda record: list_page("practices:practice-list", "organisation", record.slug),
)
TagLink = link("tag", page_path=lambda record: reverse("atlas:tag-detail", args=[record.slug]))
PracticeLink = link("practice")
MovementLink = link("movement")
PrincipleLink = link("principle")
SectionLink = link("section")


class SourceSerializer(serializers.Serializer):
    """The document a record comes from."""

    slug = serializers.CharField()
    title = serializers.CharField()
    short_title = serializers.CharField()
    publisher = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    url = serializers.CharField(help_text="The document's own address, where it gives one.")
