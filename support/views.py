"""Support's pages: a coordinator's questions (`/portal/support/`), a new question, a thread with its reply form and
attachments; staff's inbox and their view of a thread with internal notes, canned replies, state and assignee.

The coordinator's thread template never receives an internal note: `selectors.thread` filters them out for
anybody but staff, and staff work on their own page (`staff_detail`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from kaikukeskus import spreadsheets
from kaikukeskus.forms import add_service_errors
from kaikukeskus.public_cache import public_page
from localities.permissions import acts_as_national_staff, is_coordinator, localities_for, staff_page
from support import report as report_module
from support import selectors, services
from support.forms import (
    ArticleFilterForm,
    BookingForm,
    BookingMoveForm,
    CannedReplyChoiceForm,
    InboxFilterForm,
    QuestionForm,
    QuestionUpdateForm,
    ReplyForm,
    StaffReplyForm,
)
from support.models import Article


def _require_coordinator_or_staff(user) -> None:
    if not (is_coordinator(user=user) or acts_as_national_staff(user)):
        raise Http404("support is for coordinators")


@login_required
@never_cache
@require_GET
def question_list(request):
    _require_coordinator_or_staff(request.user)
    questions = selectors.question_list(user=request.user)
    return render(
        request,
        "support/question_list.html",
        {"questions": questions, "is_national_staff": acts_as_national_staff(request.user)},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def question_create(request):
    _require_coordinator_or_staff(request.user)
    form = QuestionForm(request.POST or None, request.FILES or None, user=request.user)
    suggestions = []
    if request.method == "POST" and "check" in request.POST:
        # "Look for answers first": the knowledge base's articles that match the subject, nothing sent yet (the
        # attachments are chosen again when the question is sent).
        form.is_valid()
        subject = form.cleaned_data.get("subject") or request.POST.get("subject", "")
        suggestions = selectors.article_suggestions(user=request.user, subject=subject)
        return render(
            request, "support/question_form.html", {"form": form, "suggestions": suggestions, "checked": True}
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_create(
                actor=request.user,
                locality=data["locality"],
                category=data["category"],
                subject=data["subject"],
                body=data["body"],
                files=data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your question was sent to Kaikukeskus."))
            return redirect("support:detail", pk=question.pk)
    return render(request, "support/question_form.html", {"form": form, "suggestions": suggestions})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def question_detail(request, pk: int):
    """The thread as the locality sees it (staff too see it so, without internal notes), and its reply form."""
    question = selectors.question_for_user_or_404(user=request.user, pk=pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_add(
                actor=request.user,
                question=question,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect("support:detail", pk=question.pk)
    return render(
        request,
        "support/question_detail.html",
        {
            "question": question,
            # Never internal notes on this page, not even for staff: it is the locality's view.
            "thread": selectors.thread(user=None, question=question),
            "form": form,
            "is_national_staff": acts_as_national_staff(request.user),
        },
    )


@login_required
@never_cache
@require_GET
def attachment_download(request, pk: int):
    attachment = selectors.attachment_for_user_or_404(user=request.user, pk=pk)
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("file missing") from error
    response = FileResponse(file, as_attachment=not attachment.is_inline, filename=attachment.download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Staff ------------------------------------------------------------------------------------------------


@staff_page
@never_cache
@require_GET
def inbox(request):
    filters = InboxFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    questions = selectors.question_list(
        user=request.user,
        state=chosen.get("state", ""),
        overdue=chosen.get("overdue", False),
        assignee=request.user if chosen.get("mine") else None,
    )
    return render(request, "support/inbox.html", {"questions": questions, "filters": filters})


@staff_page
@never_cache
@require_http_methods(["GET", "POST"])
def staff_detail(request, pk: int):
    question = selectors.question_for_user_or_404(user=request.user, pk=pk)
    canned = selectors.canned_replies()
    initial = {}
    canned_form = CannedReplyChoiceForm(request.GET or None, canned_replies=canned)
    if "canned" in request.GET and canned_form.is_valid():
        chosen = canned_form.cleaned_data
        initial["body"] = chosen["canned"].body(chosen["language"])
    form = StaffReplyForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        internal = kind == StaffReplyForm.INTERNAL
        try:
            services.message_add(
                actor=request.user,
                question=question,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                internal=internal,
                state=None if internal else kind,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Internal note saved.") if internal else _("Your reply was sent."))
            return redirect("support:staff-detail", pk=question.pk)
    update_form = QuestionUpdateForm(initial={"state": question.state, "assignee": question.assignee_id})
    return render(
        request,
        "support/staff_detail.html",
        {
            "question": question,
            "thread": selectors.thread(user=request.user, question=question),
            "form": form,
            "canned_form": canned_form if canned.exists() else None,
            "update_form": update_form,
            "visibilities": Article.Visibility.choices,
        },
    )


@staff_page
@require_POST
def staff_update(request, pk: int):
    question = selectors.question_for_user_or_404(user=request.user, pk=pk)
    form = QuestionUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.question_update(
                actor=request.user,
                question=question,
                state=form.cleaned_data["state"],
                assignee=form.cleaned_data["assignee"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose a state and an assignee from the lists."))
    return redirect("support:staff-detail", pk=question.pk)


@staff_page
@require_POST
def staff_article(request, pk: int):
    """Make a draft article of the question (personal data stripped) and open it in the admin to edit and
    publish."""
    question = selectors.question_for_user_or_404(user=request.user, pk=pk)
    visibility = request.POST.get("visibility", Article.Visibility.PUBLIC)
    if visibility not in Article.Visibility.values:
        visibility = Article.Visibility.PUBLIC
    article = services.article_from_question(actor=request.user, question=question, visibility=visibility)
    messages.success(request, _("A draft article was made. Read it, translate it and publish it."))
    return redirect("admin:support_article_change", article.pk)


# --- Knowledge base ---------------------------------------------------------------------------------------


@public_page(params=ArticleFilterForm.base_fields)
@require_safe
def faq_list(request):
    form = ArticleFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    articles = selectors.public_articles(category=chosen.get("category", ""), query=chosen.get("q", ""))
    return render(request, "support/faq_list.html", {"form": form, "articles": articles, "portal": False})


@public_page
@require_safe
def faq_detail(request, slug: str):
    article = selectors.article_for_user_or_404(user=None, slug=slug)
    return render(request, "support/faq_detail.html", {"article": article, "portal": False})


@login_required
@never_cache
@require_GET
def article_list(request):
    _require_coordinator_or_staff(request.user)
    form = ArticleFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    articles = selectors.articles_for(user=request.user, category=chosen.get("category", ""), query=chosen.get("q", ""))
    return render(request, "support/faq_list.html", {"form": form, "articles": articles, "portal": True})


@login_required
@never_cache
@require_GET
def article_detail(request, slug: str):
    _require_coordinator_or_staff(request.user)
    article = selectors.article_for_user_or_404(user=request.user, slug=slug)
    return render(request, "support/faq_detail.html", {"article": article, "portal": True})


# --- Consultation appointments ----------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def slots(request):
    _require_coordinator_or_staff(request.user)
    return render(
        request,
        "support/slots.html",
        {
            "slots": selectors.open_slots(),
            "bookings": selectors.bookings_for(user=request.user),
            # One booking form a slot, each with its own ids, over the same localities (loaded once).
            "localities": list(localities_for(request.user).order_by("name_fi")),
        },
    )


@login_required
@require_POST
def slot_book(request, pk: int):
    _require_coordinator_or_staff(request.user)
    slot = get_object_or_404(selectors.open_slots(), pk=pk)
    form = BookingForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.booking_create(
                actor=request.user, slot=slot, locality=form.cleaned_data["locality"], topic=form.cleaned_data["topic"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The consultation is booked. A confirmation with a calendar file was e-mailed.")
            )
    else:
        messages.error(request, _("Choose the locality and write the topic."))
    return redirect("support:slots")


@login_required
@require_POST
def booking_cancel(request, pk: int):
    booking = selectors.booking_for_user_or_404(user=request.user, pk=pk)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("support:slots")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def booking_move(request, pk: int):
    booking = selectors.booking_for_user_or_404(user=request.user, pk=pk)
    form = BookingMoveForm(request.POST or None, slots=selectors.open_slots().exclude(pk=booking.slot_id))
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_move(actor=request.user, booking=booking, slot=form.cleaned_data["slot"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The booking is moved. A new calendar file was e-mailed."))
            return redirect("support:slots")
    return render(request, "support/booking_move.html", {"booking": booking, "form": form})


# --- What staff learn -------------------------------------------------------------------------------------


def _report_year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


@staff_page
@never_cache
@require_GET
def report(request):
    year = _report_year(request)
    return render(request, "support/report.html", {"report": report_module.yearly(year=year)})


@staff_page
@never_cache
@require_GET
def report_export(request, file_format: str):
    yearly = report_module.yearly(year=_report_year(request))
    return spreadsheets.file_response(
        yearly.counts,
        file_format=file_format,
        header=yearly.header(),
        title=_("Questions"),
        filename=f"support-questions-{yearly.year}",
    )
