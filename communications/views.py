"""News pages: the list, an item, the Atom feed (public, cached for visitors), dismissing a pinned item's banner
and acknowledging an announcement."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communications import selectors, services
from communications.forms import (
    NewsletterPreferenceForm,
    NewsletterSendForm,
    PagePublishForm,
    SearchForm,
    SubscribeForm,
)
from communications.models import NewsItem, Newsletter, NewsTag
from communications.models.pages import LANGUAGES, Page
from kaikukeskus import ratelimit
from kaikukeskus import search as site_search
from kaikukeskus.forms import add_service_errors
from kaikukeskus.locking import StaleVersionError
from kaikukeskus.public_cache import public_page
from localities.permissions import staff_page

PAGE_SIZE = 20
FEED_SIZE = 30
DISMISSED_SESSION_KEY = "news_dismissed"


@public_page(params=("page", "tag"))
@require_safe
def news_list(request):
    tag = request.GET.get("tag") or None
    current_tag = NewsTag.objects.filter(slug=tag).first() if tag else None
    items = selectors.news_list(user=request.user, tag=current_tag.slug if current_tag else None)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "communications/news_list.html",
        {"page": page, "tag": current_tag, "query": f"tag={current_tag.slug}" if current_tag else ""},
    )


@public_page
@require_safe
def news_detail(request, slug: str):
    item = get_object_or_404(NewsItem.objects.visible_to(request.user).prefetch_related("tags"), slug=slug)
    awaiting = item.to_acknowledge and item in selectors.awaiting_acknowledgement(user=request.user)
    return render(request, "communications/news_detail.html", {"item": item, "awaiting": awaiting})


class NewsFeed(Feed):
    """The public items in the reader's language (the URL's), Finnish where an item has no translation."""

    feed_type = Atom1Feed
    title = _l("Kaikukortti news")
    subtitle = _l("News and announcements of Kaikukeskus, the national Kaikukortti service.")

    def link(self):
        return reverse("communications:news-list")

    def items(self):
        return list(NewsItem.objects.public().order_by("-publish_at", "-pk")[:FEED_SIZE])

    def item_title(self, item: NewsItem) -> str:
        return item.shown_title

    def item_description(self, item: NewsItem) -> str:
        return item.shown_body

    def item_pubdate(self, item: NewsItem):
        return item.publish_at

    def item_updateddate(self, item: NewsItem):
        return item.publish_at

    def item_link(self, item: NewsItem) -> str:
        return item.get_absolute_url()


_feed = NewsFeed()


@public_page
@require_safe
def news_feed(request):
    return _feed(request)


def _back(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


# Dismissing a banner is exempt from CSRF on purpose: the banner is on the cached front page, and a page with a
# CSRF token is never cached (kaikukeskus.public_cache). The worst a forged request can do is hide a banner.
@csrf_exempt
@require_POST
def news_dismiss(request, pk: int):
    item = get_object_or_404(NewsItem.objects.visible_to(request.user).filter(pinned=True), pk=pk)
    if request.user.is_authenticated:
        services.news_item_dismiss(actor=request.user, item=item)
    else:
        dismissed = [int(i) for i in request.session.get(DISMISSED_SESSION_KEY, []) if str(i).isdigit()]
        if item.pk not in dismissed:
            # The newest dismissals are kept: a visitor's session stays small whatever they click.
            request.session[DISMISSED_SESSION_KEY] = [*dismissed, item.pk][-50:]
    return _back(request, reverse("home"))


@login_required
@require_POST
def news_acknowledge(request, slug: str):
    item = get_object_or_404(selectors.to_acknowledge_for(user=request.user), slug=slug)
    services.news_item_acknowledge(actor=request.user, item=item)
    messages.success(request, _("Thank you: “%(title)s” is acknowledged.") % {"title": item.shown_title})
    return _back(request, reverse("portal"))


def dismissed_in_session(request) -> set[int]:
    """A visitor's dismissed banners, read only when they have a session (reading it otherwise would make the
    cached front page private)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return set()
    return {int(i) for i in request.session.get(DISMISSED_SESSION_KEY, []) if str(i).isdigit()}


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


# --- Newsletter -------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_subscribe(request):
    """The newsletter's page: the subscription form (private: it carries a token and a signed time) and the
    issues sent so far."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    form = SubscribeForm(request.POST or None, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_throttle(client=ratelimit.client_key(request), email=form.cleaned_data["email"])
            services.subscriber_subscribe(email=form.cleaned_data["email"], language=form.cleaned_data["language"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("communications:newsletter-check-email")
    return render(
        request,
        "communications/newsletter/subscribe.html",
        {"form": form, "issues": selectors.newsletter_archive()[:24]},
    )


@require_safe
def newsletter_check_email(request):
    return render(request, "communications/newsletter/check_email.html")


def _invalid_link(request, error: services.InvalidLinkError):
    return render(request, "communications/newsletter/invalid_link.html", {"expired": error.expired}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_confirm(request, token: str):
    """The link in the confirmation e-mail: a page with one button (a mail scanner that follows the link
    subscribes nobody), whose POST confirms."""
    try:
        email, _language = services.read_confirmation_token(token)
    except services.InvalidLinkError as error:
        return _invalid_link(request, error)
    if request.method == "POST":
        try:
            services.subscriber_confirm(token=token)
        except services.InvalidLinkError as error:
            return _invalid_link(request, error)
        return render(request, "communications/newsletter/confirmed.html", {"email": email})
    return render(request, "communications/newsletter/confirm.html", {"email": email})


# Exempt from CSRF on purpose: a mail program's one-click unsubscribe (RFC 8058) POSTs without a token. The signed
# address in the URL is the authority; the worst a forged request can do is unsubscribe an address whose link the
# forger already holds.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request, token: str):
    """The unsubscribe link of every newsletter, without logging in: GET shows a page with one button (mail
    scanners follow links), POST unsubscribes, from that button or from the mail program (RFC 8058)."""
    try:
        email = services.email_of_unsubscribe_token(token)
    except services.InvalidLinkError as error:
        return _invalid_link(request, error)
    if request.method == "POST":
        services.subscriber_unsubscribe(email=email, actor=request.user if request.user.is_authenticated else None)
        return render(request, "communications/newsletter/unsubscribed.html", {"email": email})
    return render(request, "communications/newsletter/unsubscribe.html", {"email": email})


@public_page
@require_safe
def newsletter_issue(request, pk: int):
    """A sent issue's web version in the reader's language (Finnish, said so, when it has no translation)."""
    newsletter = selectors.newsletter_for_web_or_404(pk=pk)
    return render(request, "communications/newsletter/issue.html", {"newsletter": newsletter})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def newsletter_preference(request):
    """My account: a coordinator or staff member turns the newsletter off or on (on unless they turned it off)."""
    form = NewsletterPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"receive": services.newsletter_receives(user=request.user)},
    )
    if request.method == "POST" and form.is_valid():
        services.newsletter_preference_set(actor=request.user, receive=form.cleaned_data["receive"])
        messages.success(request, _("Your newsletter setting has been saved."))
        return redirect("communications:newsletter-preference")
    return render(request, "communications/newsletter/preference.html", {"form": form})


def _newsletter_for_staff(pk: int) -> Newsletter:
    return get_object_or_404(Newsletter.objects.select_related("sent_by"), pk=pk)


@staff_page
@require_safe
def newsletter_review(request, pk: int):
    """Staff check an issue before sending: its recipients counted by group, a test to themselves, sending."""
    newsletter = _newsletter_for_staff(pk)
    count = selectors.newsletter_recipient_count(newsletter=newsletter)
    return render(
        request,
        "communications/newsletter/review.html",
        {
            "newsletter": newsletter,
            "count": count,
            "send_form": NewsletterSendForm(initial={"recipients": count.total}),
            "queued": newsletter.deliveries.filter(queued_at__isnull=False).count() if newsletter.is_sent else 0,
        },
    )


@staff_page
@require_POST
def newsletter_test(request, pk: int):
    newsletter = _newsletter_for_staff(pk)
    email = services.newsletter_send_test(actor=request.user, newsletter=newsletter)
    messages.success(request, _("A test was sent to %(email)s.") % {"email": email})
    return redirect("communications:newsletter-review", pk=pk)


@staff_page
@require_http_methods(["GET", "POST"])
def newsletter_send(request, pk: int):
    """GET: the confirmation that names the number of recipients; POST: send, once."""
    newsletter = _newsletter_for_staff(pk)
    if request.method == "POST":
        form = NewsletterSendForm(request.POST)
        if form.is_valid():
            try:
                sent_to = services.newsletter_send(
                    actor=request.user, newsletter=newsletter, expected_recipients=form.cleaned_data["recipients"]
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The newsletter is being sent to %(count)s recipient.",
                        "The newsletter is being sent to %(count)s recipients.",
                        sent_to,
                    )
                    % {"count": formats.number_format(sent_to, force_grouping=True)},
                )
        return redirect("communications:newsletter-review", pk=pk)
    if newsletter.is_sent:
        return redirect("communications:newsletter-review", pk=pk)
    count = selectors.newsletter_recipient_count(newsletter=newsletter)
    return render(
        request,
        "communications/newsletter/send_confirm.html",
        {"newsletter": newsletter, "count": count, "form": NewsletterSendForm(initial={"recipients": count.total})},
    )
