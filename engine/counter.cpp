#include "engine/counter.hpp"

namespace synnet {

const char* to_string(CounterKind kind) noexcept {
  switch (kind) {
    case CounterKind::packets: return "packets";
    case CounterKind::bytes: return "bytes";
    case CounterKind::events: return "events";
    case CounterKind::altered: return "altered";
    case CounterKind::error: return "error";
    case CounterKind::drop: return "drop";
    case CounterKind::gauge: return "gauge";
    case CounterKind::time: return "time";
  }
  return "?";
}

const char* to_string(Drop reason) noexcept {
  switch (reason) {
    case Drop::none: return "";
    case Drop::impairment: return "impairment";
    case Drop::queue_full: return "queue_full";
    case Drop::no_output: return "no_output";
    case Drop::no_buffer: return "no_buffer";
    case Drop::invalid: return "invalid";
    case Drop::kernel: return "kernel";
    case Drop::partition: return "partition";
  }
  return "?";
}

}  // namespace synnet
