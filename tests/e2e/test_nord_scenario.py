"""The founding case: the Préfecture du Nord's three workshops of February 2018
(6 Feb employment & economic development, 8 Feb discrimination, 13 Feb image
of the neighbourhoods), about forty actors each, run end to end through the
real binaries. The steps are ordered (test_01 .. test_09) and share state."""

import csv
import os
import unittest

from harness import (C, Code, SS, StackTestCase, W, WS, create_org, create_person,
                     list_all, parallel, register, rid, ts)

PREFECTURE = "59"
PARENT = "prefectures/59"

_FALLBACK_NORD_CODES = ["QN05981M", "QN05985M", "QN05980M", "QN05971M", "QN05950M",
                        "QN05983M", "QN05984M", "QN05986M"]


def nord_codes():
    """Real 2024 QPV codes of the Nord, from the shared reference data when present."""
    for path in (os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "qpv.csv"),
                 "/work/shared/data/qpv.csv"):
        if os.path.isfile(path):
            with open(path, encoding="utf-8", newline="") as f:
                codes = [r["code"] for r in csv.DictReader(f) if r.get("departement_code") == "59"]
            wanted = [c for c in _FALLBACK_NORD_CODES if c in codes]
            if len(wanted) >= 4:
                return wanted
    return list(_FALLBACK_NORD_CODES)


CODES = nord_codes()
ROUBAIX, TOURCOING = CODES[0], CODES[1]

ORGS = [
    # (display name, category, qpv codes)
    ("Ville de Roubaix", C.ACTOR_CATEGORY_LOCAL_AUTHORITY, [ROUBAIX, CODES[2]]),
    ("Ville de Tourcoing", C.ACTOR_CATEGORY_LOCAL_AUTHORITY, [TOURCOING]),
    ("Association Rencontres et Loisirs", C.ACTOR_CATEGORY_ASSOCIATION, [ROUBAIX]),
    ("Centre social de la Bourgogne", C.ACTOR_CATEGORY_ASSOCIATION, [TOURCOING]),
    ("Vilogia", C.ACTOR_CATEGORY_SOCIAL_LANDLORD, [ROUBAIX, TOURCOING]),
    ("Conseil citoyen du Nouveau Roubaix", C.ACTOR_CATEGORY_CITIZEN_COUNCIL, [ROUBAIX]),
    ("Adultes-relais de Tourcoing", C.ACTOR_CATEGORY_ADULT_RELAY, [TOURCOING]),
    ("IREV centre de ressources", C.ACTOR_CATEGORY_RESOURCE_CENTER, []),
    ("Délégué du préfet", C.ACTOR_CATEGORY_STATE_SERVICE, [ROUBAIX, TOURCOING, CODES[3]]),
    ("Entreprise d'insertion Nord", C.ACTOR_CATEGORY_BUSINESS, [CODES[3]]),
]

WORKSHOPS = [
    ("Emploi et développement économique", C.THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT,
     "2018-02-06T08:30:00Z", "2018-02-06T12:00:00Z"),
    ("Prévention et lutte contre les discriminations", C.THEME_DISCRIMINATION,
     "2018-02-08T08:30:00Z", "2018-02-08T12:00:00Z"),
    ("Image des quartiers", C.THEME_NEIGHBOURHOOD_IMAGE,
     "2018-02-13T08:30:00Z", "2018-02-13T12:00:00Z"),
]
PERSONS = 40
ABSENT = 4  # per workshop
KINDS = [W.Contribution.KIND_IDEA, W.Contribution.KIND_ACTION, W.Contribution.KIND_GOOD_PRACTICE,
         W.Contribution.KIND_OBSTACLE, W.Contribution.KIND_RECOMMENDATION]


class NordScenario(StackTestCase):
    label = "nord"
    orgs = []          # Organization
    persons = []       # Person, all with consent
    no_consent = None  # Person without consent
    workshops = []     # Workshop (latest known)
    regs = {}          # workshop name -> [Registration]
    contribs = {}      # workshop name -> [Contribution]

    def _refresh(self, i):
        w = self.ws.GetWorkshop(WS.GetWorkshopRequest(name=self.workshops[i].name))
        type(self).workshops[i] = w
        return w

    def test_01_organizations(self):
        orgs = []
        for name, cat, codes in ORGS:
            o = create_org(self.stack, PREFECTURE, name, cat, codes,
                           email="contact@%s.example.fr" % name.split()[-1].lower())
            self.assertRegex(o.name, r"^prefectures/59/organizations/[a-z0-9][a-z0-9-]{0,62}$")
            self.assertEqual(o.display_name, name)
            self.assertEqual(o.category, cat)
            self.assertEqual(list(o.qpv_codes), codes)
            self.assertTrue(o.etag, "organization has no etag")
            self.assertTrue(o.HasField("create_time"))
            orgs.append(o)
        self.assertEqual(len({o.name for o in orgs}), len(ORGS))
        type(self).orgs = orgs

    def test_02_persons_with_consent(self):
        self.assertTrue(self.orgs, "no organizations (test_01 failed)")
        persons = []
        for i in range(PERSONS):
            org = self.orgs[i % len(self.orgs)]
            p = create_person(self.stack, org.name, "Prénom%02d" % i, "Nom-%02d" % i,
                              email="p%02d@example.fr" % i, phone="+33 3 20 00 00 %02d" % i)
            self.assertRegex(p.name, r"^prefectures/59/persons/[a-z0-9][a-z0-9-]{0,62}$")
            self.assertEqual(p.organization, org.name)
            self.assertTrue(p.HasField("consent_time"))
            persons.append(p)
        type(self).persons = persons
        nc = create_person(self.stack, self.orgs[2].name, "Sans", "Consentement", consent=False)
        self.assertFalse(nc.HasField("consent_time"))
        type(self).no_consent = nc
        got = self.sh.GetPerson(SS.GetPersonRequest(name=persons[7].name))
        self.assertEqual(got.given_name, "Prénom07")
        self.assertEqual(got.family_name, "Nom-07")
        self.assertEqual(got.email, "p07@example.fr")

    def test_03_workshops_created_and_scheduled(self):
        ws = []
        for title, theme, start, end in WORKSHOPS:
            w = self.ws.CreateWorkshop(WS.CreateWorkshopRequest(
                parent=PARENT, request_id=rid(), workshop=W.Workshop(
                    title=title, themes=[theme], start_time=ts(start), end_time=ts(end),
                    venue="Préfecture du Nord, Lille", capacity=45, qpv_codes=[ROUBAIX, TOURCOING],
                    description="Atelier thématique territorial, Nord 2018")))
            self.assertRegex(w.name, r"^prefectures/59/workshops/[a-z0-9][a-z0-9-]{0,62}$")
            self.assertEqual(w.state, W.Workshop.STATE_DRAFT)
            self.assertEqual(w.title, title)
            self.assertEqual(list(w.themes), [theme])
            self.assertEqual(w.start_time, ts(start))
            self.assertEqual(w.end_time, ts(end))
            self.assertEqual(w.capacity, 45)
            s = self.ws.ScheduleWorkshop(WS.ScheduleWorkshopRequest(name=w.name, etag=w.etag))
            self.assertEqual(s.state, W.Workshop.STATE_SCHEDULED)
            self.assertNotEqual(s.etag, w.etag, "etag unchanged by ScheduleWorkshop")
            ws.append(s)
        type(self).workshops = ws

    def test_04_registrations(self):
        self.assertTrue(self.workshops and self.persons, "earlier steps failed")
        org_by_name = {o.name: o for o in self.orgs}
        for i, w in enumerate(self.workshops):
            results = parallel(lambda p: register(self.stack, w.name, p.name), self.persons, workers=8)
            regs = []
            for p, r in results:
                if isinstance(r, Exception):
                    raise r
                self.assertEqual(r.state, W.Registration.STATE_REGISTERED, str(r))
                self.assertTrue(r.name.startswith(w.name + "/registrations/"), r.name)
                self.assertEqual(r.person, p.name)
                self.assertEqual(r.organization, p.organization)
                self.assertEqual(r.organization_category, org_by_name[p.organization].category)
                regs.append(r)
            type(self).regs[w.name] = regs
            got = self._refresh(i)
            self.assertEqual(got.registered_count, PERSONS)
            self.assertEqual(got.waitlisted_count, 0)

    def test_05_person_without_consent_cannot_register(self):
        self.assertTrue(self.workshops and self.no_consent, "earlier steps failed")
        err = self.assertRpcError(Code.FAILED_PRECONDITION, register, self.stack,
                                  self.workshops[0].name, self.no_consent.name)
        self.assertReason(err)
        self.assertEqual(self._refresh(0).registered_count, PERSONS)

    def test_06_attendance(self):
        self.assertTrue(self.regs, "earlier steps failed")
        for i, w in enumerate(self.workshops):
            regs = self.regs[w.name]

            def record(item):
                k, r = item
                return self.ws.RecordAttendance(WS.RecordAttendanceRequest(name=r.name, attended=k >= ABSENT))
            for (k, r), got in parallel(record, list(enumerate(regs)), workers=8):
                if isinstance(got, Exception):
                    raise got
                want = W.Registration.STATE_ATTENDED if k >= ABSENT else W.Registration.STATE_ABSENT
                self.assertEqual(got.state, want, "%s: %s" % (r.name, got))
            got = self._refresh(i)
            self.assertEqual(got.attended_count, PERSONS - ABSENT)
            self.assertEqual(got.registered_count, PERSONS, "absent/attended still hold a seat")

    def test_07_contributions_and_votes(self):
        self.assertTrue(self.regs, "earlier steps failed")
        for i, w in enumerate(self.workshops):
            theme = WORKSHOPS[i][1]
            made = []
            for k, kind in enumerate(KINDS):
                org = self.orgs[(i + k) % len(self.orgs)]
                c = self.ws.CreateContribution(WS.CreateContributionRequest(
                    parent=w.name, request_id=rid(), contribution=W.Contribution(
                        title="Proposition %d.%d" % (i + 1, k + 1),
                        text="Texte de la proposition %d.%d : mettre en réseau les acteurs du quartier." % (i + 1, k + 1),
                        kind=kind, themes=[theme], reproducible=kind in (
                            W.Contribution.KIND_ACTION, W.Contribution.KIND_GOOD_PRACTICE),
                        qpv_codes=list(org.qpv_codes[:1]) or [ROUBAIX], organization=org.name)))
                self.assertTrue(c.name.startswith(w.name + "/contributions/"), c.name)
                self.assertEqual(c.kind, kind)
                self.assertEqual(c.vote_count, 0)
                self.assertEqual(c.organization, org.name)
                self.assertEqual(c.organization_category, org.category)
                made.append(c)
            type(self).contribs[w.name] = made

            # Attendees vote: 10 for the action, 3 for the good practice.
            attendees = [r.person for r in self.regs[w.name][ABSENT:]]
            action, practice = made[1], made[2]
            for voters, c in ((attendees[:10], action), (attendees[10:13], practice)):
                for _, got in parallel(lambda p: self.ws.VoteContribution(
                        WS.VoteContributionRequest(name=c.name, person=p)), voters, workers=8):
                    if isinstance(got, Exception):
                        raise got
            self.assertEqual(self.ws.GetContribution(WS.GetContributionRequest(name=action.name)).vote_count, 10)
            self.assertEqual(self.ws.GetContribution(WS.GetContributionRequest(name=practice.name)).vote_count, 3)
            # One vote per person.
            err = self.assertRpcError(Code.ALREADY_EXISTS, self.ws.VoteContribution,
                                      WS.VoteContributionRequest(name=action.name, person=attendees[0]))
            self.assertReason(err)
            self.assertEqual(self.ws.GetContribution(WS.GetContributionRequest(name=action.name)).vote_count, 10)

    def test_08_held_and_reported(self):
        self.assertTrue(self.contribs, "earlier steps failed")
        for i, w in enumerate(list(self.workshops)):
            w = self._refresh(i)
            h = self.ws.MarkWorkshopHeld(WS.MarkWorkshopHeldRequest(name=w.name, etag=w.etag))
            self.assertEqual(h.state, W.Workshop.STATE_HELD)
            r = self.ws.MarkWorkshopReported(WS.MarkWorkshopReportedRequest(name=h.name, etag=h.etag))
            self.assertEqual(r.state, W.Workshop.STATE_REPORTED)
            type(self).workshops[i] = r

    def test_09_list_everything_back(self):
        self.assertEqual(len(self.workshops), 3, "earlier steps failed")
        orgs, _ = list_all(self.sh.ListOrganizations, SS.ListOrganizationsRequest(parent=PARENT), "organizations")
        self.assertEqual(sorted(o.name for o in orgs), sorted(o.name for o in self.orgs))
        assoc, _ = list_all(self.sh.ListOrganizations, SS.ListOrganizationsRequest(
            parent=PARENT, filter="category = ACTOR_CATEGORY_ASSOCIATION"), "organizations")
        self.assertEqual(len(assoc), 2)
        in_roubaix, _ = list_all(self.sh.ListOrganizations, SS.ListOrganizationsRequest(
            parent=PARENT, filter="qpv_codes:%s" % ROUBAIX), "organizations")
        self.assertEqual(len(in_roubaix), sum(1 for o in ORGS if ROUBAIX in o[2]))

        persons, _ = list_all(self.sh.ListPersons, SS.ListPersonsRequest(parent=PARENT), "persons")
        self.assertEqual(len(persons), PERSONS + 1)
        consenting, _ = list_all(self.sh.ListPersons, SS.ListPersonsRequest(
            parent=PARENT, filter="has_consent = true"), "persons")
        self.assertEqual(sorted(p.name for p in consenting), sorted(p.name for p in self.persons))

        workshops, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(parent=PARENT), "workshops")
        mine = {w.name for w in self.workshops}
        self.assertTrue(mine <= {w.name for w in workshops})
        reported, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(
            parent=PARENT, filter="state = STATE_REPORTED"), "workshops")
        self.assertEqual({w.name for w in reported}, mine)
        # People also write enum values without their prefix.
        short, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(
            parent=PARENT, filter="state = reported AND themes:discrimination"), "workshops")
        self.assertEqual({w.name for w in short}, {self.workshops[1].name})
        feb_7_to_13, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(
            parent=PARENT, filter='start_time >= "2018-02-07T00:00:00Z" AND start_time < "2018-02-14T00:00:00Z"'),
            "workshops")
        self.assertEqual({w.name for w in feb_7_to_13}, {self.workshops[1].name, self.workshops[2].name})
        discrimination, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(
            parent=PARENT, filter="themes:THEME_DISCRIMINATION"), "workshops")
        self.assertEqual({w.name for w in discrimination}, {self.workshops[1].name})

        for w in self.workshops:
            got = self.ws.GetWorkshop(WS.GetWorkshopRequest(name=w.name))
            self.assertEqual(got.state, W.Workshop.STATE_REPORTED)
            self.assertEqual(got.registered_count, PERSONS)
            self.assertEqual(got.attended_count, PERSONS - ABSENT)
            regs, _ = list_all(self.ws.ListRegistrations, WS.ListRegistrationsRequest(parent=w.name), "registrations")
            self.assertEqual(len(regs), PERSONS)
            self.assertEqual(len({r.person for r in regs}), PERSONS)
            attended, _ = list_all(self.ws.ListRegistrations, WS.ListRegistrationsRequest(
                parent=w.name, filter="state = STATE_ATTENDED"), "registrations")
            self.assertEqual(len(attended), PERSONS - ABSENT)
            contribs, _ = list_all(self.ws.ListContributions, WS.ListContributionsRequest(parent=w.name), "contributions")
            self.assertEqual(sorted(c.kind for c in contribs), sorted(KINDS))
            votes = {c.title: c.vote_count for c in contribs}
            self.assertEqual(sorted(votes.values()), [0, 0, 0, 3, 10])
            reproducible_actions, _ = list_all(self.ws.ListContributions, WS.ListContributionsRequest(
                parent=w.name, filter="kind = KIND_ACTION AND reproducible = true"), "contributions")
            self.assertEqual(len(reproducible_actions), 1)

    def test_10_cancelled_workshop_refuses_votes(self):
        self.assertTrue(self.persons, "earlier steps failed")
        w = self.ws.CreateWorkshop(WS.CreateWorkshopRequest(
            parent=PARENT, request_id=rid(), workshop=W.Workshop(
                title="Atelier annulé (neige)", themes=[C.THEME_CITIZEN_PARTICIPATION],
                start_time=ts("2018-02-20T08:30:00Z"), end_time=ts("2018-02-20T12:00:00Z"),
                capacity=20, qpv_codes=[ROUBAIX])))
        w = self.ws.ScheduleWorkshop(WS.ScheduleWorkshopRequest(name=w.name, etag=w.etag))
        voter = self.persons[0].name
        register(self.stack, w.name, voter)
        c = self.ws.CreateContribution(WS.CreateContributionRequest(
            parent=w.name, request_id=rid(), contribution=W.Contribution(
                title="Idée avant annulation", kind=W.Contribution.KIND_IDEA,
                themes=[C.THEME_CITIZEN_PARTICIPATION], organization=self.orgs[0].name)))
        w = self.ws.GetWorkshop(WS.GetWorkshopRequest(name=w.name))
        cancelled = self.ws.CancelWorkshop(WS.CancelWorkshopRequest(name=w.name, etag=w.etag))
        self.assertEqual(cancelled.state, W.Workshop.STATE_CANCELLED)
        err = self.assertRpcError(Code.FAILED_PRECONDITION, self.ws.VoteContribution,
                                  WS.VoteContributionRequest(name=c.name, person=voter))
        self.assertReason(err)
        self.assertEqual(self.ws.GetContribution(WS.GetContributionRequest(name=c.name)).vote_count, 0)
        self.assertRpcError(Code.FAILED_PRECONDITION, register, self.stack, w.name, self.persons[1].name,
                            msg="registering to a cancelled workshop")
        # The reported workshops still list as reported; the cancelled one too.
        cancelled_list, _ = list_all(self.ws.ListWorkshops, WS.ListWorkshopsRequest(
            parent=PARENT, filter="state = STATE_CANCELLED"), "workshops")
        self.assertEqual([x.name for x in cancelled_list], [w.name])


if __name__ == "__main__":
    unittest.main(verbosity=2)
