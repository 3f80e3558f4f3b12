#include "storage/local/local_blob_store.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "common/crypto.hpp"
#include "storage/blob_store_conformance_testing.hpp"
#include "storage/blob_store_wrapper.hpp"

namespace gallery::storage {
namespace {

namespace fs = std::filesystem;
using testing::BlobStoreConformanceTest;
using testing::BlobStoreFactory;

fs::path NewTempPath(std::string_view what) {
  return fs::path(::testing::TempDir()) / (std::string(what) + "-" + NewId());
}

// A local store on a fresh temporary root, removed with the store.
class TempRootBlobStore final : public BlobStoreWrapper {
 public:
  TempRootBlobStore(std::unique_ptr<BlobStore> inner, fs::path root)
      : BlobStoreWrapper(std::move(inner)), root_(std::move(root)) {}
  ~TempRootBlobStore() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

 private:
  const fs::path root_;
};

std::unique_ptr<BlobStore> MakeTempRootStore() {
  fs::path root = NewTempPath("local-blob-store");
  Result<std::unique_ptr<BlobStore>> store = NewLocalBlobStore(root);
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::make_unique<TempRootBlobStore>(std::move(store).value(), root);
}

INSTANTIATE_TEST_SUITE_P(Local, BlobStoreConformanceTest,
                         ::testing::Values(BlobStoreFactory{"local", &MakeTempRootStore}),
                         [](const auto& info) { return info.param.name; });

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

// Every entry below `root`, as relative paths ("dir/" for directories).
std::set<std::string> TreeOf(const fs::path& root) {
  std::set<std::string> entries;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
    std::string rel = fs::relative(entry.path(), root).string();
    entries.insert(entry.is_directory() ? rel + "/" : rel);
  }
  return entries;
}

class LocalBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = NewTempPath("local-blob-store");
    Result<std::unique_ptr<BlobStore>> store = NewLocalBlobStore(root_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    scratch_ = NewTempPath("local-blob-store-scratch");
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(root_);
    fs::remove_all(scratch_);
  }

  fs::path root_;
  fs::path scratch_;
  std::unique_ptr<BlobStore> store_;
};

TEST_F(LocalBlobStoreTest, ObjectsAreFilesAtTheirKeyPathsWithMode0644) {
  ASSERT_TRUE(store_->Put("photos/abc/original", "bytes", {}).ok());
  WriteFile(scratch_ / "src", "from a file");
  ASSERT_TRUE(store_->PutFile("photos/abc/small.webp", scratch_ / "src", {}).ok());

  EXPECT_EQ(ReadFile(root_ / "photos/abc/original"), "bytes");
  EXPECT_EQ(ReadFile(root_ / "photos/abc/small.webp"), "from a file");
  for (const char* rel : {"photos/abc/original", "photos/abc/small.webp"}) {
    struct stat st;
    ASSERT_EQ(::stat((root_ / rel).c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0644u) << rel;
  }
  EXPECT_EQ(TreeOf(root_), (std::set<std::string>{"photos/", "photos/abc/", "photos/abc/original",
                                                  "photos/abc/small.webp"}));
}

TEST_F(LocalBlobStoreTest, NoTemporaryFilesAreLeftAfterPuts) {
  WriteFile(scratch_ / "src", std::string(3 << 20, 'z'));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->Put("a/b", std::string(1000 * i, 'x'), {}).ok());
    ASSERT_TRUE(store_->PutFile("a/c", scratch_ / "src", {}).ok());
    ASSERT_TRUE(store_->Put("d", std::string("v").append(std::to_string(i)), {}).ok());
  }
  ASSERT_TRUE(store_->Ping().ok());
  EXPECT_EQ(TreeOf(root_), (std::set<std::string>{"a/", "a/b", "a/c", "d"}));
}

// Makes writes past `bytes` fail with EFBIG, for the scope: a Put that fails
// half way, even for root (who ignores permissions).
class ScopedFileSizeLimit {
 public:
  explicit ScopedFileSizeLimit(rlim_t bytes) {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_limit_);
    rlimit limit = old_limit_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~ScopedFileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_limit_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_limit_;
  void (*old_handler_)(int);
};

TEST_F(LocalBlobStoreTest, APutThatFailsHalfWayKeepsThePreviousObjectAndNoTemporaryFile) {
  ASSERT_TRUE(store_->Put("photos/x/original", "previous", {}).ok());
  const std::string big(2 << 20, 'n');
  WriteFile(scratch_ / "big", big);
  {
    ScopedFileSizeLimit limit(1 << 20);
    Status put = store_->Put("photos/x/original", big, {});
    EXPECT_EQ(put.code(), ErrorCode::kIoError) << put.ToString();
    Status put_file = store_->PutFile("photos/x/original", scratch_ / "big", {});
    EXPECT_EQ(put_file.code(), ErrorCode::kIoError) << put_file.ToString();
    Status put_new = store_->Put("photos/y/original", big, {});
    EXPECT_EQ(put_new.code(), ErrorCode::kIoError) << put_new.ToString();
  }
  Result<BlobData> data = store_->Get("photos/x/original");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->bytes, "previous");
  EXPECT_EQ(store_->Head("photos/y/original").code(), ErrorCode::kNotFound);
  // The failed new key may leave its (empty) directory, never a file.
  std::set<std::string> tree = TreeOf(root_);
  tree.erase("photos/y/");
  EXPECT_EQ(tree, (std::set<std::string>{"photos/", "photos/x/", "photos/x/original"}));
  // And the store works on once the disk has room again.
  ASSERT_TRUE(store_->PutFile("photos/x/original", scratch_ / "big", {}).ok());
  EXPECT_EQ(ReadFile(root_ / "photos/x/original"), big);
}

TEST_F(LocalBlobStoreTest, PutFileRefusesASourceThatIsNotAFile) {
  ASSERT_TRUE(store_->Put("k", "previous", {}).ok());
  EXPECT_EQ(store_->PutFile("k", scratch_, {}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->PutFile("k", scratch_ / "missing", {}).code(), ErrorCode::kNotFound);
  EXPECT_EQ(ReadFile(root_ / "k"), "previous");
  EXPECT_EQ(TreeOf(root_), (std::set<std::string>{"k"}));
}

TEST_F(LocalBlobStoreTest, DeleteRemovesEmptyDirectoriesUpToButNotTheRoot) {
  ASSERT_TRUE(store_->Put("a/b/c/d", "1", {}).ok());
  ASSERT_TRUE(store_->Put("a/x", "2", {}).ok());
  ASSERT_TRUE(store_->Delete("a/b/c/d").ok());
  EXPECT_EQ(TreeOf(root_), (std::set<std::string>{"a/", "a/x"}));
  ASSERT_TRUE(store_->Delete("a/x").ok());
  EXPECT_TRUE(TreeOf(root_).empty());
  EXPECT_TRUE(fs::is_directory(root_));
}

TEST_F(LocalBlobStoreTest, PutReplacesAnEmptyDirectoryAtItsKey) {
  fs::create_directories(root_ / "k");
  ASSERT_TRUE(store_->Put("k", "object", {}).ok());
  EXPECT_EQ(ReadFile(root_ / "k"), "object");
}

TEST_F(LocalBlobStoreTest, KeysCannotEscapeTheRoot) {
  // A file beside the root that an escaping key would reach.
  fs::path outside = root_.parent_path() / ("outside-" + NewId());
  WriteFile(outside, "secret");
  const std::string name = outside.filename().string();
  for (const std::string& key :
       std::vector<std::string>{"../" + name, "a/../../" + name, outside.string(), "./../" + name,
                                "..", "../" + root_.filename().string() + "/x"}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(store_->Get(key).code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(store_->Head(key).code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(store_->Put(key, "overwritten", {}).code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(store_->PutFile(key, outside, {}).code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(store_->Delete(key).code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(ReadFile(outside), "secret");
  EXPECT_TRUE(TreeOf(root_).empty());
  fs::remove(outside);
}

TEST_F(LocalBlobStoreTest, ListSkipsTemporaryAndForeignFiles) {
  ASSERT_TRUE(store_->Put("a/b", "1", {}).ok());
  WriteFile(root_ / ".~tmp-0123456789abcdef", "left by a crash");
  WriteFile(root_ / "a" / ".~tmp-00", "left by a crash");
  WriteFile(root_ / "not a key", "foreign");
  fs::create_symlink(root_ / "a/b", root_ / "link");
  fs::create_directories(root_ / "empty-dir");
  Result<ListPage> page = store_->List("", "", 100);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->blobs.size(), 1u);
  EXPECT_EQ(page->blobs[0].key, "a/b");
  EXPECT_EQ(page->blobs[0].size, 1u);
}

TEST_F(LocalBlobStoreTest, StoresOnTheSameRootShareObjects) {
  Result<std::unique_ptr<BlobStore>> other = NewLocalBlobStore(root_);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(store_->Put("shared", "v", {}).ok());
  Result<BlobData> data = (*other)->Get("shared");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->bytes, "v");
}

TEST_F(LocalBlobStoreTest, PingFailsAndPutsFailCleanlyWhenTheRootIsGone) {
  fs::remove_all(root_);
  EXPECT_EQ(store_->Ping().code(), ErrorCode::kUnavailable);
  Status put = store_->Put("k", "v", {});
  EXPECT_FALSE(put.ok());
  EXPECT_NE(put.code(), ErrorCode::kNotFound) << put.ToString();
  EXPECT_EQ(store_->Get("k").code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_->Delete("k").ok());
  fs::create_directories(root_);
  EXPECT_TRUE(store_->Ping().ok());
}

TEST(NewLocalBlobStoreTest, CreatesAMissingRootWithItsParents) {
  fs::path base = NewTempPath("local-blob-store-base");
  fs::path root = base / "a" / "b";
  Result<std::unique_ptr<BlobStore>> store = NewLocalBlobStore(root);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE(fs::is_directory(root));
  EXPECT_TRUE((*store)->Ping().ok());
  fs::remove_all(base);
}

TEST(NewLocalBlobStoreTest, ATrailingSlashDoesNotLetDeleteRemoveTheRoot) {
  fs::path root = NewTempPath("local-blob-store");
  Result<std::unique_ptr<BlobStore>> store = NewLocalBlobStore(root.string() + "/");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Put("x/y", "v", {}).ok());
  EXPECT_EQ(ReadFile(root / "x/y"), "v");
  ASSERT_TRUE((*store)->Delete("x/y").ok());
  EXPECT_TRUE(fs::is_directory(root));
  EXPECT_TRUE(TreeOf(root).empty());
  fs::remove_all(root);
}

TEST(NewLocalBlobStoreTest, RefusesARegularFileAsRoot) {
  fs::path file = NewTempPath("local-blob-store-file");
  WriteFile(file, "not a directory");
  Result<std::unique_ptr<BlobStore>> store = NewLocalBlobStore(file);
  EXPECT_EQ(store.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(store.status().message().find("not a directory"), std::string::npos)
      << store.status().ToString();
  // Nor a path through it.
  EXPECT_FALSE(NewLocalBlobStore(file / "sub").ok());
  EXPECT_EQ(ReadFile(file), "not a directory");
  fs::remove(file);
}

TEST(NewLocalBlobStoreTest, RefusesAnEmptyRoot) {
  EXPECT_EQ(NewLocalBlobStore("").code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace gallery::storage
