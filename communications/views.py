from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communications import selectors, services
from communications.forms import PagePublishForm, SearchForm
from communications.models.pages import LANGUAGES, Page
from kaikukeskus import search as site_search
from kaikukeskus.locking import StaleVersionError
from kaikukeskus.public_cache import public_page
from localities.permissions import staff_page

# The pages that had a template of their own before they became site pages: until staff publish the page, its
# address keeps showing that template (so that a fresh database has them too).
PAGES_WITH_TEMPLATE = {
    Page.Key.CONTACT: "kaikukeskus/contact.html",
    Page.Key.ACCESSIBILITY: "kaikukeskus/accessibility.html",
    Page.Key.PRIVACY: "kaikukeskus/privacy.html",
}


def _contact_details() -> dict:
    return {
        "email": settings.KAIKUKESKUS_CONTACT_EMAIL,
        "phone": settings.KAIKUKESKUS_CONTACT_PHONE,
        "address": settings.KAIKUKESKUS_CONTACT_ADDRESS,
    }


def _page_context(page: Page, *, draft: bool, language: str | None = None) -> dict:
    context = {"page": page, "text": page.text(language, draft=draft)}
    if page.key == Page.Key.CONTACT:
        context.update(_contact_details())
    return context


@public_page
@require_safe
def page(request, key: str):
    """A site page's published text, in the reader's language or in Finnish, said so."""
    found = selectors.published_page(key=key)
    if found is not None:
        return render(request, "communications/page.html", _page_context(found, draft=False))
    if key in PAGES_WITH_TEMPLATE:
        return render(request, PAGES_WITH_TEMPLATE[key], _contact_details() if key == Page.Key.CONTACT else {})
    raise Http404("not published")


@staff_page
@require_safe
def page_preview(request, key: str):
    """Staff read the draft as visitors would, in any of the three languages, and publish it from here."""
    found = selectors.page_for_preview_or_404(key=key)
    language = request.GET.get("language")
    if language not in LANGUAGES:
        language = (get_language() or "fi")[:2]
    context = _page_context(found, draft=True, language=language)
    context.update(
        {
            "preview_language": language,
            "preview_languages": [(code, name) for code, name in settings.LANGUAGES if code in LANGUAGES],
            "publish_form": PagePublishForm(versioned_instance=found),
        }
    )
    return render(request, "communications/page_preview.html", context)


@staff_page
@require_POST
def page_publish(request, key: str):
    found = selectors.page_for_preview_or_404(key=key)
    form = PagePublishForm(request.POST, versioned_instance=found)
    if not form.is_valid():
        raise Http404("bad form")
    try:
        services.page_publish(actor=request.user, page=found, expected_version=form.expected_version)
    except StaleVersionError:
        messages.error(
            request,
            _("The draft was changed after you opened the preview, so it was not published. Read it again below."),
        )
        return redirect("communications:page-preview", key=key)
    messages.success(request, _("The page is published."))
    return redirect(found.url_name)


@public_page(params=SearchForm.base_fields)
@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    groups = site_search.search(user=request.user, query=query, language=language) if query else []
    context = {
        "form": form,
        "query": query,
        "groups": [group for group in groups if group.total],
        "empty_groups": [group for group in groups if not group.total],
        "searched": bool(query),
    }
    return render(request, "communications/search.html", context)
