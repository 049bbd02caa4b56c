// The store contract, run against the in-memory fake and the Redis store
// (a private redis-server, flushed before each test).
#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_client.h"
#include "common/util/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/workshop/memory_workshop_store.h"
#include "services/workshop/redis_workshop_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/status_matchers.h"

namespace qpv::workshop {
namespace {

using ::qpv::testing::IsOk;
using ::qpv::testing::StatusIs;
using ::testing::ElementsAre;

// kRedisCached: the Redis store with its workshop cache and its pages of
// contributions, so every read after a write below also checks that the
// caches followed it.
enum class Kind { kMemory, kRedis, kRedisCached };

const absl::Time kNow = absl::FromUnixSeconds(1517900400);

Workshop MakeWorkshop(const std::string& p, const std::string& id, int capacity,
                      Workshop::State state = Workshop::STATE_SCHEDULED) {
  Workshop w;
  w.set_name(absl::StrCat("prefectures/", p, "/workshops/", id));
  w.set_title("Emploi et développement économique");
  w.add_themes(qpv::common::v1::THEME_EMPLOYMENT_ECONOMIC_DEVELOPMENT);
  *w.mutable_start_time() = ToProto(kNow + absl::Hours(24));
  *w.mutable_end_time() = ToProto(kNow + absl::Hours(27));
  w.set_capacity(capacity);
  w.set_state(state);
  w.set_etag("e0");
  return w;
}

Registration MakeRegistration(const std::string& p, const std::string& w, const std::string& r,
                              const std::string& person) {
  Registration reg;
  reg.set_name(absl::StrCat("prefectures/", p, "/workshops/", w, "/registrations/", r));
  reg.set_person(absl::StrCat("prefectures/", p, "/persons/", person));
  reg.set_organization_category(qpv::common::v1::ACTOR_CATEGORY_ASSOCIATION);
  *reg.mutable_create_time() = ToProto(kNow);
  *reg.mutable_update_time() = ToProto(kNow);
  return reg;
}

Contribution MakeContribution(const std::string& p, const std::string& w, const std::string& c) {
  Contribution out;
  out.set_name(absl::StrCat("prefectures/", p, "/workshops/", w, "/contributions/", c));
  out.set_title("Parrainage vers l'emploi");
  out.set_kind(Contribution::KIND_ACTION);
  out.set_etag("c0");
  return out;
}

class StoreTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    if (GetParam() != Kind::kMemory) {
      client_ = qpv::testing::FlushedSharedRedisClient();
      ASSERT_NE(client_, nullptr);
      if (GetParam() == Kind::kRedisCached) {
        auto cache = redis::TrackedReads::Create(client_->options(), 100);
        ASSERT_THAT(cache, IsOk());
        cache_ = *std::move(cache);
        ASSERT_TRUE(cache_->WaitTracking(absl::Seconds(5)));
      }
      store_ = std::make_unique<RedisWorkshopStore>(client_.get(), cache_.get(), &pages_);
    } else {
      store_ = std::make_unique<MemoryWorkshopStore>();
    }
  }

  std::string Person(int i) { return absl::StrCat("prefectures/59/persons/p", i); }

  // A scheduled workshop w1 in 59 with `capacity` seats.
  void Scheduled(int capacity) {
    ASSERT_THAT(store_->CreateWorkshop("59", "w1", MakeWorkshop("59", "w1", capacity), ""),
                IsOk());
  }

  absl::StatusOr<Registration> Register(int person, const std::string& request_id = "") {
    return store_->RegisterParticipant("59", "w1", absl::StrCat("r", person),
                                       MakeRegistration("59", "w1", absl::StrCat("r", person),
                                                        absl::StrCat("p", person)),
                                       request_id);
  }

  // The store's contributions list, parsed as a client of ListContributions
  // reads it.
  absl::StatusOr<std::vector<Listed<Contribution>>> ListContributions(absl::string_view workshop,
                                                                      int64_t after, int limit) {
    auto wire = store_->ListContributionsWire("59", workshop, after, limit);
    if (!wire.ok()) return wire.status();
    std::vector<Listed<Contribution>> out;
    for (const auto& item : *wire) {
      Contribution c;
      if (!c.ParseFromString(item.item)) return absl::InternalError("unparsable contribution");
      out.push_back({item.seq, c});
    }
    return out;
  }

  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<redis::TrackedReads> cache_;
  ContributionPages pages_{1 << 20};  // used with cache_ only
  std::unique_ptr<WorkshopStore> store_;
};

TEST_P(StoreTest, CreateGetAndIdempotentCreate) {
  QPV_ASSERT_OK_AND_ASSIGN(Workshop first,
                           store_->CreateWorkshop("59", "w1", MakeWorkshop("59", "w1", 40), "req-1"));
  EXPECT_EQ(first.name(), "prefectures/59/workshops/w1");
  EXPECT_EQ(first.capacity(), 40);
  EXPECT_EQ(first.etag(), "e0");
  // The retry carries another generated id: the first result comes back.
  QPV_ASSERT_OK_AND_ASSIGN(Workshop again,
                           store_->CreateWorkshop("59", "w2", MakeWorkshop("59", "w2", 40), "req-1"));
  EXPECT_EQ(again.name(), first.name());
  EXPECT_THAT(store_->ReadWorkshop("59", "w2"), StatusIs(absl::StatusCode::kNotFound));
  QPV_ASSERT_OK_AND_ASSIGN(Workshop got, store_->ReadWorkshop("59", "w1"));
  EXPECT_EQ(got.SerializeAsString(), first.SerializeAsString());
  EXPECT_THAT(store_->CreateWorkshop("59", "w1", MakeWorkshop("59", "w1", 40), ""),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_P(StoreTest, IdempotentCreateRace) {
  constexpr int kThreads = 8;
  std::vector<std::string> names(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      const std::string id = absl::StrCat("w", i);
      auto w = store_->CreateWorkshop("59", id, MakeWorkshop("59", id, 10), "same-request");
      names[i] = w.ok() ? w->name() : w.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& n : names) EXPECT_EQ(n, names[0]);
  QPV_ASSERT_OK_AND_ASSIGN(auto listed, store_->ListWorkshops("59", 0, 100));
  EXPECT_EQ(listed.size(), 1u);
}

TEST_P(StoreTest, PagingIsStableWhileAdding) {
  int next = 0;
  auto add = [&](int n) {
    for (int i = 0; i < n; ++i, ++next) {
      const std::string id = absl::StrCat("w", next);
      ASSERT_THAT(store_->CreateWorkshop("59", id, MakeWorkshop("59", id, 10), ""), IsOk());
    }
  };
  add(10);
  std::vector<std::string> seen;
  int64_t after = 0;
  while (true) {
    QPV_ASSERT_OK_AND_ASSIGN(auto page, store_->ListWorkshops("59", after, 3));
    if (page.empty()) break;
    for (const auto& item : page) {
      EXPECT_GT(item.seq, after);
      after = item.seq;
      seen.push_back(item.item.name());
    }
    if (next < 16) add(2);  // items arrive while paging
  }
  ASSERT_EQ(seen.size(), 16u);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(seen[i], absl::StrCat("prefectures/59/workshops/w", i));
}

TEST_P(StoreTest, LifecycleCompareAndSet) {
  Workshop w = MakeWorkshop("59", "w1", 10, Workshop::STATE_DRAFT);
  ASSERT_THAT(store_->CreateWorkshop("59", "w1", w, ""), IsOk());
  Workshop next = w;
  next.set_state(Workshop::STATE_SCHEDULED);
  next.set_etag("e1");
  EXPECT_THAT(store_->ReplaceWorkshop("59", "w1", next, "stale", {Workshop::STATE_DRAFT}, "x", kNow),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store_->ReplaceWorkshop("59", "w1", next, "e0", {Workshop::STATE_HELD}, "x", kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  QPV_ASSERT_OK_AND_ASSIGN(Workshop done, store_->ReplaceWorkshop("59", "w1", next, "e0",
                                                                  {Workshop::STATE_DRAFT}, "x", kNow));
  EXPECT_EQ(done.state(), Workshop::STATE_SCHEDULED);
  EXPECT_EQ(done.etag(), "e1");
  // The old etag is stale now.
  EXPECT_THAT(store_->ReplaceWorkshop("59", "w1", next, "e0", {Workshop::STATE_SCHEDULED}, "x", kNow),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store_->ReplaceWorkshop("59", "nope", next, "e0", {Workshop::STATE_DRAFT}, "x", kNow),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(StoreTest, Capacity40With100ConcurrentRegistrations) {
  Scheduled(40);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&, i] {
      if (!Register(i).ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  QPV_ASSERT_OK_AND_ASSIGN(Workshop w, store_->ReadWorkshop("59", "w1"));
  EXPECT_EQ(w.registered_count(), 40);
  EXPECT_EQ(w.waitlisted_count(), 60);
  QPV_ASSERT_OK_AND_ASSIGN(auto regs, store_->ListRegistrations("59", "w1", 0, 1000));
  ASSERT_EQ(regs.size(), 100u);
  int registered = 0, waitlisted = 0;
  for (const auto& r : regs) {
    if (r.item.state() == Registration::STATE_REGISTERED) ++registered;
    if (r.item.state() == Registration::STATE_WAITLISTED) ++waitlisted;
  }
  EXPECT_EQ(registered, 40);
  EXPECT_EQ(waitlisted, 60);
  // The first 40 in creation order hold the seats, and create_time agrees
  // with that order even though all 100 were stamped at the same instant.
  for (size_t i = 0; i < regs.size(); ++i) {
    EXPECT_EQ(regs[i].item.state(),
              i < 40 ? Registration::STATE_REGISTERED : Registration::STATE_WAITLISTED);
    if (i > 0) {
      EXPECT_LT(FromProto(regs[i - 1].item.create_time()), FromProto(regs[i].item.create_time()))
          << i;
    }
  }
}

TEST_P(StoreTest, WithdrawalPromotesFirstWaitlisted) {
  Scheduled(2);
  for (int i = 1; i <= 4; ++i) ASSERT_THAT(Register(i), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(Registration gone,
                           store_->WithdrawRegistration("59", "w1", "r1", kNow + absl::Minutes(5)));
  EXPECT_EQ(gone.state(), Registration::STATE_WITHDRAWN);
  EXPECT_EQ(FromProto(gone.update_time()), kNow + absl::Minutes(5));
  QPV_ASSERT_OK_AND_ASSIGN(auto regs, store_->ListRegistrations("59", "w1", 0, 10));
  ASSERT_EQ(regs.size(), 4u);
  EXPECT_EQ(regs[2].item.state(), Registration::STATE_REGISTERED);  // r3, first waitlisted
  EXPECT_EQ(FromProto(regs[2].item.update_time()), kNow + absl::Minutes(5));
  EXPECT_EQ(regs[3].item.state(), Registration::STATE_WAITLISTED);
  QPV_ASSERT_OK_AND_ASSIGN(Workshop w, store_->ReadWorkshop("59", "w1"));
  EXPECT_EQ(w.registered_count(), 2);
  EXPECT_EQ(w.waitlisted_count(), 1);
  // Withdrawing a waitlisted registration frees no seat.
  ASSERT_THAT(store_->WithdrawRegistration("59", "w1", "r4", kNow), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(w, store_->ReadWorkshop("59", "w1"));
  EXPECT_EQ(w.registered_count(), 2);
  EXPECT_EQ(w.waitlisted_count(), 0);
  EXPECT_THAT(store_->WithdrawRegistration("59", "w1", "r4", kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->WithdrawRegistration("59", "w1", "r9", kNow),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(StoreTest, OneLiveRegistrationPerPerson) {
  Scheduled(10);
  ASSERT_THAT(Register(1), IsOk());
  Registration again = MakeRegistration("59", "w1", "r99", "p1");
  EXPECT_THAT(store_->RegisterParticipant("59", "w1", "r99", again, ""),
              StatusIs(absl::StatusCode::kAlreadyExists));
  ASSERT_THAT(store_->WithdrawRegistration("59", "w1", "r1", kNow), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(Registration back,
                           store_->RegisterParticipant("59", "w1", "r99", again, ""));
  EXPECT_EQ(back.state(), Registration::STATE_REGISTERED);
  EXPECT_THAT(store_->RegisterParticipant("59", "nope", "r5", MakeRegistration("59", "nope", "r5", "p5"), ""),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(StoreTest, IdempotentRegistrationRace) {
  Scheduled(10);
  std::vector<std::thread> threads;
  std::vector<std::string> names(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = store_->RegisterParticipant(
          "59", "w1", absl::StrCat("r", i), MakeRegistration("59", "w1", absl::StrCat("r", i), "p1"),
          "reg-req");
      names[i] = r.ok() ? r->name() : r.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& n : names) EXPECT_EQ(n, names[0]);
  QPV_ASSERT_OK_AND_ASSIGN(Workshop w, store_->ReadWorkshop("59", "w1"));
  EXPECT_EQ(w.registered_count(), 1);
}

TEST_P(StoreTest, FindsARegistrationByItsRequestId) {
  Scheduled(10);
  QPV_ASSERT_OK_AND_ASSIGN(Registration first, Register(1, "reg-req"));
  QPV_ASSERT_OK_AND_ASSIGN(Registration found,
                           store_->FindRegistrationByRequestId("59", "w1", "reg-req"));
  EXPECT_EQ(found.name(), first.name());
  EXPECT_EQ(found.state(), Registration::STATE_REGISTERED);
  EXPECT_THAT(store_->FindRegistrationByRequestId("59", "w1", "other"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->FindRegistrationByRequestId("59", "w9", "reg-req"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(StoreTest, ChildrenOfAnAbsentWorkshopAreEmpty) {
  QPV_ASSERT_OK_AND_ASSIGN(auto regs, store_->ListRegistrations("59", "nope", 0, 10));
  EXPECT_TRUE(regs.empty());
  QPV_ASSERT_OK_AND_ASSIGN(auto contribs, ListContributions("nope", 0, 10));
  EXPECT_TRUE(contribs.empty());
}

TEST_P(StoreTest, CapacityChanges) {
  Scheduled(2);
  for (int i = 1; i <= 5; ++i) ASSERT_THAT(Register(i), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(Workshop w, store_->ReadWorkshop("59", "w1"));
  Workshop smaller = w;
  smaller.set_capacity(1);
  EXPECT_THAT(store_->ReplaceWorkshop("59", "w1", smaller, w.etag(), {Workshop::STATE_SCHEDULED}, "x", kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  Workshop bigger = w;
  bigger.set_capacity(4);
  bigger.set_etag("e2");
  QPV_ASSERT_OK_AND_ASSIGN(Workshop after, store_->ReplaceWorkshop("59", "w1", bigger, w.etag(),
                                                                   {Workshop::STATE_SCHEDULED}, "x", kNow));
  EXPECT_EQ(after.capacity(), 4);
  EXPECT_EQ(after.registered_count(), 4);
  EXPECT_EQ(after.waitlisted_count(), 1);
  QPV_ASSERT_OK_AND_ASSIGN(auto regs, store_->ListRegistrations("59", "w1", 0, 10));
  EXPECT_EQ(regs[3].item.state(), Registration::STATE_REGISTERED);
  EXPECT_EQ(regs[4].item.state(), Registration::STATE_WAITLISTED);
}

TEST_P(StoreTest, Attendance) {
  Scheduled(1);
  ASSERT_THAT(Register(1), IsOk());
  ASSERT_THAT(Register(2), IsOk());  // waitlisted
  EXPECT_THAT(store_->RecordAttendance("59", "w1", "r1", true, /*scheduled_ok=*/false, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  QPV_ASSERT_OK_AND_ASSIGN(Registration r,
                           store_->RecordAttendance("59", "w1", "r1", true, true, kNow));
  EXPECT_EQ(r.state(), Registration::STATE_ATTENDED);
  QPV_ASSERT_OK_AND_ASSIGN(Workshop w, store_->ReadWorkshop("59", "w1"));
  EXPECT_EQ(w.attended_count(), 1);
  EXPECT_EQ(w.registered_count(), 1);
  // Correctable.
  QPV_ASSERT_OK_AND_ASSIGN(r, store_->RecordAttendance("59", "w1", "r1", false, true, kNow));
  EXPECT_EQ(r.state(), Registration::STATE_ABSENT);
  QPV_ASSERT_OK_AND_ASSIGN(w, store_->ReadWorkshop("59", "w1"));
  EXPECT_EQ(w.attended_count(), 0);
  EXPECT_THAT(store_->RecordAttendance("59", "w1", "r2", true, true, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_P(StoreTest, ContributionsAndVotes) {
  ASSERT_THAT(store_->CreateWorkshop("59", "w0", MakeWorkshop("59", "w0", 5, Workshop::STATE_DRAFT), ""),
              IsOk());
  EXPECT_THAT(store_->CreateContribution("59", "w0", "c1", MakeContribution("59", "w0", "c1"), ""),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->CreateContribution("59", "zz", "c1", MakeContribution("59", "zz", "c1"), ""),
              StatusIs(absl::StatusCode::kNotFound));
  Scheduled(1);
  ASSERT_THAT(Register(1), IsOk());
  ASSERT_THAT(Register(2), IsOk());  // waitlisted: no vote
  QPV_ASSERT_OK_AND_ASSIGN(Contribution c, store_->CreateContribution(
                                               "59", "w1", "c1", MakeContribution("59", "w1", "c1"), "cr"));
  EXPECT_EQ(c.vote_count(), 0);
  QPV_ASSERT_OK_AND_ASSIGN(Contribution same, store_->CreateContribution(
                                                  "59", "w1", "c2", MakeContribution("59", "w1", "c2"), "cr"));
  EXPECT_EQ(same.name(), c.name());

  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, dup{0};
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back([&] {
      auto v = store_->VoteContribution("59", "w1", "c1", Person(1));
      if (v.ok()) ++ok;
      if (v.status().code() == absl::StatusCode::kAlreadyExists) ++dup;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(dup.load(), 9);
  EXPECT_THAT(store_->VoteContribution("59", "w1", "c1", Person(2)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->VoteContribution("59", "w1", "c1", Person(3)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store_->VoteContribution("59", "w1", "c9", Person(1)),
              StatusIs(absl::StatusCode::kNotFound));
  QPV_ASSERT_OK_AND_ASSIGN(c, store_->GetContribution("59", "w1", "c1"));
  EXPECT_EQ(c.vote_count(), 1);

  Contribution next = c;
  next.set_title("Parrainage renforcé");
  next.set_etag("c1");
  EXPECT_THAT(store_->ReplaceContribution("59", "w1", "c1", next, "stale"),
              StatusIs(absl::StatusCode::kAborted));
  QPV_ASSERT_OK_AND_ASSIGN(Contribution updated,
                           store_->ReplaceContribution("59", "w1", "c1", next, "c0"));
  EXPECT_EQ(updated.title(), "Parrainage renforcé");
  EXPECT_EQ(updated.vote_count(), 1);
  QPV_ASSERT_OK_AND_ASSIGN(auto listed, ListContributions("w1", 0, 10));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].item.etag(), "c1");
}

// ListContributions sends ListContributionsWire's bytes as they are: each
// must parse as the contribution GetContribution returns, vote count and
// etag included, in creation order and paged by sequence number.
TEST_P(StoreTest, ContributionsInWireFormParseAsTheContributions) {
  Scheduled(5);
  ASSERT_THAT(Register(1), IsOk());
  for (const char* id : {"c1", "c2", "c3"}) {
    ASSERT_THAT(store_->CreateContribution("59", "w1", id, MakeContribution("59", "w1", id), ""),
                IsOk());
  }
  ASSERT_THAT(store_->VoteContribution("59", "w1", "c2", Person(1)), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(Contribution c3, store_->GetContribution("59", "w1", "c3"));
  Contribution next = c3;
  next.set_title("Titre revu");
  next.set_etag("e-new");
  ASSERT_THAT(store_->ReplaceContribution("59", "w1", "c3", next, c3.etag()), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(auto all, ListContributions("w1", 0, 10));
  ASSERT_EQ(all.size(), 3u);
  const char* const ids[] = {"c1", "c2", "c3"};
  for (size_t i = 0; i < all.size(); ++i) {
    QPV_ASSERT_OK_AND_ASSIGN(Contribution got, store_->GetContribution("59", "w1", ids[i]));
    EXPECT_EQ(all[i].item.SerializeAsString(), got.SerializeAsString()) << ids[i];
  }
  EXPECT_EQ(all[1].item.vote_count(), 1);
  EXPECT_EQ(all[2].item.etag(), "e-new");
  EXPECT_EQ(all[2].item.title(), "Titre revu");
  QPV_ASSERT_OK_AND_ASSIGN(auto first_two, ListContributions("w1", 0, 2));
  ASSERT_EQ(first_two.size(), 2u);
  EXPECT_EQ(first_two[1].seq, all[1].seq);
  QPV_ASSERT_OK_AND_ASSIGN(auto rest, ListContributions("w1", all[0].seq, 10));
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].item.name(), all[1].item.name());
}

// A refused contribution leaves no trace: its request_id is free again (a
// retry once the workshop is open creates it), and an id already taken is
// refused without touching the first contribution.
TEST_P(StoreTest, RefusedContributionKeepsNoRequestRecord) {
  ASSERT_THAT(store_->CreateWorkshop("59", "w1", MakeWorkshop("59", "w1", 5, Workshop::STATE_DRAFT), ""),
              IsOk());
  EXPECT_THAT(store_->CreateContribution("59", "w1", "c1", MakeContribution("59", "w1", "c1"), "rq"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  QPV_ASSERT_OK_AND_ASSIGN(Workshop w, store_->ReadWorkshop("59", "w1"));
  w.set_state(Workshop::STATE_SCHEDULED);
  w.set_etag("e1");
  ASSERT_THAT(store_->ReplaceWorkshop("59", "w1", w, "e0", {Workshop::STATE_DRAFT}, "", kNow),
              IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(Contribution c, store_->CreateContribution(
                                               "59", "w1", "c2", MakeContribution("59", "w1", "c2"), "rq"));
  EXPECT_EQ(c.name(), "prefectures/59/workshops/w1/contributions/c2");

  Contribution other = MakeContribution("59", "w1", "c2");
  other.set_title("Autre titre");
  EXPECT_THAT(store_->CreateContribution("59", "w1", "c2", other, "rq2"),
              StatusIs(absl::StatusCode::kAlreadyExists));
  QPV_ASSERT_OK_AND_ASSIGN(c, store_->GetContribution("59", "w1", "c2"));
  EXPECT_EQ(c.title(), "Parrainage vers l'emploi");
  // rq2 was given back: with a fresh id it creates.
  QPV_ASSERT_OK_AND_ASSIGN(c, store_->CreateContribution("59", "w1", "c3", other, "rq2"));
  EXPECT_EQ(c.name(), "prefectures/59/workshops/w1/contributions/c2");  // the name sent
  QPV_ASSERT_OK_AND_ASSIGN(auto listed, ListContributions("w1", 0, 10));
  EXPECT_EQ(listed.size(), 2u);
}

// Reports are cached by revision: every acknowledged write to the workshop or
// its children must grow it, and a refused write or a replay must not.
TEST_P(StoreTest, RevisionGrowsOnEveryAcknowledgedWrite) {
  Scheduled(1);
  auto revision = [&] {
    auto w = store_->ReadWorkshop("59", "w1");
    return w.ok() ? w->revision() : -1;
  };
  int64_t last = revision();
  EXPECT_EQ(last, 1);
  auto grew = [&](const char* what) {
    const int64_t now = revision();
    EXPECT_GT(now, last) << what;
    last = now;
  };
  auto same = [&](const char* what) { EXPECT_EQ(revision(), last) << what; };

  ASSERT_THAT(Register(1, "rq1"), IsOk());
  grew("register");
  ASSERT_THAT(Register(1, "rq1"), IsOk());
  same("replayed register");
  ASSERT_THAT(Register(2), IsOk());
  grew("register to the waitlist");
  ASSERT_THAT(store_->RecordAttendance("59", "w1", "r1", true, true, kNow), IsOk());
  grew("attendance");
  EXPECT_THAT(store_->RecordAttendance("59", "w1", "r2", true, true, kNow),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  same("refused attendance");
  ASSERT_THAT(store_->WithdrawRegistration("59", "w1", "r2", kNow), IsOk());
  grew("withdraw");
  QPV_ASSERT_OK_AND_ASSIGN(Contribution c, store_->CreateContribution(
                                               "59", "w1", "c1", MakeContribution("59", "w1", "c1"), "cq"));
  grew("contribution");
  ASSERT_THAT(store_->CreateContribution("59", "w1", "c2", MakeContribution("59", "w1", "c2"), "cq"),
              IsOk());
  same("replayed contribution");
  ASSERT_THAT(store_->VoteContribution("59", "w1", "c1", Person(1)), IsOk());
  grew("vote");
  EXPECT_THAT(store_->VoteContribution("59", "w1", "c1", Person(1)),
              StatusIs(absl::StatusCode::kAlreadyExists));
  same("second vote");
  Contribution next = c;
  next.set_title("Parrainage renforcé");
  next.set_etag("c1");
  ASSERT_THAT(store_->ReplaceContribution("59", "w1", "c1", next, "c0"), IsOk());
  grew("contribution update");
  QPV_ASSERT_OK_AND_ASSIGN(Workshop w, store_->ReadWorkshop("59", "w1"));
  Workshop changed = w;
  changed.set_title("Emploi");
  changed.set_etag("e1");
  ASSERT_THAT(store_->ReplaceWorkshop("59", "w1", changed, "e0", {Workshop::STATE_SCHEDULED},
                                      "wrong state", kNow),
              IsOk());
  grew("workshop update");
  QPV_ASSERT_OK_AND_ASSIGN(auto listed, store_->ListWorkshops("59", 0, 10));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].item.revision(), last);
}

TEST_P(StoreTest, KnowsEveryPrefecture) {
  ASSERT_THAT(store_->CreateWorkshop("62", "a", MakeWorkshop("62", "a", 5), ""), IsOk());
  ASSERT_THAT(store_->CreateWorkshop("59", "b", MakeWorkshop("59", "b", 5), ""), IsOk());
  ASSERT_THAT(store_->CreateWorkshop("2A", "c", MakeWorkshop("2A", "c", 5), ""), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(auto prefectures, store_->ListPrefectures());
  EXPECT_THAT(prefectures, ElementsAre("2A", "59", "62"));
  QPV_ASSERT_OK_AND_ASSIGN(auto in62, store_->ListWorkshops("62", 0, 10));
  ASSERT_EQ(in62.size(), 1u);
  EXPECT_EQ(in62[0].item.name(), "prefectures/62/workshops/a");
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest,
                         ::testing::Values(Kind::kMemory, Kind::kRedis, Kind::kRedisCached),
                         [](const ::testing::TestParamInfo<Kind>& info) {
                           return info.param == Kind::kMemory  ? "Memory"
                                  : info.param == Kind::kRedis ? "Redis"
                                                               : "RedisCached";
                         });

// Two replicas on one Redis: `cached_` serves reads from its cache and its
// pages, `other_` (no cache) writes.
class CachedRedisStore : public ::testing::Test {
 protected:
  void SetUp() override {
    client_ = qpv::testing::FlushedSharedRedisClient();
    ASSERT_NE(client_, nullptr);
    auto cache = redis::TrackedReads::Create(client_->options(), 100);
    ASSERT_THAT(cache, IsOk());
    cache_ = *std::move(cache);
    ASSERT_TRUE(cache_->WaitTracking(absl::Seconds(5)));
    cached_ = std::make_unique<RedisWorkshopStore>(client_.get(), cache_.get(), &pages_);
    other_ = std::make_unique<RedisWorkshopStore>(client_.get());
  }

  // Waits (5 s at most) until workshop w1 of 59 is in the cache.
  bool WorkshopCached() {
    const absl::Time until = absl::Now() + absl::Seconds(5);
    while (cache_->Cached<Workshop>("ws:{59}:w:w1") == nullptr) {
      if (absl::Now() > until) return false;
      absl::SleepFor(absl::Milliseconds(1));
    }
    return true;
  }

  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<redis::TrackedReads> cache_;
  ContributionPages pages_{1 << 20};
  std::unique_ptr<RedisWorkshopStore> cached_;
  std::unique_ptr<RedisWorkshopStore> other_;
};

// Two replicas on one Redis: one serves reads from its cache, the other
// writes. The cached one reads from memory until the other writes, then
// sees the write once Redis has told it.
TEST_F(CachedRedisStore, AnotherReplicasWritesReachTheCache) {
  ASSERT_THAT(other_->CreateWorkshop("59", "w1", MakeWorkshop("59", "w1", 10), ""), IsOk());
  for (int i = 0; i < 3; ++i) ASSERT_THAT(cached_->ReadWorkshop("59", "w1"), IsOk());
  EXPECT_EQ(cache_->stats().misses, 1);
  EXPECT_EQ(cache_->stats().hits, 2);
  const auto eventually = [&](auto done) {
    const absl::Time until = absl::Now() + absl::Seconds(5);
    while (absl::Now() < until) {
      auto w = cached_->ReadWorkshop("59", "w1");
      if (w.ok() && done(*w)) return true;
      absl::SleepFor(absl::Milliseconds(2));
    }
    return false;
  };
  ASSERT_THAT(
      other_->RegisterParticipant(
          "59", "w1", "r1", MakeRegistration("59", "w1", "r1", "prefectures/59/persons/p1"), ""),
      IsOk());
  EXPECT_TRUE(eventually([](const Workshop& w) { return w.registered_count() == 1; }));
  QPV_ASSERT_OK_AND_ASSIGN(Workshop w, other_->GetWorkshop("59", "w1"));
  w.set_title("Emploi");
  w.set_etag("e1");
  ASSERT_THAT(other_->ReplaceWorkshop("59", "w1", w, "e0", {Workshop::STATE_SCHEDULED}, "", kNow),
              IsOk());
  EXPECT_TRUE(eventually([](const Workshop& w) { return w.etag() == "e1" && w.title() == "Emploi"; }));
  ASSERT_THAT(client_->Command({"DEL", "ws:{59}:w:w1"}), IsOk());
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (cached_->ReadWorkshop("59", "w1").ok() && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(2));
  }
  EXPECT_THAT(cached_->ReadWorkshop("59", "w1"), StatusIs(absl::StatusCode::kNotFound));
}

// The same for pages of contributions: a page is served from memory while
// its workshop is unchanged, and another replica's writes of contributions
// (a new one, a vote, an edit) reach it once Redis has told the cache.
TEST_F(CachedRedisStore, AnotherReplicasContributionWritesReachThePages) {
  ASSERT_THAT(other_->CreateWorkshop("59", "w1", MakeWorkshop("59", "w1", 10), ""), IsOk());
  ASSERT_THAT(
      other_->RegisterParticipant("59", "w1", "r1", MakeRegistration("59", "w1", "r1", "p1"), ""),
      IsOk());
  ASSERT_THAT(other_->CreateContribution("59", "w1", "c1", MakeContribution("59", "w1", "c1"), ""),
              IsOk());
  // The first list reads the page and, beside it, the workshop into the
  // cache; once it is there, the page is served from memory.
  QPV_ASSERT_OK_AND_ASSIGN(auto first_page, cached_->ListContributionsWire("59", "w1", 0, 10));
  ASSERT_EQ(first_page.size(), 1u);
  ASSERT_TRUE(WorkshopCached());
  for (int i = 0; i < 2; ++i) {
    QPV_ASSERT_OK_AND_ASSIGN(auto page, cached_->ListContributionsWire("59", "w1", 0, 10));
    ASSERT_EQ(page.size(), 1u);
  }
  EXPECT_EQ(pages_.stats().hits, 2);
  EXPECT_EQ(pages_.stats().entries, 1u);
  // Polls the cached replica's first page until `done` holds, or 5 s.
  const auto eventually = [&](auto done) {
    const absl::Time until = absl::Now() + absl::Seconds(5);
    while (absl::Now() < until) {
      auto page = cached_->ListContributionsWire("59", "w1", 0, 10);
      if (page.ok()) {
        std::vector<Contribution> parsed(page->size());
        for (size_t i = 0; i < page->size(); ++i) parsed[i].ParseFromString((*page)[i].item);
        if (done(parsed)) return true;
      }
      absl::SleepFor(absl::Milliseconds(2));
    }
    return false;
  };
  ASSERT_THAT(other_->CreateContribution("59", "w1", "c2", MakeContribution("59", "w1", "c2"), ""),
              IsOk());
  EXPECT_TRUE(eventually([](const std::vector<Contribution>& l) { return l.size() == 2; }));
  ASSERT_THAT(other_->VoteContribution("59", "w1", "c1", "prefectures/59/persons/p1"), IsOk());
  EXPECT_TRUE(eventually(
      [](const std::vector<Contribution>& l) { return l.size() == 2 && l[0].vote_count() == 1; }));
  Contribution edited = MakeContribution("59", "w1", "c2");
  edited.set_title("Titre revu");
  edited.set_etag("c1");
  ASSERT_THAT(other_->ReplaceContribution("59", "w1", "c2", edited, "c0"), IsOk());
  EXPECT_TRUE(eventually([](const std::vector<Contribution>& l) {
    return l.size() == 2 && l[1].title() == "Titre revu";
  }));
  // Another page (after c1) is kept apart from the first.
  QPV_ASSERT_OK_AND_ASSIGN(auto first, cached_->ListContributionsWire("59", "w1", 0, 1));
  ASSERT_EQ(first.size(), 1u);
  QPV_ASSERT_OK_AND_ASSIGN(auto after,
                           cached_->ListContributionsWire("59", "w1", first[0].seq, 10));
  ASSERT_EQ(after.size(), 1u);
  Contribution c2;
  ASSERT_TRUE(c2.ParseFromString(after[0].item));
  EXPECT_EQ(c2.title(), "Titre revu");
}

// A workshop created again under the same id (a restore, a flush) may reach
// the revision a kept page was read at; its etag differs, so the page is
// not served.
// After this replica's own write, the next list reads the page from Redis
// (the write included), and the workshop is read back into the cache beside
// it, so a later list is answered from memory again. (Such a read can be
// refused by the cache when Redis's message about the write arrives after
// it started; a later list then reads the workshop again.)
TEST_F(CachedRedisStore, AfterAnOwnWriteThePageIsReadThenKeptAgain) {
  ASSERT_THAT(cached_->CreateWorkshop("59", "w1", MakeWorkshop("59", "w1", 10), ""), IsOk());
  ASSERT_THAT(cached_->CreateContribution("59", "w1", "c1", MakeContribution("59", "w1", "c1"), ""),
              IsOk());
  ASSERT_THAT(cached_->ListContributionsWire("59", "w1", 0, 10), IsOk());
  ASSERT_THAT(cached_->CreateContribution("59", "w1", "c2", MakeContribution("59", "w1", "c2"), ""),
              IsOk());
  EXPECT_EQ(cache_->Cached<Workshop>("ws:{59}:w:w1"), nullptr);  // dropped by the write
  const int64_t hits = pages_.stats().hits;
  QPV_ASSERT_OK_AND_ASSIGN(auto read, cached_->ListContributionsWire("59", "w1", 0, 10));
  EXPECT_EQ(read.size(), 2u);
  EXPECT_EQ(pages_.stats().hits, hits);
  const absl::Time until = absl::Now() + absl::Seconds(5);
  while (pages_.stats().hits == hits && absl::Now() < until) {
    QPV_ASSERT_OK_AND_ASSIGN(auto page, cached_->ListContributionsWire("59", "w1", 0, 10));
    ASSERT_EQ(page.size(), 2u);
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_GT(pages_.stats().hits, hits);
}

TEST_F(CachedRedisStore, PeekWorkshopNeverReadsRedis) {
  ASSERT_THAT(cached_->CreateWorkshop("59", "w1", MakeWorkshop("59", "w1", 10), ""), IsOk());
  EXPECT_EQ(cached_->PeekWorkshop("59", "w1"), nullptr);
  EXPECT_EQ(cached_->PeekWorkshop("59", "w1"), nullptr) << "a peek does not fill the cache";
  QPV_ASSERT_OK_AND_ASSIGN(Workshop read, cached_->ReadWorkshop("59", "w1"));
  ASSERT_TRUE(WorkshopCached());
  auto peeked = cached_->PeekWorkshop("59", "w1");
  ASSERT_NE(peeked, nullptr);
  EXPECT_EQ(peeked->etag(), read.etag());
  EXPECT_EQ(other_->PeekWorkshop("59", "w1"), nullptr) << "no cache, nothing in memory";
  ASSERT_THAT(cached_->CreateContribution("59", "w1", "c1", MakeContribution("59", "w1", "c1"), ""),
              IsOk());
  EXPECT_EQ(cached_->PeekWorkshop("59", "w1"), nullptr) << "dropped by the write";
}

TEST_F(CachedRedisStore, AWorkshopCreatedAgainDoesNotGetTheOldPages) {
  ASSERT_THAT(cached_->CreateWorkshop("59", "w1", MakeWorkshop("59", "w1", 10), ""), IsOk());
  ASSERT_THAT(cached_->CreateContribution("59", "w1", "c1", MakeContribution("59", "w1", "c1"), ""),
              IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(auto page, cached_->ListContributionsWire("59", "w1", 0, 10));
  ASSERT_EQ(page.size(), 1u);
  // Gone and created again by hand at the same revision, with another
  // etag and no contributions, while the listener misses nothing: the page
  // must come from Redis.
  ASSERT_THAT(client_->Command({"DEL", "ws:{59}:w:w1", "ws:{59}:w:w1:contribs"}), IsOk());
  Workshop w = MakeWorkshop("59", "w1", 10);
  w.set_etag("e-again");
  ASSERT_THAT(cached_->CreateWorkshop("59", "w1", w, ""), IsOk());
  ASSERT_THAT(client_->Command({"HINCRBY", "ws:{59}:w:w1", "rev", "1"}), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(Workshop again, cached_->GetWorkshop("59", "w1"));
  ASSERT_EQ(again.revision(), 2);  // as when the page was read
  const absl::Time until = absl::Now() + absl::Seconds(5);
  absl::StatusOr<std::vector<Listed<std::string>>> now;
  do {
    now = cached_->ListContributionsWire("59", "w1", 0, 10);
  } while (now.ok() && !now->empty() && absl::Now() < until);
  ASSERT_THAT(now, IsOk());
  EXPECT_TRUE(now->empty());
}

TEST(RedisStore, UnreadableBytesAreDataLoss) {
  auto client = qpv::testing::FlushedSharedRedisClient();
  ASSERT_NE(client, nullptr);
  RedisWorkshopStore store(client.get());
  ASSERT_THAT(client->Command({"HSET", "ws:{59}:w:bad", "pb", "\xff\xff\xff", "state", "1"}),
              IsOk());
  EXPECT_THAT(store.GetWorkshop("59", "bad"), StatusIs(absl::StatusCode::kDataLoss));
}

// A contribution listed in wire form is not parsed, but bytes cut short
// are still DATA_LOSS, not a page its client cannot read.
TEST(RedisStore, AContributionCutShortIsDataLossInAList) {
  auto client = qpv::testing::FlushedSharedRedisClient();
  ASSERT_NE(client, nullptr);
  RedisWorkshopStore store(client.get());
  const std::string whole = MakeContribution("59", "w1", "c1").SerializeAsString();
  ASSERT_THAT(client->Command({"ZADD", "ws:{59}:w:w1:contribs", "1", "c1"}), IsOk());
  ASSERT_THAT(client->Command({"HSET", "ws:{59}:w:w1:c:c1", "pb", whole, "votes", "0"}), IsOk());
  QPV_ASSERT_OK_AND_ASSIGN(auto listed, store.ListContributionsWire("59", "w1", 0, 10));
  ASSERT_EQ(listed.size(), 1u);
  ASSERT_THAT(client->Command({"HSET", "ws:{59}:w:w1:c:c1", "pb", whole.substr(0, whole.size() - 3)}),
              IsOk());
  EXPECT_THAT(store.ListContributionsWire("59", "w1", 0, 10),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace qpv::workshop
