"""The load and fault run's own pieces (bench/faults.py): its mail sink, its form reader and how it judges answers.
The run itself needs gunicorn, Celery and Redis: `make bench-faults`."""

import time

from django.core.mail import EmailMessage, get_connection

from bench.faults import SmtpSink, classify, form_fields


def _wait_for(sink: SmtpSink, count: int) -> None:
    deadline = time.time() + 5
    while len(sink.messages) < count and time.time() < deadline:
        time.sleep(0.01)


def test_the_sink_records_each_message_id_and_recipient_as_django_sends_them():
    sink = SmtpSink()
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=sink.port)
    first = EmailMessage(
        "Moi", "Tervetuloa", "noreply@example.fi", ["anna@example.fi"], headers={"Message-ID": "<a@x>"}
    )
    second = EmailMessage("Hej", "Välkommen", "noreply@example.fi", ["ben@example.fi"], headers={"Message-ID": "<b@x>"})
    assert connection.send_messages([first, second, first]) == 3
    _wait_for(sink, 3)
    assert [(message["message_id"], message["to"]) for message in sink.messages] == [
        ("<a@x>", ["anna@example.fi"]),
        ("<b@x>", ["ben@example.fi"]),
        ("<a@x>", ["anna@example.fi"]),
    ]


def test_form_fields_are_read_as_a_browser_sends_them():
    page = """<form><input type="hidden" name="csrfmiddlewaretoken" value="t"><input name="website">
    <textarea name="highlights">Hyvä vuosi</textarea><select name="locality"><option value="">Valitse</option>
    <option value="3">Kainuu</option><option value="4">Vaasa</option></select>
    <select name="sector"><option value="a">A</option><option value="b" selected>B</option></select>
    <input type="checkbox" name="agree" value="1"><button type="submit" name="save" value="1">Save</button></form>"""
    assert form_fields(page) == {
        "csrfmiddlewaretoken": "t",
        "website": "",
        "highlights": "Hyvä vuosi",
        "locality": "",
        "sector": "b",
    }
    assert form_fields(page, choose=True)["locality"] == "3"


def _record(kind, method, status, started, ended):
    return {"kind": kind, "method": method, "path": "/", "status": status, "started": started, "ended": ended}


def test_only_the_faults_own_answers_are_planned():
    records = [
        _record("public", "GET", 200, 1.0, 1.1),
        _record("public", "GET", 0, 9.9, 10.2),  # under way when the web worker was killed at 10 s
        _record("public", "GET", 0, 20.0, 20.1),  # no answer, no kill: an error
        _record("registration", "POST", 503, 31.0, 31.5),  # Redis down from 30 to 50 s: planned
        _record("registration", "POST", 503, 55.0, 55.1),  # after Redis came back: an error
        _record("registration", "POST", 200, 40.0, 40.2),  # the form shown again: not saved, an error
        _record("report_draft", "POST", 302, 41.0, 41.2),
        _record("registration", "POST", 500, 42.0, 42.2),
    ]
    by_kind, latencies, unplanned, cut = classify(records, kill_at=[10.0], redis_down=[30.0, 50.0])
    assert [record["started"] for record in cut] == [9.9]
    assert [(record["started"], record["status"]) for record in unplanned] == [
        (20.0, 0),
        (55.0, 503),
        (40.0, 200),
        (42.0, 500),
    ]
    assert by_kind["registration POST"] == {503: 2, 200: 1, 500: 1}
    assert by_kind["registration POST, Redis down"] == {503: 1, 200: 1, 500: 1}
    assert len(latencies["public GET"]) == 3
