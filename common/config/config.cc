#include "common/config/config.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace qpv::config {

std::string FlagName(absl::string_view env) {
  absl::string_view rest = env;
  absl::ConsumePrefix(&rest, "QPV_");
  std::string flag = absl::StrCat("--", absl::AsciiStrToLower(rest));
  for (char& c : flag) {
    if (c == '_') c = '-';
  }
  return flag;
}

std::string Usage(absl::string_view program, const std::vector<Setting>& settings) {
  std::string out = absl::StrCat("usage: ", program, " [flags]\n\n",
                                 "Each setting comes from its environment variable or its flag "
                                 "(the flag wins).\n\n");
  for (const auto& s : settings) {
    absl::StrAppend(&out, "  ", FlagName(s.env), " / ", s.env, "\n      ", s.help,
                    "\n      default: ", s.default_value.empty() ? "(empty)" : s.default_value,
                    "\n");
  }
  return out;
}

absl::StatusOr<Config> Config::Load(int argc, char** argv, absl::string_view program,
                                    const std::vector<Setting>& settings) {
  Config config;
  std::map<std::string, std::string, std::less<>> by_flag;
  for (const auto& s : settings) {
    config.values_[s.env] = s.default_value;
    if (const char* v = std::getenv(s.env.c_str())) config.values_[s.env] = v;
    by_flag[FlagName(s.env)] = s.env;
  }
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return absl::NotFoundError(Usage(program, settings));
    absl::string_view name = arg;
    std::string value;
    bool has_value = false;
    const size_t eq = arg.find('=');
    if (eq != absl::string_view::npos) {
      name = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
      has_value = true;
    }
    auto it = by_flag.find(name);
    if (it == by_flag.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag '", name, "' (see --help)"));
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(absl::StrCat("flag ", name, " needs a value"));
      }
      value = argv[++i];
    }
    config.values_[it->second] = value;
  }
  return config;
}

const std::string& Config::Get(absl::string_view env) const {
  static const std::string empty;
  auto it = values_.find(env);
  return it == values_.end() ? empty : it->second;
}

absl::StatusOr<int> Config::GetInt(absl::string_view env, int min, int max) const {
  int v;
  const std::string& raw = Get(env);
  if (!absl::SimpleAtoi(raw, &v) || v < min || v > max) {
    return absl::InvalidArgumentError(absl::StrCat(env, "='", raw, "' must be a whole number from ",
                                                   min, " to ", max));
  }
  return v;
}

absl::StatusOr<absl::Duration> Config::GetDuration(absl::string_view env) const {
  absl::Duration d;
  const std::string& raw = Get(env);
  if (!absl::ParseDuration(raw, &d) || d < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(env, "='", raw, "' must be a duration such as 500ms, 2s or 1m"));
  }
  return d;
}

std::vector<std::string> Config::GetList(absl::string_view env) const {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(Get(env), ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) out.emplace_back(part);
  }
  return out;
}

void Die(absl::string_view program, absl::string_view message) {
  std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(program.size()), program.data(),
               static_cast<int>(message.size()), message.data());
  std::exit(2);
}

Config LoadOrDie(int argc, char** argv, absl::string_view program,
                 const std::vector<Setting>& settings) {
  auto config = Config::Load(argc, argv, program, settings);
  if (!config.ok()) {
    if (config.status().code() == absl::StatusCode::kNotFound) {
      std::fputs(std::string(config.status().message()).c_str(), stdout);
      std::exit(0);
    }
    Die(program, config.status().message());
  }
  return *std::move(config);
}

std::vector<Setting> ServerSettings(int default_port, int default_max_threads) {
  return {
      {"QPV_LISTEN", absl::StrCat("0.0.0.0:", default_port), "gRPC listen address host:port"},
      {"QPV_METRICS_LISTEN", "",
       "Prometheus /metrics listen address host:port, or 'off'; empty: the gRPC address with "
       "its port + 1000"},
      {"QPV_REDIS_URL", "redis://127.0.0.1:6379/0",
       "Redis store: redis://[:password@]host:port/db or unix:///path/redis.sock"},
      {"QPV_PREFECTURES", "",
       "préfecture codes this stack serves, comma-separated; empty serves every préfecture"},
      {"QPV_REDIS_POOL_SIZE", "2",
       "Redis connections, each shared by concurrent calls (pipelining)"},
      {"QPV_REDIS_TIMEOUT", "2s", "timeout of one Redis command"},
      {"QPV_MAX_THREADS", absl::StrCat(default_max_threads), "gRPC handler threads at most"},
      {"QPV_DRAIN_TIMEOUT", "10s", "on SIGTERM, how long in-flight calls may take to finish"},
  };
}

}  // namespace qpv::config
