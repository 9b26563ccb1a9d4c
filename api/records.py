"""What the API's practice answers show (core.records.Pages), as the pages they mirror: a list
narrowed to a value shows only the practices with it, a practice's answer shows that practice
and its links. The API's other answers show everything."""

from core.records import Pages, register_pages
from practices.records import LIST_VALUES


def declare():
    listing = "practices.practice"
    shows = ("practices", "taggit")
    register_pages(
        # Its first page in the default order holds the first page of /practices/ (both of
        # PAGE_SIZE records; api.paging): a save elsewhere in the list leaves it warm.
        Pages(
            ("api:practice-list",),
            shows,
            listing=listing,
            by=LIST_VALUES,
            ordered=("", "title"),
            page_param="",
        ),
        Pages(("api:practice-detail",), shows, record=listing, listing=listing),
    )
