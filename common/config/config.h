// Configuration from the environment, each variable also accepted as a flag
// (QPV_LISTEN = --listen=...  or --listen ...; flags win). A bad or missing
// setting stops the binary at start with one clear line (Die).
#ifndef QPV_COMMON_CONFIG_CONFIG_H_
#define QPV_COMMON_CONFIG_CONFIG_H_

#include <map>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace qpv::config {

struct Setting {
  std::string env;            // QPV_LISTEN
  std::string default_value;  // used when neither env nor flag is given
  std::string help;
  // The flag is derived: QPV_METRICS_LISTEN -> --metrics-listen.
};

std::string FlagName(absl::string_view env);

class Config {
 public:
  // Reads the environment, then argv. Unknown flags and flags without a
  // value are errors. "--help" is reported as a NotFound status whose
  // message is the usage text (the caller prints it and exits 0).
  static absl::StatusOr<Config> Load(int argc, char** argv, absl::string_view program,
                                     const std::vector<Setting>& settings);

  const std::string& Get(absl::string_view env) const;
  absl::StatusOr<int> GetInt(absl::string_view env, int min, int max) const;
  absl::StatusOr<absl::Duration> GetDuration(absl::string_view env) const;
  // Comma-separated list, blanks dropped.
  std::vector<std::string> GetList(absl::string_view env) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

std::string Usage(absl::string_view program, const std::vector<Setting>& settings);

// Prints "<program>: <message>" on stderr and exits with status 2.
[[noreturn]] void Die(absl::string_view program, absl::string_view message);

// Loads or dies; prints usage and exits 0 on --help.
Config LoadOrDie(int argc, char** argv, absl::string_view program,
                 const std::vector<Setting>& settings);

// Settings every server has: QPV_LISTEN, QPV_METRICS_LISTEN, QPV_REDIS_URL,
// QPV_PREFECTURES, QPV_REDIS_POOL_SIZE, QPV_REDIS_TIMEOUT, QPV_MAX_THREADS
// (default `default_max_threads`: a service holding long server streams,
// each on a thread of the sync API, asks for more), QPV_DRAIN_TIMEOUT.
std::vector<Setting> ServerSettings(int default_port, int default_max_threads = 512);

}  // namespace qpv::config

#endif  // QPV_COMMON_CONFIG_CONFIG_H_
