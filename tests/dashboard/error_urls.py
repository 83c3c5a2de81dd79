"""The product's URLs and error handlers, plus one view that fails, for the 500 page's test."""

from django.urls import path
from django.views.decorators.http import require_GET

from influence.urls import handler400, handler403, handler404, handler500
from influence.urls import urlpatterns as product_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@require_GET
def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken), *product_urls]
