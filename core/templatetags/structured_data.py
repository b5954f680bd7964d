"""``{% json_ld data %}``: schema.org data for search engines, in a script element that no
value can close or break out of."""

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# What Django's json_script escapes: with these as \\u escapes, a title holding
# "</script>" or "<!--" stays inside the JSON string it belongs to.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_text(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )


@register.simple_tag
def json_ld(data: Any) -> SafeString:
    # A data block, not a script: the Content-Security-Policy does not run it.
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(json_ld_text(data))
    )
