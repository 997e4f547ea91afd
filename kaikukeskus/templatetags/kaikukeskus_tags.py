from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in each language: plain links, so switching works without JavaScript."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"].capitalize(),
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links
