#include "db/migrations.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace gallery::db {
namespace {

std::vector<std::string> Names(std::span<const Migration> migrations) {
  std::vector<std::string> names;
  for (const Migration& m : migrations) names.emplace_back(m.name);
  return names;
}

TEST(EmbeddedMigrationsTest, BothDialectsAreValidAndHaveTheSameVersions) {
  ASSERT_FALSE(SqliteMigrations().empty());
  EXPECT_TRUE(ValidateMigrations(SqliteMigrations()).ok())
      << ValidateMigrations(SqliteMigrations()).ToString();
  EXPECT_TRUE(ValidateMigrations(PostgresMigrations()).ok())
      << ValidateMigrations(PostgresMigrations()).ToString();
  EXPECT_EQ(Names(SqliteMigrations()), Names(PostgresMigrations()));
}

TEST(EmbeddedMigrationsTest, EmbedsTheFileTextExactly) {
  const Migration& first = SqliteMigrations()[0];
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.name, "0001_photos");
  EXPECT_NE(first.sql.find("CREATE TABLE photos"), std::string_view::npos);
  EXPECT_NE(first.sql.find("photos_newest_first"), std::string_view::npos);
  EXPECT_EQ(first.sql.find('\0'), std::string_view::npos);
  EXPECT_EQ(first.sql.back(), '\n');
}

TEST(ValidateMigrationsTest, RejectsGapsRepeatsAndEmptySql) {
  const Migration gap[] = {{1, "0001_a", "SELECT 1;"}, {3, "0003_c", "SELECT 1;"}};
  EXPECT_EQ(ValidateMigrations(gap).code(), ErrorCode::kInternal);
  const Migration repeat[] = {{1, "0001_a", "SELECT 1;"}, {1, "0001_b", "SELECT 1;"}};
  EXPECT_EQ(ValidateMigrations(repeat).code(), ErrorCode::kInternal);
  const Migration empty[] = {{1, "0001_a", " \n"}};
  EXPECT_EQ(ValidateMigrations(empty).code(), ErrorCode::kInternal);
  const Migration good[] = {{1, "0001_a", "SELECT 1;"}, {2, "0002_b", "SELECT 2;"}};
  EXPECT_TRUE(ValidateMigrations(good).ok());
}

// Records applications in memory; fails on request.
class FakeTarget final : public MigrationTarget {
 public:
  Result<std::map<int, std::string>> AppliedMigrations() override { return applied; }
  Status Apply(const Migration& m) override {
    if (m.version == fail_version) return Status::IoError("disk full");
    applied[m.version] = std::string(m.name);
    order.push_back(m.version);
    return Status::Ok();
  }
  std::map<int, std::string> applied;
  std::vector<int> order;
  int fail_version = 0;
};

const Migration kThree[] = {
    {1, "0001_a", "SELECT 1;"}, {2, "0002_b", "SELECT 2;"}, {3, "0003_c", "SELECT 3;"}};

TEST(RunMigrationsTest, AppliesOnlyMissingOnesInOrder) {
  FakeTarget target;
  target.applied = {{1, "0001_a"}};
  ASSERT_TRUE(RunMigrations(kThree, target).ok());
  EXPECT_EQ(target.order, (std::vector<int>{2, 3}));
  target.order.clear();
  ASSERT_TRUE(RunMigrations(kThree, target).ok());
  EXPECT_TRUE(target.order.empty());
}

TEST(RunMigrationsTest, StopsAtTheFirstFailure) {
  FakeTarget target;
  target.fail_version = 2;
  Status s = RunMigrations(kThree, target);
  EXPECT_EQ(s.code(), ErrorCode::kIoError);
  EXPECT_NE(s.message().find("0002_b"), std::string::npos) << s.message();
  EXPECT_EQ(target.order, (std::vector<int>{1}));
}

TEST(RunMigrationsTest, RejectsADivergedHistoryAndAcceptsNewerVersions) {
  FakeTarget diverged;
  diverged.applied = {{1, "0001_other"}};
  EXPECT_EQ(RunMigrations(kThree, diverged).code(), ErrorCode::kInternal);
  EXPECT_TRUE(diverged.order.empty());

  FakeTarget newer;
  newer.applied = {{1, "0001_a"}, {2, "0002_b"}, {3, "0003_c"}, {4, "0004_future"}};
  EXPECT_TRUE(RunMigrations(kThree, newer).ok());
  EXPECT_TRUE(newer.order.empty());
}

}  // namespace
}  // namespace gallery::db
