"""Faults: restarts of each service (SIGTERM and SIGKILL) and of Redis keep
the data; while Redis is down calls fail fast with UNAVAILABLE and health is
NOT_SERVING, and the services recover by themselves once it is back; a
workshop registration while stakeholder is down is UNAVAILABLE; SIGTERM drains
and exits 0; a bad setting stops the binary at start; a second workshop
replica on the same Redis sees every write through its cache.

Every test leaves the stack running and healthy for the next one."""

import os
import signal
import subprocess
import threading
import time
import unittest
import urllib.request

import grpc

from harness import (C, Code, NOT_SERVING, SERVING, SS, STAKEHOLDER, StackTestCase, W, WORKSHOP, WS,
                     _Process, create_org, create_person, create_workshop, describe, free_port,
                     list_all, mask, register, rid, schedule)
from qpv.workshop.v1 import workshop_service_pb2_grpc  # noqa: E402  (on the path set by harness)

FAST = 2.0       # seconds: a call while Redis is down must fail within this
RECOVER = 10.0   # seconds: recovery once Redis is back, without restart


def wire(msg):
    return msg.SerializeToString(deterministic=True)


class Faults(StackTestCase):
    label = "faults"

    @classmethod
    def setUpData(cls):
        st = cls.stack
        cls.org = create_org(st, "59", "Conseil citoyen Alma", C.ACTOR_CATEGORY_CITIZEN_COUNCIL, ["QN05981M"])

    def setUp(self):
        # A test that fails half-way must not leave the next one without a stack.
        st = self.stack
        if not st.redis.running():
            st.start_redis()
        for n in (STAKEHOLDER, WORKSHOP):
            if not st.services[n].running():
                st.start_service(n)
        for n in (STAKEHOLDER, WORKSHOP):
            st.wait_health(n, timeout=RECOVER)

    def make_data(self, label):
        st = self.stack
        person = create_person(st, self.org.name, "Karim", label)
        w = schedule(st, create_workshop(st, "59", "Atelier %s" % label, [C.THEME_SAFETY_PREVENTION], capacity=5))
        reg = register(st, w.name, person.name)
        c = self.ws.CreateContribution(WS.CreateContributionRequest(
            parent=w.name, request_id=rid(), contribution=W.Contribution(
                title="Contribution %s" % label, kind=W.Contribution.KIND_ACTION, reproducible=True,
                themes=[C.THEME_SAFETY_PREVENTION], organization=self.org.name)))
        c = self.ws.VoteContribution(WS.VoteContributionRequest(name=c.name, person=person.name))
        return dict(person=person.name, workshop=w.name, registration=reg.name, contribution=c.name)

    def read_data(self, d):
        regs, _ = list_all(self.ws.ListRegistrations, WS.ListRegistrationsRequest(parent=d["workshop"]), "registrations")
        return [
            wire(self.sh.GetOrganization(SS.GetOrganizationRequest(name=self.org.name))),
            wire(self.sh.GetPerson(SS.GetPersonRequest(name=d["person"]))),
            wire(self.ws.GetWorkshop(WS.GetWorkshopRequest(name=d["workshop"]))),
            [wire(r) for r in regs],
            wire(self.ws.GetContribution(WS.GetContributionRequest(name=d["contribution"]))),
        ]

    def scrape(self, name):
        with urllib.request.urlopen("http://%s/metrics" % self.stack.metrics_addr[name], timeout=5) as r:
            return r.read().decode("utf-8")

    def timed_stop(self, name, sig):
        t0 = time.monotonic()
        code = self.stack.stop_service(name, sig, timeout=10)
        return code, time.monotonic() - t0

    # -- restarts ---------------------------------------------------------------------

    def _restart_keeps_data(self, name, sig):
        d = self.make_data("%s-%s" % (name, sig.name))
        before = self.read_data(d)
        code, took = self.timed_stop(name, sig)
        if sig == signal.SIGTERM:
            self.assertEqual(code, 0, "%s exit code after SIGTERM" % name)
            self.assertLess(took, 4.0, "%s took %.1fs to stop when idle" % (name, took))
        else:
            self.assertEqual(code, -signal.SIGKILL)
        self.stack.start_service(name)
        self.assertEqual(self.read_data(d), before, "data changed across a %s restart of %s" % (sig.name, name))
        # And it still works for new writes.
        self.make_data("%s-%s-after" % (name, sig.name))

    def test_01a_page_tokens_survive_a_restart(self):
        # The README promises it: a token handed out before a restart (or by
        # another replica) pages on after it, with every item exactly once.
        for i in range(3):
            create_workshop(self.stack, "59", "Pagination %d" % i, [C.THEME_OTHER])
        expected, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(parent="prefectures/59"),
                               "workshops")
        req = WS.ListWorkshopsRequest(parent="prefectures/59", page_size=2)
        page = self.ws.ListWorkshops(req)
        seen = [w.name for w in page.workshops]
        self.assertTrue(page.next_page_token)
        self.stack.restart_service(WORKSHOP, signal.SIGTERM)
        while page.next_page_token:
            req.page_token = page.next_page_token
            page = self.ws.ListWorkshops(req)
            seen += [w.name for w in page.workshops]
        self.assertEqual(seen, [w.name for w in expected])

    def test_01_stakeholder_sigterm_restart_keeps_data(self):
        self._restart_keeps_data(STAKEHOLDER, signal.SIGTERM)

    def test_02_stakeholder_sigkill_restart_keeps_data(self):
        self._restart_keeps_data(STAKEHOLDER, signal.SIGKILL)

    def test_03_workshop_sigterm_restart_keeps_data(self):
        self._restart_keeps_data(WORKSHOP, signal.SIGTERM)

    def test_04_workshop_sigkill_restart_keeps_data(self):
        self._restart_keeps_data(WORKSHOP, signal.SIGKILL)

    def test_05_redis_restart_keeps_data(self):
        d = self.make_data("redis-restart")
        before = self.read_data(d)
        pids = {n: self.stack.services[n].pid for n in (STAKEHOLDER, WORKSHOP)}
        self.assertEqual(self.stack.stop_redis(signal.SIGTERM), 0)
        self.stack.start_redis()
        for n in (STAKEHOLDER, WORKSHOP):
            self.stack.wait_health(n, timeout=RECOVER)
        self._eventually(lambda: self.read_data(d), "reading after the Redis restart")
        self.assertEqual(self.read_data(d), before, "data lost across a Redis restart (AOF)")
        self.assertEqual({n: self.stack.services[n].pid for n in pids}, pids, "a service restarted")

    # -- Redis down -------------------------------------------------------------------

    def _eventually(self, fn, what, timeout=RECOVER):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                return fn()
            except grpc.RpcError as e:
                last = e
                time.sleep(0.2)
        self.fail("%s still failing after %.0fs: %s" % (what, timeout, describe(last) if last else "?"))

    def test_06_redis_down_fails_fast_then_recovers(self):
        d = self.make_data("redis-down")
        before = self.read_data(d)
        pids = {n: self.stack.services[n].pid for n in (STAKEHOLDER, WORKSHOP)}
        self.stack.stop_redis(signal.SIGTERM)
        try:
            for n in (STAKEHOLDER, WORKSHOP):
                self.stack.wait_health(n, want=NOT_SERVING, timeout=5.0)
                self.assertIn("\nqpv_store_up 0", self.scrape(n), n + " metrics while Redis is down")
            calls = [
                ("GetOrganization", lambda: self.sh.GetOrganization(SS.GetOrganizationRequest(name=self.org.name))),
                ("CreateOrganization", lambda: create_org(self.stack, "59", "Pendant la panne", C.ACTOR_CATEGORY_OTHER)),
                ("ListPersons", lambda: self.sh.ListPersons(SS.ListPersonsRequest(parent="prefectures/59"))),
                ("GetWorkshop", lambda: self.ws.GetWorkshop(WS.GetWorkshopRequest(name=d["workshop"]))),
                ("CreateWorkshop", lambda: create_workshop(self.stack, "59", "Pendant la panne", [C.THEME_OTHER])),
                ("ListWorkshops", lambda: self.ws.ListWorkshops(WS.ListWorkshopsRequest(parent="prefectures/-"))),
                ("VoteContribution", lambda: self.ws.VoteContribution(WS.VoteContributionRequest(
                    name=d["contribution"], person=d["person"]))),
            ]
            for label, call in calls:
                with self.subTest(call=label):
                    t0 = time.monotonic()
                    err = self.assertRpcError(Code.UNAVAILABLE, call, msg=label + " while Redis is down")
                    took = time.monotonic() - t0
                    self.assertLess(took, FAST, "%s took %.2fs to fail" % (label, took))
                    self.assertNotIn("hiredis", (err.details() or "").lower(), "internal detail leaked")
        finally:
            self.stack.start_redis()
        for n in (STAKEHOLDER, WORKSHOP):
            self.stack.wait_health(n, timeout=RECOVER)
        self._eventually(lambda: create_org(self.stack, "59", "Après la panne", C.ACTOR_CATEGORY_OTHER),
                         "stakeholder writes after Redis came back")
        self._eventually(lambda: create_workshop(self.stack, "59", "Après la panne", [C.THEME_OTHER]),
                         "workshop writes after Redis came back")
        self.assertEqual(self.read_data(d), before)
        for n in (STAKEHOLDER, WORKSHOP):
            self.assertIn("\nqpv_store_up 1", self.scrape(n), n + " metrics once Redis is back")
        self.assertEqual({n: self.stack.services[n].pid for n in pids}, pids,
                         "recovery must not need a restart")

    def test_06b_frozen_redis_times_out_then_recovers(self):
        # A Redis that accepts nothing (SIGSTOP: as behind a network partition)
        # must cost a call its command timeout (QPV_REDIS_TIMEOUT, 2s here),
        # not hang it, and the service recovers once Redis answers again.
        d = self.make_data("redis-frozen")
        self.stack.redis.proc.send_signal(signal.SIGSTOP)
        try:
            t0 = time.monotonic()
            self.assertRpcError(Code.UNAVAILABLE,
                                lambda: self.ws.GetWorkshop(WS.GetWorkshopRequest(name=d["workshop"])),
                                msg="GetWorkshop while Redis is frozen")
            took = time.monotonic() - t0
            self.assertLess(took, 4.0, "a call on a frozen Redis took %.1fs" % took)
            self.stack.wait_health(WORKSHOP, want=NOT_SERVING, timeout=6.0)
        finally:
            self.stack.redis.proc.send_signal(signal.SIGCONT)
        self.stack.wait_health(WORKSHOP, timeout=RECOVER)
        self._eventually(lambda: self.ws.GetWorkshop(WS.GetWorkshopRequest(name=d["workshop"])),
                         "workshop reads after Redis thawed")

    # -- stakeholder down -------------------------------------------------------------

    def test_07_registration_while_stakeholder_down(self):
        st = self.stack
        person = create_person(st, self.org.name, "Nadia", "Dependency")
        w = schedule(st, create_workshop(st, "59", "Atelier sans stakeholder", [C.THEME_HEALTH], capacity=5))
        self.stack.stop_service(STAKEHOLDER, signal.SIGTERM)
        try:
            t0 = time.monotonic()
            self.assertRpcError(Code.UNAVAILABLE, register, st, w.name, person.name,
                                msg="RegisterParticipant while stakeholder is down")
            self.assertLess(time.monotonic() - t0, 5.0, "RegisterParticipant hung while stakeholder was down")
            # The workshop service itself keeps working.
            got = self.ws.GetWorkshop(WS.GetWorkshopRequest(name=w.name))
            self.assertEqual((got.registered_count, got.waitlisted_count), (0, 0))
            self.assertEqual(self.stack.health(WORKSHOP), SERVING)
        finally:
            self.stack.start_service(STAKEHOLDER)
        reg = self._eventually(lambda: register(st, w.name, person.name),
                               "RegisterParticipant after stakeholder came back")
        self.assertEqual(reg.state, W.Registration.STATE_REGISTERED)
        self.assertEqual(self.ws.GetWorkshop(WS.GetWorkshopRequest(name=w.name)).registered_count, 1)

    # -- drain --------------------------------------------------------------------------

    def test_08_sigterm_drains_under_load(self):
        d = self.make_data("drain")
        stop = threading.Event()
        outcomes = []
        lock = threading.Lock()

        def client(k):
            # Its own channel, so the harness' channel handling plays no part.
            ch = grpc.insecure_channel(self.stack.addr[WORKSHOP])
            stub = workshop_service_pb2_grpc.WorkshopServiceStub(ch)
            n = 0
            try:
                while not stop.is_set():
                    n += 1
                    title = "Sous charge %d-%d" % (k, n)
                    for method, call in (
                            ("ListContributions", lambda: stub.ListContributions(
                                WS.ListContributionsRequest(parent=d["workshop"]), timeout=10)),
                            ("CreateContribution", lambda: stub.CreateContribution(WS.CreateContributionRequest(
                                parent=d["workshop"], request_id=rid(), contribution=W.Contribution(
                                    title=title, kind=W.Contribution.KIND_IDEA)), timeout=10))):
                        try:
                            call()
                            code = Code.OK
                        except grpc.RpcError as e:
                            code = e.code()
                        with lock:
                            outcomes.append((method, title, code))
                        if code != Code.OK:
                            return
            finally:
                ch.close()

        threads = [threading.Thread(target=client, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        try:
            time.sleep(0.5)
            with lock:
                ok_before = sum(1 for o in outcomes if o[2] == Code.OK)
            self.assertGreater(ok_before, 0, "no call succeeded before SIGTERM")
            code, took = self.timed_stop(WORKSHOP, signal.SIGTERM)
        finally:
            stop.set()
            for t in threads:
                t.join(20)
        self.assertEqual(code, 0, "exit code after SIGTERM under load")
        self.assertLess(took, 7.0, "took %.1fs to drain (QPV_DRAIN_TIMEOUT=5s)" % took)
        self.stack.start_service(WORKSHOP)
        contribs, _ = list_all(self.ws.ListContributions, WS.ListContributionsRequest(parent=d["workshop"]),
                               "contributions")
        stored = {c.title for c in contribs}
        # Every contribution the clients were told about is stored.
        told = [t for m, t, c in outcomes if m == "CreateContribution" and c == Code.OK]
        self.assertFalse(set(told) - stored, "acknowledged creates lost")
        unexpected = ["%s %s (stored: %s)" % (m, c.name, t in stored if m == "CreateContribution" else "-")
                      for m, t, c in outcomes if c not in (Code.OK, Code.UNAVAILABLE)]
        self.assertFalse(unexpected, "calls racing the SIGTERM must end OK (drained) or UNAVAILABLE "
                                     "(refused, retryable); got %s" % unexpected)

    # -- configuration ------------------------------------------------------------------

    def test_09_bad_setting_stops_at_start(self):
        cases = [
            (WORKSHOP, "QPV_LISTEN", "nowhere"),
            (STAKEHOLDER, "QPV_REDIS_URL", "http://127.0.0.1:6379"),
            (STAKEHOLDER, "QPV_DRAIN_TIMEOUT", "soon"),
            (WORKSHOP, "QPV_PREFECTURES", "59,ZZ"),
            (WORKSHOP, "QPV_METRICS_LISTEN", "nowhere"),
        ]
        for service, var, value in cases:
            with self.subTest(var=var, value=value):
                env = self.stack.service_env(service)
                env["QPV_LISTEN"] = "127.0.0.1:%d" % free_port()
                env[var] = value
                t0 = time.monotonic()
                try:
                    r = subprocess.run([self.stack.binaries[service]], env=env, cwd=self.stack.dir,
                                       stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
                except subprocess.TimeoutExpired:
                    self.fail("%s kept running with %s=%r" % (service, var, value))
                out = (r.stderr + r.stdout).decode("utf-8", "replace")
                self.assertNotEqual(r.returncode, 0, "%s accepted %s=%r" % (service, var, value))
                self.assertLess(time.monotonic() - t0, 5.0)
                self.assertIn(var, out, "the message should name the setting: %r" % out)
                lines = [ln for ln in out.splitlines() if ln.strip()]
                self.assertLessEqual(len(lines), 2, "one clear line expected: %r" % out)


    def test_10_a_second_replica_sees_each_write(self):
        """Two qpv-workshop processes on one Redis, as two Kubernetes replicas:
        GetWorkshop of each is served from its cache, yet shows the other's
        writes (through Redis's invalidation messages) and its own at once."""
        st = self.stack
        env = st.service_env(WORKSHOP)
        env["QPV_LISTEN"] = "127.0.0.1:%d" % free_port()
        metrics2 = "127.0.0.1:%d" % free_port()
        env["QPV_METRICS_LISTEN"] = metrics2
        second = _Process("workshop-2", [st.binaries[WORKSHOP]], env,
                          os.path.join(st.dir, "workshop-2.log"), st.dir)
        second.start()
        channel = grpc.insecure_channel(env["QPV_LISTEN"])
        try:
            ws2 = workshop_service_pb2_grpc.WorkshopServiceStub(channel)
            person = create_person(st, self.org.name, "Inès", "Replica")
            w = schedule(st, create_workshop(st, "59", "Atelier à deux instances",
                                             [C.THEME_EDUCATION], capacity=5))
            get = WS.GetWorkshopRequest(name=w.name)
            for _ in range(3):  # the second and third from memory
                self.assertEqual(ws2.GetWorkshop(get, timeout=10, wait_for_ready=True).etag, w.etag)

            def on_second(done, what):
                deadline = time.monotonic() + 2.0
                got = None
                while time.monotonic() < deadline:
                    got = ws2.GetWorkshop(get, timeout=5)
                    if done(got):
                        return got
                    time.sleep(0.01)
                self.fail("the second replica still shows %s after 2 s: %s" % (what, got))

            register(st, w.name, person.name)  # written by the first
            on_second(lambda x: x.registered_count == 1, "no registration")
            # Written by the second: it reads its own write at once, the first soon.
            u = ws2.UpdateWorkshop(WS.UpdateWorkshopRequest(
                workshop=W.Workshop(name=w.name, etag=w.etag, venue="Médiathèque"),
                update_mask=mask("venue")), timeout=5)
            self.assertEqual(ws2.GetWorkshop(get, timeout=5).venue, "Médiathèque")
            self.assertEqual(ws2.GetWorkshop(get, timeout=5).etag, u.etag)
            deadline = time.monotonic() + 2.0
            while self.ws.GetWorkshop(get).etag != u.etag and time.monotonic() < deadline:
                time.sleep(0.01)
            self.assertEqual(self.ws.GetWorkshop(get).venue, "Médiathèque")
            with urllib.request.urlopen("http://%s/metrics" % metrics2, timeout=5) as r:
                text = r.read().decode("utf-8")
            hits = [float(ln.split()[-1]) for ln in text.splitlines()
                    if ln.startswith('qpv_read_cache_hits_total{cache="workshop"}')]
            self.assertTrue(hits and hits[0] >= 2, "the reads were not served from memory: %s" % hits)
            self.assertIn('qpv_read_cache_tracking{cache="workshop"} 1', text)
        finally:
            channel.close()
            if second.signal_and_wait(signal.SIGTERM, 8) is None:
                second.kill()


if __name__ == "__main__":
    unittest.main(verbosity=2)
