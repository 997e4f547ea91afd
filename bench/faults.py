"""Load and fault run (issue 15): `make bench-faults` (`python -m bench faults`), on PostgreSQL only.

20 clients for 60 s mix public pages, coordinator pages (logged in), statistics report drafts (saved) and anonymous
training registrations (through the bot guard: the form's signed time at least 2 s old, the honeypot empty) against
gunicorn (2 sync workers, production settings on plain HTTP) with a real Celery worker and beat on a Redis of the
run's own, e-mail going over SMTP to a sink in this process that records each message's Message-ID. During the run
one gunicorn worker is killed (SIGKILL), then the Celery worker (its whole process group; started again after a
while), and Redis is stopped for 20 s and started again.

Then, after the outbox has had time to drain: every status code per kind of request (none outside the planned
ones), every write that was answered as saved present in the database (registrations by their unique address, each
report's last saved draft by its unique text), every e-mail of a saved registration delivered exactly once (by
Message-ID). The figures go to a section of docs/benchmarks.md; the exit status is 1 when a check fails.

`BENCH_FAULTS_SECONDS`, `BENCH_FAULTS_CLIENTS` and `BENCH_FAULTS_REDIS_PORT` (default: a free port) change the run;
`BENCH_FAULTS_SMTP_ANSWER_AFTER=0.5` has the mail server take that long to accept each message, so that the Celery
worker's kill falls inside a delivery (a section of its own).
"""

import asyncio
import collections
import html.parser
import http.client
import itertools
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_FAULTS_SECONDS", "60"))
SMTP_ANSWER_AFTER = float(os.environ.get("BENCH_FAULTS_SMTP_ANSWER_AFTER", "0"))
CLIENTS = int(os.environ.get("BENCH_FAULTS_CLIENTS", "20"))
WORKERS = 2
REDIS_DOWN_SECONDS = 20
# When each fault happens, in seconds from the start of the load (scaled to a shorter run).
TIMELINE = [
    (0.15, "kill -9 one gunicorn worker"),
    (0.30, "kill -9 the Celery worker (its process group)"),
    (0.45, "start the Celery worker again"),
    (0.55, "stop Redis"),
]
DRAIN_SECONDS = 150
PASSWORD = "bench-faults-password"
PUBLIC_PAGES = [
    "/",
    "/localities/",
    "/sv/localities/",
    "/venues/",
    "/statistics/",
    "/trainings/",
    "/api/v1/localities/",
]
# Kinds of request a client picks from, with weights (registrations and drafts wait for their human pauses).
MIX = [("public", 6), ("coordinator", 3), ("report_draft", 2), ("registration", 2)]


# --- A mail server that only listens ------------------------------------------------------------------------


class SmtpSink:
    """A minimal SMTP server (asyncio, in a thread of its own) that accepts every message and records its
    Message-ID and recipients."""

    def __init__(self, *, answer_after: float = 0.0) -> None:
        self.messages: list[dict] = []
        # Seconds between a message's end and the "250" (a slow mail server): a sender killed meanwhile has had
        # its message accepted without knowing it.
        self.answer_after = answer_after
        self._sessions = itertools.count(1)
        self.port = _free_port()
        self._loop = asyncio.new_event_loop()
        listening = threading.Event()
        threading.Thread(target=self._serve, args=(listening,), daemon=True).start()
        listening.wait(timeout=10)

    def _serve(self, listening: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", self.port))
        listening.set()
        self._loop.run_until_complete(server.serve_forever())

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        session = next(self._sessions)
        await reply("220 sink ready")
        recipients: list[str] = []
        while line := await reader.readline():
            command = line.decode("latin-1").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                await reply("250-sink\r\n250 8BITMIME")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                await reply("250 ok")
            elif verb == "DATA":
                await reply("354 end with .")
                lines = []
                while (data := await reader.readline()) not in (b".\r\n", b""):
                    lines.append(data.decode("utf-8", "replace"))
                headers = "".join(lines).split("\r\n\r\n", 1)[0]
                message_id = next(
                    (h.split(":", 1)[1].strip() for h in headers.split("\r\n") if h.lower().startswith("message-id:")),
                    "",
                )
                self.messages.append(
                    {"message_id": message_id, "to": recipients, "at": time.time(), "session": session}
                )
                recipients = []
                await asyncio.sleep(self.answer_after)
                await reply("250 queued")
            elif verb == "QUIT":
                await reply("221 bye")
                break
            else:  # HELO, MAIL, RSET, NOOP
                if verb == "MAIL":
                    recipients = []
                await reply("250 ok")
        writer.close()


# --- A client -------------------------------------------------------------------------------------------------


class FormFields(html.parser.HTMLParser):
    """The named fields of a page's forms as a browser would send them (buttons left out), and the links."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.first_option: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "radio"):
            self.fields.setdefault(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""
        elif tag == "option" and self._select and attrs.get("value"):
            self.first_option.setdefault(self._select, attrs["value"])
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(body: str, *, choose: bool = False) -> dict[str, str]:
    """The fields' values; with `choose`, a select left empty takes its first choice, as a person would pick one."""
    parser = FormFields()
    parser.feed(body)
    if choose:
        return {**parser.fields, **{k: v for k, v in parser.first_option.items() if not parser.fields.get(k)}}
    return parser.fields


class Client:
    """One visitor: its own connection and cookies (kept whatever their Secure flag: the run is plain HTTP, as
    behind a TLS proxy) and a record of every request (kind, status, seconds, when)."""

    def __init__(self, port: int, records: list) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.records = records
        self.connection: http.client.HTTPConnection | None = None

    def request(self, kind: str, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, body, Location); status 0 with the error's name as body when the connection failed."""
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.time()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            status, location = response.status, response.getheader("Location", "")
            for header in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(header).items():
                    self.cookies[key] = morsel.value
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
        except (OSError, http.client.HTTPException) as error:
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            status, text, location = 0, type(error).__name__, ""
        self.records.append(
            {"kind": kind, "method": method, "path": path, "status": status, "started": started, "ended": time.time()}
        )
        return status, text, location


# --- Processes ------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


class Services:
    """Redis, gunicorn, the Celery worker and beat, each started here and stopped at the end."""

    def __init__(self, environment: dict[str, str], redis_port: int, scratch: str) -> None:
        self.environment = environment
        self.redis_port = redis_port
        self.scratch = scratch
        self.port = _free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = {name: open(Path(scratch) / f"{name}.log", "ab") for name in ("redis", "web", "worker", "beat")}  # noqa: SIM115

    def _start(self, name: str, command: list[str]) -> None:
        self.processes[name] = subprocess.Popen(  # noqa: S603 - fixed arguments
            command,
            cwd=ROOT,
            env=self.environment,
            stdout=self.logs[name],
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches its children too
        )

    def start_redis(self) -> None:
        self._start(
            "redis", [shutil.which("redis-server"), "--port", str(self.redis_port), "--save", "", "--appendonly", "no"]
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.2) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop_redis(self) -> None:
        self.processes["redis"].terminate()
        self.processes["redis"].wait(timeout=10)

    def start_web(self) -> None:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self._start(
            "web",
            [gunicorn, "kaikukeskus.wsgi", f"--workers={WORKERS}", f"--bind=127.0.0.1:{self.port}", "--timeout=60"],
        )
        for _ in range(300):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/health/", headers={"Host": f"127.0.0.1:{self.port}"})
                if connection.getresponse().status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer")

    def web_workers(self) -> list[int]:
        return _children(self.processes["web"].pid)

    def start_worker(self) -> None:
        celery = str(Path(sys.executable).with_name("celery"))
        self._start("worker", [celery, "-A", "kaikukeskus", "worker", "--concurrency=1", "--loglevel=WARNING"])

    def kill_worker(self) -> None:
        os.killpg(self.processes["worker"].pid, signal.SIGKILL)
        self.processes["worker"].wait(timeout=10)

    def start_beat(self) -> None:
        celery = str(Path(sys.executable).with_name("celery"))
        schedule = str(Path(self.scratch) / "beat-schedule")
        self._start("beat", [celery, "-A", "kaikukeskus", "beat", "-s", schedule, "--loglevel=WARNING"])

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


# --- The run --------------------------------------------------------------------------------------------------


def _setup_data(run_id: str) -> dict:
    """The demo data, a password every demo coordinator logs in with, the open training and the draft reports
    (each written by one client only, so a draft's last save is the one the database must hold)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.urls import reverse

    from localities.models import Coordinator
    from stats.models import LocalityReport
    from trainings.models import Training

    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    coordinators = list(
        Coordinator.objects.filter(ended_on=None, user__is_staff=False)
        .select_related("user", "locality")
        .order_by("locality__slug")
    )
    user = coordinators[0].user
    user.set_password(PASSWORD)
    hashed = user.password
    get_user_model().objects.filter(pk__in=[c.user_id for c in coordinators]).update(password=hashed)
    reports = [
        report
        for report in LocalityReport.objects.filter(locality__in=[c.locality for c in coordinators]).select_related(
            "locality"
        )
        if report.editable_by_coordinators()
    ]
    training = next(t for t in Training.objects.order_by("pk") if t.is_registration_open and t.capacity is None)
    by_locality = {c.locality_id: c for c in coordinators}
    return {
        "coordinators": [
            {
                "email": c.user.email,
                "pages": ["/portal/", reverse("stats:report-list", kwargs={"slug": c.locality.slug})],
            }
            for c in coordinators
        ],
        "reports": [
            {
                "pk": report.pk,
                "email": by_locality[report.locality_id].user.email,
                "path": reverse("stats:report-edit", kwargs={"slug": report.locality.slug, "pk": report.pk}),
            }
            for report in reports
        ],
        "training": {"pk": training.pk, "path": reverse("trainings:detail", kwargs={"pk": training.pk})},
    }


def _client_loop(
    index: int, port: int, plan: dict, run_id: str, ready: threading.Barrier, schedule: dict, results: dict
) -> None:
    """Log in, wait for the others (`ready`), then send requests of the mix until `schedule["stop_at"]`."""
    import random

    rng = random.Random(index)
    records = results["records"]
    client = Client(port, records)
    coordinator = plan["coordinators"][index % len(plan["coordinators"])]
    # The first clients each own one draft report; the rest log in as a coordinator and read.
    report = plan["reports"][index] if index < len(plan["reports"]) else None
    if report:
        coordinator = next(c for c in plan["coordinators"] if c["email"] == report["email"])
    status, body, _location = client.request("login", "GET", "/accounts/login/")
    fields = form_fields(body)
    status, _body, location = client.request(
        "login",
        "POST",
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
            "login": coordinator["email"],
            "password": PASSWORD,
        },
    )
    anonymous = Client(port, records)  # registrations come from visitors, not from the coordinator's session
    ready.wait()
    stop_at = schedule["stop_at"]
    kinds = [kind for kind, weight in MIX for _ in range(weight) if kind != "report_draft" or report]
    serial = 0
    while time.time() < stop_at:
        kind = rng.choice(kinds)
        serial += 1
        if kind == "public":
            anonymous.request(kind, "GET", rng.choice(PUBLIC_PAGES))
        elif kind == "coordinator":
            client.request(kind, "GET", rng.choice(coordinator["pages"]))
        elif kind == "report_draft":
            status, body, _location = client.request(kind, "GET", report["path"])
            if status != 200:
                continue
            fields = form_fields(body)
            marker = f"bench {run_id} client {index} save {serial}"
            fields["highlights"] = marker
            fields["save"] = "1"
            time.sleep(0.5)
            status, _body, location = client.request(kind, "POST", report["path"], fields)
            if status == 302:
                results["drafts_saved"][report["pk"]] = [marker]
                results["draft_saves"] += 1
            elif status == 0 and report["pk"] in results["drafts_saved"]:
                # Cut by the kill: saved or not, nobody was told; the database may hold this one instead.
                results["drafts_saved"][report["pk"]].append(marker)
        elif kind == "registration":
            anonymous.cookies.pop("sessionid", None)
            status, body, _location = anonymous.request(kind, "GET", plan["training"]["path"])
            if status != 200:
                continue
            fields = form_fields(body, choose=True)
            fields.pop("website", None)  # the honeypot stays empty; sent empty below
            email = f"bench-{run_id}-{index}-{serial}@faults.example"
            time.sleep(2.2)  # the bot guard: a person takes at least 2 s
            status, _body, location = anonymous.request(
                kind,
                "POST",
                plan["training"]["path"],
                {
                    **fields,
                    "website": "",
                    "name": f"Bench {index} {serial}",
                    "email": email,
                    "organisation": "Bench",
                },
            )
            if status == 302 and "/registration/" in location:
                results["registrations_saved"].append(email)


def _run_faults(services: Services, started: float, timeline: list) -> None:
    scale = SECONDS / 60
    steps = [(started + fraction * 60 * scale, what) for fraction, what in TIMELINE]
    steps.append((steps[-1][0] + REDIS_DOWN_SECONDS * scale, "start Redis again"))
    for at, what in steps:
        time.sleep(max(0.0, at - time.time()))
        if what.startswith("kill -9 one gunicorn"):
            worker = services.web_workers()[0]
            os.kill(worker, signal.SIGKILL)
            what += f" (pid {worker})"
        elif what.startswith("kill -9 the Celery"):
            services.kill_worker()
        elif what.startswith("start the Celery"):
            services.start_worker()
        elif what == "stop Redis":
            services.stop_redis()
        elif what == "start Redis again":
            services.start_redis()
        timeline.append((round(time.time() - started, 1), what))


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        print("bench faults: set DATABASE_URL=postgres://… (a scratch database: the run seeds the demo data)")
        return 2
    for program in ("redis-server",):
        if shutil.which(program) is None:
            print(f"bench faults: {program} is not installed")
            return 2
    run_id = secrets.token_hex(3)
    scratch = tempfile.mkdtemp(prefix="kaikukeskus-faults-")
    sink = SmtpSink(answer_after=SMTP_ANSWER_AFTER)
    redis_port = int(os.environ.get("BENCH_FAULTS_REDIS_PORT") or _free_port())
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kaikukeskus.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "TRAININGS_REGISTRATIONS_PER_IP": "100000",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update({key: environment[key] for key in ("REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE")})
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    services = Services(environment, redis_port, scratch)
    services.start_redis()
    call_command("migrate", verbosity=0, interactive=False)
    plan = _setup_data(run_id)
    connection.close()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True
    )
    results = {
        "records": [],
        "drafts_saved": {},
        "draft_saves": 0,
        "registrations_saved": [],
    }
    timeline: list = []
    try:
        services.start_web()
        services.start_worker()
        services.start_beat()
        schedule: dict = {}

        def start_load() -> None:
            schedule["started"] = time.time()
            schedule["stop_at"] = schedule["started"] + SECONDS

        # Every client logs in first; the load and the faults' clock start when all have.
        ready = threading.Barrier(CLIENTS + 1, action=start_load)
        threads = [
            threading.Thread(
                target=_client_loop, args=(i, services.port, plan, run_id, ready, schedule, results), daemon=True
            )
            for i in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(5)  # the Celery worker and beat connect meanwhile
        ready.wait(timeout=300)
        started = schedule["started"]
        load_average = f"{os.getloadavg()[0]:.1f}"
        _run_faults(services, started, timeline)
        for thread in threads:
            thread.join(timeout=SECONDS + 120)
        ended = time.time()
        timeline.append((round(ended - started, 1), "load ends"))
        drained_by = _wait_for_outbox(run_id, started, timeline)
        figures = _check(results, plan, run_id, sink, started, timeline, drained_by)
    finally:
        services.stop_all()
    figures["logs"] = scratch
    figures["load_average"] = load_average
    _write_section(figures, timeline)
    print(json.dumps({key: value for key, value in figures.items() if key != "by_kind"}, indent=1))
    return 0 if figures["ok"] else 1


def _run_emails(run_id: str):
    from post_office.models import Email

    return Email.objects.filter(to__contains=f"bench-{run_id}-")


def _wait_for_outbox(run_id: str, started: float, timeline: list) -> str:
    """Until every queued message of the run is sent (the worker's after-commit task and the beat's minute run),
    at most `DRAIN_SECONDS`; then, if any is left, `mail.deliver_queued()` by hand, as the brief allows."""
    from django.db import connection
    from post_office.models import STATUS

    deadline = time.time() + DRAIN_SECONDS
    while time.time() < deadline:
        left = _run_emails(run_id).exclude(status=STATUS.sent).count()
        if not left:
            timeline.append((round(time.time() - started, 1), "outbox drained by the worker and the beat"))
            return "worker"
        time.sleep(2)
    connection.close()
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from kaikukeskus import mail; print(mail.deliver_queued())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    output = output.splitlines()[-1] if output else "no output"  # the counts, after the shell's banner
    timeline.append((round(time.time() - started, 1), f"outbox not drained: deliver_queued() by hand: {output}"))
    return "by hand"


def classify(records: list[dict], *, kill_at: list[float], redis_down: list[float]) -> tuple[dict, dict, list, list]:
    """Statuses and latencies per kind of request (and again for those under way while Redis was down, between
    the two times of `redis_down`), the requests with an unplanned answer, and those cut by a web worker's kill
    (no answer, under way at one of `kill_at`). Planned: a 503 while Redis is down, and the cut requests. Else a
    GET answers 200 and a form that saved redirects (302); anything else, a form shown again included, is not."""
    by_kind: dict = collections.defaultdict(collections.Counter)
    latencies: dict = collections.defaultdict(list)
    unplanned, cut_by_kill = [], []
    for record in records:
        key = f"{record['kind']} {record['method']}"
        status = record["status"]
        in_flight_at_kill = any(record["started"] <= at <= record["ended"] + 0.5 for at in kill_at)
        during_redis = len(redis_down) == 2 and redis_down[0] <= record["ended"] and record["started"] <= redis_down[1]
        for row in [key, f"{key}, Redis down"] if during_redis else [key]:
            by_kind[row][status] += 1
            latencies[row].append(record["ended"] - record["started"])
        if status == 0 and in_flight_at_kill:
            cut_by_kill.append(record)
        elif status == 503 and during_redis:
            pass
        elif status != (302 if record["method"] == "POST" else 200):
            unplanned.append(record)
    return by_kind, latencies, unplanned, cut_by_kill


def _check(results, plan, run_id, sink, started, timeline, drained_by) -> dict:
    from post_office.models import STATUS

    from stats.models import LocalityReport
    from trainings.models import Registration

    time.sleep(2)  # the sink's last message
    records = results["records"]
    kill_at = [started + at for at, what in timeline if what.startswith("kill -9 one gunicorn")]
    redis_down = [started + at for at, what in timeline if what in ("stop Redis", "start Redis again")]
    by_kind, latencies, unplanned, cut_by_kill = classify(records, kill_at=kill_at, redis_down=redis_down)
    # Writes answered as saved, and what the database holds.
    saved_emails = set(results["registrations_saved"])
    present = set(Registration.objects.filter(email__in=saved_emails).values_list("email", flat=True))
    in_database = Registration.objects.filter(email__contains=f"bench-{run_id}-").count()
    drafts_ok = sum(
        1
        for pk, markers in results["drafts_saved"].items()
        if LocalityReport.objects.filter(pk=pk, highlights__in=markers).exists()
    )
    # E-mails: queued in the outbox for the run's registrations, and what the sink received.
    emails = list(_run_emails(run_id).values("message_id", "status", "to", "created"))
    queued_ids = {email["message_id"] for email in emails}
    received = [message for message in sink.messages if any(f"bench-{run_id}-" in to for to in message["to"])]
    # From the registration's commit (the message queued) to its arrival: the outages' cost in waiting.
    created = {email["message_id"]: email["created"].timestamp() for email in emails}
    waits = [message["at"] - created[message["message_id"]] for message in received if message["message_id"] in created]
    received_counts = collections.Counter(message["message_id"] for message in received)
    duplicates = sum(count - 1 for count in received_counts.values() if count > 1)
    # Every message the sink received during the run (other mail too, e.g. left queued before it), by Message-ID.
    all_counts = collections.Counter(message["message_id"] for message in sink.messages)
    all_duplicates = sum(count - 1 for count in all_counts.values() if count > 1)
    # Each duplicate: when it came (seconds from the start) and in which SMTP session (one a sender's batch).
    duplicate_details = [
        [(round(m["at"] - started, 1), m["session"]) for m in sink.messages if m["message_id"] == message_id]
        for message_id, count in all_counts.items()
        if count > 1
    ]
    missing = len(queued_ids - set(received_counts))
    registrations_without_mail = len(
        saved_emails - {address for email in emails for address in email["to"] if address in saved_emails}
    )
    figures = {
        "run_id": run_id,
        "requests": len(records),
        "by_kind": {
            key: {
                "statuses": dict(sorted(counter.items())),
                "p50_ms": round(_percentile(latencies[key], 0.5) * 1000),
                "p95_ms": round(_percentile(latencies[key], 0.95) * 1000),
            }
            for key, counter in sorted(by_kind.items())
        },
        "unplanned_errors": len(unplanned),
        "unplanned_examples": [
            f"{r['kind']} {r['method']} {r['path']} → {r['status']} at {r['started'] - started:.1f} s"
            for r in unplanned[:10]
        ],
        "cut_by_worker_kill": len(cut_by_kill),
        "cut_examples": [f"{r['kind']} {r['method']} {r['path']}" for r in cut_by_kill],
        "registrations_saved": len(saved_emails),
        "registrations_present": len(present),
        "registrations_in_database": in_database,
        "draft_saves": results["draft_saves"],
        "drafts_last_save_present": f"{drafts_ok} of {len(results['drafts_saved'])} reports",
        "emails_queued": len(emails),
        "emails_sent_status": sum(1 for email in emails if email["status"] == STATUS.sent),
        "emails_delivered": len(received_counts),
        "emails_received_total": len(received),
        "emails_duplicates": duplicates,
        "emails_missing": missing,
        "email_wait_p50_s": round(_percentile(waits, 0.5), 1),
        "email_wait_max_s": round(max(waits, default=0), 1),
        "sink_messages": len(sink.messages),
        "sink_duplicates": all_duplicates,
        "duplicates_received_at_s_session": duplicate_details[:10],
        "sink_sessions": len({message["session"] for message in sink.messages}),
        "registrations_without_mail": registrations_without_mail,
        "outbox_drained_by": drained_by,
    }
    figures["ok"] = (
        not unplanned
        and len(present) == len(saved_emails)
        and drafts_ok == len(results["drafts_saved"])
        and not duplicates
        and not all_duplicates
        and not missing
        and not registrations_without_mail
        and len(emails) > 0
        and results["draft_saves"] > 0
    )
    figures["by_kind_full"] = figures["by_kind"]
    return figures


def _write_section(figures: dict, timeline: list) -> None:
    from bench.__main__ import run_on, write_results

    title = "postgresql: load and faults"
    if SMTP_ANSWER_AFTER:
        title += f", a mail server answering after {SMTP_ANSWER_AFTER:g} s"
    lines = [
        f"## {title}",
        "",
        f"`make bench-faults` (`bench/faults.py`): {CLIENTS} clients for {SECONDS} s on the demo data (`seed_demo`), "
        f"each mixing public pages, its coordinator's portal pages (logged in), saving its locality's statistics "
        "report draft (the first clients, one report each) and anonymous training registrations through the bot "
        "guard (the signed time ≥ 2 s old, the honeypot empty; the per-address limit raised for the run). gunicorn "
        f"with {WORKERS} sync workers, production settings on plain HTTP; a Celery worker (concurrency 1) and beat on "
        "a Redis of the run's own; e-mail over SMTP to a sink in the bench process recording each Message-ID. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared by the server, the clients and other jobs "
        f'(load average {figures["load_average"]} when the load started); {run_on()} The rows "Redis down" count '
        "again the requests that were under way while Redis was stopped. Every client logs in before the clock "
        "starts (the login rows); each registration has an address of its own (the per-address limit is not "
        "reached; `TRAININGS_REGISTRATIONS_PER_IP` is raised, all clients share 127.0.0.1); the latencies are those "
        "of two cores that the 20 clients (Python threads), gunicorn, Celery and other jobs share. Planned answers: "
        "a 503 from a page that needs the broker while Redis is down (none of these does), and no answer for the "
        "request the killed web worker was serving (what a proxy in front shows as a 502); any other status than "
        "200 for a page or 302 for a saved form is an error. Writes answered as saved: registrations by their "
        "address, drafts by a unique text in `highlights`, each report's last saved one compared (or a later one "
        "whose request the kill cut).",
        *(
            [
                "",
                f"Here the mail server waits {SMTP_ANSWER_AFTER:g} s before it accepts each message, so that the "
                "Celery worker's kill falls inside a delivery. A message the server had taken (its last line received) "
                "before its answer reached the killed worker is sent again by the next run: the outbox's "
                "at-least-once window (kaikukeskus/mail.py), at most the one message under way per kill since each "
                "message is marked sent before the next goes (before, the whole batch of up to 50 was sent again).",
            ]
            if SMTP_ANSWER_AFTER
            else []
        ),
        "",
        "Timeline (seconds from the start of the load):",
        "",
        *[f"- {at:.1f} s: {what}" for at, what in timeline],
        "",
        "| requests | statuses | p50 ms | p95 ms |",
        "|---|---|---|---|",
    ]
    for key, row in figures["by_kind_full"].items():
        statuses = ", ".join(f"{status or 'no answer'}: {count}" for status, count in row["statuses"].items())
        lines.append(f"| {key} | {statuses} | {row['p50_ms']} | {row['p95_ms']} |")
    lines += [
        "",
        "| check | result |",
        "|---|---|",
        f"| errors outside the planned ones (a 503 while Redis is down; the request cut when its worker is killed) "
        f"| {figures['unplanned_errors']} |",
        f"| requests cut by the worker's kill (no answer) | {figures['cut_by_worker_kill']} |",
        f"| registrations answered as saved / present in the database | {figures['registrations_saved']} / "
        f"{figures['registrations_present']} |",
        f"| report drafts answered as saved / each report's last saved draft in the database | "
        f"{figures['draft_saves']} / {figures['drafts_last_save_present']} |",
        f"| e-mails queued / delivered (distinct Message-IDs) / duplicates / missing | {figures['emails_queued']} / "
        f"{figures['emails_delivered']} / {figures['emails_duplicates']} / {figures['emails_missing']} |",
        f"| all messages the sink received / duplicates among them | {figures['sink_messages']} / "
        f"{figures['sink_duplicates']} |",
        f"| e-mail's wait from the saved registration to its arrival, p50 / max | {figures['email_wait_p50_s']} s / "
        f"{figures['email_wait_max_s']} s |",
        f"| saved registrations without an e-mail | {figures['registrations_without_mail']} |",
        f"| outbox drained by | {figures['outbox_drained_by']} |",
        f"| all checks pass | {'yes' if figures['ok'] else 'no'} |",
    ]
    del figures["by_kind_full"]
    write_results(title, "\n".join(lines))
