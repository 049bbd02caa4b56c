// Runs against a real redis-server on a private unix socket.
#include "common/redis/redis_client.h"

#include <signal.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/util/await.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::redis {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;

TEST(ParseUrl, TcpUnixAndErrors) {
  auto tcp = ParseUrl("redis://:s3cret@redis.qpv.svc:6380/2");
  ASSERT_THAT(tcp, IsOk());
  EXPECT_EQ(tcp->host, "redis.qpv.svc");
  EXPECT_EQ(tcp->port, 6380);
  EXPECT_EQ(tcp->db, 2);
  EXPECT_EQ(tcp->password, "s3cret");
  auto plain = ParseUrl("redis://127.0.0.1");
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(plain->port, 6379);
  auto unix_url = ParseUrl("unix:///tmp/x/redis.sock");
  ASSERT_THAT(unix_url, IsOk());
  EXPECT_EQ(unix_url->unix_path, "/tmp/x/redis.sock");
  for (const char* bad : {"http://x", "redis://", "redis://h:0", "redis://h:99999", "redis://h/abc",
                          "unix://relative.sock", ""}) {
    EXPECT_THAT(ParseUrl(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(ErrorReply, MapsScriptErrors) {
  EXPECT_THAT(ErrorReplyToStatus("QPV_ABORTED etag mismatch"), StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReplyToStatus("QPV_ABORTED etag mismatch").message(), "etag mismatch");
  EXPECT_THAT(ErrorReplyToStatus("ERR user_script:3: QPV_NOT_FOUND no such workshop"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ErrorReplyToStatus("WRONGTYPE Operation"), StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(ErrorReplyToStatus("LOADING Redis is loading"),
              StatusIs(absl::StatusCode::kUnavailable));
}

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    client_ = Connect(4, absl::Seconds(1));
    ASSERT_NE(client_, nullptr);
  }

  // A client of the test's server (null, with a failure, if it cannot be made).
  std::unique_ptr<RedisClient> Connect(int pool_size, absl::Duration command_timeout) {
    Options options;
    options.url = server_.url();
    options.pool_size = pool_size;
    options.command_timeout = command_timeout;
    auto client = RedisClient::Create(options);
    EXPECT_THAT(client, IsOk());
    return client.ok() ? *std::move(client) : nullptr;
  }
  qpv::testing::RedisServer server_{/*persistent=*/true};
  std::unique_ptr<RedisClient> client_;
};

TEST_F(RedisClientTest, CommandsAndPipeline) {
  ASSERT_THAT(client_->Command({"SET", "k", std::string("bin\0ary", 7)}), IsOk());
  auto got = client_->Command({"GET", "k"});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->str, std::string("bin\0ary", 7));
  auto missing = client_->Command({"GET", "nope"});
  ASSERT_THAT(missing, IsOk());
  EXPECT_TRUE(missing->is_nil());
  auto replies = client_->Pipeline({{"INCR", "n"}, {"INCR", "n"}, {"HGET", "k", "f"}, {"GET", "n"}});
  ASSERT_THAT(replies, IsOk());
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[1].integer, 2);
  EXPECT_TRUE((*replies)[2].is_error());  // WRONGTYPE stays in the pipeline result
  EXPECT_EQ((*replies)[3].str, "2");
  EXPECT_THAT(client_->Command({"HGET", "k", "f"}), StatusIs(absl::StatusCode::kInternal));
}

// Replies are built in place by hiredis: nested arrays, nils inside them,
// integers, statuses and errors all come back as Redis sent them.
TEST_F(RedisClientTest, RepliesOfEveryShape) {
  Script nested("return {1, {'a', {KEYS[1], false}}, {}, redis.status_reply('FINE')}");
  auto r = client_->Eval(nested, {"k"}, {});
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->type, Reply::Type::kArray);
  ASSERT_EQ(r->elements.size(), 4u);
  EXPECT_EQ(r->elements[0].integer, 1);
  const Reply& inner = r->elements[1];
  ASSERT_EQ(inner.elements.size(), 2u);
  EXPECT_EQ(inner.elements[0].str, "a");
  ASSERT_EQ(inner.elements[1].elements.size(), 2u);
  EXPECT_EQ(inner.elements[1].elements[0].str, "k");
  EXPECT_TRUE(inner.elements[1].elements[1].is_nil());
  EXPECT_EQ(r->elements[2].type, Reply::Type::kArray);
  EXPECT_TRUE(r->elements[2].elements.empty());
  EXPECT_EQ(r->elements[3].type, Reply::Type::kStatus);
  EXPECT_EQ(r->elements[3].str, "FINE");
  auto replies = client_->Pipeline({{"PING"}, {"NOSUCHCOMMAND"}, {"GET", "missing"}});
  ASSERT_THAT(replies, IsOk());
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[0].type, Reply::Type::kStatus);
  EXPECT_TRUE((*replies)[1].is_error());
  EXPECT_TRUE((*replies)[2].is_nil());
}

TEST_F(RedisClientTest, ScriptsSurviveAScriptCacheFlush) {
  Script script(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.error_reply('QPV_ABORTED same') end "
      "redis.call('SET', KEYS[1], ARGV[1]) return 1");
  auto first = client_->Eval(script, {"s"}, {"a"});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->integer, 1);
  EXPECT_THAT(client_->Eval(script, {"s"}, {"a"}), StatusIs(absl::StatusCode::kAborted));
  ASSERT_THAT(client_->Command({"SCRIPT", "FLUSH"}), IsOk());
  EXPECT_THAT(client_->Eval(script, {"s"}, {"b"}), IsOk());
}

TEST_F(RedisClientTest, FailsFastWhileDownAndRecoversAfterRestart) {
  ASSERT_THAT(client_->Command({"SET", "kept", "1"}), IsOk());
  ASSERT_THAT(client_->Ping(), IsOk());
  server_.Stop(/*crash=*/false);
  const absl::Time start = absl::Now();
  EXPECT_THAT(client_->Command({"GET", "kept"}), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(client_->Ping(), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  server_.Start();
  // The pooled connections died with the server; at most one call may still
  // see a dead one, then the client dials afresh.
  absl::StatusOr<Reply> got = client_->Command({"GET", "kept"});
  if (!got.ok()) got = client_->Command({"GET", "kept"});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->str, "1");  // AOF kept it
}

TEST_F(RedisClientTest, ManyThreadsShareTheSmallPool) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) ASSERT_THAT(client_->Command({"INCR", "counter"}), IsOk());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(client_->Command({"GET", "counter"})->str, "800");
}

// 64 threads x 500 calls over 2 shared connections: each call gets the reply
// to its own command, never a neighbour's.
TEST_F(RedisClientTest, ConcurrentCallsGetTheirOwnReplies) {
  std::unique_ptr<RedisClient> client = Connect(2, Options().command_timeout);
  ASSERT_NE(client, nullptr);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 64; ++t) {
    threads.emplace_back([&, t] {
      const std::string key = absl::StrCat("own:", t);
      for (int i = 0; i < 500; ++i) {
        absl::StatusOr<Reply> r =
            i % 2 == 0 ? client->Command({"ECHO", absl::StrCat("t", t, "-", i)})
                       : client->Command({"INCR", key});
        const bool right = r.ok() && (i % 2 == 0 ? r->str == absl::StrCat("t", t, "-", i)
                                                 : r->integer == (i + 1) / 2);
        if (!right) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  for (int t = 0; t < 64; ++t) {
    EXPECT_EQ(client->Command({"GET", absl::StrCat("own:", t)})->str, "250");
  }
}

// A pipeline's commands reach Redis back to back: the list lengths its five
// RPUSHes return are consecutive, and its elements sit together in order.
TEST_F(RedisClientTest, PipelinesFromManyThreadsStayContiguous) {
  constexpr int kThreads = 16, kPipelines = 50, kSize = 5;
  std::atomic<int> broken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int p = 0; p < kPipelines; ++p) {
        std::vector<std::vector<std::string>> cmds;
        for (int i = 0; i < kSize; ++i) {
          cmds.push_back({"RPUSH", "shared", absl::StrCat(t, ":", p, ":", i)});
        }
        auto replies = client_->Pipeline(cmds);
        if (!replies.ok() || replies->size() != kSize) {
          ++broken;
          continue;
        }
        for (int i = 1; i < kSize; ++i) {
          if ((*replies)[i].integer != (*replies)[0].integer + i) ++broken;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(broken.load(), 0);
  auto list = client_->Command({"LRANGE", "shared", "0", "-1"});
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->elements.size(), static_cast<size_t>(kThreads * kPipelines * kSize));
  for (size_t at = 0; at < list->elements.size(); at += kSize) {
    const std::string& first = list->elements[at].str;
    const std::string stem = first.substr(0, first.rfind(':') + 1);
    for (int i = 0; i < kSize; ++i) {
      ASSERT_EQ(list->elements[at + i].str, absl::StrCat(stem, i)) << "at " << at;
    }
  }
}

// The pid of the test's redis-server, to freeze it.
pid_t RedisPid(RedisClient& client) {
  auto info = client.Command({"INFO", "server"});
  if (!info.ok()) return -1;
  const size_t at = info->str.find("process_id:");
  if (at == std::string::npos) return -1;
  const size_t start = at + 11;
  int pid = -1;
  if (!absl::SimpleAtoi(info->str.substr(start, info->str.find('\r', start) - start), &pid)) {
    return -1;
  }
  return pid;
}

// A frozen Redis (SIGSTOP) costs the calls waiting on it their timeout, no
// more; after SIGCONT the client serves again, every call its own reply
// (the replies of the calls that gave up are never handed to others).
TEST_F(RedisClientTest, FrozenRedisFailsTheWaitingCallsThenRecovers) {
  std::unique_ptr<RedisClient> created = Connect(2, absl::Milliseconds(500));
  ASSERT_NE(created, nullptr);
  RedisClient& client = *created;
  ASSERT_THAT(client.Command({"SET", "before", "1"}), IsOk());
  const pid_t pid = RedisPid(client);
  ASSERT_GT(pid, 0);

  ASSERT_EQ(kill(pid, SIGSTOP), 0);
  std::atomic<int> unavailable{0}, other{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> frozen;
  for (int t = 0; t < 8; ++t) {
    frozen.emplace_back([&, t] {
      for (int i = 0; i < 2; ++i) {
        auto r = client.Command({"ECHO", absl::StrCat("frozen-", t, "-", i)});
        if (!r.ok() && r.status().code() == absl::StatusCode::kUnavailable) {
          ++unavailable;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : frozen) t.join();
  const absl::Duration waited = absl::Now() - start;
  ASSERT_EQ(kill(pid, SIGCONT), 0);
  EXPECT_EQ(unavailable.load(), 16);
  EXPECT_EQ(other.load(), 0);
  // Two timeouts in a row per thread, not a hang (a generous bound).
  EXPECT_LT(waited, absl::Seconds(10));

  // Redis answers again; a connection may still be reading the last frozen
  // batch, so allow a few attempts before everything must work.
  bool back = false;
  for (int i = 0; i < 20 && !back; ++i) {
    back = client.Ping().ok();
    if (!back) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(back);
  std::atomic<int> wrong{0};
  std::vector<std::thread> after;
  for (int t = 0; t < 8; ++t) {
    after.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string want = absl::StrCat("after-", t, "-", i);
        auto r = client.Command({"ECHO", want});
        if (!r.ok() || r->str != want) ++wrong;
      }
    });
  }
  for (auto& t : after) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(client.Command({"GET", "before"})->str, "1");
}

// After a restart every connection of the pool is dead; the first failure
// makes all of them re-dial, so at most one call fails.
TEST_F(RedisClientTest, EveryConnectionRedialsAfterARestart) {
  for (int i = 0; i < 8; ++i) ASSERT_THAT(client_->Command({"SET", "kept", "1"}), IsOk());
  server_.Restart();
  int failed = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = client_->Command({"GET", "kept"});
    if (!r.ok()) {
      EXPECT_THAT(r, StatusIs(absl::StatusCode::kUnavailable));
      ++failed;
    } else {
      EXPECT_EQ(r->str, "1");
    }
  }
  EXPECT_LE(failed, 1);
}

// NOSCRIPT after SCRIPT FLUSH, with many callers of the same script at once.
TEST_F(RedisClientTest, ConcurrentScriptsSurviveAScriptCacheFlush) {
  Script script("return redis.call('INCR', KEYS[1])");
  ASSERT_THAT(client_->Eval(script, {"hits"}, {}), IsOk());
  ASSERT_THAT(client_->Command({"SCRIPT", "FLUSH"}), IsOk());
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (!client_->Eval(script, {"hits"}, {}).ok()) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(client_->Command({"GET", "hits"})->str, "321");
}

// Commands far larger than the socket's buffer are written in several
// goes, from where they are, while other callers share the connections;
// Eval with an argument written in place puts it last, whole, and still
// survives NOSCRIPT.
TEST_F(RedisClientTest, BigCommandsAreWrittenWholeBesideSmallOnes) {
  std::string big(24 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 2654435761u >> 24);
  std::atomic<int> failed{0};
  std::vector<std::thread> small;
  for (int t = 0; t < 4; ++t) {
    small.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (!client_->Command({"INCR", absl::StrCat("small", t)}).ok()) ++failed;
      }
    });
  }
  ASSERT_THAT(client_->Command({"SET", "big", big}), IsOk());
  Script script(
      "redis.call('SET', KEYS[1], ARGV[#ARGV]) "
      "return {redis.call('STRLEN', KEYS[1]), #ARGV, ARGV[1]}");
  ASSERT_THAT(client_->Command({"SCRIPT", "FLUSH"}), IsOk());
  ASSERT_THAT(client_->Eval(script, {"warm"}, {"x"}), IsOk());  // learns the sha
  ASSERT_THAT(client_->Command({"SCRIPT", "FLUSH"}), IsOk());     // the next call meets NOSCRIPT
  int writes = 0;
  const RedisClient::InPlaceArg last{big.size(), [&](char* out) {
                                       ++writes;
                                       std::memcpy(out, big.data(), big.size());
                                     }};
  auto stored = client_->Eval(script, {"big2"}, {"first"}, last);
  ASSERT_THAT(stored, IsOk());
  ASSERT_EQ(stored->elements.size(), 3u);
  EXPECT_EQ(stored->elements[0].integer, static_cast<int64_t>(big.size()));
  EXPECT_EQ(stored->elements[1].integer, 2);
  EXPECT_EQ(stored->elements[2].str, "first");
  EXPECT_EQ(writes, 1);  // the retry after NOSCRIPT sends the same bytes again
  for (auto& t : small) t.join();
  EXPECT_EQ(failed.load(), 0);
  for (const char* key : {"big", "big2"}) {
    auto got = client_->Command({"GET", key});
    ASSERT_THAT(got, IsOk());
    EXPECT_TRUE(got->str == big) << key << " came back different";
  }
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(client_->Command({"GET", absl::StrCat("small", t)})->str, "200");
  }
}

// How many times Redis ran `command` (INFO commandstats), -1 if unknown.
int64_t CommandCalls(RedisClient& client, const std::string& command) {
  auto stats = client.Command({"INFO", "commandstats"});
  if (!stats.ok()) return -1;
  const std::string field = absl::StrCat("cmdstat_", command, ":calls=");
  const size_t at = stats->str.find(field);
  if (at == std::string::npos) return 0;
  int64_t n = -1;
  const size_t from = at + field.size();
  return absl::SimpleAtoi(stats->str.substr(from, stats->str.find(',', from) - from), &n) ? n : -1;
}

// The asynchronous calls: the same replies and statuses as the blocking
// ones, delivered to a callback.
absl::StatusOr<Reply> AwaitCommand(RedisClient& client, const std::vector<std::string>& args) {
  return util::Await<Reply>(
      [&](RedisClient::ReplyCallback done) { client.CommandAsync(args, std::move(done)); });
}
absl::StatusOr<Reply> AwaitEval(RedisClient& client, Script& script,
                                const std::vector<std::string>& keys,
                                const std::vector<std::string>& args) {
  return util::Await<Reply>([&](RedisClient::ReplyCallback done) {
    client.EvalAsync(script, keys, args, std::move(done));
  });
}

TEST_F(RedisClientTest, AsyncCallsGetTheRepliesAndStatusesOfBlockingOnes) {
  ASSERT_THAT(AwaitCommand(*client_, {"SET", "a", "1"}), IsOk());
  auto got = AwaitCommand(*client_, {"GET", "a"});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->str, "1");
  EXPECT_TRUE(AwaitCommand(*client_, {"GET", "none"})->is_nil());
  EXPECT_THAT(AwaitCommand(*client_, {"HGET", "a", "f"}), StatusIs(absl::StatusCode::kInternal));

  Script script(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
      "return redis.error_reply('QPV_ABORTED same') end "
      "redis.call('SET', KEYS[1], ARGV[1]) return {1, ARGV[1]}");
  auto first = AwaitEval(*client_, script, {"s"}, {"x"});  // EVAL, then the sha is learnt
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->elements.size(), 2u);
  EXPECT_EQ(first->elements[1].str, "x");
  EXPECT_THAT(AwaitEval(*client_, script, {"s"}, {"x"}), StatusIs(absl::StatusCode::kAborted));
  // The sha is learnt in the background: wait until calls use EVALSHA.
  for (int i = 0; i < 50 && CommandCalls(*client_, "evalsha") == 0; ++i) {
    ASSERT_THAT(AwaitEval(*client_, script, {"s"}, {absl::StrCat("w", i)}), IsOk());
  }
  const int64_t evalsha = CommandCalls(*client_, "evalsha");
  ASSERT_GT(evalsha, 0);
  // After a flush: EVALSHA fails, the script is loaded again and the same
  // command sent once more.
  ASSERT_THAT(client_->Command({"SCRIPT", "FLUSH"}), IsOk());
  auto again = AwaitEval(*client_, script, {"s"}, {"y"});
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->elements[1].str, "y");
  EXPECT_EQ(client_->Command({"GET", "s"})->str, "y");
  EXPECT_EQ(CommandCalls(*client_, "evalsha"), evalsha + 2);
}

// Asynchronous calls started from many threads, and from the callbacks
// themselves, mixed with blocking calls on the same connections: each gets
// its own reply and none is lost.
TEST_F(RedisClientTest, AsyncAndBlockingCallsShareTheConnections) {
  std::unique_ptr<RedisClient> client = Connect(2, Options().command_timeout);
  ASSERT_NE(client, nullptr);
  constexpr int kThreads = 16, kCalls = 300;
  std::atomic<int> wrong{0}, completed{0};
  absl::Notification all_done;
  const auto count = [&](bool right) {
    if (!right) ++wrong;
    if (completed.fetch_add(1) + 1 == kThreads * kCalls * 2) all_done.Notify();
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        const std::string want = absl::StrCat("async-", t, "-", i);
        // A second call started from the first one's callback.
        client->CommandAsync({"ECHO", want}, [&, want, t](absl::StatusOr<Reply> r) {
          count(r.ok() && r->str == want);
          client->CommandAsync({"INCR", absl::StrCat("chained:", t)},
                               [&](absl::StatusOr<Reply> r) { count(r.ok()); });
        });
        if (i % 3 == 0) {
          const std::string sync = absl::StrCat("sync-", t, "-", i);
          auto r = client->Command({"ECHO", sync});
          if (!r.ok() || r->str != sync) ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(all_done.WaitForNotificationWithTimeout(absl::Seconds(30)))
      << completed.load() << " of " << kThreads * kCalls * 2 << " completed";
  EXPECT_EQ(wrong.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(client->Command({"GET", absl::StrCat("chained:", t)})->str, std::to_string(kCalls));
  }
}

TEST_F(RedisClientTest, AsyncCallsFailFastWhileDown) {
  ASSERT_THAT(AwaitCommand(*client_, {"PING"}), IsOk());
  server_.Stop(/*crash=*/false);
  const absl::Time start = absl::Now();
  for (int i = 0; i < 4; ++i) {
    EXPECT_THAT(AwaitCommand(*client_, {"PING"}), StatusIs(absl::StatusCode::kUnavailable));
  }
  Script script("return 1");
  EXPECT_THAT(AwaitEval(*client_, script, {}, {}), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  server_.Start();
  bool back = false;
  for (int i = 0; i < 20 && !back; ++i) {
    back = AwaitCommand(*client_, {"PING"}).ok();
    if (!back) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(back);
}

// Asynchronous calls while Redis is frozen: each completes, UNAVAILABLE,
// within about twice the timeout, and calls work again once it is back.
TEST_F(RedisClientTest, FrozenRedisFailsTheAsyncCallsThenRecovers) {
  std::unique_ptr<RedisClient> client = Connect(2, absl::Milliseconds(500));
  ASSERT_NE(client, nullptr);
  ASSERT_THAT(AwaitCommand(*client, {"SET", "before", "1"}), IsOk());
  const pid_t pid = RedisPid(*client);
  ASSERT_GT(pid, 0);
  ASSERT_EQ(kill(pid, SIGSTOP), 0);
  constexpr int kCalls = 16;
  std::atomic<int> unavailable{0}, other{0}, completed{0};
  absl::Notification all_done;
  const absl::Time start = absl::Now();
  for (int i = 0; i < kCalls; ++i) {
    client->CommandAsync({"ECHO", absl::StrCat("frozen-", i)}, [&](absl::StatusOr<Reply> r) {
      ++(!r.ok() && r.status().code() == absl::StatusCode::kUnavailable ? unavailable : other);
      if (completed.fetch_add(1) + 1 == kCalls) all_done.Notify();
    });
  }
  const bool done = all_done.WaitForNotificationWithTimeout(absl::Seconds(10));
  const absl::Duration waited = absl::Now() - start;
  ASSERT_EQ(kill(pid, SIGCONT), 0);
  ASSERT_TRUE(done) << completed.load() << " of " << kCalls << " completed";
  EXPECT_EQ(unavailable.load(), kCalls);
  EXPECT_EQ(other.load(), 0);
  EXPECT_LT(waited, absl::Seconds(3));
  bool back = false;
  for (int i = 0; i < 20 && !back; ++i) {
    back = AwaitCommand(*client, {"PING"}).ok();
    if (!back) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(back);
  EXPECT_EQ(AwaitCommand(*client, {"GET", "before"})->str, "1");
}

// Asynchronous calls queued while a blocking call leads the connection are
// sent once it is done, with no further call to start them.
TEST_F(RedisClientTest, AsyncCallsQueuedBehindABlockingLeaderAreSent) {
  constexpr int kCalls = 4;
  std::atomic<int> ok{0}, completed{0};  // outlive the client, which fails what it still holds
  absl::Notification all_done;
  std::unique_ptr<RedisClient> client = Connect(1, absl::Seconds(3));
  ASSERT_NE(client, nullptr);
  ASSERT_THAT(client->Command({"SET", "k", "v"}), IsOk());
  const pid_t pid = RedisPid(*client);
  ASSERT_GT(pid, 0);
  ASSERT_EQ(kill(pid, SIGSTOP), 0);  // the blocking call below waits for Redis as leader
  std::thread leader([&] { EXPECT_THAT(client->Command({"GET", "k"}), IsOk()); });
  absl::SleepFor(absl::Milliseconds(200));
  for (int i = 0; i < kCalls; ++i) {
    client->CommandAsync({"GET", "k"}, [&](absl::StatusOr<Reply> r) {
      if (r.ok() && r->str == "v") ++ok;
      if (completed.fetch_add(1) + 1 == kCalls) all_done.Notify();
    });
  }
  absl::SleepFor(absl::Milliseconds(200));
  ASSERT_EQ(kill(pid, SIGCONT), 0);
  leader.join();
  EXPECT_TRUE(all_done.WaitForNotificationWithTimeout(absl::Seconds(5)));
  EXPECT_EQ(ok.load(), kCalls);
}

TEST(RedisClientOptions, RejectsABadPoolOrTimeout) {
  Options options;
  options.url = "unix:///nonexistent/redis.sock";
  options.pool_size = 0;
  EXPECT_THAT(RedisClient::Create(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.pool_size = 1;
  options.command_timeout = absl::ZeroDuration();
  EXPECT_THAT(RedisClient::Create(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(KeyPrefix, SharesAHashTagPerPrefecture) {
  EXPECT_EQ(KeyPrefix("ws", "2A"), "ws:{2A}:");
}

}  // namespace
}  // namespace qpv::redis
