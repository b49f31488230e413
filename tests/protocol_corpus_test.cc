// Replays the fuzz corpus of the manager frame parsers through the fuzz
// target, so every build checks the inputs the fuzzer has kept.

#include <dirent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "tests/test_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace ctrbench {
namespace {

TEST(ProtocolFuzzCorpus, EveryInputIsHandled) {
  const std::string dir =
      std::string(CTRBENCH_SOURCE_DIR) + "/tests/fuzz_corpus/manager_protocol";
  DIR* d = opendir(dir.c_str());
  ASSERT_NE(d, nullptr) << dir;
  int files = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    const std::string data = testing_util::ReadFile(dir + "/" + e->d_name);
    EXPECT_EQ(LLVMFuzzerTestOneInput(
                  reinterpret_cast<const uint8_t*>(data.data()), data.size()),
              0)
        << e->d_name;
    ++files;
  }
  closedir(d);
  EXPECT_GE(files, 10);
}

}  // namespace
}  // namespace ctrbench
