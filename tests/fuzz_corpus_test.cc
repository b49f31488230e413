// Replays the committed corpora of the scenario and results fuzz targets,
// so that every build checks the inputs the fuzzers have kept (the manager
// protocol's corpus has its own test, tests/protocol_corpus_test.cc).

#include <dirent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "tests/test_util.h"

namespace ctrbench {

int FuzzScenario(const uint8_t* data, size_t size);
int FuzzResults(const uint8_t* data, size_t size);

namespace {

int Replay(const std::string& name, int (*target)(const uint8_t*, size_t)) {
  const std::string dir =
      std::string(CTRBENCH_SOURCE_DIR) + "/tests/fuzz_corpus/" + name;
  DIR* d = opendir(dir.c_str());
  EXPECT_NE(d, nullptr) << dir;
  if (d == nullptr) return 0;
  int files = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    const std::string data = testing_util::ReadFile(dir + "/" + e->d_name);
    EXPECT_EQ(target(reinterpret_cast<const uint8_t*>(data.data()),
                     data.size()),
              0)
        << e->d_name;
    ++files;
  }
  closedir(d);
  return files;
}

TEST(FuzzCorpus, ScenarioLoaderHandlesEveryInput) {
  EXPECT_GE(Replay("scenario", &FuzzScenario), 8);
}

TEST(FuzzCorpus, ResultsReadersHandleEveryInput) {
  EXPECT_GE(Replay("results", &FuzzResults), 6);
}

}  // namespace
}  // namespace ctrbench
