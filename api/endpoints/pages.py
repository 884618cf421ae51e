"""Pagination with links (NL GOV API Design Rules): ``page`` and ``pageSize`` in, the page and its links out."""

from urllib.parse import urlencode

from ninja import Schema
from pydantic import ConfigDict, Field

from core.links import absolute_url

MAX_PAGE_SIZE = 100


class PageQuery(Schema):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    page: int = Field(1, ge=1, le=1_000_000, description="The page, from 1.")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, alias="pageSize", description="Items per page.")


def paged(request, queryset, query: PageQuery, item) -> dict:
    """The page's items (``item(row)`` each), the total and the links to self, first, last, prev and next."""
    total = queryset.count()
    last = max(1, -(-total // query.page_size))
    start = (query.page - 1) * query.page_size
    rows = list(queryset[start : start + query.page_size]) if start < total else []

    def link(page: int) -> dict:
        params = request.GET.copy()
        params["page"], params["pageSize"] = str(page), str(query.page_size)
        return {"href": absolute_url(f"{request.path}?{urlencode(sorted(params.items()))}")}

    links = {"self": link(query.page), "first": link(1), "last": link(last)}
    if query.page > 1:
        links["prev"] = link(min(query.page - 1, last))
    if query.page < last:
        links["next"] = link(query.page + 1)
    return {"results": [item(row) for row in rows], "total_count": total, "links": links}
