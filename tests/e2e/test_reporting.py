"""Reports with the real binaries: the arithmetic a préfecture's team reads,
the cache keyed by the workshop's revision, stale reports while the workshop
service is down, the four export formats (the HTML one rendered by headless
Chromium), and bad input.

Prints the report latency measured, uncached (after a write) and cached.
"""

import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import unittest
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from google.protobuf import json_format, timestamp_pb2

from harness import (C, Code, R, REPORTING, RS, WORKSHOP, W, WS, StackTestCase, create_org,
                     create_person, register, rid)

# The documented default target mix (README, "Representativeness").
DEFAULT_TARGET = {
    C.ACTOR_CATEGORY_LOCAL_AUTHORITY: 20, C.ACTOR_CATEGORY_ASSOCIATION: 25,
    C.ACTOR_CATEGORY_SOCIAL_LANDLORD: 10, C.ACTOR_CATEGORY_CITIZEN_COUNCIL: 15,
    C.ACTOR_CATEGORY_ADULT_RELAY: 10, C.ACTOR_CATEGORY_RESOURCE_CENTER: 5,
    C.ACTOR_CATEGORY_STATE_SERVICE: 10, C.ACTOR_CATEGORY_BUSINESS: 5,
}
# Who attends: 6 from local authorities, 3 associations, 1 resident; 2 more
# associations registered but absent.
ATTENDING = [C.ACTOR_CATEGORY_LOCAL_AUTHORITY] * 6 + [C.ACTOR_CATEGORY_ASSOCIATION] * 3 + \
    [C.ACTOR_CATEGORY_RESIDENT]
ABSENT = [C.ACTOR_CATEGORY_ASSOCIATION] * 2


def expected_index(counts):
    total = sum(counts.values())
    weight = sum(DEFAULT_TARGET.values())
    cats = set(counts) | set(DEFAULT_TARGET)
    return 1 - 0.5 * sum(abs(counts.get(c, 0) / total - DEFAULT_TARGET.get(c, 0) / weight)
                         for c in cats)


def at(seconds):
    return timestamp_pb2.Timestamp(seconds=seconds)


def median_ms(xs):
    return statistics.median(xs) * 1000


def content(report):
    """The report without its as_of_time, which each answer sets."""
    r = R.WorkshopReport()
    r.CopyFrom(report)
    r.ClearField("as_of_time")
    return r


def metric(stack, name):
    """The value of an unlabelled sample of reporting's /metrics."""
    addr = stack.metrics_addr[REPORTING]
    with urllib.request.urlopen("http://%s/metrics" % addr, timeout=5) as r:
        for line in r.read().decode("utf-8").splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    raise AssertionError("%s not in reporting's metrics" % name)


class ReportingTest(StackTestCase):
    label = "reporting"
    with_reporting = True
    workshop = None
    contributions = []

    @classmethod
    def setUpData(cls):
        st = cls.stack
        orgs = {}
        for cat in set(ATTENDING + ABSENT):
            orgs[cat] = create_org(st, "59", "Structure %d" % cat, cat).name
        w = st.workshop.CreateWorkshop(WS.CreateWorkshopRequest(
            parent="prefectures/59", request_id=rid(), workshop=W.Workshop(
                title="Image des quartiers", themes=[C.THEME_NEIGHBOURHOOD_IMAGE],
                start_time=at(1518510600), end_time=at(1518523200),
                capacity=40, venue="Roubaix, La Condition Publique")))
        w = st.workshop.ScheduleWorkshop(WS.ScheduleWorkshopRequest(name=w.name, etag=w.etag))
        regs = []
        for i, cat in enumerate(ATTENDING + ABSENT):
            person = create_person(st, orgs[cat], "Prénom%d" % i, "Nom%d" % i)
            regs.append(register(st, w.name, person.name))
        cls.persons_regs = regs
        w = st.workshop.MarkWorkshopHeld(WS.MarkWorkshopHeldRequest(name=w.name, etag=w.etag))
        for i, r in enumerate(regs):
            st.workshop.RecordAttendance(WS.RecordAttendanceRequest(
                name=r.name, attended=i < len(ATTENDING)))
        specs = [
            ("Fresque participative", W.Contribution.KIND_GOOD_PRACTICE, True,
             C.ACTOR_CATEGORY_ASSOCIATION),
            ("Visites guidées du quartier", W.Contribution.KIND_ACTION, True,
             C.ACTOR_CATEGORY_LOCAL_AUTHORITY),
            ("Stigmatisation dans les médias", W.Contribution.KIND_OBSTACLE, False,
             C.ACTOR_CATEGORY_RESIDENT),
            ('Formule =1+1 et "guillemets"; point-virgule', W.Contribution.KIND_IDEA, False,
             C.ACTOR_CATEGORY_LOCAL_AUTHORITY),
        ]
        contributions = []
        for title, kind, reproducible, cat in specs:
            contributions.append(st.workshop.CreateContribution(WS.CreateContributionRequest(
                parent=w.name, request_id=rid(), contribution=W.Contribution(
                    title=title, text="Texte : « %s » <b>à l'été</b>" % title, kind=kind,
                    themes=[C.THEME_NEIGHBOURHOOD_IMAGE], reproducible=reproducible,
                    organization=orgs[cat]))))
        # Votes: the second contribution is the most supported.
        persons = [r.person for r in regs[:len(ATTENDING)]]
        for p in persons[:5]:
            st.workshop.VoteContribution(WS.VoteContributionRequest(name=contributions[1].name, person=p))
        for p in persons[:2]:
            st.workshop.VoteContribution(WS.VoteContributionRequest(name=contributions[0].name, person=p))
        cls.workshop = w.name
        cls.contributions = contributions

    @property
    def rp(self):
        return self.stack.reporting

    def report(self, name=None):
        return self.rp.GetWorkshopReport(RS.GetWorkshopReportRequest(workshop=name or self.workshop))

    def test_workshop_report_arithmetic(self):
        r = self.report()
        self.assertEqual(r.workshop, self.workshop)
        self.assertEqual(r.registered_count, len(ATTENDING) + len(ABSENT))
        self.assertEqual(r.attended_count, len(ATTENDING))
        self.assertGreaterEqual(r.contribution_count, 4)
        self.assertFalse(r.stale)
        attended = {c.category: c.count for c in r.attendance_by_category}
        self.assertEqual(attended, {C.ACTOR_CATEGORY_LOCAL_AUTHORITY: 6,
                                    C.ACTOR_CATEGORY_ASSOCIATION: 3,
                                    C.ACTOR_CATEGORY_RESIDENT: 1})
        registered = {c.category: c.count for c in r.registrations_by_category}
        self.assertEqual(registered[C.ACTOR_CATEGORY_ASSOCIATION], 5)
        # Held workshop: the index is computed on attendance.
        self.assertEqual(r.representativeness_basis, R.REPRESENTATIVENESS_BASIS_ATTENDANCE)
        self.assertAlmostEqual(r.representativeness_index, expected_index(attended), places=6)
        under = [u.category for u in r.under_represented]
        self.assertIn(C.ACTOR_CATEGORY_CITIZEN_COUNCIL, under)
        self.assertNotIn(C.ACTOR_CATEGORY_LOCAL_AUTHORITY, under)
        council = [u for u in r.under_represented if u.category == C.ACTOR_CATEGORY_CITIZEN_COUNCIL][0]
        self.assertEqual(council.shortfall, 2)  # ceil(0.15 * 10) - 0
        kinds = {k.kind: k.count for k in r.contributions_by_kind}
        self.assertEqual(kinds[W.Contribution.KIND_GOOD_PRACTICE], 1)
        self.assertEqual(r.top_contributions[0].name, self.contributions[1].name)
        self.assertEqual(r.top_contributions[0].vote_count, 5)
        self.assertEqual(r.top_contributions[0].organization_display_name,
                         "Structure %d" % C.ACTOR_CATEGORY_LOCAL_AUTHORITY)
        self.assertEqual({a.name for a in r.reproducible_actions},
                         {self.contributions[0].name, self.contributions[1].name})
        # No personal data in a report.
        text = r.SerializeToString()
        for reg in self.persons_regs:
            self.assertNotIn(reg.person.encode(), text)
        self.assertNotIn("Prénom".encode(), text)

    def test_a_write_shows_in_the_next_report(self):
        before = self.report()
        c = self.ws.CreateContribution(WS.CreateContributionRequest(
            parent=self.workshop, request_id=rid(), contribution=W.Contribution(
                title="Ajout", kind=W.Contribution.KIND_IDEA)))
        after = self.report()
        self.assertEqual(after.contribution_count, before.contribution_count + 1)
        self.assertGreater(after.workshop_revision, before.workshop_revision)
        self.ws.VoteContribution(WS.VoteContributionRequest(
            name=c.name, person=self.persons_regs[0].person))
        self.assertEqual(self.report().vote_count, after.vote_count + 1)

    def test_a_current_report_is_answered_from_memory(self):
        # Kept in memory once read back current from the report cache.
        self.report()
        self.report()
        hits = metric(self.stack, "qpv_recent_reports_hits_total")
        self.assertEqual(content(self.report()), content(self.report()))
        # At least: the feed may read reports too.
        self.assertGreaterEqual(metric(self.stack, "qpv_recent_reports_hits_total"), hits + 2)
        self.assertGreater(metric(self.stack, "qpv_recent_reports_bytes"), 0)

    def test_prefecture_report_totals(self):
        p = self.rp.GetPrefectureReport(RS.GetPrefectureReportRequest(prefecture="59"))
        self.assertEqual(p.prefecture, "59")
        self.assertEqual(p.region, "32")
        self.assertEqual(p.workshop_count, len(p.workshops))
        self.assertEqual(p.attended_count, sum(w.attended_count for w in p.workshops))
        self.assertEqual(p.contribution_count, sum(w.contribution_count for w in p.workshops))
        self.assertIn(self.workshop, [w.workshop for w in p.workshops])

    def test_latency_cached_and_uncached(self):
        uncached, cached = [], []
        for i in range(20):
            self.ws.CreateContribution(WS.CreateContributionRequest(
                parent=self.workshop, request_id=rid(), contribution=W.Contribution(
                    title="Mesure %d" % i, kind=W.Contribution.KIND_IDEA)))
            t0 = time.monotonic()
            self.report()
            uncached.append(time.monotonic() - t0)
            t0 = time.monotonic()
            self.report()
            cached.append(time.monotonic() - t0)
        print("\n  GetWorkshopReport (about 30 contributions, 12 registrations): uncached "
              "median %.1f ms, cached median %.1f ms" % (median_ms(uncached), median_ms(cached)))

    def test_exports(self):
        def export(fmt):
            return self.rp.ExportReport(RS.ExportReportRequest(workshop=self.workshop, format=fmt))
        F = RS.ExportReportRequest
        out = export(F.FORMAT_CSV)
        self.assertTrue(out.content.startswith(b"\xef\xbb\xbf"), "CSV without a BOM")
        text = out.content.decode("utf-8-sig")
        self.assertIn("\r\n", text)
        self.assertIn("Fresque participative", text)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        flat = [cell for row in rows for cell in row]
        self.assertIn("Collectivité territoriale", flat)
        self.assertTrue(any(c.startswith("'=1+1") or c.startswith("Formule") for c in flat))
        self.assertTrue(out.filename.endswith(".csv"))

        out = export(F.FORMAT_JSON)
        parsed = json_format.Parse(out.content.decode("utf-8"), R.WorkshopReport())
        self.assertEqual(parsed.workshop, self.workshop)
        self.assertIn("application/json", out.content_type)

        out = export(F.FORMAT_MARKDOWN)
        md = out.content.decode("utf-8")
        self.assertIn("|", md)
        self.assertIn("Image des quartiers", md)

        out = export(F.FORMAT_HTML)
        html = out.content.decode("utf-8")
        self.assertIn("<svg", html)
        self.assertNotIn("<b>à l'été</b>", html)  # user text escaped
        self.assertNotRegex(html, r'(src|href)="https?:')
        self.render_in_chromium(html)

        self.assertRpcError(Code.INVALID_ARGUMENT, self.rp.ExportReport,
                            RS.ExportReportRequest(workshop=self.workshop), fields=["format"])
        out = self.rp.ExportReport(RS.ExportReportRequest(prefecture="59", format=F.FORMAT_HTML))
        self.assertIn("<svg", out.content.decode("utf-8"))

    def render_in_chromium(self, html):
        chromium = shutil.which("chromium")
        self.assertIsNotNone(chromium, "chromium is not installed (apt-get install chromium)")
        d = tempfile.mkdtemp(prefix="qpv-chromium-")
        try:
            path = os.path.join(d, "rapport.html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(html)
            base = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--user-data-dir=" + os.path.join(d, "profile"), "--window-size=1200,1800"]
            dom = subprocess.run(base + ["--dump-dom", "file://" + path], capture_output=True,
                                 timeout=60, check=True).stdout.decode("utf-8")
            self.assertIn("<svg", dom)
            self.assertIn("Image des quartiers", dom)
            shot = os.path.join(d, "shot.png")
            subprocess.run(base + ["--screenshot=" + shot, "file://" + path],
                           capture_output=True, timeout=60, check=True)
            from PIL import Image  # Debian python3-pil
            img = Image.open(shot).convert("RGB")
            colours = img.getcolors(maxcolors=1 << 20)
            self.assertGreater(len(colours), 20, "the rendered page looks blank")
            non_white = sum(n for n, c in colours if c != (255, 255, 255))
            self.assertGreater(non_white, img.width * img.height // 100)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def test_feed_status_of_a_prefecture(self):
        s = self.rp.GetFeedStatus(RS.GetFeedStatusRequest(prefecture="59"))
        self.assertEqual(s.prefecture, "59")
        # No national in this stack: the build waits, with the error shown.
        deadline = time.monotonic() + 20
        while (s.built_version == 0 or not s.last_error) and time.monotonic() < deadline:
            time.sleep(0.2)
            s = self.rp.GetFeedStatus(RS.GetFeedStatusRequest(prefecture="59"))
        self.assertGreater(s.built_version, 0, s)
        self.assertTrue(s.pending, s)
        self.assertNotEqual(s.last_error, "", s)

    def test_bad_input(self):
        self.assertRpcError(Code.INVALID_ARGUMENT, self.rp.GetWorkshopReport,
                            RS.GetWorkshopReportRequest(workshop="workshops/1"), fields=["workshop"])
        self.assertRpcError(Code.NOT_FOUND, self.rp.GetWorkshopReport,
                            RS.GetWorkshopReportRequest(workshop="prefectures/59/workshops/nope"))
        self.assertRpcError(Code.INVALID_ARGUMENT, self.rp.GetPrefectureReport,
                            RS.GetPrefectureReportRequest(prefecture="20"), fields=["prefecture"])
        self.assertRpcError(Code.INVALID_ARGUMENT, self.rp.GetFeedStatus,
                            RS.GetFeedStatusRequest(prefecture=""), fields=["prefecture"])
        self.assertRpcError(Code.PERMISSION_DENIED, self.rp.GetPrefectureReport,
                            RS.GetPrefectureReportRequest(prefecture="13"))

    def test_z_stale_report_while_the_workshop_service_is_down(self):
        fresh = self.report()
        other = self.ws.CreateWorkshop(WS.CreateWorkshopRequest(
            parent="prefectures/59", request_id=rid(), workshop=W.Workshop(
                title="Jamais lu", themes=[C.THEME_HEALTH], start_time=at(1518510600),
                end_time=at(1518523200), capacity=10)))
        self.stack.stop_service(WORKSHOP)
        try:
            stale = self.report()
            self.assertTrue(stale.stale)
            self.assertEqual(stale.contribution_count, fresh.contribution_count)
            self.assertGreater(stale.as_of_time.seconds, 0)
            self.assertRpcError(Code.UNAVAILABLE, self.report, other.name)
        finally:
            self.stack.start_service(WORKSHOP)
        # Fresh again once reporting reconnects (its channels retry every second).
        deadline = time.monotonic() + 5
        while self.report().stale and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertFalse(self.report().stale)


class ReportingSettingsTest(StackTestCase):
    """QPV_RECENT_REPORTS=0 keeps no report in memory; a single build thread
    (QPV_REPORT_BUILD_THREADS=1) still answers concurrent reports."""
    label = "reporting-settings"
    with_reporting = True
    extra_env = {"reporting": {"QPV_RECENT_REPORTS": "0", "QPV_REPORT_BUILD_THREADS": "1"}}
    workshops = []

    @classmethod
    def setUpData(cls):
        for i in range(4):
            w = cls.stack.workshop.CreateWorkshop(WS.CreateWorkshopRequest(
                parent="prefectures/59", request_id=rid(), workshop=W.Workshop(
                    title="Atelier %d" % i, themes=[C.THEME_NEIGHBOURHOOD_IMAGE],
                    start_time=at(1518510600), end_time=at(1518523200), capacity=20)))
            cls.workshops.append(w.name)

    def report(self, name):
        return self.stack.reporting.GetWorkshopReport(RS.GetWorkshopReportRequest(workshop=name))

    def test_reports_with_one_build_thread_and_none_kept_in_memory(self):
        with ThreadPoolExecutor(8) as pool:
            first = list(pool.map(self.report, self.workshops * 2))
        self.assertEqual([r.workshop for r in first], self.workshops * 2)
        # Read back current from the report cache, then again: with reports
        # kept in memory, the last would be answered from there.
        for _ in range(3):
            self.assertEqual(content(self.report(self.workshops[0])), content(first[0]))
        self.assertEqual(metric(self.stack, "qpv_recent_reports_hits_total"), 0)
        self.assertEqual(metric(self.stack, "qpv_recent_reports_bytes"), 0)


if __name__ == "__main__":
    unittest.main()
