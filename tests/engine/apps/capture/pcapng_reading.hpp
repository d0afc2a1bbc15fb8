// pcapng_reading.hpp — a strict reader of the pcapng files PcapngWriter
// writes, for tests: every block's two lengths agree, blocks and options are
// 32-bit aligned, the section header has the byte-order magic and version
// 1.0, the interface is Ethernet. Throws std::runtime_error saying what is off.
//
//   PcapngFile f = read_pcapng("x.pcapng");
//   f.interface_name, f.snap_length, f.frames[0].packet_id, f.frames[0].comments
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace synnet::testing {

struct PcapngFrame {
  std::uint64_t unix_ns = 0;
  std::uint32_t length = 0;         // on the wire
  std::vector<std::uint8_t> bytes;  // captured
  std::uint64_t packet_id = 0;
  std::vector<std::string> comments;
};

struct PcapngFile {
  std::string application, interface_name;
  std::uint32_t snap_length = 0;
  std::uint8_t ts_resolution = 6;
  std::vector<PcapngFrame> frames;
};

inline PcapngFile read_pcapng(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  const std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto u16 = [&](std::size_t at) {
    std::uint16_t v;
    if (at + 2 > b.size()) throw std::runtime_error("truncated at byte " + std::to_string(at));
    std::memcpy(&v, &b[at], 2);
    return v;
  };
  const auto u32 = [&](std::size_t at) {
    std::uint32_t v;
    if (at + 4 > b.size()) throw std::runtime_error("truncated at byte " + std::to_string(at));
    std::memcpy(&v, &b[at], 4);
    return v;
  };
  // Calls f(code, offset, length) for each option in [at, end), until opt_endofopt.
  const auto options = [&](std::size_t at, std::size_t end, auto f) {
    while (at + 4 <= end) {
      const std::uint16_t code = u16(at), n = u16(at + 2);
      if (code == 0) return;
      if (at + 4 + n > end) throw std::runtime_error("an option runs past its block at byte " + std::to_string(at));
      f(code, at + 4, n);
      at += 4 + ((n + 3u) & ~3u);
    }
  };
  PcapngFile file;
  std::size_t at = 0;
  bool section = false, interface = false;
  while (at < b.size()) {
    const std::uint32_t type = u32(at), length = u32(at + 4);
    if (length % 4 != 0 || length < 12 || at + length > b.size())
      throw std::runtime_error("bad block length " + std::to_string(length) + " at byte " + std::to_string(at));
    if (u32(at + length - 4) != length)
      throw std::runtime_error("the block's two lengths differ at byte " + std::to_string(at));
    const std::size_t end = at + length - 4;
    if (type == 0x0A0D0D0A) {
      if (u32(at + 8) != 0x1A2B3C4D) throw std::runtime_error("bad byte-order magic");
      if (u16(at + 12) != 1 || u16(at + 14) != 0) throw std::runtime_error("not version 1.0");
      options(at + 24, end, [&](std::uint16_t code, std::size_t o, std::uint16_t n) {
        if (code == 4)
          file.application.assign(b.begin() + static_cast<std::ptrdiff_t>(o),
                                  b.begin() + static_cast<std::ptrdiff_t>(o + n));
      });
      section = true;
    } else if (type == 1) {
      if (!section) throw std::runtime_error("an interface before the section header");
      if (u16(at + 8) != 1) throw std::runtime_error("not Ethernet");
      file.snap_length = u32(at + 12);
      options(at + 16, end, [&](std::uint16_t code, std::size_t o, std::uint16_t n) {
        if (code == 2)
          file.interface_name.assign(b.begin() + static_cast<std::ptrdiff_t>(o),
                                     b.begin() + static_cast<std::ptrdiff_t>(o + n));
        if (code == 9) file.ts_resolution = b[o];
      });
      interface = true;
    } else if (type == 6) {
      if (!interface) throw std::runtime_error("a packet before the interface");
      PcapngFrame f;
      if (u32(at + 8) != 0) throw std::runtime_error("a packet on interface " + std::to_string(u32(at + 8)));
      f.unix_ns = std::uint64_t{u32(at + 12)} << 32 | u32(at + 16);
      const std::uint32_t captured = u32(at + 20);
      f.length = u32(at + 24);
      if (at + 28 + captured > end) throw std::runtime_error("packet data past its block");
      f.bytes.assign(b.begin() + static_cast<std::ptrdiff_t>(at + 28),
                     b.begin() + static_cast<std::ptrdiff_t>(at + 28 + captured));
      options(at + 28 + ((captured + 3u) & ~3u), end, [&](std::uint16_t code, std::size_t o, std::uint16_t n) {
        if (code == 1)
          f.comments.emplace_back(b.begin() + static_cast<std::ptrdiff_t>(o),
                                  b.begin() + static_cast<std::ptrdiff_t>(o + n));
        if (code == 5) std::memcpy(&f.packet_id, &b[o], 8);
      });
      file.frames.push_back(std::move(f));
    } else {
      throw std::runtime_error("unexpected block type " + std::to_string(type));
    }
    at += length;
  }
  return file;
}

}  // namespace synnet::testing
