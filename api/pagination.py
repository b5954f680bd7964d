from django.conf import settings
from rest_framework.pagination import PageNumberPagination

from core.paginator import OneQueryPaginator


class Pagination(PageNumberPagination):
    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    # A ranked search reads its page and its total in one query.
    django_paginator_class = OneQueryPaginator
