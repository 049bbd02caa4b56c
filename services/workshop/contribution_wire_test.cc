// Contributions in wire form: what is appended to the stored bytes wins.
#include "services/workshop/contribution_wire.h"

#include <string>

#include "gtest/gtest.h"
#include "qpv/workshop/v1/workshop.pb.h"

namespace qpv::workshop {
namespace {

using ::qpv::workshop::v1::Contribution;

Contribution Stored() {
  Contribution c;
  c.set_name("prefectures/59/workshops/w1/contributions/c1");
  c.set_title(std::string(300, 'x'));  // a length over one varint byte
  c.set_etag("stale");
  c.set_vote_count(7);
  return c;
}

TEST(ContributionWireTest, EtagAndVotesAppendedWinOverTheStoredOnes) {
  const std::string stored = Stored().SerializeAsString();
  const std::string etag = "fresh";
  Contribution parsed;
  ASSERT_TRUE(parsed.ParseFromString(ContributionWire(stored, &etag, 12)));
  Contribution expected = Stored();
  expected.set_etag("fresh");
  expected.set_vote_count(12);
  EXPECT_EQ(parsed.SerializeAsString(), expected.SerializeAsString());
}

TEST(ContributionWireTest, ZeroVotesAreWrittenAndAMissingEtagKeepsTheStoredOne) {
  Contribution parsed;
  ASSERT_TRUE(parsed.ParseFromString(ContributionWire(Stored().SerializeAsString(), nullptr, 0)));
  EXPECT_EQ(parsed.vote_count(), 0);  // proto3 leaves a 0 out: it must be written
  EXPECT_EQ(parsed.etag(), "stale");
  EXPECT_EQ(parsed.title(), std::string(300, 'x'));
}

TEST(ContributionWireTest, FieldsAreWhatTheGeneratedCodeWrites) {
  Contribution c;
  c.set_title(std::string(200, 'y'));
  c.set_vote_count(300);
  std::string out;
  AppendBytesField(&out, Contribution::kTitleFieldNumber, c.title());
  AppendVarintField(&out, Contribution::kVoteCountFieldNumber, 300);
  EXPECT_EQ(out, c.SerializeAsString());
}

TEST(ContributionWireTest, WellFormedBytesAreWholeFieldsToTheEnd) {
  Contribution c = Stored();
  c.mutable_create_time()->set_seconds(1517900400);  // an embedded message
  const std::string bytes = c.SerializeAsString();
  EXPECT_TRUE(WireWellFormed(bytes));
  EXPECT_TRUE(WireWellFormed(""));
  EXPECT_TRUE(WireWellFormed(ContributionWire(bytes, nullptr, -1)));  // a 10-byte varint
  const std::string fixed = "\x79" + std::string(8, 'x') + "\x7d" + std::string(4, 'y');
  EXPECT_TRUE(WireWellFormed(fixed));  // fields 15 (8 bytes) and 15 (4 bytes)
  // Cut short inside the long title (its length says 300), or inside a tag.
  EXPECT_FALSE(WireWellFormed(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(WireWellFormed(bytes.substr(0, 100)));
  EXPECT_FALSE(WireWellFormed(fixed.substr(0, fixed.size() - 1)));
  EXPECT_FALSE(WireWellFormed("\xff\xff\xff"));           // a varint that never ends
  EXPECT_FALSE(WireWellFormed(std::string("\x00\x01", 2)));  // field number 0
  EXPECT_FALSE(WireWellFormed("\x0b"));                     // a group (field 1)
  EXPECT_FALSE(WireWellFormed("\x0e"));                     // wire type 6
}

}  // namespace
}  // namespace qpv::workshop
