"""National aggregation through its API only: snapshots submitted by hand,
then the dashboard, the statuses, the good practices and the live watch.

The préfecture-to-national feed itself is covered by test_feed.
"""

import json
import signal
import threading
import time
import unittest

import grpc

from harness import (C, Code, N, NATIONAL, NS, W, StackTestCase, list_all, reason, ts)

THRESHOLD = 5


def cell(count, theme=0, kind=W.Contribution.KIND_IDEA,
         category=C.ACTOR_CATEGORY_ASSOCIATION):
    return N.ContributionCell(theme=theme, kind=kind, category=category, count=count)


def workshop_figures(prefecture, wid, start, themes, attended, by_category, contributions,
                     state=W.Workshop.STATE_HELD):
    """contributions: [(themes, kind, category, count)]; each contribution's
    themes are counted in the per-theme cells and once in the theme-less one."""
    cells = {}
    total = 0
    for c_themes, kind, category, count in contributions:
        total += count
        for theme in [0] + list(c_themes):
            key = (theme, kind, category)
            cells[key] = cells.get(key, 0) + count
    return N.WorkshopFigures(
        workshop="prefectures/%s/workshops/%s" % (prefecture, wid),
        state=state, themes=themes, start_time=ts(start), registered_count=attended + 2,
        attended_count=attended, contribution_count=total,
        attendance_by_category=[C.CategoryCount(category=k, count=v) for k, v in by_category],
        contribution_cells=[cell(v, *k) for k, v in sorted(cells.items())])


def action(prefecture, wid, cid, title, text, themes=(C.THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT,),
           votes=1):
    return N.ReproducibleAction(
        contribution="prefectures/%s/workshops/%s/contributions/%s" % (prefecture, wid, cid),
        title=title, text=text, themes=list(themes), kind=W.Contribution.KIND_GOOD_PRACTICE,
        vote_count=votes, organization_category=C.ACTOR_CATEGORY_ASSOCIATION)


EMPLOYMENT = C.THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT
IMAGE = C.THEME_NEIGHBOURHOOD_IMAGE
ASSO = C.ACTOR_CATEGORY_ASSOCIATION
LOCAL = C.ACTOR_CATEGORY_LOCAL_AUTHORITY
RESIDENT = C.ACTOR_CATEGORY_RESIDENT
IDEA = W.Contribution.KIND_IDEA
ACTION = W.Contribution.KIND_ACTION


def snapshot_59(version):
    return N.PrefectureSnapshot(
        prefecture="59", version=version, build_time=ts("2018-02-14T10:00:00Z"),
        workshops=[
            workshop_figures("59", "w1", "2018-02-06T08:30:00Z", [EMPLOYMENT], 30,
                             [(ASSO, 12), (LOCAL, 15), (RESIDENT, 3)],
                             [([EMPLOYMENT], IDEA, ASSO, 10), ([EMPLOYMENT, IMAGE], ACTION, LOCAL, 4)],
                             state=W.Workshop.STATE_REPORTED),
            workshop_figures("59", "w2", "2018-02-13T08:30:00Z", [IMAGE], 20,
                             [(ASSO, 20)], [([IMAGE], IDEA, ASSO, 7)]),
        ],
        reproducible_actions=[
            action("59", "w1", "c1", "Parrainage vers l'emploi des jeunes",
                   "Des chefs d'entreprise parrainent des jeunes du quartier vers l'emploi, "
                   "avec un suivi mensuel pendant un an."),
            action("59", "w2", "c2", "Fresque participative",
                   "Une fresque peinte avec les habitants sur la façade du centre social.",
                   themes=(IMAGE,)),
        ])


def snapshot_13(version, extra=0):
    return N.PrefectureSnapshot(
        prefecture="13", version=version, build_time=ts("2019-03-01T10:00:00Z"),
        workshops=[
            workshop_figures("13", "m1", "2019-03-01T08:30:00Z", [EMPLOYMENT], 25 + extra,
                             [(ASSO, 10 + extra), (LOCAL, 15)],
                             [([EMPLOYMENT], IDEA, ASSO, 9 + extra)]),
        ],
        reproducible_actions=[
            action("13", "m1", "k1", "PARRAINAGE VERS L'EMPLOI DES JEUNES",
                   "Des chefs d'entreprise parrainent des jeunes du quartier vers l'emploi "
                   "avec un suivi mensuel pendant un an !", votes=5),
        ])


def snapshot_69(version):
    return N.PrefectureSnapshot(
        prefecture="69", version=version, build_time=ts("2019-04-01T10:00:00Z"),
        workshops=[
            workshop_figures("69", "l1", "2019-04-02T08:30:00Z", [EMPLOYMENT, IMAGE], 12,
                             [(ASSO, 9), (RESIDENT, 3)],
                             [([EMPLOYMENT], IDEA, RESIDENT, 2), ([IMAGE], ACTION, ASSO, 6)],
                             state=W.Workshop.STATE_HELD),
        ],
        reproducible_actions=[
            action("69", "l1", "x1", "Parrainage vers l’emploi des jeunes",
                   "Des chefs d’entreprise parrainent des jeunes du quartier vers l’emploi, "
                   "avec un suivi mensuel pendant une année.", votes=2),
            action("69", "l1", "x2", "Jardins partagés au pied des immeubles",
                   "Les bailleurs prêtent des parcelles aux habitants pour des jardins.",
                   themes=(C.THEME_HOUSING_URBAN_RENEWAL,)),
        ])


class NationalTest(StackTestCase):
    label = "national"
    with_national = True
    extra_env = {"national": {"QPV_SMALL_COUNT_THRESHOLD": str(THRESHOLD)}}

    @classmethod
    def setUpData(cls):
        na = cls.stack.national
        for snap in (snapshot_59(10), snapshot_13(5), snapshot_69(7)):
            resp = na.SubmitPrefectureSnapshot(NS.SubmitPrefectureSnapshotRequest(snapshot=snap))
            assert resp.applied, resp

    @property
    def na(self):
        return self.stack.national

    def dashboard(self, **kw):
        return self.na.GetNationalDashboard(NS.GetNationalDashboardRequest(**kw))

    def test_totals_equal_the_sum_of_the_prefectures(self):
        d = self.dashboard()
        self.assertEqual(d.reporting_prefecture_count, 3)
        self.assertEqual(d.workshop_count, 4)
        self.assertEqual(d.attended_count, 30 + 20 + 25 + 12)
        self.assertEqual(d.contribution_count, 14 + 7 + 9 + 8)
        by_pref = {p.prefecture: p for p in d.prefectures}
        self.assertEqual(set(by_pref), {"59", "13", "69"})
        self.assertEqual(by_pref["59"].region, "32")
        self.assertEqual(by_pref["13"].region, "93")
        self.assertEqual(by_pref["69"].region, "84")
        self.assertEqual(by_pref["59"].version, 10)
        self.assertEqual(sum(p.contribution_count for p in d.prefectures), d.contribution_count)
        self.assertEqual(sum(p.attended_count for p in d.prefectures), d.attended_count)
        self.assertEqual(sum(p.workshop_count for p in d.prefectures), d.workshop_count)
        regions = {r.region: r for r in d.by_region}
        self.assertEqual(regions["32"].contribution_count, 21)
        self.assertEqual(d.coverage.reporting_prefecture_count, 3)
        self.assertEqual(d.coverage.known_prefecture_count, 101)

    def test_small_cells_are_suppressed_not_totals(self):
        d = self.dashboard()
        cats = {c.category: c for c in d.by_category}
        # Residents made 2 contributions: under the threshold, so hidden.
        self.assertTrue(cats[RESIDENT].suppressed)
        self.assertEqual(cats[RESIDENT].contribution_count, 0)
        # Associations: far above it, shown as they are.
        self.assertFalse(cats[ASSO].suppressed)
        self.assertEqual(cats[ASSO].attended_count, 12 + 20 + 10 + 9)
        # Totals stay exact whatever the suppression.
        self.assertEqual(d.contribution_count, 38)
        themes = {t.theme: t for t in d.by_theme}
        self.assertEqual(themes[EMPLOYMENT].contribution_count, 14 + 9 + 2)
        self.assertEqual(themes[EMPLOYMENT].workshop_count, 3)

    def test_filters(self):
        d = self.dashboard(region="32")
        self.assertEqual([p.prefecture for p in d.prefectures], ["59"])
        self.assertEqual(d.contribution_count, 21)
        self.assertEqual(d.coverage.known_prefecture_count, 5)  # Hauts-de-France
        d = self.dashboard(theme=IMAGE)
        # Workshops carrying the theme: 59/w2 and 69/l1; contributions carrying it: 4 + 7 + 6.
        self.assertEqual(d.workshop_count, 2)
        self.assertEqual(d.contribution_count, 17)
        self.assertEqual(d.attended_count, 32)
        d = self.dashboard(start_time=ts("2019-01-01T00:00:00Z"), end_time=ts("2019-04-01T00:00:00Z"))
        self.assertEqual([p.prefecture for p in d.prefectures if p.workshop_count], ["13"])
        self.assertEqual(d.workshop_count, 1)
        self.assertEqual(d.contribution_count, 9)

    def test_repeated_or_older_versions_are_acknowledged_and_ignored(self):
        before = self.dashboard()
        for version in (5, 4):  # repeated, then older
            resp = self.na.SubmitPrefectureSnapshot(
                NS.SubmitPrefectureSnapshotRequest(snapshot=snapshot_13(version, extra=100)))
            self.assertFalse(resp.applied)
            self.assertEqual(resp.current_version, 5)
        after = self.dashboard()
        self.assertEqual(after.contribution_count, before.contribution_count)
        self.assertEqual(after.revision, before.revision)

    def test_status_shows_held_against_reported(self):
        statuses, _ = list_all(self.na.ListPrefectureStatus, NS.ListPrefectureStatusRequest(),
                               "statuses", page_size=40)
        by = {s.prefecture: s for s in statuses}
        # Every département once, those that never reported at version 0.
        self.assertEqual(len(statuses), 101)
        self.assertEqual(len(by), 101)
        self.assertEqual(by["62"].version, 0)
        self.assertEqual(by["59"].workshops_held, 2)
        self.assertEqual(by["59"].workshops_reported, 1)
        self.assertEqual(by["59"].missing_reports, 1)
        self.assertEqual(by["59"].version, 10)
        self.assertGreater(by["59"].receive_time.seconds, 0)
        resp = self.na.ListPrefectureStatus(NS.ListPrefectureStatusRequest(region="84"))
        self.assertEqual([s.prefecture for s in resp.statuses if s.version], ["69"])
        self.assertEqual(len(resp.statuses), 12)  # Auvergne-Rhône-Alpes

    def test_good_practices_group_alike_texts_across_prefectures(self):
        resp = self.na.ListGoodPractices(NS.ListGoodPracticesRequest())
        self.assertGreaterEqual(len(resp.groups), 3)
        top = resp.groups[0]
        self.assertEqual(top.prefecture_count, 3, top)
        self.assertEqual(sorted(top.sources), [
            "prefectures/13/workshops/m1/contributions/k1",
            "prefectures/59/workshops/w1/contributions/c1",
            "prefectures/69/workshops/l1/contributions/x1"])
        # The most voted action names the group.
        self.assertEqual(top.title, "PARRAINAGE VERS L'EMPLOI DES JEUNES")
        # Unrelated actions stay alone.
        singles = [g for g in resp.groups if g.prefecture_count == 1]
        self.assertEqual(sorted(len(g.sources) for g in singles), [1, 1])
        counts = [g.prefecture_count for g in resp.groups]
        self.assertEqual(counts, sorted(counts, reverse=True))
        housing = self.na.ListGoodPractices(
            NS.ListGoodPracticesRequest(theme=C.THEME_HOUSING_URBAN_RENEWAL))
        self.assertEqual([g.title for g in housing.groups], ["Jardins partagés au pied des immeubles"])
        spread = self.na.ListGoodPractices(NS.ListGoodPracticesRequest(min_prefecture_count=2))
        self.assertEqual(len(spread.groups), 1)

    def test_bad_snapshots_name_the_field(self):
        snap = snapshot_59(99)
        snap.prefecture = "20"
        self.assertRpcError(Code.INVALID_ARGUMENT, self.na.SubmitPrefectureSnapshot,
                            NS.SubmitPrefectureSnapshotRequest(snapshot=snap),
                            fields=["snapshot.prefecture"])
        snap = snapshot_59(0)
        self.assertRpcError(Code.INVALID_ARGUMENT, self.na.SubmitPrefectureSnapshot,
                            NS.SubmitPrefectureSnapshotRequest(snapshot=snap),
                            fields=["snapshot.version"])
        snap = snapshot_59(99)
        snap.workshops[1].workshop = "prefectures/62/workshops/w2"
        snap.workshops[0].attended_count = -1
        self.assertRpcError(Code.INVALID_ARGUMENT, self.na.SubmitPrefectureSnapshot,
                            NS.SubmitPrefectureSnapshotRequest(snapshot=snap),
                            fields=["snapshot.workshops[1].workshop",
                                    "snapshot.workshops[0].attended_count"])
        self.assertRpcError(Code.INVALID_ARGUMENT, self.dashboard, region="99",
                            fields=["region"])
        self.assertRpcError(Code.INVALID_ARGUMENT, self.na.ListGoodPractices,
                            NS.ListGoodPracticesRequest(page_size=-1), fields=["page_size"])
        # Nothing of the refused snapshots was counted.
        self.assertEqual(self.dashboard().contribution_count, 38)

    def test_watch_sends_the_current_state_then_updates(self):
        stub = self.stack.national_stub()
        req = NS.GetNationalDashboardRequest(region="93")
        watchers = 100
        received = [[] for _ in range(watchers)]
        streams = [stub.WatchNationalDashboard(req, timeout=60) for _ in range(watchers)]
        errors = []

        def read(i):
            try:
                for d in streams[i]:
                    received[i].append(d)
                    if len(received[i]) >= 2:
                        return
            except grpc.RpcError as e:
                if e.code() != grpc.StatusCode.CANCELLED:
                    errors.append(e)

        threads = [threading.Thread(target=read, args=(i,), daemon=True) for i in range(watchers)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while any(len(r) < 1 for r in received) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(all(len(r) >= 1 for r in received), "some watchers got no first message")
        first = received[0][0]
        # Version 6 of 13 with 100 more contributions: every watcher sees it.
        self.na.SubmitPrefectureSnapshot(
            NS.SubmitPrefectureSnapshotRequest(snapshot=snapshot_13(6, extra=100)))
        t0 = time.monotonic()
        while any(len(r) < 2 for r in received) and time.monotonic() < deadline:
            time.sleep(0.05)
        latency = time.monotonic() - t0
        for s in streams:
            s.cancel()
        self.assertEqual(errors, [])
        self.assertTrue(all(len(r) >= 2 for r in received),
                        "%d of %d watchers got the update" % (sum(len(r) >= 2 for r in received),
                                                             watchers))
        self.assertEqual(received[0][1].contribution_count, first.contribution_count + 100)
        self.assertGreater(received[0][1].revision, first.revision)
        print("\n  100 watchers: all had the update %.0f ms after the submit" % (latency * 1000))
        # Back to version 7 content so other tests see the same figures.
        self.na.SubmitPrefectureSnapshot(
            NS.SubmitPrefectureSnapshotRequest(snapshot=snapshot_13(7)))

    def test_a_slow_watcher_gets_the_latest_state_not_a_backlog(self):
        stub = self.stack.national_stub()
        stream = stub.WatchNationalDashboard(NS.GetNationalDashboardRequest(), timeout=60)
        first = next(stream)
        # Many accepted snapshots while the watcher does not read.
        for v in range(100, 130):
            self.na.SubmitPrefectureSnapshot(
                NS.SubmitPrefectureSnapshotRequest(snapshot=snapshot_69(v)))
        time.sleep(1.0)
        got = []
        latest = self.dashboard().revision
        for d in stream:
            got.append(d)
            if d.revision >= latest:
                break
        stream.cancel()
        self.assertGreater(got[-1].revision, first.revision)
        self.assertEqual(got[-1].revision, latest)
        # Coalesced: far fewer messages than the 30 changes.
        self.assertLess(len(got), 10, [d.revision for d in got])

    def test_x_a_snapshot_over_4_mib_is_accepted(self):
        # A big préfecture's snapshot carries thousands of action texts: over
        # gRPC's default 4 MiB limit on a received message (README).
        snap = N.PrefectureSnapshot(prefecture="62", version=1, build_time=ts("2019-05-01T10:00:00Z"))
        snap.workshops.append(workshop_figures("62", "big", "2019-05-02T08:30:00Z", [EMPLOYMENT], 10,
                                               [(ASSO, 10)], [([EMPLOYMENT], IDEA, ASSO, 5000)]))
        for i in range(5000):
            snap.reproducible_actions.append(action(
                "62", "big", "a%d" % i, "Action %d" % i, ("Texte long de l'action %d. " % i) * 40))
        self.assertGreater(snap.ByteSize(), 4 << 20)
        resp = self.na.SubmitPrefectureSnapshot(NS.SubmitPrefectureSnapshotRequest(snapshot=snap))
        self.assertTrue(resp.applied)
        figures = {p.prefecture: p for p in self.dashboard().prefectures}
        self.assertEqual(figures["62"].contribution_count, 5000)

    def test_z_watchers_are_told_to_reconnect_on_sigterm(self):
        stub = self.stack.national_stub()
        stream = stub.WatchNationalDashboard(NS.GetNationalDashboardRequest(), timeout=60)
        next(stream)
        t0 = time.monotonic()
        self.stack.services[NATIONAL].proc.send_signal(signal.SIGTERM)
        try:
            with self.assertRaises(grpc.RpcError) as caught:
                for _ in stream:
                    pass
            self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAVAILABLE)
            self.assertEqual(reason(caught.exception), "SERVER_DRAINING")
            self.assertLess(time.monotonic() - t0, 5.0)
            self.assertEqual(self.stack.services[NATIONAL].proc.wait(10), 0)
        finally:
            self.stack.start_service(NATIONAL)


class RegroupTest(StackTestCase):
    """What a resubmission changes decides what the good-practice grouping
    redoes: figures alone, nothing; votes alone, not the joins."""
    label = "regroup"
    with_national = True
    extra_env = {"national": {"QPV_REGROUP_PAUSE": "0s"}}

    @classmethod
    def setUpData(cls):
        for snap in (snapshot_59(1), snapshot_69(1)):
            resp = cls.stack.national.SubmitPrefectureSnapshot(
                NS.SubmitPrefectureSnapshotRequest(snapshot=snap))
            assert resp.applied, resp

    def groupings(self, at_least=0):
        """The national service's good_practices_grouped log lines, once
        there are at_least (its log writer lags its calls by a millisecond)."""
        deadline = time.monotonic() + 10
        while True:
            with open(self.stack.services[NATIONAL].log_path, encoding="utf-8") as f:
                lines = [json.loads(l) for l in f if l.strip().startswith("{")]
            found = [l for l in lines if l.get("event") == "good_practices_grouped"]
            if len(found) >= at_least or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def submit(self, snap):
        resp = self.stack.national.SubmitPrefectureSnapshot(
            NS.SubmitPrefectureSnapshotRequest(snapshot=snap))
        self.assertTrue(resp.applied, resp)

    def list_until(self, done, what):
        """ListGoodPractices (which starts any regroup) until done(groups)."""
        deadline = time.monotonic() + 30
        while True:
            groups = self.stack.national.ListGoodPractices(NS.ListGoodPracticesRequest()).groups
            if done(groups):
                return groups
            self.assertLess(time.monotonic(), deadline, what)
            time.sleep(0.1)

    def test_figures_alone_need_no_regroup_votes_keep_the_joins(self):
        self.list_until(lambda g: len(g) == 3, "the first grouping")
        first = len(self.groupings(at_least=1))
        self.assertEqual(first, 1)
        # The Nord again: one more workshop, the same actions.
        snap = snapshot_59(2)
        snap.workshops.append(workshop_figures("59", "w3", "2018-03-01T08:30:00Z", [IMAGE], 8,
                                               [(ASSO, 8)], [([IMAGE], IDEA, ASSO, 3)]))
        self.submit(snap)
        for _ in range(10):
            self.stack.national.ListGoodPractices(NS.ListGoodPracticesRequest())
            time.sleep(0.1)
        self.assertEqual(len(self.groupings()), first)
        # Then one vote more on the Nord's sponsorship: a regroup, which
        # keeps the joins (no text changed).
        snap = snapshot_59(3)
        snap.reproducible_actions[0].vote_count = 4
        self.submit(snap)
        groups = self.list_until(lambda g: g[0].vote_count == 4 + 2, "the regroup")
        self.assertEqual(groups[0].prefecture_count, 2)
        self.assertEqual(groups[0].title, "Parrainage vers l'emploi des jeunes")
        found = self.groupings(at_least=first + 1)
        self.assertEqual(len(found), first + 1)
        self.assertEqual(found[-1]["joins"], "kept (no text changed)")
        # A text changed: the joins are computed again.
        snap = snapshot_59(4)
        snap.reproducible_actions[1].text += " Elle est repeinte chaque printemps."
        self.submit(snap)
        self.list_until(lambda g: any(x.text.endswith("printemps.") for x in g), "the regroup")
        found = self.groupings(at_least=first + 2)
        self.assertEqual(len(found), first + 2)
        self.assertEqual(found[-1]["joins"], "computed")


if __name__ == "__main__":
    unittest.main()
