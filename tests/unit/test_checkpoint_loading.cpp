// Checkpoint loading: zero-copy tensor views, sharded folders, and resident memory staying flat until weights are
// touched (the mapping is lazy).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/safetensors_file.h"
#include "core/checkpoint/safetensors_writer.h"

namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::path(HL_TEST_OUTPUT_DIR) / "checkpoint" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::size_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  REQUIRE(f);
  unsigned long size = 0, resident = 0;
  REQUIRE(std::fscanf(f, "%lu %lu", &size, &resident) == 2);
  std::fclose(f);
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

TEST_CASE("tensor views point into the mapping without copying", "[checkpoint]") {
  const auto dir = fresh_dir("views");
  std::string data(16, '\0');
  for (int i = 0; i < 16; ++i) data[static_cast<std::size_t>(i)] = static_cast<char>(i);
  write(dir / "model.safetensors", hl::safetensors_bytes({{"a", "F32", {2, 2}, data}, {"b", "BF16", {1}, "\x01\x02"}}));
  const auto ck = hl::Checkpoint::open(dir);
  const auto* a = ck.find("a");
  REQUIRE(a);
  CHECK(a->shape == hl::Shape{2, 2});
  CHECK(a->nbytes == 16);
  CHECK(std::memcmp(a->data, data.data(), 16) == 0);
  const auto& shard = *ck.shards().front();
  const auto* base = shard.tensors().front().data;
  CHECK(ck.find("b")->data == base + 16);  // packed right after 'a' in the same mapping
  CHECK(ck.tensor_bytes() == 18);
  CHECK(ck.find("missing") == nullptr);
}

TEST_CASE("sharded checkpoints load through model.safetensors.index.json", "[checkpoint]") {
  const auto dir = fresh_dir("sharded");
  write(dir / "model-00001-of-00002.safetensors", hl::safetensors_bytes({{"a", "F32", {1}, std::string(4, '\1')}}));
  write(dir / "model-00002-of-00002.safetensors",
        hl::safetensors_bytes({{"b", "F16", {2}, std::string(4, '\2')}, {"c", "BF16", {0}, ""}}));
  write(dir / "model.safetensors.index.json",
        R"({"metadata":{"total_size":8},"weight_map":{"a":"model-00001-of-00002.safetensors",
            "b":"model-00002-of-00002.safetensors","c":"model-00002-of-00002.safetensors"}})");
  const auto ck = hl::Checkpoint::open(dir);
  CHECK(ck.shards().size() == 2);
  CHECK(ck.tensors().size() == 3);
  CHECK(ck.find("b")->dtype == hl::DType::F16);
  CHECK(ck.tensor_bytes() == 8);
}

TEST_CASE("mapping a 200 MB checkpoint keeps resident memory flat until weights are touched", "[checkpoint][memory]") {
  const auto dir = fresh_dir("memory");
  constexpr std::size_t kTensors = 50;
  constexpr std::size_t kTensorBytes = 4u << 20;  // 4 MiB each → 200 MiB total
  {
    // Written streaming: header first, then the data, so the test itself never holds 200 MB.
    std::vector<hl::TensorBlob> shapes;
    std::string header = "{";
    for (std::size_t i = 0; i < kTensors; ++i) {
      header += (i ? "," : "") + std::string("\"w") + std::to_string(i) + "\":{\"dtype\":\"BF16\",\"shape\":[" +
                std::to_string(kTensorBytes / 2) + "],\"data_offsets\":[" + std::to_string(i * kTensorBytes) + "," +
                std::to_string((i + 1) * kTensorBytes) + "]}";
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');
    std::ofstream out(dir / "model.safetensors", std::ios::binary);
    for (int i = 0; i < 8; ++i) out.put(static_cast<char>((header.size() >> (8 * i)) & 0xff));
    out << header;
    const std::string chunk(kTensorBytes, '\x3f');
    for (std::size_t i = 0; i < kTensors; ++i) out << chunk;
  }
  const std::size_t total = kTensors * kTensorBytes;

  const auto before = resident_bytes();
  const auto ck = hl::Checkpoint::open(dir);
  const auto after_open = resident_bytes();
  const auto rise = after_open > before ? after_open - before : 0;
  std::printf("checkpoint %zu MiB: resident +%zu KiB after open (%.2f%% of its size)\n", total >> 20, rise >> 10,
              100.0 * static_cast<double>(rise) / static_cast<double>(total));
  CHECK(ck.tensor_bytes() == total);
  CHECK(rise < total / 20);

  std::size_t sum = 0;
  for (const auto* t : ck.tensors())
    for (std::size_t off = 0; off < t->nbytes; off += 4096) sum += static_cast<unsigned char>(t->data[off]);
  const auto after_touch = resident_bytes();
  std::printf("resident +%zu MiB after touching every page\n", (after_touch - before) >> 20);
  CHECK(sum == 0x3f * (total / 4096));
  CHECK(after_touch - before > total / 2);  // the pages really are backed by the file once read
}
