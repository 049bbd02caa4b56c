"""The préfecture -> national feed with the real binaries: three préfectures
fed through one reporting service to a national service on its own Redis.

test_01: a load of 10,000 contributions while national is killed with SIGKILL
three times; afterwards national's totals equal the sum of the préfectures'
own reports exactly (nothing counted twice, nothing missing).
test_02: one change reaches national within 10 s.
test_03: national stopped for 30 s: préfecture writes are unaffected, the
feed status shows what is pending and the last error, and national catches
up once it is back.
The figures measured are printed (run with -v to see them).
"""

import statistics
import threading
import time
import unittest

from google.protobuf import timestamp_pb2

from harness import (C, NS, RS, NATIONAL, W, WS, StackTestCase, create_org,
                     create_person, parallel, register, rid)

PREFECTURES = ["59", "13", "69"]
LOAD = 10000
THEMES = [C.THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT, C.THEME_DISCRIMINATION,
          C.THEME_NEIGHBOURHOOD_IMAGE, C.THEME_EDUCATION, C.THEME_HEALTH]
KINDS = [W.Contribution.KIND_IDEA, W.Contribution.KIND_ACTION, W.Contribution.KIND_GOOD_PRACTICE,
         W.Contribution.KIND_OBSTACLE, W.Contribution.KIND_RECOMMENDATION]
CATEGORIES = [C.ACTOR_CATEGORY_LOCAL_AUTHORITY, C.ACTOR_CATEGORY_ASSOCIATION,
              C.ACTOR_CATEGORY_CITIZEN_COUNCIL]
ENV = {"QPV_PREFECTURES": ",".join(PREFECTURES)}


def ms(seconds):
    return "%.0f ms" % (seconds * 1000)


class FeedTest(StackTestCase):
    label = "feed"
    with_reporting = True
    with_national = True
    extra_env = {"stakeholder": ENV, "workshop": ENV, "reporting": ENV}
    workshops = {}  # prefecture -> [workshop name]
    orgs = {}       # prefecture -> [organization name]

    @classmethod
    def setUpData(cls):
        st = cls.stack
        for p in PREFECTURES:
            orgs = [create_org(st, p, "Acteur %s %d" % (p, i), cat).name
                    for i, cat in enumerate(CATEGORIES)]
            persons = [create_person(st, orgs[i % len(orgs)], "Prénom%d" % i, "Nom%d" % i).name
                       for i in range(6)]
            names = []
            for i in range(3):
                w = st.workshop.CreateWorkshop(WS.CreateWorkshopRequest(
                    parent="prefectures/" + p, request_id=rid(),
                    workshop=W.Workshop(
                        title="Atelier %s n°%d" % (p, i), themes=[THEMES[i]],
                        start_time=timestamp_pb2.Timestamp(seconds=1517905800 + i * 86400),
                        end_time=timestamp_pb2.Timestamp(seconds=1517918400 + i * 86400),
                        capacity=40)))
                w = st.workshop.ScheduleWorkshop(WS.ScheduleWorkshopRequest(name=w.name, etag=w.etag))
                regs = [register(st, w.name, person) for person in persons]
                w = st.workshop.MarkWorkshopHeld(WS.MarkWorkshopHeldRequest(name=w.name, etag=w.etag))
                for r in regs[:4]:
                    st.workshop.RecordAttendance(WS.RecordAttendanceRequest(name=r.name, attended=True))
                names.append(w.name)
            cls.workshops[p] = names
            cls.orgs[p] = orgs

    # -- helpers -------------------------------------------------------------

    def contribution(self, i, prefecture=None):
        p = prefecture or PREFECTURES[i % 3]
        w = self.workshops[p][(i // 3) % 3]
        return self.ws.CreateContribution(WS.CreateContributionRequest(
            parent=w, request_id="load-%s-%d" % (p, i),
            contribution=W.Contribution(
                title="Proposition %d" % i, text="Texte de la proposition %d" % i,
                kind=KINDS[i % len(KINDS)],
                themes=[THEMES[i % len(THEMES)]] + ([THEMES[(i + 1) % len(THEMES)]] if i % 4 == 0 else []),
                reproducible=(i % 10 == 0),
                organization=self.orgs[p][i % len(CATEGORIES)])))

    def reports(self):
        return {p: self.stack.reporting.GetPrefectureReport(RS.GetPrefectureReportRequest(prefecture=p))
                for p in PREFECTURES}

    def dashboard(self):
        return self.stack.national.GetNationalDashboard(NS.GetNationalDashboardRequest())

    def settled(self):
        """(True, reports, dashboard) once every feed is acknowledged and
        national shows exactly the préfectures' own figures."""
        for p in PREFECTURES:
            s = self.stack.reporting.GetFeedStatus(RS.GetFeedStatusRequest(prefecture=p))
            if s.pending or s.acknowledged_version == 0 or s.acknowledged_version != s.built_version:
                return False, None, None
        reports = self.reports()
        d = self.dashboard()
        figures = {f.prefecture: f for f in d.prefectures}
        for p, r in reports.items():
            f = figures.get(p)
            if f is None or f.contribution_count != r.contribution_count or \
                    f.attended_count != r.attended_count or f.workshop_count != r.workshop_count:
                return False, None, None
        return True, reports, d

    def wait_settled(self, timeout):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            try:
                ok, reports, d = self.settled()
                if ok:
                    return time.monotonic() - t0, reports, d
            except Exception:  # noqa: BLE001  (a service restarting)
                pass
            time.sleep(0.2)
        statuses = [self.stack.reporting.GetFeedStatus(RS.GetFeedStatusRequest(prefecture=p))
                    for p in PREFECTURES]
        self.fail("national did not catch up within %.0fs: %s" % (timeout, statuses))

    def assertNationalEqualsReports(self, reports, d):
        self.assertEqual(d.reporting_prefecture_count, len(PREFECTURES))
        self.assertEqual(d.workshop_count, sum(r.workshop_count for r in reports.values()))
        self.assertEqual(d.attended_count, sum(r.attended_count for r in reports.values()))
        self.assertEqual(d.contribution_count, sum(r.contribution_count for r in reports.values()))
        for theme_figures in d.by_theme:
            if theme_figures.suppressed:
                continue
            want = sum(t.count for r in reports.values() for t in r.contributions_by_theme
                       if t.theme == theme_figures.theme)
            self.assertEqual(theme_figures.contribution_count, want, theme_figures)
        for cat in d.by_category:
            if cat.suppressed:
                continue
            want = sum(c.count for r in reports.values() for c in r.attendance_by_category
                       if c.category == cat.category)
            self.assertEqual(cat.attended_count, want, cat)

    # -- tests ---------------------------------------------------------------

    def test_01_load_while_national_is_killed_three_times(self):
        done = [0]
        failures = []
        lock = threading.Lock()
        # Quarter q of the load waits for kill q: the kills always land while
        # writes are still coming (on a quick machine the load used to end
        # before the third restart was through).
        killed = [threading.Event() for _ in range(3)]

        def one(i):
            quarter = i * 4 // LOAD
            if quarter > 0:
                killed[quarter - 1].wait(60)
            try:
                self.contribution(i)
            except Exception as e:  # noqa: BLE001
                with lock:
                    failures.append((i, e))
            with lock:
                done[0] += 1

        loader = threading.Thread(target=lambda: parallel(one, list(range(LOAD)), workers=24))
        t0 = time.monotonic()
        loader.start()
        kills = []
        try:
            for k in range(3):
                while done[0] < LOAD * (k + 1) // 4 and loader.is_alive():
                    time.sleep(0.01)
                self.assertTrue(loader.is_alive(), "the load ended before kill %d" % (k + 1))
                self.stack.kill_service(NATIONAL)
                kills.append(done[0])
                killed[k].set()
                time.sleep(0.5)
                self.stack.start_service(NATIONAL)
        finally:
            # Should a kill or restart fail, the writes still waiting go on
            # at once instead of each waiting out its 60 s.
            for event in killed:
                event.set()
            loader.join()
        load_time = time.monotonic() - t0
        self.assertEqual(failures, [], "préfecture writes failed while national was killed")
        self.assertEqual(done[0], LOAD)

        catch_up, reports, d = self.wait_settled(120)
        self.assertNationalEqualsReports(reports, d)
        self.assertEqual(d.contribution_count, LOAD)
        print("\n  %d contributions in %.1fs (%.0f/s); national SIGKILLed after %s; "
              "national equal to the préfecture reports %.1fs after the load"
              % (LOAD, load_time, LOAD / load_time, kills, catch_up))

    def test_02_a_change_reaches_national_within_10s(self):
        self.wait_settled(60)
        samples = []
        for i in range(3):
            before = {f.prefecture: f.contribution_count for f in self.dashboard().prefectures}["13"]
            t0 = time.monotonic()
            self.contribution(LOAD + 100 + i, prefecture="13")
            while time.monotonic() - t0 < 15:
                now = {f.prefecture: f.contribution_count for f in self.dashboard().prefectures}["13"]
                if now == before + 1:
                    break
                time.sleep(0.05)
            samples.append(time.monotonic() - t0)
            self.assertLess(samples[-1], 10.0, "a change took %.1fs to reach national" % samples[-1])
        print("\n  change -> national: %s" % ", ".join(ms(s) for s in samples))

    def test_03_national_down_30s_leaves_prefectures_unaffected(self):
        self.wait_settled(60)
        # Write latency with national up, as a baseline.
        base = []
        for i in range(100):
            t0 = time.monotonic()
            self.contribution(LOAD + 1000 + i, prefecture="59")
            base.append(time.monotonic() - t0)

        self.stack.kill_service(NATIONAL)
        down_at = time.monotonic()
        during = []
        failures = []
        i = 0
        while time.monotonic() - down_at < 30:
            t0 = time.monotonic()
            try:
                self.contribution(LOAD + 2000 + i, prefecture="59")
                # A report is still served, fresh, while national is down.
                if i % 50 == 0:
                    r = self.stack.reporting.GetWorkshopReport(
                        RS.GetWorkshopReportRequest(workshop=self.workshops["59"][0]))
                    self.assertFalse(r.stale)
            except Exception as e:  # noqa: BLE001
                failures.append(e)
            during.append(time.monotonic() - t0)
            i += 1
            time.sleep(0.02)
        status = self.stack.reporting.GetFeedStatus(RS.GetFeedStatusRequest(prefecture="59"))
        self.assertEqual(failures, [])
        self.assertTrue(status.pending, status)
        self.assertGreater(status.built_version, status.acknowledged_version)
        self.assertNotEqual(status.last_error, "")
        self.assertGreater(status.consecutive_failures, 0)
        self.assertGreater(status.last_attempt_time.seconds, 0)

        self.stack.start_service(NATIONAL)
        catch_up, reports, d = self.wait_settled(60)
        self.assertNationalEqualsReports(reports, d)
        after = self.stack.reporting.GetFeedStatus(RS.GetFeedStatusRequest(prefecture="59"))
        self.assertEqual(after.last_error, "")
        self.assertFalse(after.pending)

        def p99(xs):
            return sorted(xs)[max(0, int(len(xs) * 0.99) - 1)]
        print("\n  national down 30s: %d writes, 0 failed; write latency p50 %s / p99 %s "
              "(national up: p50 %s / p99 %s); feed status while down: %d failures, last "
              "error %r; caught up %.1fs after national came back"
              % (len(during), ms(statistics.median(during)), ms(p99(during)),
                 ms(statistics.median(base)), ms(p99(base)), status.consecutive_failures,
                 status.last_error, catch_up))
        # Generous bound: the feed's retry backoff is capped at 10 s by default.
        self.assertLess(catch_up, 30.0)


if __name__ == "__main__":
    unittest.main()
