"""Bad input: every case gets INVALID_ARGUMENT with a google.rpc.BadRequest
naming the field (AIP-193), and afterwards the servers are still up and the
stored data is unchanged. Requests the services must accept go to
préfecture 62 so that préfecture 59's data can be compared at the end."""

import base64
import unittest

from harness import (C, Code, bad_fields, S, SS, STAKEHOLDER, SERVING, StackTestCase, W, WORKSHOP, WS,
                     create_org, create_person, create_workshop, list_all, mask, patch_bytes,
                     register, rid, schedule, ts, workshop_msg)

IA = Code.INVALID_ARGUMENT
PLACEHOLDER = "PLACEHOLDER-UTF8"  # 16 bytes


def bad_utf8(n=16):
    """n bytes that are not UTF-8: a truncated sequence, a lone continuation byte, 0xff."""
    raw = b"ok\xc3\x28\x80\xff\xfe"
    return (raw + b"x" * n)[:n]


class BadInput(StackTestCase):
    label = "bad"

    @classmethod
    def setUpData(cls):
        st = cls.stack
        cls.org = create_org(st, "59", "Centre social Belencontre", C.ACTOR_CATEGORY_ASSOCIATION, ["QN05985M"])
        cls.person = create_person(st, cls.org.name, "Amina", "Baseline")
        cls.workshop = schedule(st, create_workshop(st, "59", "Atelier de référence", [C.THEME_EDUCATION],
                                                    capacity=10, qpv_codes=["QN05985M"]))
        cls.registration = register(st, cls.workshop.name, cls.person.name)
        cls.contribution = st.workshop.CreateContribution(WS.CreateContributionRequest(
            parent=cls.workshop.name, request_id=rid(), contribution=W.Contribution(
                title="Référence", kind=W.Contribution.KIND_IDEA, themes=[C.THEME_EDUCATION],
                organization=cls.org.name)))
        # Second page of organizations needs at least two of them.
        create_org(st, "59", "Bailleur de référence", C.ACTOR_CATEGORY_SOCIAL_LANDLORD)
        cls.snapshot = cls.take_snapshot()
        cls.pids = {n: st.services[n].pid for n in (STAKEHOLDER, WORKSHOP)}

    @classmethod
    def take_snapshot(cls):
        st = cls.stack
        p = "prefectures/59"
        snap = {}
        snap["orgs"] = list_all(st.stakeholder.ListOrganizations, SS.ListOrganizationsRequest(parent=p), "organizations")[0]
        snap["persons"] = list_all(st.stakeholder.ListPersons, SS.ListPersonsRequest(parent=p), "persons")[0]
        snap["workshops"] = list_all(st.workshop.ListWorkshops, WS.ListWorkshopsRequest(parent=p), "workshops")[0]
        snap["registrations"] = list_all(st.workshop.ListRegistrations, WS.ListRegistrationsRequest(
            parent=cls.workshop.name), "registrations")[0]
        snap["contributions"] = list_all(st.workshop.ListContributions, WS.ListContributionsRequest(
            parent=cls.workshop.name), "contributions")[0]
        return snap

    # -- helpers ------------------------------------------------------------------

    def raw(self, service, method, message, response_class, field, placeholder=PLACEHOLDER):
        payload = patch_bytes(message, placeholder, bad_utf8(len(placeholder.encode())))
        return self.assertRpcError(IA, self.stack.raw_call, service, method, payload, response_class,
                                   fields=[field], msg="%s with invalid UTF-8 in %s" % (method, field))

    def create_w(self, workshop, parent="prefectures/59"):
        return self.ws.CreateWorkshop(WS.CreateWorkshopRequest(parent=parent, workshop=workshop, request_id=rid()))

    def create_o(self, org, parent="prefectures/59"):
        return self.sh.CreateOrganization(SS.CreateOrganizationRequest(parent=parent, organization=org, request_id=rid()))

    def create_p(self, person, parent="prefectures/59"):
        return self.sh.CreatePerson(SS.CreatePersonRequest(parent=parent, person=person, request_id=rid()))

    def create_c(self, contribution, parent=None):
        return self.ws.CreateContribution(WS.CreateContributionRequest(
            parent=parent or self.workshop.name, contribution=contribution, request_id=rid()))

    def good_w(self, **kw):
        args = dict(title="Atelier", themes=[C.THEME_HEALTH], start="2018-02-06T08:30:00Z",
                    end="2018-02-06T12:00:00Z", capacity=40, qpv_codes=["QN05981M"])
        args.update(kw)
        return workshop_msg(**args)

    # -- cases ---------------------------------------------------------------------

    def test_invalid_utf8(self):
        cases = [
            (WORKSHOP, "CreateWorkshop", WS.CreateWorkshopRequest(
                parent="prefectures/59", request_id=rid(), workshop=self.good_w(title=PLACEHOLDER)),
             W.Workshop, "workshop.title"),
            (WORKSHOP, "CreateWorkshop", WS.CreateWorkshopRequest(
                parent="prefectures/59", request_id=rid(), workshop=self.good_w(venue=PLACEHOLDER)),
             W.Workshop, "workshop.venue"),
            (WORKSHOP, "UpdateWorkshop", WS.UpdateWorkshopRequest(
                workshop=W.Workshop(name=self.workshop.name, title=PLACEHOLDER), update_mask=mask("title")),
             W.Workshop, "workshop.title"),
            (WORKSHOP, "CreateContribution", WS.CreateContributionRequest(
                parent=self.workshop.name, request_id=rid(), contribution=W.Contribution(
                    title="Titre", text="Début " + PLACEHOLDER + " fin", kind=W.Contribution.KIND_IDEA)),
             W.Contribution, "contribution.text"),
            (WORKSHOP, "ListWorkshops", WS.ListWorkshopsRequest(
                parent="prefectures/59", filter='venue:"%s"' % PLACEHOLDER), WS.ListWorkshopsResponse, "filter"),
            (WORKSHOP, "GetWorkshop", WS.GetWorkshopRequest(
                name="prefectures/59/workshops/" + PLACEHOLDER), W.Workshop, "name"),
            (STAKEHOLDER, "CreateOrganization", SS.CreateOrganizationRequest(
                parent="prefectures/59", request_id=rid(), organization=S.Organization(
                    display_name=PLACEHOLDER, category=C.ACTOR_CATEGORY_ASSOCIATION)),
             S.Organization, "organization.display_name"),
            (STAKEHOLDER, "UpdateOrganization", SS.UpdateOrganizationRequest(
                organization=S.Organization(name=self.org.name, email=PLACEHOLDER), update_mask=mask("email")),
             S.Organization, "organization.email"),
            (STAKEHOLDER, "CreatePerson", SS.CreatePersonRequest(
                parent="prefectures/59", request_id=rid(), person=S.Person(
                    organization=self.org.name, given_name=PLACEHOLDER, family_name="X")),
             S.Person, "person.given_name"),
            (STAKEHOLDER, "GetOrganization", SS.GetOrganizationRequest(
                name="prefectures/59/organizations/" + PLACEHOLDER), S.Organization, "name"),
            (STAKEHOLDER, "ListPersons", SS.ListPersonsRequest(
                parent="prefectures/59", page_token=PLACEHOLDER), SS.ListPersonsResponse, "page_token"),
            (STAKEHOLDER, "ListOrganizations", SS.ListOrganizationsRequest(
                parent="prefectures/59", filter='display_name:"%s"' % PLACEHOLDER),
             SS.ListOrganizationsResponse, "filter"),
        ]
        for service, method, message, response_class, field in cases:
            with self.subTest(method=method, field=field):
                self.raw(service, method, message, response_class, field)

    def test_over_long_strings(self):
        cases = [
            ("workshop.title", self.good_w(title="t" * 201)),
            ("workshop.venue", self.good_w(venue="v" * 301)),
            ("workshop.description", self.good_w(description="d" * 5001)),
        ]
        for field, w in cases:
            with self.subTest(field=field):
                self.assertRpcError(IA, self.create_w, w, fields=[field])
        self.assertRpcError(IA, self.create_o, S.Organization(
            display_name="o" * 201, category=C.ACTOR_CATEGORY_ASSOCIATION), fields=["organization.display_name"])
        self.assertRpcError(IA, self.create_c, W.Contribution(
            title="c" * 201, kind=W.Contribution.KIND_IDEA), fields=["contribution.title"])
        self.assertRpcError(IA, self.create_c, W.Contribution(
            title="ok", text="x" * 10001, kind=W.Contribution.KIND_IDEA), fields=["contribution.text"])
        # Limits count characters, not bytes: 200 accented letters are fine.
        ok = self.create_w(self.good_w(title="é" * 200, qpv_codes=[]), parent="prefectures/62")
        self.assertEqual(ok.title, "é" * 200)
        ok = self.create_o(S.Organization(display_name="ç" * 200, category=C.ACTOR_CATEGORY_OTHER),
                           parent="prefectures/62")
        self.assertEqual(ok.display_name, "ç" * 200)

    def test_unknown_enum_values(self):
        w = self.good_w()
        w.themes.append(99)
        self.assertRpcError(IA, self.create_w, w, field_prefixes=["workshop.themes"], msg="theme 99")
        self.assertRpcError(IA, self.create_w, self.good_w(themes=[C.THEME_UNSPECIFIED]),
                            field_prefixes=["workshop.themes"], msg="THEME_UNSPECIFIED")
        self.assertRpcError(IA, self.create_w, self.good_w(themes=[]),
                            field_prefixes=["workshop.themes"], msg="no theme")
        self.assertRpcError(IA, self.create_w, self.good_w(themes=[C.THEME_HEALTH, C.THEME_HEALTH]),
                            field_prefixes=["workshop.themes"], msg="duplicate theme")
        self.assertRpcError(IA, self.create_o, S.Organization(display_name="X", category=99),
                            fields=["organization.category"], msg="category 99")
        self.assertRpcError(IA, self.create_c, W.Contribution(title="X", kind=42),
                            fields=["contribution.kind"], msg="kind 42")
        c = W.Contribution(title="X", kind=W.Contribution.KIND_IDEA)
        c.themes.append(77)
        self.assertRpcError(IA, self.create_c, c, field_prefixes=["contribution.themes"], msg="theme 77")
        # Same through hand-made bytes: field 3 (themes, packed) of Workshop = [99].
        body = self.good_w(themes=[]).SerializeToString() + bytes([0x1A, 0x01, 99])
        req = WS.CreateWorkshopRequest(parent="prefectures/59", request_id=rid()).SerializeToString()
        self.assertLess(len(body), 128)
        req += bytes([0x12, len(body)]) + body
        self.assertRpcError(IA, self.stack.raw_call, WORKSHOP, "CreateWorkshop", req, W.Workshop,
                            field_prefixes=["workshop.themes"], msg="raw theme 99")

    def test_missing_required_fields(self):
        w = self.good_w(title="")
        self.assertRpcError(IA, self.create_w, w, fields=["workshop.title"])
        self.assertRpcError(IA, self.create_w, self.good_w(title="   "), fields=["workshop.title"], msg="blank title")
        w = self.good_w()
        w.ClearField("start_time")
        self.assertRpcError(IA, self.create_w, w, fields=["workshop.start_time"])
        w = self.good_w()
        w.ClearField("end_time")
        self.assertRpcError(IA, self.create_w, w, fields=["workshop.end_time"])
        err = self.assertRpcError(IA, self.create_w, W.Workshop(), field_prefixes=["workshop"])
        names = set(bad_fields(err))
        self.assertTrue({"workshop.title", "workshop.start_time"} <= names,
                        "one answer names every bad field: %s" % names)
        self.assertRpcError(IA, self.create_o, S.Organization(category=C.ACTOR_CATEGORY_ASSOCIATION),
                            fields=["organization.display_name"])
        self.assertRpcError(IA, self.create_o, S.Organization(display_name="Sans catégorie"),
                            fields=["organization.category"])
        self.assertRpcError(IA, self.create_p, S.Person(given_name="Sans", family_name="Organisation"),
                            fields=["person.organization"])
        self.assertRpcError(IA, self.create_c, W.Contribution(kind=W.Contribution.KIND_IDEA),
                            fields=["contribution.title"])
        self.assertRpcError(IA, self.create_c, W.Contribution(title="Sans type"), fields=["contribution.kind"])
        self.assertRpcError(IA, self.ws.RegisterParticipant, WS.RegisterParticipantRequest(
            parent=self.workshop.name, request_id=rid()), fields=["person"])
        self.assertRpcError(IA, self.ws.VoteContribution, WS.VoteContributionRequest(
            name=self.contribution.name), fields=["person"])
        self.assertRpcError(IA, self.ws.GetWorkshop, WS.GetWorkshopRequest(), fields=["name"])
        self.assertRpcError(IA, self.sh.ListPersons, SS.ListPersonsRequest(), fields=["parent"])

    def test_malformed_resource_names(self):
        for parent in ("", "prefecture/59", "prefectures/99", "prefectures/59/", "prefectures/59/workshops",
                       "prefectures//", "59", "prefectures/-"):
            with self.subTest(parent=parent):
                self.assertRpcError(IA, self.create_w, self.good_w(), parent=parent, fields=["parent"])
                self.assertRpcError(IA, self.create_o, S.Organization(
                    display_name="X", category=C.ACTOR_CATEGORY_OTHER), parent=parent, fields=["parent"])
        for name in ("prefectures/59/workshops/", "prefectures/59/workshops/a b",
                     "prefectures/59/workshops/a/b", "prefectures/59/organizations/abc", "workshops/abc",
                     "prefectures/59/workshops/abc/extra", self.workshop.name + "/"):
            with self.subTest(name=name):
                self.assertRpcError(IA, self.ws.GetWorkshop, WS.GetWorkshopRequest(name=name), fields=["name"])
        self.assertRpcError(IA, self.sh.GetOrganization, SS.GetOrganizationRequest(
            name="prefectures/59/persons/abc"), fields=["name"])
        self.assertRpcError(IA, self.sh.GetPerson, SS.GetPersonRequest(name="persons/abc"), fields=["name"])
        self.assertRpcError(IA, self.ws.RegisterParticipant, WS.RegisterParticipantRequest(
            parent=self.workshop.name, person="not-a-person", request_id=rid()), fields=["person"])
        self.assertRpcError(IA, self.ws.RegisterParticipant, WS.RegisterParticipantRequest(
            parent="prefectures/59/workshops", person=self.person.name, request_id=rid()), fields=["parent"])
        self.assertRpcError(IA, self.create_p, S.Person(organization="orgs/1", given_name="A"),
                            fields=["person.organization"])
        self.assertRpcError(IA, self.create_c, W.Contribution(
            title="X", kind=W.Contribution.KIND_IDEA, organization="prefectures/59/persons/x"),
            fields=["contribution.organization"])
        self.assertRpcError(IA, self.ws.VoteContribution, WS.VoteContributionRequest(
            name=self.workshop.name, person=self.person.name), fields=["name"])
        self.assertRpcError(IA, self.ws.WithdrawRegistration, WS.WithdrawRegistrationRequest(
            name=self.workshop.name + "/registrations/"), fields=["name"])
        self.assertRpcError(IA, self.ws.RecordAttendance, WS.RecordAttendanceRequest(
            name=self.contribution.name, attended=True), fields=["name"])

    def test_malformed_qpv_codes(self):
        self.assertRpcError(IA, self.create_w, self.good_w(qpv_codes=["QN05981M", "QN0598"]),
                            fields=["workshop.qpv_codes[1]"])
        for bad in ("QPV-ROUBAIX", "12345678", "QN05981M ", "", "QX059001", "QP05900"):
            with self.subTest(code=bad):
                self.assertRpcError(IA, self.create_o, S.Organization(
                    display_name="X", category=C.ACTOR_CATEGORY_OTHER, qpv_codes=[bad]),
                    fields=["organization.qpv_codes[0]"])
        self.assertRpcError(IA, self.create_c, W.Contribution(
            title="X", kind=W.Contribution.KIND_IDEA, qpv_codes=["QN05985M", "QN05981M", "nope"]),
            fields=["contribution.qpv_codes[2]"])
        self.assertRpcError(IA, self.sh.UpdateOrganization, SS.UpdateOrganizationRequest(
            organization=S.Organization(name=self.org.name, qpv_codes=["QN05985M", "BAD"]),
            update_mask=mask("qpv_codes")), fields=["organization.qpv_codes[1]"])
        # Both official lists are accepted.
        ok = self.create_o(S.Organization(display_name="Deux listes", category=C.ACTOR_CATEGORY_OTHER,
                                          qpv_codes=["QP062001", "QN06201M"]), parent="prefectures/62")
        self.assertEqual(list(ok.qpv_codes), ["QP062001", "QN06201M"])

    def test_time_range(self):
        for start, end in (("2018-02-06T12:00:00Z", "2018-02-06T08:30:00Z"),
                           ("2018-02-06T12:00:00Z", "2018-02-06T12:00:00Z")):
            with self.subTest(start=start, end=end):
                err = self.assertRpcError(IA, self.create_w, self.good_w(start=start, end=end))
                names = bad_fields(err)
                self.assertTrue({"workshop.end_time", "workshop.start_time"} & set(names),
                                "BadRequest names neither time: %s" % names)
        w = self.good_w()
        w.start_time.nanos = -1
        self.assertRpcError(IA, self.create_w, w, fields=["workshop.start_time"], msg="negative nanos")
        self.assertRpcError(IA, self.ws.UpdateWorkshop, WS.UpdateWorkshopRequest(
            workshop=W.Workshop(name=self.workshop.name, end_time=ts("2001-01-01T00:00:00Z")),
            update_mask=mask("end_time")), field_prefixes=[], msg="update moves end before start")

    def test_capacity_bounds(self):
        for cap in (0, -5, 10001):
            with self.subTest(capacity=cap):
                self.assertRpcError(IA, self.create_w, self.good_w(capacity=cap), fields=["workshop.capacity"])
        self.assertRpcError(IA, self.ws.UpdateWorkshop, WS.UpdateWorkshopRequest(
            workshop=W.Workshop(name=self.workshop.name, capacity=0), update_mask=mask("capacity")),
            fields=["workshop.capacity"])
        for cap in (1, 10000):
            with self.subTest(capacity=cap):
                self.assertEqual(self.create_w(self.good_w(capacity=cap, qpv_codes=[]),
                                               parent="prefectures/62").capacity, cap)

    def test_negative_page_size(self):
        calls = [
            (self.sh.ListOrganizations, SS.ListOrganizationsRequest(parent="prefectures/59", page_size=-1)),
            (self.sh.ListPersons, SS.ListPersonsRequest(parent="prefectures/59", page_size=-1)),
            (self.ws.ListWorkshops, WS.ListWorkshopsRequest(parent="prefectures/59", page_size=-1)),
            (self.ws.ListWorkshops, WS.ListWorkshopsRequest(parent="prefectures/-", page_size=-50)),
            (self.ws.ListRegistrations, WS.ListRegistrationsRequest(parent=self.workshop.name, page_size=-1)),
            (self.ws.ListContributions, WS.ListContributionsRequest(parent=self.workshop.name, page_size=-1)),
        ]
        for fn, req in calls:
            with self.subTest(request=type(req).__name__):
                self.assertRpcError(IA, fn, req, fields=["page_size"])

    def test_forged_page_tokens(self):
        parent = "prefectures/59"
        first = self.sh.ListOrganizations(SS.ListOrganizationsRequest(parent=parent, page_size=1))
        token = first.next_page_token
        self.assertTrue(token, "two organizations should give a second page")
        # The genuine token works.
        self.assertEqual(len(self.sh.ListOrganizations(SS.ListOrganizationsRequest(
            parent=parent, page_size=1, page_token=token)).organizations), 1)
        mid = len(token) // 2
        flipped = token[:mid] + ("A" if token[mid] != "A" else "B") + token[mid + 1:]
        forged = [
            "garbage",
            base64.urlsafe_b64encode(b'{"cursor":"zzz","offset":0}').decode(),
            base64.urlsafe_b64encode(b"\x00" * 40).decode(),
            flipped,
            token[:-4],
            token + "AAAA",
        ]
        for t in forged:
            with self.subTest(token=t):
                self.assertRpcError(IA, self.sh.ListOrganizations, SS.ListOrganizationsRequest(
                    parent=parent, page_size=1, page_token=t), fields=["page_token"])
        # A token belongs to its request: another filter or another parent is refused.
        self.assertRpcError(IA, self.sh.ListOrganizations, SS.ListOrganizationsRequest(
            parent=parent, page_size=1, page_token=token, filter="category = ACTOR_CATEGORY_ASSOCIATION"),
            fields=["page_token"], msg="token replayed with another filter")
        self.assertRpcError(IA, self.sh.ListOrganizations, SS.ListOrganizationsRequest(
            parent="prefectures/62", page_size=1, page_token=token), fields=["page_token"],
            msg="token replayed on another parent")
        self.assertRpcError(IA, self.ws.ListWorkshops, WS.ListWorkshopsRequest(
            parent=parent, page_size=1, page_token="garbage"), fields=["page_token"])

    def test_bad_filters_and_masks(self):
        for f in ("state = = STATE_DRAFT", "colour = red", "state = STATE_NOPE", 'start_time >= "yesterday"',
                  "state = STATE_DRAFT AND", "(((("):
            with self.subTest(filter=f):
                self.assertRpcError(IA, self.ws.ListWorkshops, WS.ListWorkshopsRequest(
                    parent="prefectures/59", filter=f), fields=["filter"])
        self.assertRpcError(IA, self.sh.ListOrganizations, SS.ListOrganizationsRequest(
            parent="prefectures/59", filter="category = NOT_A_CATEGORY"), fields=["filter"])
        self.assertRpcError(IA, self.ws.UpdateWorkshop, WS.UpdateWorkshopRequest(
            workshop=W.Workshop(name=self.workshop.name, title="X"), update_mask=mask("nope")),
            field_prefixes=["update_mask"])
        self.assertRpcError(IA, self.sh.UpdateOrganization, SS.UpdateOrganizationRequest(
            organization=S.Organization(name=self.org.name, display_name="X"), update_mask=mask("colour")),
            field_prefixes=["update_mask"])
        self.assertRpcError(IA, self.create_o, S.Organization(
            display_name="X", category=C.ACTOR_CATEGORY_OTHER, email="not-an-email"),
            fields=["organization.email"])

    def test_zz_servers_up_and_data_unchanged(self):
        for n in (STAKEHOLDER, WORKSHOP):
            self.assertTrue(self.stack.services[n].running(), "%s died" % n)
            self.assertEqual(self.stack.services[n].pid, self.pids[n], "%s was restarted" % n)
            self.assertEqual(self.stack.health(n), SERVING)
        now = self.take_snapshot()
        for key, before in self.snapshot.items():
            with self.subTest(collection=key):
                self.assertEqual([m.SerializeToString(deterministic=True) for m in now[key]],
                                 [m.SerializeToString(deterministic=True) for m in before],
                                 "%s changed after bad input" % key)


if __name__ == "__main__":
    unittest.main(verbosity=2)
