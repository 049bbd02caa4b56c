"""qpvctl against the real services: every group of commands once, tables and
--json, the filter terms its flags build, and how it reports bad input."""

import json
import os
import subprocess
import unittest

from harness import STAKEHOLDER, StackTestCase, WORKSHOP


class Qpvctl(StackTestCase):
    label = "qpvctl"

    def qpvctl(self, *args, json_out=True, expect=0):
        argv = [os.path.join(os.environ["QPV_BIN_DIR"], "qpvctl"),
                "--stakeholder-addr", self.stack.addr[STAKEHOLDER],
                "--workshop-addr", self.stack.addr[WORKSHOP], "--timeout", "10s"]
        if json_out:
            argv.append("--json")
        r = subprocess.run(argv + list(args), capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, expect, "qpvctl %s\nstdout: %s\nstderr: %s"
                         % (" ".join(args), r.stdout, r.stderr))
        if json_out and expect == 0:
            return json.loads(r.stdout)
        return r

    def items(self, listing):
        return listing.get("items", [])

    def test_a_full_workshop_through_the_cli(self):
        org = self.qpvctl("org", "create", "--prefecture", "59", "--name", "Régie de quartier Alma",
                          "--category", "association", "--qpv", "QN05981M",
                          "--email", "contact@example.org", "--request-id", "cli-org-1")
        self.assertTrue(org["name"].startswith("prefectures/59/organizations/"))
        again = self.qpvctl("org", "create", "--prefecture", "59", "--name", "Régie de quartier Alma",
                            "--category", "association", "--request-id", "cli-org-1")
        self.assertEqual(again["name"], org["name"])  # idempotent through the CLI too

        found = self.qpvctl("org", "list", "--prefecture", "59", "--category", "association",
                            "--qpv", "QN05981M", "--search", "régie", "--all")
        self.assertEqual([o["name"] for o in self.items(found)], [org["name"]])

        persons = [self.qpvctl("person", "create", "--prefecture", "59", "--org", org["name"],
                               "--given-name", "Nadia%d" % i, "--family-name", "Exemple",
                               "--email", "n%d@example.org" % i, "--consent")["name"] for i in range(3)]
        consenting = self.qpvctl("person", "list", "--prefecture", "59", "--org", org["name"],
                                 "--consent", "--all")
        self.assertEqual(sorted(p["name"] for p in self.items(consenting)), sorted(persons))

        ws = self.qpvctl("workshop", "create", "--prefecture", "59",
                         "--title", "Emploi et développement économique", "--theme", "employment",
                         "--start", "2018-02-06T09:00:00+01:00", "--end", "2018-02-06T12:30:00+01:00",
                         "--venue", "Préfecture du Nord, Lille", "--capacity", "2", "--qpv", "QN05981M")
        self.assertEqual(ws["state"], "STATE_DRAFT")
        self.assertEqual(self.qpvctl("workshop", "schedule", ws["name"])["state"], "STATE_SCHEDULED")
        listed = self.qpvctl("workshop", "list", "--prefecture", "-", "--state", "scheduled",
                             "--theme", "employment", "--all")
        self.assertIn(ws["name"], [w["name"] for w in self.items(listed)])

        regs = [self.qpvctl("registration", "create", ws["name"], "--person", p) for p in persons]
        self.assertEqual([r["state"] for r in regs],
                         ["STATE_REGISTERED", "STATE_REGISTERED", "STATE_WAITLISTED"])
        waiting = self.qpvctl("registration", "list", ws["name"], "--state", "waitlisted", "--all")
        self.assertEqual([r["name"] for r in self.items(waiting)], [regs[2]["name"]])
        self.assertEqual(self.qpvctl("attendance", regs[0]["name"], "--attended")["state"],
                         "STATE_ATTENDED")

        c = self.qpvctl("contribution", "create", ws["name"], "--title", "Parrainage vers l'emploi",
                        "--text", "Des cadres d'entreprises parrainent des jeunes du quartier.",
                        "--kind", "action", "--theme", "employment", "--reproducible",
                        "--org", org["name"], "--qpv", "QN05981M")
        actions = self.qpvctl("contribution", "list", ws["name"], "--kind", "action",
                              "--reproducible", "--theme", "employment", "--all")
        self.assertEqual([x["name"] for x in self.items(actions)], [c["name"]])
        voted = self.qpvctl("vote", c["name"], "--person", persons[0])
        self.assertEqual(voted["voteCount"], 1)

        exported = self.qpvctl("person", "export", persons[1])
        self.assertEqual(exported["person"]["givenName"], "Nadia1")
        erased = self.qpvctl("person", "erase", persons[1])
        self.assertNotIn("givenName", erased)
        self.assertIn("eraseTime", erased)

        # The default output is a table a person can read, accents included.
        table = self.qpvctl("org", "list", "--prefecture", "59", json_out=False).stdout
        self.assertIn("Régie de quartier Alma", table)

    def test_bad_input_names_the_field_and_exits_1(self):
        r = self.qpvctl("workshop", "create", "--prefecture", "59", "--title", "Sans places",
                        "--theme", "employment", "--start", "2018-02-06T09:00:00+01:00",
                        "--end", "2018-02-06T12:00:00+01:00", "--capacity", "0", "--qpv", "QN0598",
                        json_out=False, expect=1)
        self.assertIn("INVALID_ARGUMENT", r.stderr)
        self.assertIn("workshop.capacity", r.stderr)
        self.assertIn("workshop.qpv_codes[0]", r.stderr)
        # What it can tell without asking the server is a usage error.
        self.qpvctl("workshop", "create", "--prefecture", "59", "--title", "À l'envers",
                    "--theme", "employment", "--start", "2018-02-06T09:00:00+01:00",
                    "--end", "2018-02-06T08:00:00+01:00", json_out=False, expect=2)
        usage = self.qpvctl("workshop", "create", "--no-such-flag", json_out=False, expect=2)
        self.assertTrue(usage.stderr)

    def test_health(self):
        r = self.qpvctl("health", json_out=False)
        self.assertIn("SERVING", r.stdout)


if __name__ == "__main__":
    unittest.main()
