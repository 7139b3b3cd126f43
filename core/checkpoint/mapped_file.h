#pragma once
// A whole file mapped read-only into memory (mmap, MAP_PRIVATE). Pages are only read from disk when touched, so
// mapping a 70 GB checkpoint costs address space, not resident memory.
#include <cstddef>
#include <filesystem>
#include <span>

namespace hl {

class MappedFile {
 public:
  // Throws CheckpointError naming the path when the file cannot be opened, is not a regular file, or mmap fails.
  static MappedFile open(const std::filesystem::path& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const { return {data_, size_}; }

 private:
  MappedFile(const std::byte* data, std::size_t size) : data_(data), size_(size) {}
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace hl
