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


@register.inclusion_tag("includes/portal_breadcrumbs.html")
def portal_breadcrumbs(locality=None, *trail):
    """The portal's breadcrumb: the portal, the locality (when the page belongs to one), then the pages between
    it and this one as label-URL pairs: `{% portal_breadcrumbs locality partners_label partners_url %}`."""
    if len(trail) % 2:
        raise template.TemplateSyntaxError("portal_breadcrumbs takes the trail as label-URL pairs")
    return {"locality": locality, "trail": list(zip(trail[::2], trail[1::2], strict=True))}


@register.filter
def history_reason(stored: str | None) -> str:
    """A history row's reason in the reader's language (kaikukeskus/history.py)."""
    from kaikukeskus.history import reason_label

    return reason_label(stored)


@register.simple_tag
def translated(obj, field: str) -> str:
    """`{% translated row "next_milestone_title" as title %}`: the field in the reader's language (kaikukeskus.i18n)."""
    from kaikukeskus.i18n import translated as in_language

    return in_language(obj, field)


@register.simple_tag(takes_context=True)
def page_banners(context, place: str) -> str:
    """The banners apps contribute to this page (kaikukeskus.banners), each rendered with its own template."""
    from django.template.loader import render_to_string
    from django.utils.html import format_html_join

    from kaikukeskus import banners

    request = context.get("request")
    if request is None:
        return ""
    return format_html_join(
        "",
        "{}",
        (
            (render_to_string(banner.template, {"banner": banner, "place": place}, request=request),)
            for banner in banners.banners_for(request, place)
        ),
    )
