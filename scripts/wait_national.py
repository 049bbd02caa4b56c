#!/usr/bin/python3
"""Waits until the national dashboard shows every préfecture that has
workshops in the préfecture stack (the feed checks every few seconds).

Used by scripts/run.sh after loading the demo. Exit status 0 when national
caught up, 1 on timeout. Needs the generated Python modules on PYTHONPATH
(build/python).

  PYTHONPATH=build/python scripts/wait_national.py \
      --national 127.0.0.1:50054 --workshop 127.0.0.1:50052 --timeout 30
"""

import argparse
import sys
import time

import grpc
from qpv.national.v1 import national_service_pb2 as NS
from qpv.national.v1 import national_service_pb2_grpc as NG
from qpv.workshop.v1 import workshop_service_pb2 as WS
from qpv.workshop.v1 import workshop_service_pb2_grpc as WG


def prefectures_with_workshops(workshops):
    found, token = set(), ""
    while True:
        page = workshops.ListWorkshops(
            WS.ListWorkshopsRequest(parent="prefectures/-", page_size=1000, page_token=token),
            timeout=10)
        found.update(w.name.split("/")[1] for w in page.workshops)
        token = page.next_page_token
        if not token:
            return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national", default="127.0.0.1:50054")
    parser.add_argument("--workshop", default="127.0.0.1:50052")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    args = parser.parse_args()

    national = NG.NationalAggregationServiceStub(grpc.insecure_channel(args.national))
    want = prefectures_with_workshops(WG.WorkshopServiceStub(grpc.insecure_channel(args.workshop)))
    t0 = time.monotonic()
    got = set()
    while time.monotonic() - t0 < args.timeout:
        try:
            d = national.GetNationalDashboard(NS.GetNationalDashboardRequest(), timeout=5)
            got = {p.prefecture for p in d.prefectures}
            if want <= got:
                print("    national shows %d préfectures (%s) after %.1fs: %d workshops, "
                      "%d contributions" % (len(got), ", ".join(sorted(got)),
                                            time.monotonic() - t0, d.workshop_count,
                                            d.contribution_count))
                return 0
        except grpc.RpcError:
            pass
        time.sleep(0.5)
    print("    national shows %s of %s after %.0fs" % (sorted(got), sorted(want), args.timeout))
    return 1


if __name__ == "__main__":
    sys.exit(main())
