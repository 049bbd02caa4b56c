"""API behaviour of the real binaries: idempotent creates (AIP-155), paging
(AIP-158), field masks and etags (AIP-134/154), lifecycle states, capacity and
waitlist under concurrency, and the prefectures/- wildcard (AIP-159)."""

import threading
import time
import unittest

import grpc

from harness import (C, Code, S, SS, StackTestCase, W, WS, create_org, create_person,
                     create_workshop, list_all, mask, parallel, register, rid, schedule)

WS_ = W.Workshop
RS = W.Registration


class ApiBehaviour(StackTestCase):
    label = "api"

    @classmethod
    def setUpData(cls):
        cls.org59 = create_org(cls.stack, "59", "Maison de quartier Pile", C.ACTOR_CATEGORY_ASSOCIATION,
                               ["QN05981M"])
        cls.org62 = create_org(cls.stack, "62", "Ville de Calais", C.ACTOR_CATEGORY_LOCAL_AUTHORITY,
                               ["QN06201M"])

    # -- AIP-155 -------------------------------------------------------------

    def test_idempotent_create_sequential(self):
        key = rid()
        req = SS.CreateOrganizationRequest(parent="prefectures/59", request_id=key, organization=S.Organization(
            display_name="Retry once association", category=C.ACTOR_CATEGORY_ASSOCIATION))
        a = self.sh.CreateOrganization(req)
        b = self.sh.CreateOrganization(req)
        self.assertEqual(a.name, b.name)
        self.assertEqual(a.create_time, b.create_time)
        found, _ = list_all(self.sh.ListOrganizations, SS.ListOrganizationsRequest(
            parent="prefectures/59", filter='display_name:"Retry once"'), "organizations")
        self.assertEqual([o.name for o in found], [a.name])

        pkey = rid()
        p1 = create_person(self.stack, self.org59.name, "Idem", "Potent", request_id=pkey)
        p2 = create_person(self.stack, self.org59.name, "Idem", "Potent", request_id=pkey)
        self.assertEqual(p1.name, p2.name)

        wkey = rid()
        w1 = create_workshop(self.stack, "59", "Atelier rejoué", [C.THEME_HEALTH], request_id=wkey)
        w2 = create_workshop(self.stack, "59", "Atelier rejoué", [C.THEME_HEALTH], request_id=wkey)
        self.assertEqual(w1.name, w2.name)

        w1 = schedule(self.stack, w1)
        rkey = rid()
        r1 = register(self.stack, w1.name, p1.name, request_id=rkey)
        r2 = register(self.stack, w1.name, p1.name, request_id=rkey)
        self.assertEqual(r1.name, r2.name)
        self.assertEqual(self.ws.GetWorkshop(WS.GetWorkshopRequest(name=w1.name)).registered_count, 1)

        ckey = rid()
        creq = WS.CreateContributionRequest(parent=w1.name, request_id=ckey, contribution=W.Contribution(
            title="Rejouée", kind=W.Contribution.KIND_IDEA, themes=[C.THEME_HEALTH]))
        self.assertEqual(self.ws.CreateContribution(creq).name, self.ws.CreateContribution(creq).name)
        contribs, _ = list_all(self.ws.ListContributions, WS.ListContributionsRequest(parent=w1.name), "contributions")
        self.assertEqual(len(contribs), 1)

    def test_idempotent_create_concurrent(self):
        key = rid()
        req = SS.CreateOrganizationRequest(parent="prefectures/59", request_id=key, organization=S.Organization(
            display_name="Ten at once collectif", category=C.ACTOR_CATEGORY_RESIDENT))
        barrier = threading.Barrier(10)

        def create(_):
            barrier.wait(5)
            return self.sh.CreateOrganization(req)
        results = [r for _, r in parallel(create, range(10), workers=10)]
        errors = [r for r in results if isinstance(r, Exception)]
        self.assertFalse(errors, "concurrent replays failed: %s" % errors[:3])
        self.assertEqual(len({r.name for r in results}), 1, {r.name for r in results})
        found, _ = list_all(self.sh.ListOrganizations, SS.ListOrganizationsRequest(
            parent="prefectures/59", filter='display_name:"Ten at once"'), "organizations")
        self.assertEqual(len(found), 1)

        wkey = rid()
        barrier2 = threading.Barrier(10)

        def create_w(_):
            barrier2.wait(5)
            return create_workshop(self.stack, "62", "Dix à la fois", [C.THEME_MOBILITY], request_id=wkey)
        results = [r for _, r in parallel(create_w, range(10), workers=10)]
        errors = [r for r in results if isinstance(r, Exception)]
        self.assertFalse(errors, "concurrent replays failed: %s" % errors[:3])
        self.assertEqual(len({r.name for r in results}), 1)
        found, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(parent="prefectures/62"), "workshops")
        self.assertEqual(sum(1 for w in found if w.title == "Dix à la fois"), 1)

    # -- AIP-158 -------------------------------------------------------------

    def test_paging_default_and_cap(self):
        n = 1005
        made = parallel(lambda i: create_org(self.stack, "2A", "Association corse %04d" % i,
                                             C.ACTOR_CATEGORY_ASSOCIATION), range(n), workers=8)
        errors = [r for _, r in made if isinstance(r, Exception)]
        self.assertFalse(errors, errors[:3])
        names = {r.name for _, r in made}
        parent = "prefectures/2A"
        first = self.sh.ListOrganizations(SS.ListOrganizationsRequest(parent=parent))
        self.assertEqual(len(first.organizations), 50, "default page size")
        self.assertTrue(first.next_page_token)
        big = self.sh.ListOrganizations(SS.ListOrganizationsRequest(parent=parent, page_size=5000))
        self.assertEqual(len(big.organizations), 1000, "page size is capped at 1000")
        self.assertTrue(big.next_page_token)
        rest = self.sh.ListOrganizations(SS.ListOrganizationsRequest(
            parent=parent, page_size=5000, page_token=big.next_page_token))
        self.assertEqual(len(rest.organizations), 5)
        self.assertEqual(rest.next_page_token, "")
        self.assertEqual({o.name for o in big.organizations} | {o.name for o in rest.organizations}, names)
        # Small pages: every item exactly once, same order as one big listing.
        items, pages = list_all(self.sh.ListOrganizations, SS.ListOrganizationsRequest(parent=parent),
                                "organizations", page_size=97)
        self.assertEqual(pages, 11)
        self.assertEqual([o.name for o in items],
                         [o.name for o in big.organizations] + [o.name for o in rest.organizations])

    def test_paging_stable_while_items_are_added(self):
        parent_code = "971"
        for i in range(60):
            create_org(self.stack, parent_code, "Association guadeloupéenne %03d" % i, C.ACTOR_CATEGORY_ASSOCIATION)
        req = SS.ListOrganizationsRequest(parent="prefectures/" + parent_code)
        baseline, _ = list_all(self.sh.ListOrganizations, req, "organizations", page_size=1000)
        baseline = [o.name for o in baseline]
        self.assertEqual(len(baseline), 60)

        stop = threading.Event()
        added, writer_errors = [], []

        def writer():
            k = 0
            while not stop.is_set() and k < 300:
                try:
                    added.append(create_org(self.stack, parent_code, "Ajout concurrent %03d" % k,
                                            C.ACTOR_CATEGORY_OTHER).name)
                except grpc.RpcError as e:
                    writer_errors.append(e)
                k += 1
        t = threading.Thread(target=writer)
        t.start()
        try:
            time.sleep(0.05)
            seen = []
            token = ""
            while True:
                resp = self.sh.ListOrganizations(SS.ListOrganizationsRequest(
                    parent=req.parent, page_size=7, page_token=token))
                seen.extend(o.name for o in resp.organizations)
                token = resp.next_page_token
                if not token:
                    break
                time.sleep(0.01)
        finally:
            stop.set()
            t.join(30)
        self.assertFalse(writer_errors, writer_errors[:3])
        self.assertTrue(added, "the writer added nothing")
        self.assertEqual(len(seen), len(set(seen)), "an item was returned twice while paging")
        self.assertEqual([n for n in seen if n in set(baseline)], baseline,
                         "items present before paging must each come exactly once, in the stable order")
        self.assertTrue(set(seen) <= set(baseline) | set(added))
        everything, _ = list_all(self.sh.ListOrganizations, req, "organizations", page_size=13)
        self.assertEqual(sorted(o.name for o in everything), sorted(baseline + added))

    # -- AIP-134 / AIP-154 -----------------------------------------------------

    def test_update_mask_and_etag(self):
        o = create_org(self.stack, "59", "Régie de quartier", C.ACTOR_CATEGORY_ASSOCIATION, ["QN05985M"],
                       email="regie@example.fr")
        upd = S.Organization(name=o.name, etag=o.etag, display_name="Régie de quartier de la Bourgogne",
                             email="ignored@example.fr", category=C.ACTOR_CATEGORY_BUSINESS)
        u = self.sh.UpdateOrganization(SS.UpdateOrganizationRequest(organization=upd, update_mask=mask("display_name")))
        self.assertEqual(u.display_name, "Régie de quartier de la Bourgogne")
        self.assertEqual(u.email, "regie@example.fr", "field outside the mask changed")
        self.assertEqual(u.category, C.ACTOR_CATEGORY_ASSOCIATION, "field outside the mask changed")
        self.assertEqual(list(u.qpv_codes), ["QN05985M"])
        self.assertNotEqual(u.etag, o.etag)
        self.assertEqual(u.create_time, o.create_time)
        got = self.sh.GetOrganization(SS.GetOrganizationRequest(name=o.name))
        self.assertEqual(got.display_name, u.display_name)
        self.assertEqual(got.etag, u.etag)
        # Stale etag.
        stale = S.Organization(name=o.name, etag=o.etag, email="stale@example.fr")
        err = self.assertRpcError(Code.ABORTED, self.sh.UpdateOrganization,
                                  SS.UpdateOrganizationRequest(organization=stale, update_mask=mask("email")))
        self.assertReason(err)
        self.assertEqual(self.sh.GetOrganization(SS.GetOrganizationRequest(name=o.name)).email, "regie@example.fr")
        # No etag: unconditional.
        u2 = self.sh.UpdateOrganization(SS.UpdateOrganizationRequest(
            organization=S.Organization(name=o.name, email="contact@regie.example.fr"), update_mask=mask("email")))
        self.assertEqual(u2.email, "contact@regie.example.fr")
        self.assertEqual(u2.display_name, u.display_name)
        # Delete honours the etag too.
        self.assertRpcError(Code.ABORTED, self.sh.DeleteOrganization,
                            SS.DeleteOrganizationRequest(name=o.name, etag=u.etag))
        self.sh.DeleteOrganization(SS.DeleteOrganizationRequest(name=o.name, etag=u2.etag))
        self.assertRpcError(Code.NOT_FOUND, self.sh.GetOrganization, SS.GetOrganizationRequest(name=o.name))

        # Workshops: mask on capacity only, stale etag ABORTED.
        w = create_workshop(self.stack, "59", "Atelier à modifier", [C.THEME_EDUCATION], capacity=30)
        wu = self.ws.UpdateWorkshop(WS.UpdateWorkshopRequest(
            workshop=WS_(name=w.name, etag=w.etag, capacity=60, title="pas ce titre"), update_mask=mask("capacity")))
        self.assertEqual(wu.capacity, 60)
        self.assertEqual(wu.title, "Atelier à modifier")
        self.assertEqual(list(wu.themes), [C.THEME_EDUCATION])
        self.assertEqual(wu.start_time, w.start_time)
        self.assertNotEqual(wu.etag, w.etag)
        self.assertRpcError(Code.ABORTED, self.ws.UpdateWorkshop, WS.UpdateWorkshopRequest(
            workshop=WS_(name=w.name, etag=w.etag, capacity=70), update_mask=mask("capacity")))
        self.assertEqual(self.ws.GetWorkshop(WS.GetWorkshopRequest(name=w.name)).capacity, 60)
        # Person: consent given later through the mask.
        p = create_person(self.stack, self.org59.name, "Consent", "Later", consent=False)
        pu = S.Person(name=p.name, etag=p.etag)
        pu.consent_time.GetCurrentTime()
        p2 = self.sh.UpdatePerson(SS.UpdatePersonRequest(person=pu, update_mask=mask("consent_time")))
        self.assertTrue(p2.HasField("consent_time"))
        self.assertEqual(p2.given_name, "Consent")

    # -- lifecycle --------------------------------------------------------------

    def test_lifecycle_wrong_state(self):
        FP = Code.FAILED_PRECONDITION
        w = create_workshop(self.stack, "59", "Cycle de vie", [C.THEME_CULTURE_SPORT])
        self.assertEqual(w.state, WS_.STATE_DRAFT)
        self.assertRpcError(FP, self.ws.MarkWorkshopHeld, WS.MarkWorkshopHeldRequest(name=w.name),
                            msg="DRAFT -> HELD")
        self.assertRpcError(FP, self.ws.MarkWorkshopReported, WS.MarkWorkshopReportedRequest(name=w.name),
                            msg="DRAFT -> REPORTED")
        # Stale etag on a lifecycle method: ABORTED.
        w2 = self.ws.UpdateWorkshop(WS.UpdateWorkshopRequest(
            workshop=WS_(name=w.name, venue="Salle des fêtes"), update_mask=mask("venue")))
        self.assertRpcError(Code.ABORTED, self.ws.ScheduleWorkshop,
                            WS.ScheduleWorkshopRequest(name=w.name, etag=w.etag))
        s = self.ws.ScheduleWorkshop(WS.ScheduleWorkshopRequest(name=w.name, etag=w2.etag))
        self.assertEqual(s.state, WS_.STATE_SCHEDULED)
        self.assertRpcError(FP, self.ws.ScheduleWorkshop, WS.ScheduleWorkshopRequest(name=w.name),
                            msg="SCHEDULED -> SCHEDULED")
        self.assertRpcError(FP, self.ws.MarkWorkshopReported, WS.MarkWorkshopReportedRequest(name=w.name),
                            msg="SCHEDULED -> REPORTED")
        h = self.ws.MarkWorkshopHeld(WS.MarkWorkshopHeldRequest(name=w.name))
        self.assertEqual(h.state, WS_.STATE_HELD)
        self.assertRpcError(FP, self.ws.CancelWorkshop, WS.CancelWorkshopRequest(name=w.name),
                            msg="HELD -> CANCELLED")
        self.assertRpcError(FP, self.ws.ScheduleWorkshop, WS.ScheduleWorkshopRequest(name=w.name),
                            msg="HELD -> SCHEDULED")
        r = self.ws.MarkWorkshopReported(WS.MarkWorkshopReportedRequest(name=w.name))
        self.assertEqual(r.state, WS_.STATE_REPORTED)
        for call, req in ((self.ws.MarkWorkshopHeld, WS.MarkWorkshopHeldRequest(name=w.name)),
                          (self.ws.CancelWorkshop, WS.CancelWorkshopRequest(name=w.name)),
                          (self.ws.MarkWorkshopReported, WS.MarkWorkshopReportedRequest(name=w.name))):
            self.assertRpcError(FP, call, req, msg="from REPORTED")

        d = create_workshop(self.stack, "59", "Annulé en brouillon", [C.THEME_OTHER])
        c = self.ws.CancelWorkshop(WS.CancelWorkshopRequest(name=d.name, etag=d.etag))
        self.assertEqual(c.state, WS_.STATE_CANCELLED)
        self.assertRpcError(FP, self.ws.ScheduleWorkshop, WS.ScheduleWorkshopRequest(name=d.name),
                            msg="CANCELLED -> SCHEDULED")
        self.assertRpcError(FP, self.ws.CancelWorkshop, WS.CancelWorkshopRequest(name=d.name),
                            msg="CANCELLED -> CANCELLED")
        sc = schedule(self.stack, create_workshop(self.stack, "59", "Annulé programmé", [C.THEME_OTHER]))
        self.assertEqual(self.ws.CancelWorkshop(WS.CancelWorkshopRequest(name=sc.name)).state, WS_.STATE_CANCELLED)
        self.assertRpcError(Code.NOT_FOUND, self.ws.ScheduleWorkshop,
                            WS.ScheduleWorkshopRequest(name="prefectures/59/workshops/does-not-exist"))

    # -- capacity and waitlist ---------------------------------------------------

    def _persons(self, n, label):
        made = parallel(lambda i: create_person(self.stack, self.org59.name, label, "%03d" % i), range(n), workers=8)
        errors = [r for _, r in made if isinstance(r, Exception)]
        self.assertFalse(errors, errors[:3])
        return [r for _, r in made]

    def test_concurrent_registrations_respect_capacity(self):
        persons = self._persons(100, "Concurrent")
        w = schedule(self.stack, create_workshop(self.stack, "59", "Capacité 40", [C.THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT],
                                                 capacity=40))
        barrier = threading.Barrier(100)

        def reg(p):
            barrier.wait(10)
            return register(self.stack, w.name, p.name)
        results = parallel(reg, persons, workers=100)
        errors = [r for _, r in results if isinstance(r, Exception)]
        self.assertFalse(errors, "registrations failed: %s" % [str(e) for e in errors[:3]])
        states = [r.state for _, r in results]
        self.assertEqual(states.count(RS.STATE_REGISTERED), 40)
        self.assertEqual(states.count(RS.STATE_WAITLISTED), 60)
        got = self.ws.GetWorkshop(WS.GetWorkshopRequest(name=w.name))
        self.assertEqual((got.registered_count, got.waitlisted_count), (40, 60))
        listed, _ = list_all(self.ws.ListRegistrations, WS.ListRegistrationsRequest(parent=w.name), "registrations")
        self.assertEqual(len(listed), 100)
        self.assertEqual(len({r.person for r in listed}), 100)
        self.assertEqual(sum(1 for r in listed if r.state == RS.STATE_REGISTERED), 40)
        waitlisted = [r for r in listed if r.state == RS.STATE_WAITLISTED]

        seat = next(r for _, r in results if r.state == RS.STATE_REGISTERED)
        out = self.ws.WithdrawRegistration(WS.WithdrawRegistrationRequest(name=seat.name))
        self.assertEqual(out.state, RS.STATE_WITHDRAWN)
        after, _ = list_all(self.ws.ListRegistrations, WS.ListRegistrationsRequest(parent=w.name), "registrations")
        by_name = {r.name: r for r in after}
        promoted = [r for r in waitlisted if by_name[r.name].state == RS.STATE_REGISTERED]
        self.assertEqual(len(promoted), 1, "exactly one waitlisted person takes the freed seat")
        self.assertEqual(promoted[0].name, waitlisted[0].name,
                         "the first waitlisted in ListRegistrations order must be promoted")
        # "First" as the API shows it: the waitlisted registration created first.
        key = lambda r: (r.create_time.seconds, r.create_time.nanos)  # noqa: E731
        earliest = min(waitlisted, key=key)
        if sum(1 for r in waitlisted if key(r) == key(earliest)) == 1:
            order = sorted(waitlisted, key=key)
            self.assertEqual(promoted[0].name, earliest.name,
                             "the first waitlisted (earliest create_time %s) must be promoted; got %s "
                             "(create_time %s, %d-th in create_time order)" % (
                                 earliest.create_time.ToJsonString(), promoted[0].name,
                                 promoted[0].create_time.ToJsonString(),
                                 [r.name for r in order].index(promoted[0].name) + 1))
        got = self.ws.GetWorkshop(WS.GetWorkshopRequest(name=w.name))
        self.assertEqual((got.registered_count, got.waitlisted_count), (40, 59))

    def test_waitlist_promotion_in_order(self):
        a, b, c, d = self._persons(4, "Ordre")
        w = schedule(self.stack, create_workshop(self.stack, "59", "Deux places", [C.THEME_HEALTH], capacity=2))
        ra, rb, rc, rd = [register(self.stack, w.name, p.name) for p in (a, b, c, d)]
        self.assertEqual([r.state for r in (ra, rb, rc, rd)],
                         [RS.STATE_REGISTERED, RS.STATE_REGISTERED, RS.STATE_WAITLISTED, RS.STATE_WAITLISTED])
        self.assertRpcError(Code.ALREADY_EXISTS, register, self.stack, w.name, a.name,
                            msg="the same person registered twice (new request_id)")

        def state(r):
            regs, _ = list_all(self.ws.ListRegistrations, WS.ListRegistrationsRequest(parent=w.name), "registrations")
            return next(x.state for x in regs if x.name == r.name)
        self.ws.WithdrawRegistration(WS.WithdrawRegistrationRequest(name=ra.name))
        self.assertEqual(state(rc), RS.STATE_REGISTERED)
        self.assertEqual(state(rd), RS.STATE_WAITLISTED)
        # Withdrawing a waitlisted registration frees no seat.
        self.ws.WithdrawRegistration(WS.WithdrawRegistrationRequest(name=rd.name))
        self.assertEqual(state(rd), RS.STATE_WITHDRAWN)
        got = self.ws.GetWorkshop(WS.GetWorkshopRequest(name=w.name))
        self.assertEqual((got.registered_count, got.waitlisted_count), (2, 0))
        waiting, _ = list_all(self.ws.ListRegistrations, WS.ListRegistrationsRequest(
            parent=w.name, filter="state = STATE_WAITLISTED"), "registrations")
        self.assertEqual(waiting, [])

    # -- AIP-159 --------------------------------------------------------------------

    def test_list_across_prefectures(self):
        made = [create_workshop(self.stack, p, "Atelier %s-%d" % (p, i), [C.THEME_HOUSING_URBAN_RENEWAL])
                for p in ("59", "62") for i in range(3)]
        self.assertTrue(all(w.name.startswith("prefectures/%s/" % w.name.split("/")[1]) for w in made))
        per = {}
        for p in ("59", "62"):
            items, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(parent="prefectures/" + p), "workshops")
            self.assertTrue(all(w.name.startswith("prefectures/%s/workshops/" % p) for w in items))
            per[p] = {w.name for w in items}
        items, pages = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(parent="prefectures/-"),
                                "workshops", page_size=2)
        names = [w.name for w in items]
        self.assertEqual(len(names), len(set(names)), "duplicate across pages")
        self.assertGreater(pages, 1)
        self.assertTrue({w.name for w in made} <= set(names))
        self.assertEqual(set(names), per["59"] | per["62"])
        self.assertFalse(any(n.startswith("prefectures/-") for n in names), "names keep their real préfecture")
        filtered, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(
            parent="prefectures/-", filter="themes:THEME_HOUSING_URBAN_RENEWAL"), "workshops")
        self.assertEqual({w.name for w in filtered}, {w.name for w in made})


if __name__ == "__main__":
    unittest.main(verbosity=2)
