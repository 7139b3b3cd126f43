#pragma once
// Minimal .npy reader for reference data written by numpy: little-endian float32 ('<f4') or int32 ('<i4'), C order,
// format versions 1.0-3.0. int32 arrays are read into `ints`, float32 into `data`. Throws std::runtime_error naming
// the file on anything else. Header-only; tests only.
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hl::test {

struct NpyArray {
  std::vector<std::size_t> shape;
  std::vector<float> data;          // '<f4'
  std::vector<std::int32_t> ints;   // '<i4'
  std::size_t dim(std::size_t i) const { return i < shape.size() ? shape[i] : 1; }
  std::size_t numel() const {
    std::size_t n = 1;
    for (auto d : shape) n *= d;
    return n;
  }
};

inline NpyArray load_npy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("npy: cannot open " + path);
  char magic[8];
  f.read(magic, 8);
  if (!f || std::string(magic, 6) != "\x93NUMPY") throw std::runtime_error("npy: bad magic in " + path);
  const int major = static_cast<unsigned char>(magic[6]);
  std::uint32_t hlen = 0;
  unsigned char b[4] = {0, 0, 0, 0};
  f.read(reinterpret_cast<char*>(b), major == 1 ? 2 : 4);
  hlen = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
  if (!f || hlen > 65536) throw std::runtime_error("npy: bad header length in " + path);
  std::string header(hlen, '\0');
  f.read(header.data(), hlen);
  const bool is_f32 = header.find("'descr': '<f4'") != std::string::npos;
  const bool is_i32 = header.find("'descr': '<i4'") != std::string::npos;
  if (!is_f32 && !is_i32) throw std::runtime_error("npy: only '<f4' and '<i4' are supported: " + path);
  if (header.find("'fortran_order': False") == std::string::npos)
    throw std::runtime_error("npy: Fortran order not supported: " + path);
  const auto lp = header.find('(', header.find("'shape'"));
  const auto rp = header.find(')', lp);
  if (lp == std::string::npos || rp == std::string::npos) throw std::runtime_error("npy: no shape in " + path);
  NpyArray a;
  for (std::size_t i = lp + 1; i < rp;) {
    while (i < rp && (header[i] == ' ' || header[i] == ',')) ++i;
    if (i >= rp) break;
    std::size_t v = 0;
    while (i < rp && header[i] >= '0' && header[i] <= '9') v = v * 10 + static_cast<std::size_t>(header[i++] - '0');
    a.shape.push_back(v);
  }
  const std::size_t n = a.numel();
  char* dst = nullptr;
  if (is_f32) {
    a.data.resize(n);
    dst = reinterpret_cast<char*>(a.data.data());
  } else {
    a.ints.resize(n);
    dst = reinterpret_cast<char*>(a.ints.data());
  }
  f.read(dst, static_cast<std::streamsize>(n * 4));
  if (!f) throw std::runtime_error("npy: truncated data in " + path);
  return a;
}

}  // namespace hl::test
