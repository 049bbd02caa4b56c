"""Observability: Prometheus /metrics counts calls by method and code, health
follows the store, server reflection describes our services, and every call
leaves one JSON log line."""

import json
import re
import time
import unittest
import urllib.request

import grpc

from harness import C, Code, SS, STAKEHOLDER, StackTestCase, WORKSHOP, create_org

REFLECTION = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"


def scrape(addr):
    with urllib.request.urlopen("http://%s/metrics" % addr, timeout=5) as r:
        return r.read().decode("utf-8")


def reflection_request(field, value):
    """ServerReflectionRequest with one string field set, encoded by hand (the
    reflection protos are not part of our build)."""
    data = value.encode()
    return bytes([(field << 3) | 2, len(data)]) + data


class Observability(StackTestCase):
    label = "observability"

    def test_metrics_count_calls_by_method_and_code(self):
        method = "/qpv.stakeholder.v1.StakeholderService/GetOrganization"
        pattern = (r'qpv_grpc_server_handled_total\{code="NOT_FOUND",method="%s"\} (\d+)'
                   % re.escape(method))

        def not_found_count():
            m = re.search(pattern, scrape(self.stack.metrics_addr[STAKEHOLDER]))
            return int(m.group(1)) if m else 0

        before = not_found_count()
        create_org(self.stack, "59", "Association Observée", C.ACTOR_CATEGORY_ASSOCIATION)
        for _ in range(3):
            with self.assertRaises(grpc.RpcError) as e:
                self.sh.GetOrganization(SS.GetOrganizationRequest(name="prefectures/59/organizations/nope"))
            self.assertEqual(e.exception.code(), Code.NOT_FOUND)
        # A call is counted once its status is sent, so the client may see
        # the reply a moment before the count moves.
        deadline = time.monotonic() + 2
        while not_found_count() < before + 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertEqual(not_found_count(), before + 3)
        text = scrape(self.stack.metrics_addr[STAKEHOLDER])
        self.assertRegex(text, r'qpv_grpc_server_handled_total\{[^}]*code="OK"[^}]*'
                               r'method="/qpv\.stakeholder\.v1\.StakeholderService/CreateOrganization"')
        self.assertIn("qpv_grpc_server_handling_seconds_bucket", text)
        self.assertRegex(text, r"qpv_store_up 1")
        # The workshop service has its own endpoint, with its two caches.
        workshop = scrape(self.stack.metrics_addr[WORKSHOP])
        self.assertIn("qpv_grpc_server_in_flight", workshop)
        self.assertRegex(workshop, r'qpv_read_cache_tracking\{cache="workshop"\} 1')
        self.assertRegex(workshop, r"qpv_page_cache_bytes \d+")

    def test_reflection_lists_and_describes_the_services(self):
        for name, service in ((STAKEHOLDER, "qpv.stakeholder.v1.StakeholderService"),
                              (WORKSHOP, "qpv.workshop.v1.WorkshopService")):
            call = self.stack.channel(name).stream_stream(
                REFLECTION, request_serializer=lambda b: b, response_deserializer=lambda b: b)
            # list_services (field 7), then file_containing_symbol (field 4).
            replies = list(call(iter([reflection_request(7, ""), reflection_request(4, service)]),
                                timeout=5))
            self.assertEqual(len(replies), 2)
            self.assertIn(service.encode(), replies[0])
            self.assertIn(b"grpc.health.v1.Health", replies[0])
            self.assertIn(b"CreateOrganization" if name == STAKEHOLDER else b"RegisterParticipant",
                          replies[1])

    def test_every_call_leaves_one_json_log_line(self):
        marker = "prefectures/59/organizations/logged-%d" % int(time.time() * 1000)
        with self.assertRaises(grpc.RpcError):
            self.sh.GetOrganization(SS.GetOrganizationRequest(name=marker))
        log_path = self.stack.services[STAKEHOLDER].log_path
        deadline = time.time() + 5
        rpc_lines = []
        while time.time() < deadline:
            with open(log_path, encoding="utf-8") as f:
                lines = [json.loads(line) for line in f if line.strip().startswith("{")]
            rpc_lines = [l for l in lines if l.get("event") == "rpc"
                         and l.get("method", "").endswith("/GetOrganization") and l.get("code") == "NOT_FOUND"]
            if rpc_lines:
                break
            time.sleep(0.1)
        self.assertTrue(rpc_lines, "no JSON log line for the call")
        line = rpc_lines[-1]
        for key in ("time", "level", "service", "latency_ms", "peer"):
            self.assertIn(key, line)
        self.assertEqual(line["service"], "stakeholder")
        # Health probes are not logged, so logs stay readable.
        self.assertFalse([l for l in lines if "grpc.health" in l.get("method", "")])

    def test_servers_restart_once_with_glibcs_thread_cache_off(self):
        # The harness passes no GLIBC_TUNABLES: a server adds it and execs
        # itself again, under the same process id (common/server/malloc_tuning.h).
        self.assertNotIn("GLIBC_TUNABLES", self.stack.service_env(WORKSHOP),
                         "run the e2e tests without GLIBC_TUNABLES: the servers set it")
        for name in (STAKEHOLDER, WORKSHOP):
            pid = self.stack.services[name].pid
            with open("/proc/%d/environ" % pid, "rb") as f:
                env = dict(v.split(b"=", 1) for v in f.read().split(b"\0") if b"=" in v)
            self.assertEqual(env.get(b"GLIBC_TUNABLES"), b"glibc.malloc.tcache_count=0", name)
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                self.assertEqual(f.read().split(b"\0")[0].decode(), self.stack.binaries[name])
            # Its name (ps, pgrep) is still the program's, at most 15 bytes.
            with open("/proc/%d/comm" % pid) as f:
                self.assertEqual(f.read().strip(), ("qpv-" + name)[:15])


if __name__ == "__main__":
    unittest.main()
