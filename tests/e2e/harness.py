"""End-to-end harness: a private Redis plus the real qpv-stakeholder and
qpv-workshop binaries (and, on request, qpv-reporting and qpv-national with
national on its own Redis, as in production), driven from Python over gRPC.

Black-box on purpose: nothing here knows how the services are written; it only
uses the contract (docs/SYSTEM.md, the protos, the environment variables).

Environment:
  QPV_BIN_DIR      folder holding the qpv-* binaries
                   (default: <repo>/build/bin)
  QPV_PYTHON_DIR   folder holding the generated Python modules
                   (default: <repo>/build/python)
  QPV_E2E_KEEP     set to 1 to keep the temporary folder (logs, AOF) after a run

Every process is started with PR_SET_PDEATHSIG so that it dies with the test
runner even when the runner itself is killed (CTest timeout); the normal path
stops them in tearDownClass and an atexit hook catches what is left.
"""

import atexit
import concurrent.futures
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

_HERE = os.path.dirname(os.path.abspath(__file__))
_REPO = os.path.dirname(os.path.dirname(_HERE))
BIN_DIR = os.environ.get("QPV_BIN_DIR") or os.path.join(_REPO, "build", "bin")
PYTHON_DIR = os.environ.get("QPV_PYTHON_DIR") or os.path.join(_REPO, "build", "python")

if not os.path.isfile(os.path.join(PYTHON_DIR, "qpv", "workshop", "v1", "workshop_service_pb2_grpc.py")):
    raise RuntimeError(
        "generated Python modules not found in QPV_PYTHON_DIR=%s: build the target "
        "qpv_python_protos (cmake --build <build> --target qpv_python_protos)" % PYTHON_DIR)
if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)

# grpcio's fork support installs pthread_atfork handlers that can hang fork()
# while its threads are busy: the harness forks a service while channels are
# live (seen: a child never started, the test waited for it until its
# timeout). It must be off before grpc is imported; CTest sets it too, for
# modules that import grpc before this one.
os.environ["GRPC_ENABLE_FORK_SUPPORT"] = "false"
import grpc  # noqa: E402  (Debian python3-grpcio)
from google.protobuf import field_mask_pb2, timestamp_pb2  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402
from qpv.common.v1 import common_pb2, error_info_pb2  # noqa: E402,F401
from qpv.stakeholder.v1 import stakeholder_pb2, stakeholder_service_pb2  # noqa: E402,F401
from qpv.stakeholder.v1 import stakeholder_service_pb2_grpc  # noqa: E402
from qpv.workshop.v1 import workshop_pb2, workshop_service_pb2  # noqa: E402,F401
from qpv.workshop.v1 import workshop_service_pb2_grpc  # noqa: E402
from qpv.reporting.v1 import reporting_pb2, reporting_service_pb2  # noqa: E402,F401
from qpv.reporting.v1 import reporting_service_pb2_grpc  # noqa: E402
from qpv.national.v1 import national_pb2, national_service_pb2  # noqa: E402,F401
from qpv.national.v1 import national_service_pb2_grpc  # noqa: E402
from qpv_health import health_pb2, health_pb2_grpc  # noqa: E402

# Short aliases used by the test modules.
C = common_pb2
S = stakeholder_pb2
SS = stakeholder_service_pb2
W = workshop_pb2
WS = workshop_service_pb2
R = reporting_pb2
RS = reporting_service_pb2
N = national_pb2
NS = national_service_pb2
Code = grpc.StatusCode

STAKEHOLDER = "stakeholder"
WORKSHOP = "workshop"
REPORTING = "reporting"
NATIONAL = "national"
SERVICE_PATHS = {
    STAKEHOLDER: "/qpv.stakeholder.v1.StakeholderService/",
    WORKSHOP: "/qpv.workshop.v1.WorkshopService/",
    REPORTING: "/qpv.reporting.v1.ReportingService/",
    NATIONAL: "/qpv.national.v1.NationalAggregationService/",
}
# Préfectures every stack serves.
PREFECTURES = "59,62,2A,971"
CALL_TIMEOUT = 10.0
START_TIMEOUT = 20.0
ERROR_INFO_TYPE_URL = "type.googleapis.com/google.rpc.ErrorInfo"
BAD_REQUEST_TYPE_URL = "type.googleapis.com/google.rpc.BadRequest"

_CHANNEL_OPTIONS = [
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 500),
    ("grpc.enable_retries", 0),
]

_PR_SET_PDEATHSIG = 1
try:
    _libc = ctypes.CDLL("libc.so.6", use_errno=True)
except OSError:  # pragma: no cover
    _libc = None


def _die_with_parent():
    # Runs in the child between fork and exec.
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.setpgrp()


_ALL_PROCESSES = []
_ALL_LOCK = threading.Lock()


def _kill_all_at_exit():
    with _ALL_LOCK:
        procs = list(_ALL_PROCESSES)
    for p in procs:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(5)
            except Exception:  # noqa: BLE001
                pass


atexit.register(_kill_all_at_exit)


def free_port():
    """A free loopback TCP port (bind port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------
# Errors


def status_details(err):
    """The google.rpc.Status carried in grpc-status-details-bin, or None."""
    md = err.trailing_metadata() if hasattr(err, "trailing_metadata") else None
    for key, value in md or ():
        if key == "grpc-status-details-bin":
            return status_pb2.Status.FromString(value)
    return None


def bad_fields(err):
    """Field names of the google.rpc.BadRequest violations of an RpcError."""
    st = status_details(err)
    fields = []
    if st is None:
        return fields
    for any_msg in st.details:
        if any_msg.type_url == BAD_REQUEST_TYPE_URL:
            br = error_details_pb2.BadRequest.FromString(any_msg.value)
            fields.extend(v.field for v in br.field_violations)
    return fields


def error_info(err):
    """The ErrorInfo (as qpv.common.v1.ErrorInfo) of an RpcError, or None."""
    st = status_details(err)
    if st is None:
        return None
    for any_msg in st.details:
        if any_msg.type_url == ERROR_INFO_TYPE_URL:
            return error_info_pb2.ErrorInfo.FromString(any_msg.value)
    return None


def reason(err):
    info = error_info(err)
    return info.reason if info is not None else None


def describe(err):
    """One line for assertion messages."""
    try:
        return "%s: %r fields=%s reason=%s" % (err.code(), err.details(), bad_fields(err), reason(err))
    except Exception:  # noqa: BLE001
        return repr(err)


# ---------------------------------------------------------------------------
# Time and resource helpers


def ts(iso):
    """Timestamp from an ISO 8601 UTC string such as 2018-02-06T08:30:00Z."""
    t = timestamp_pb2.Timestamp()
    t.FromJsonString(iso)
    return t


def mask(*paths):
    return field_mask_pb2.FieldMask(paths=list(paths))


def rid():
    return str(uuid.uuid4())


def list_all(method, request, field, page_size=None):
    """Pages through a List method; returns (items, pages)."""
    items, pages = [], 0
    req = type(request)()
    req.CopyFrom(request)
    if page_size is not None:
        req.page_size = page_size
    while True:
        resp = method(req)
        pages += 1
        items.extend(getattr(resp, field))
        if not resp.next_page_token:
            return items, pages
        req.page_token = resp.next_page_token
        if pages > 10000:
            raise AssertionError("paging does not end")


# ---------------------------------------------------------------------------
# Stubs with a default deadline


class _TimeoutStub:
    """Wraps a generated stub so every call has a deadline (CALL_TIMEOUT)."""

    def __init__(self, stub):
        self._stub = stub

    def __getattr__(self, name):
        method = getattr(self._stub, name)

        def call(request, timeout=CALL_TIMEOUT, **kwargs):
            return method(request, timeout=timeout, **kwargs)

        call.with_call = lambda request, timeout=CALL_TIMEOUT, **kw: method.with_call(
            request, timeout=timeout, **kw)
        call.future = lambda request, timeout=CALL_TIMEOUT, **kw: method.future(
            request, timeout=timeout, **kw)
        return call


# ---------------------------------------------------------------------------
# Processes


class _Process:
    def __init__(self, name, argv, env, log_path, cwd):
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_path
        self.cwd = cwd
        self.proc = None

    def start(self):
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("%s already running" % self.name)
        log = open(self.log_path, "ab")
        try:
            log.write(("---- start %s ----\n" % time.strftime("%H:%M:%S")).encode())
            log.flush()
            self.proc = subprocess.Popen(
                self.argv, env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL,
                stdout=log, stderr=log, preexec_fn=_die_with_parent)
        finally:
            log.close()
        with _ALL_LOCK:
            _ALL_PROCESSES.append(self.proc)

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal_and_wait(self, sig, timeout):
        """Sends sig, waits for exit; returns the exit code (None if still running)."""
        if not self.running():
            return self.proc.returncode if self.proc else None
        self._signal_group(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def _signal_group(self, sig):
        # The child leads its own process group (setpgrp): signal the group so
        # nothing it spawned is left behind.
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self):
        if self.running():
            self._signal_group(signal.SIGKILL)
            self.proc.wait(10)
        return self.proc.returncode if self.proc else None

    def log_tail(self, lines=80):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(data[-lines:])


def _redis_command(sock_path, *args, timeout=1.0):
    """Sends one RESP command over the unix socket; returns the raw reply bytes."""
    payload = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        payload += b"$%d\r\n%s\r\n" % (len(a), a)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(sock_path)
        s.sendall(payload)
        return s.recv(65536)


class Stack:
    """A private Redis, qpv-stakeholder and qpv-workshop; with reporting=True
    also qpv-reporting, with national=True also qpv-national on a second
    private Redis. extra_env: {service: {VAR: value}} added to a service's
    environment."""

    def __init__(self, label="e2e", reporting=False, national=False, extra_env=None):
        self.names = [STAKEHOLDER, WORKSHOP]
        if reporting:
            self.names.append(REPORTING)
        if national:
            self.names.append(NATIONAL)
        self.extra_env = extra_env or {}
        self.binaries = {n: os.path.join(BIN_DIR, "qpv-" + n) for n in self.names}
        missing = [p for p in self.binaries.values() if not os.access(p, os.X_OK)]
        if missing:
            raise RuntimeError(
                "e2e binaries missing: %s (QPV_BIN_DIR=%s). Build them first (target "
                "qpv_e2e); the e2e tests never skip." % (", ".join(missing), BIN_DIR))
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server not found: apt-get install redis-server")
        self.dir = tempfile.mkdtemp(prefix="qpv-e2e-%s-" % label)
        self.redis_socket = os.path.join(self.dir, "redis.sock")
        self.redis_url = "unix://" + self.redis_socket
        self.ports = {n: free_port() for n in self.names}
        self.addr = {k: "127.0.0.1:%d" % v for k, v in self.ports.items()}
        self.metrics_addr = {k: "127.0.0.1:%d" % free_port() for k in self.ports}
        self.redis = _Process(
            "redis",
            ["redis-server", "--port", "0", "--unixsocket", self.redis_socket,
             "--unixsocketperm", "700", "--save", "", "--appendonly", "yes",
             "--appendfsync", "everysec", "--dir", self.dir, "--daemonize", "no",
             "--loglevel", "warning"],
            dict(os.environ), os.path.join(self.dir, "redis.log"), self.dir)
        self.national_redis = None
        if national:
            ndir = os.path.join(self.dir, "national")
            os.mkdir(ndir)
            self.national_redis_socket = os.path.join(ndir, "redis.sock")
            self.national_redis = _Process(
                "national-redis",
                ["redis-server", "--port", "0", "--unixsocket", self.national_redis_socket,
                 "--unixsocketperm", "700", "--save", "", "--appendonly", "yes",
                 "--appendfsync", "everysec", "--dir", ndir, "--daemonize", "no",
                 "--loglevel", "warning"],
                dict(os.environ), os.path.join(self.dir, "national-redis.log"), ndir)
        self.services = {}
        for name in self.names:
            env = self.service_env(name)
            self.services[name] = _Process(
                name, [self.binaries[name]], env, os.path.join(self.dir, name + ".log"), self.dir)
        self._channels = {}
        self._lock = threading.Lock()

    def service_env(self, name):
        env = {k: v for k, v in os.environ.items() if not k.startswith("QPV_")}
        env.update({
            "QPV_LISTEN": self.addr[name],
            "QPV_METRICS_LISTEN": self.metrics_addr[name],
            "QPV_REDIS_URL": self.redis_url,
            "QPV_PREFECTURES": PREFECTURES,
            "QPV_DRAIN_TIMEOUT": "5s",
        })
        if name in (WORKSHOP, REPORTING):
            env["QPV_STAKEHOLDER_ADDR"] = self.addr[STAKEHOLDER]
        if name == REPORTING:
            env["QPV_WORKSHOP_ADDR"] = self.addr[WORKSHOP]
            env["QPV_NATIONAL_ADDR"] = self.addr.get(NATIONAL, "127.0.0.1:%d" % free_port())
        if name == NATIONAL:
            env["QPV_REDIS_URL"] = "unix://" + self.national_redis_socket
            del env["QPV_PREFECTURES"]
        env.update(self.extra_env.get(name, {}))
        return env

    # -- whole stack ------------------------------------------------------

    def start(self):
        try:
            self.start_redis()
            if self.national_redis is not None:
                self.start_redis(self.national_redis, self.national_redis_socket)
            for name in self.names:
                self.start_service(name)
        except BaseException:
            sys.stderr.write(self.logs())
            self.close()
            raise
        return self

    def close(self):
        for ch in list(self._channels.values()):
            ch.close()
        self._channels.clear()
        for name in reversed(self.names):
            p = self.services[name]
            if p.running():
                if p.signal_and_wait(signal.SIGTERM, 8) is None:
                    p.kill()
        for r in (self.redis, self.national_redis):
            if r is not None and r.running():
                if r.signal_and_wait(signal.SIGTERM, 8) is None:
                    r.kill()
        if os.environ.get("QPV_E2E_KEEP") == "1":
            sys.stderr.write("kept %s\n" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def logs(self, lines=60):
        out = ["", "======== e2e logs (%s) ========" % self.dir]
        redises = [r for r in (self.redis, self.national_redis) if r is not None]
        for p in redises + [self.services[n] for n in self.names]:
            out.append("-------- %s (last %d lines) --------" % (p.name, lines))
            out.append(p.log_tail(lines))
        out.append("")
        return "\n".join(out)

    # -- Redis --------------------------------------------------------------

    def redis_ping(self, sock=None):
        try:
            return _redis_command(sock or self.redis_socket, "PING").startswith(b"+PONG")
        except OSError:
            return False

    def start_redis(self, process=None, sock=None, timeout=START_TIMEOUT):
        process = process or self.redis
        process.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.redis_ping(sock):
                return
            if not process.running():
                raise RuntimeError("redis-server exited at start:\n" + process.log_tail())
            time.sleep(0.02)
        raise RuntimeError("redis-server not answering PING after %.0fs" % timeout)

    def stop_redis(self, sig=signal.SIGTERM):
        """Stops Redis (SIGTERM: it flushes the AOF); returns its exit code."""
        code = self.redis.signal_and_wait(sig, 10)
        if code is None:
            self.redis.kill()
        return code

    # -- services -----------------------------------------------------------

    def channel(self, name):
        with self._lock:
            ch = self._channels.get(name)
            if ch is None:
                ch = grpc.insecure_channel(self.addr[name], options=_CHANNEL_OPTIONS)
                self._channels[name] = ch
            return ch

    def _drop_channel(self, name):
        with self._lock:
            ch = self._channels.pop(name, None)
        if ch is not None:
            ch.close()

    @property
    def stakeholder(self):
        return _TimeoutStub(stakeholder_service_pb2_grpc.StakeholderServiceStub(self.channel(STAKEHOLDER)))

    @property
    def workshop(self):
        return _TimeoutStub(workshop_service_pb2_grpc.WorkshopServiceStub(self.channel(WORKSHOP)))

    @property
    def reporting(self):
        return _TimeoutStub(reporting_service_pb2_grpc.ReportingServiceStub(self.channel(REPORTING)))

    @property
    def national(self):
        return _TimeoutStub(
            national_service_pb2_grpc.NationalAggregationServiceStub(self.channel(NATIONAL)))

    def national_stub(self):
        """An unwrapped stub (for streaming calls)."""
        return national_service_pb2_grpc.NationalAggregationServiceStub(self.channel(NATIONAL))

    def health(self, name, service="", timeout=1.0):
        """The health status enum of a service, or None when it does not answer."""
        stub = health_pb2_grpc.HealthStub(self.channel(name))
        try:
            # wait_for_ready: a fail-fast call on a channel in reconnect backoff
            # fails at once without letting the channel reconnect.
            return stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=timeout,
                              wait_for_ready=True).status
        except grpc.RpcError:
            return None

    def wait_health(self, name, want=health_pb2.HealthCheckResponse.SERVING, timeout=START_TIMEOUT):
        """Polls health until it reports `want`; returns the seconds it took."""
        t0 = time.monotonic()
        deadline = t0 + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.health(name)
            if last == want:
                return time.monotonic() - t0
            p = self.services[name]
            if not p.running():
                raise AssertionError("%s exited (code %s) while waiting for health:\n%s" % (
                    name, p.proc.returncode, p.log_tail()))
            time.sleep(0.05)
        raise AssertionError("%s health is %s, not %s, after %.1fs" % (
            name, _health_name(last), _health_name(want), timeout))

    def start_service(self, name, timeout=START_TIMEOUT):
        self._drop_channel(name)
        self.services[name].start()
        self.wait_health(name, timeout=timeout)

    def stop_service(self, name, sig=signal.SIGTERM, timeout=10.0):
        """Sends sig and waits for the exit; returns the exit code (None if it hung)."""
        p = self.services[name]
        # Close our idle channel first: an idle Python channel does not poll its
        # connection, so it would not answer the server's graceful-GOAWAY ping
        # and the server would wait for its whole drain timeout.
        self._drop_channel(name)
        code = p.signal_and_wait(sig, timeout)
        if code is None:
            p.kill()
        return code

    def kill_service(self, name):
        return self.stop_service(name, signal.SIGKILL)

    def restart_service(self, name, sig=signal.SIGTERM):
        code = self.stop_service(name, sig)
        self.start_service(name)
        return code

    def raw_call(self, name, method, payload, response_class, timeout=CALL_TIMEOUT):
        """Calls `method` with hand-made wire bytes (e.g. invalid UTF-8)."""
        fn = self.channel(name).unary_unary(
            SERVICE_PATHS[name] + method,
            request_serializer=lambda b: b,
            response_deserializer=response_class.FromString)
        return fn(payload, timeout=timeout)


def _health_name(v):
    if v is None:
        return "no answer"
    return health_pb2.HealthCheckResponse.ServingStatus.Name(v)


SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def patch_bytes(message, placeholder, replacement):
    """Serializes `message` and swaps the bytes of a placeholder string for raw
    bytes of the same length (so every length prefix stays right)."""
    data = message.SerializeToString()
    placeholder = placeholder.encode() if isinstance(placeholder, str) else placeholder
    if len(placeholder) != len(replacement):
        raise ValueError("replacement must keep the length")
    if data.count(placeholder) != 1:
        raise ValueError("placeholder must occur once")
    return data.replace(placeholder, replacement)


# ---------------------------------------------------------------------------
# Test case base


class StackTestCase(unittest.TestCase):
    """One stack per test module/class, logs printed when a test fails."""

    stack = None
    label = "e2e"
    with_reporting = False
    with_national = False
    extra_env = None

    @classmethod
    def setUpClass(cls):
        cls.stack = Stack(cls.label, reporting=cls.with_reporting, national=cls.with_national,
                          extra_env=cls.extra_env).start()
        try:
            cls.setUpData()
        except BaseException:
            sys.stderr.write(cls.stack.logs())
            cls.stack.close()
            raise

    @classmethod
    def setUpData(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        if cls.stack is not None:
            cls.stack.close()

    def run(self, result=None):
        before = (len(result.failures) + len(result.errors)) if result is not None else 0
        out = super().run(result)
        if result is not None and len(result.failures) + len(result.errors) > before:
            if self.stack is not None:
                sys.stderr.write(self.stack.logs())
        return out

    # -- shortcuts ---------------------------------------------------------

    @property
    def sh(self):
        return self.stack.stakeholder

    @property
    def ws(self):
        return self.stack.workshop

    def assertRpcError(self, code, fn, *args, fields=None, field_prefixes=None,
                       reason_is=None, msg=None, **kwargs):
        """fn(*args) must fail with `code`; `fields`: names that must each be among
        the BadRequest field violations. Returns the RpcError."""
        try:
            got = fn(*args, **kwargs)
        except grpc.RpcError as err:
            self.assertEqual(err.code(), code, "%s; got %s" % (msg or "", describe(err)))
            names = bad_fields(err)
            for f in fields or ():
                self.assertIn(f, names, "%s; BadRequest does not name %r: %s" % (
                    msg or "", f, describe(err)))
            for f in field_prefixes or ():
                self.assertTrue(
                    any(n == f or n.startswith(f + "[") or n.startswith(f + ".") for n in names),
                    "%s; BadRequest does not name %r: %s" % (msg or "", f, describe(err)))
            if reason_is is not None:
                self.assertEqual(reason(err), reason_is, describe(err))
            if code == Code.INVALID_ARGUMENT and (fields or field_prefixes):
                self.assertIsNotNone(error_info(err), "no ErrorInfo: " + describe(err))
            return err
        self.fail("%s; expected %s, got a success: %s" % (msg or "", code, _short(got)))

    def assertReason(self, err):
        """An ErrorInfo with an UPPER_SNAKE_CASE reason (AIP-193)."""
        r = reason(err)
        self.assertTrue(r and r.replace("_", "").isalnum() and r.upper() == r,
                        "ErrorInfo.reason not UPPER_SNAKE_CASE: " + describe(err))


def _short(msg):
    text = str(msg)
    return text if len(text) < 400 else text[:400] + "..."


# ---------------------------------------------------------------------------
# Builders (contract fields only)


def create_org(stack, prefecture, display_name, category, qpv_codes=(), email="", request_id=None):
    return stack.stakeholder.CreateOrganization(SS.CreateOrganizationRequest(
        parent="prefectures/%s" % prefecture,
        organization=S.Organization(display_name=display_name, category=category,
                                    qpv_codes=list(qpv_codes), email=email),
        request_id=request_id or rid()))


def create_person(stack, org_name, given, family, consent=True, email="", phone="", request_id=None):
    prefecture = org_name.split("/")[1]
    person = S.Person(organization=org_name, given_name=given, family_name=family,
                      email=email, phone=phone)
    if consent:
        person.consent_time.CopyFrom(ts("2018-01-15T10:00:00Z"))
    return stack.stakeholder.CreatePerson(SS.CreatePersonRequest(
        parent="prefectures/%s" % prefecture, person=person, request_id=request_id or rid()))


def workshop_msg(title, themes, start, end, capacity=45, qpv_codes=(), venue="", description=""):
    return W.Workshop(title=title, themes=list(themes), start_time=ts(start), end_time=ts(end),
                      capacity=capacity, qpv_codes=list(qpv_codes), venue=venue,
                      description=description)


def create_workshop(stack, prefecture, title, themes, start="2018-02-06T08:30:00Z",
                    end="2018-02-06T12:00:00Z", capacity=45, qpv_codes=(), venue="",
                    request_id=None):
    return stack.workshop.CreateWorkshop(WS.CreateWorkshopRequest(
        parent="prefectures/%s" % prefecture,
        workshop=workshop_msg(title, themes, start, end, capacity, qpv_codes, venue),
        request_id=request_id or rid()))


def schedule(stack, workshop):
    return stack.workshop.ScheduleWorkshop(WS.ScheduleWorkshopRequest(name=workshop.name, etag=workshop.etag))


def register(stack, workshop_name, person_name, request_id=None):
    return stack.workshop.RegisterParticipant(WS.RegisterParticipantRequest(
        parent=workshop_name, person=person_name, request_id=request_id or rid()))


def parallel(fn, items, workers=16):
    """Runs fn over items in threads; returns [(item, result_or_exception)] in order."""
    def safe(item):
        try:
            return fn(item)
        except Exception as e:  # noqa: BLE001
            return e
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(zip(items, pool.map(safe, items)))
