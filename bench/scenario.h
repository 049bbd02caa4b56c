// What qpv-bench runs: a scenario creates what its calls need (Setup, through
// the services' normal APIs), then hands out one call at a time per
// outstanding slot (Next). Calls are unary, named by their full method and
// carried as serialized requests, so one engine (load_engine.h) drives any
// method of any service through grpc::GenericStub.
#ifndef QPV_BENCH_SCENARIO_H_
#define QPV_BENCH_SCENARIO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace qpv::bench {

class Fixtures;

struct Call {
  std::string method;   // "/qpv.workshop.v1.WorkshopService/GetWorkshop"
  std::string payload;  // the serialized request
  // False for a preparation call (e.g. moving a workshop's revision before
  // an uncached report): it runs on the slot like any call, its errors
  // count, but its latency and its completion are not measured.
  bool measured = true;
  int label = 0;  // which part of a mix (index into Scenario::labels())
  // Sent to the scenario's auxiliary service (AuxService()) instead of the
  // measured one.
  bool aux = false;
};

class Scenario {
 public:
  virtual ~Scenario() = default;

  // Names of the measured parts: one for a plain scenario, one per part of a
  // mix (MixScenario).
  virtual std::vector<std::string> labels() const = 0;
  // Creates the data the calls need. `slots` is the number of outstanding
  // calls the engine will keep; `calls_hint` a generous estimate of how many
  // calls the whole run will make (for scenarios that consume a pool, such
  // as one new person per registration).
  virtual absl::Status Setup(Fixtures& fixtures, int slots, int64_t calls_hint) = 0;
  // The service (as named in the registry: "workshop"...) that calls with
  // aux = true go to, or empty.
  virtual std::string AuxService() const { return ""; }
  // The next call of slot `slot`. Called from several threads at once, but
  // never concurrently for the same slot.
  virtual Call Next(int slot) = 0;

  // The measured window opens and closes (after warm-up; at the end).
  virtual void OnMeasureStart() {}
  virtual void OnMeasureEnd() {}
  // The scenario's own figures, as the members of a JSON object
  // ("\"watch_updates\":12,..."), or empty.
  virtual std::string ExtraJson() const { return ""; }
  // Releases what Setup started (streams, threads).
  virtual void Stop() {}
};

}  // namespace qpv::bench

#endif  // QPV_BENCH_SCENARIO_H_
