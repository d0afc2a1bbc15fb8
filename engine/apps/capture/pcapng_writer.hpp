// pcapng_writer.hpp — PcapngWriter: writes a pcapng file (the IETF draft
// "PCAP Now Generic", draft-ietf-opsawg-pcapng) that Wireshark and tshark read:
// one section, one Ethernet interface, and an Enhanced Packet Block per frame
// with its packet id and comments.
//
//   PcapngWriter w("n1-n2.a_to_b.pcapng", {.interface_name = "n1-n2 a_to_b", .limit_bytes = 100'000'000});
//   w.write(unix_ns, frame_bytes, frame_length, packet_id, {"forwarded after 20105 us"});  // false: over the limit
//   w.close();   // flushes; the destructor does too, ignoring errors
//
// Blocks, little-endian as this machine writes them (a reader tells by the
// byte-order magic): a Section Header Block (version 1.0, section length
// unknown, shb_userappl "synnet"), an Interface Description Block (link type
// 1 = Ethernet, the snap length, if_name, if_tsresol 9 = nanoseconds), then
// Enhanced Packet Blocks: interface 0, the timestamp in nanoseconds since the
// Unix epoch, captured and original length, the frame padded to 32 bits, and
// options epb_packetid (tshark: frame.packet_id) and one opt_comment per
// comment (tshark: frame.comment; Wireshark shows them as packet comments).
// Every block ends with its length again and is a multiple of 4 bytes long.
//
// The file never grows past limit_bytes (0: no limit): write() of a block that
// would take it past returns false and writes nothing (refused() counts them).
// Writes go through a 1 MiB buffer. Errors (a full disk) throw SystemError
// from write(), flush() and close(), naming the path.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/sys/fd.hpp"

namespace synnet {

class PcapngWriter {
 public:
  struct Options {
    std::string interface_name{};   // if_name: what Wireshark calls the interface
    std::uint32_t snap_length = 0;  // the IDB's snaplen (0: none); write() is given frames cut to it
    std::uint64_t limit_bytes = 0;  // the most the file may hold (0: no limit)
  };

  // Creates (truncates) path and writes the section and interface headers.
  // Throws SystemError naming path.
  PcapngWriter(const std::string& path, const Options& options);
  ~PcapngWriter();
  PcapngWriter(const PcapngWriter&) = delete;
  PcapngWriter& operator=(const PcapngWriter&) = delete;

  // One frame: `captured` is what is kept of it (at most snap_length bytes),
  // `length` its length on the wire. Returns false (nothing written) when the
  // block would take the file past the limit.
  bool write(std::uint64_t unix_ns, std::span<const std::uint8_t> captured, std::uint32_t length,
             std::uint64_t packet_id, const std::vector<std::string>& comments);
  void flush();
  void close();  // flush and close; later writes throw

  const std::string& path() const noexcept { return path_; }
  std::uint64_t bytes() const noexcept { return bytes_; }      // written to the file so far (buffer included)
  std::uint64_t frames() const noexcept { return frames_; }    // frames written
  std::uint64_t refused() const noexcept { return refused_; }  // frames not written: the limit
  static constexpr std::size_t kBufferBytes = 1 << 20;

 private:
  void append(const void* data, std::size_t n);
  void pad();
  template <typename T>
  void put(T value) {
    append(&value, sizeof value);
  }
  void option(std::uint16_t code, const void* data, std::size_t n);

  std::string path_;
  std::uint64_t limit_;
  Fd fd_;
  std::vector<std::uint8_t> buffer_;
  std::uint64_t bytes_ = 0, frames_ = 0, refused_ = 0;
};

}  // namespace synnet
