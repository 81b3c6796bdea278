// codec_bench: protobuf C++ decode and encode on the shared datasets (../shared/bench), measured
// the way ferry-bench-codec (Benchmarks/Sources/ferry-bench-codec) measures Ferry and SwiftProtobuf,
// printing the same RESULT and CHECK lines, so scripts/codec-vs-cpp.sh can compare them in one run.
//
//   codec_bench [--dataset NAME[,NAME...]] [--data-dir DIR] [--impl cpp-heap|cpp-arena]
//               [--op decode|encode] [--seconds S] [--reps N] [--warmup S] [--time-free]
//
// Two implementations, both protobuf C++ with the generated code of bench.proto:
//   cpp-heap   every decoded message is its own heap object (new M, then ParseFromArray);
//   cpp-arena  every message of a decode pass is created on one google::protobuf::Arena, made for
//              that pass and destroyed after it.
// Encode serializes each decoded message into a fresh std::string, deterministically for types
// with map fields (see encode_all).
//
// What is timed (per-thread CPU time, CLOCK_THREAD_CPUTIME_ID), per pass:
//   decode  creating and parsing every message of the dataset, plus the one vector holding them;
//   encode  sizing and serializing every message into its own new std::string.
// Freeing a pass's results (the heap messages, or the arena with all its messages; the encoded
// strings) happens after the clock is read and is not timed, unless --time-free is given. Note that
// the Swift harness drops each pass's results inside its timed closure, so its figures include
// deallocation: use --time-free for the like-for-like comparison (codec-vs-cpp.sh does).
//
// Build (what codec-vs-cpp.sh does): protoc --cpp_out=OUT bench.proto, then
//   g++ -O2 -std=c++17 -I OUT codec_bench.cc OUT/bench.pb.cc $(pkg-config --cflags --libs protobuf)

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/message_differencer.h>

#include "bench.pb.h"

namespace {

using google::protobuf::Arena;

// ---------------------------------------------------------------------------------------------
// Options

const std::vector<std::string> kDatasets = {"order", "numeric", "strings", "tree", "small"};
const std::vector<std::string> kImpls = {"cpp-heap", "cpp-arena"};
const std::vector<std::string> kOps = {"decode", "encode"};

struct Settings {
  double warm_up_seconds = 0.1;
  double seconds_per_measurement = 1.0;
  int measurements = 5;
  bool time_free = false;  // --time-free: freeing each pass's results is inside the timed region
};

struct Options {
  std::vector<std::string> datasets = kDatasets;
  std::vector<std::string> impls = kImpls;
  std::vector<std::string> ops = kOps;
  std::string data_dir;
  Settings settings;
};

const char kUsage[] =
    "usage: codec_bench [--dataset NAME[,NAME...]] [--data-dir DIR] [--impl cpp-heap|cpp-arena]\n"
    "                   [--op decode|encode] [--seconds S] [--reps N] [--warmup S] [--time-free]\n"
    "  datasets: order, numeric, strings, tree, small (default: all)\n"
    "  data dir: --data-dir, else $FERRY_BENCH_DATA, else ../shared/bench/data beside the repository\n"
    "  --time-free: also time freeing each pass's messages/strings (the Swift harness does)\n";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "codec_bench: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

std::string dirname_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Like the Swift harness: $FERRY_BENCH_DATA, else REPO/../shared/bench/data, REPO found from this
// source file's path (REPO/Benchmarks/cpp/codec_bench.cc; codec-vs-cpp.sh compiles it by absolute
// path, and passes --data-dir anyway).
std::string default_data_dir() {
  if (const char* env = std::getenv("FERRY_BENCH_DATA"); env != nullptr && *env != '\0') return env;
  const std::string repo = dirname_of(dirname_of(dirname_of(__FILE__)));
  return repo + "/../shared/bench/data";
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) out.push_back(item);
  return out;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

double positive_number(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !(value > 0)) {
    usage_error(flag + " needs a positive number, got '" + text + "'");
  }
  return value;
}

Options parse_options(int argc, char** argv) {
  Options options;
  options.data_dir = default_data_dir();
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--dataset") {
      options.datasets = split_commas(value());
      for (const auto& name : options.datasets) {
        if (!contains(kDatasets, name)) usage_error("unknown dataset '" + name + "'");
      }
    } else if (flag == "--data-dir") {
      options.data_dir = value();
    } else if (flag == "--impl") {
      const std::string name = value();
      if (!contains(kImpls, name)) usage_error("unknown impl '" + name + "'");
      options.impls = {name};
    } else if (flag == "--op") {
      const std::string op = value();
      if (!contains(kOps, op)) usage_error("unknown op '" + op + "'");
      options.ops = {op};
    } else if (flag == "--seconds") {
      options.settings.seconds_per_measurement = positive_number(flag, value());
    } else if (flag == "--warmup") {
      options.settings.warm_up_seconds = positive_number(flag, value());
    } else if (flag == "--reps") {
      options.settings.measurements = static_cast<int>(positive_number(flag, value()));
    } else if (flag == "--time-free") {
      options.settings.time_free = true;
    } else if (flag == "-h" || flag == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else {
      usage_error("unknown argument '" + flag + "'");
    }
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Datasets: DIR/NAME.bin, records of [unsigned LEB128 length][message bytes].

struct Dataset {
  std::string name;
  std::vector<std::string> messages;  // each message's bytes, framing removed
  size_t payload_bytes = 0;           // what decode throughput is computed from
};

Dataset load_dataset(const std::string& name, const std::string& dir) {
  const std::string path = dir + "/" + name + ".bin";
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read dataset file " + path);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());

  Dataset dataset;
  dataset.name = name;
  size_t index = 0;
  while (index < bytes.size()) {
    uint64_t length = 0;
    for (int shift = 0;; shift += 7) {
      if (index >= bytes.size() || shift >= 63) {
        throw std::runtime_error(path + ": bad length prefix at offset " + std::to_string(index));
      }
      const auto byte = static_cast<uint8_t>(bytes[index++]);
      length |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (byte < 0x80) break;
    }
    if (length > bytes.size() - index) {
      throw std::runtime_error(path + ": message runs past the end at offset " + std::to_string(index));
    }
    dataset.messages.emplace_back(bytes, index, length);
    dataset.payload_bytes += length;
    index += length;
  }
  return dataset;
}

// ---------------------------------------------------------------------------------------------
// The code under test

// The messages of one decode pass. For cpp-heap each is a separate heap object deleted here; for
// cpp-arena they all live on `arena`, and destroying the arena frees them all at once.
template <class M>
struct DecodedSet {
  std::unique_ptr<Arena> arena;  // null for cpp-heap
  std::vector<M*> messages;

  DecodedSet() = default;
  DecodedSet(DecodedSet&&) noexcept = default;  // leaves the source empty: nothing freed twice
  DecodedSet& operator=(DecodedSet&&) = delete;
  DecodedSet(const DecodedSet&) = delete;
  DecodedSet& operator=(const DecodedSet&) = delete;
  ~DecodedSet() {
    if (!arena) {
      for (M* message : messages) delete message;
    }
  }
  size_t size() const { return messages.size(); }
};

[[noreturn]] void parse_failure(size_t index) {
  std::fprintf(stderr, "codec_bench: message %zu does not parse\n", index);
  std::exit(1);
}

// Decodes every input into a fresh message, as a C++ user receiving separate buffers would.
template <class M>
DecodedSet<M> decode_all(const std::vector<std::string>& inputs, bool use_arena) {
  DecodedSet<M> out;
  out.messages.reserve(inputs.size());
  if (use_arena) {
    // Default ArenaOptions: the arena grows its blocks as a normal user's arena would. It is
    // destroyed with the DecodedSet: after the pass's clock reading, or timed with --time-free.
    out.arena = std::make_unique<Arena>();
    for (const std::string& bytes : inputs) {
      M* message = Arena::CreateMessage<M>(out.arena.get());
      if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        parse_failure(out.messages.size());
      }
      out.messages.push_back(message);
    }
  } else {
    for (const std::string& bytes : inputs) {
      auto message = std::make_unique<M>();
      if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        parse_failure(out.messages.size());
      }
      out.messages.push_back(message.release());
    }
  }
  return out;
}

// Whether `type`, or any message type it contains, has a map field: only map fields are written
// differently by deterministic serialization (entries sorted by key), in protobuf 3.21.
bool has_map_field(const google::protobuf::Descriptor* type, std::set<const google::protobuf::Descriptor*>& seen) {
  if (!seen.insert(type).second) return false;  // recursive types (TreeNode) are looked at once
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (field->is_map()) return true;
    if (field->message_type() != nullptr && has_map_field(field->message_type(), seen)) return true;
  }
  return false;
}

template <class M>
bool has_map_field() {
  std::set<const google::protobuf::Descriptor*> seen;
  return has_map_field(M::descriptor(), seen);
}

// Serializes every message into its own new std::string, as the datasets were written and as Ferry
// always writes: deterministically (map entries sorted by key).
//
// SerializeToString is what a normal C++ user calls, and it is used for message types without map
// fields, where determinism changes nothing (the generated code consults it only for maps).
// SerializeToString follows the process-wide determinism default, though, whose setter
// (CodedOutputStream::SetDefaultSerializationDeterministic) is private in protobuf 3.21. So for
// types with maps (OrderPlaced) this does what SerializeToString does inside — ByteSizeLong, size
// the string once, write into it — through the public per-stream switch: an ArrayOutputStream
// over the string and a CodedOutputStream with SetSerializationDeterministic(true), both on the
// stack. That path costs some 20 ns more per message than SerializeToString (measured on `small`).
template <class M>
std::vector<std::string> encode_all(const std::vector<M*>& messages, bool deterministic) {
  std::vector<std::string> out;
  out.reserve(messages.size());
  for (const M* message : messages) {
    std::string& bytes = out.emplace_back();
    bool ok = true;
    if (!deterministic) {
      ok = message->SerializeToString(&bytes);
    } else {
      const size_t size = message->ByteSizeLong();
      bytes.resize(size);
      google::protobuf::io::ArrayOutputStream array(bytes.data(), static_cast<int>(size));
      google::protobuf::io::CodedOutputStream coded(&array);
      coded.SetSerializationDeterministic(true);
      message->SerializeWithCachedSizes(&coded);  // sizes cached by ByteSizeLong just above
      ok = !coded.HadError();
    }
    if (!ok) {
      std::fprintf(stderr, "codec_bench: serialization failed\n");
      std::exit(1);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measurement, as Benchmarks/Sources/ferry-bench-codec/Measurement.swift does it

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Written by every pass so the work is observably used.
volatile size_t black_hole = 0;

struct Timing {
  long iterations = 0;
  std::vector<double> per_pass;  // seconds per pass, one value per measurement

  double best() const { return *std::min_element(per_pass.begin(), per_pass.end()); }
  double median() const {
    std::vector<double> sorted = per_pass;
    std::sort(sorted.begin(), sorted.end());
    const size_t mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
};

// Runs `count` passes of `pass` (which returns its results, a container) and returns the timed
// seconds. With time_free, the clock spans the whole loop, so each pass's results are freed
// inside it (as in the Swift harness). Otherwise the clock is read around each pass and the
// results are destroyed after the second reading; two extra clock_gettime calls per pass (well
// under a microsecond, against passes of 100 µs or more).
template <class Pass>
double run_passes(long count, bool time_free, Pass& pass) {
  if (time_free) {
    const double start = cpu_now();
    for (long i = 0; i < count; ++i) {
      black_hole = black_hole + pass().size();
    }
    return cpu_now() - start;
  }
  double timed = 0;
  for (long i = 0; i < count; ++i) {
    const double start = cpu_now();
    auto results = pass();
    black_hole = black_hole + results.size();
    timed += cpu_now() - start;
  }  // `results` freed here, after the clock was read
  return timed;
}

// A warm-up of at least warm_up_seconds of CPU time, then `measurements` runs of as many passes
// as fill about seconds_per_measurement of timed CPU time.
template <class Pass>
Timing measure(const Settings& settings, Pass pass) {
  long warm_passes = 0;
  double warm_timed = 0;
  const double warm_start = cpu_now();
  do {
    warm_timed += run_passes(1, settings.time_free, pass);
    ++warm_passes;
  } while (cpu_now() - warm_start < settings.warm_up_seconds);
  const double estimate = std::max(warm_timed / static_cast<double>(warm_passes), 1e-9);

  Timing timing;
  timing.iterations = std::max(1L, static_cast<long>(std::ceil(settings.seconds_per_measurement / estimate)));
  for (int m = 0; m < settings.measurements; ++m) {
    const double seconds = run_passes(timing.iterations, settings.time_free, pass);
    timing.per_pass.push_back(seconds / static_cast<double>(timing.iterations));
  }
  return timing;
}

// ---------------------------------------------------------------------------------------------
// One dataset: check, then time each op for each implementation, printing as the Swift harness does

void print_result(const std::string& impl, const Dataset& dataset, const std::string& op, size_t bytes,
                  const Timing& timing) {
  std::printf("RESULT impl=%s dataset=%s op=%s msgs=%zu bytes=%zu iters=%ld reps=%zu best_s=%.9f median_s=%.9f clock=cpu\n",
              impl.c_str(), dataset.name.c_str(), op.c_str(), dataset.messages.size(), bytes, timing.iterations,
              timing.per_pass.size(), timing.best(), timing.median());
  std::fflush(stdout);
}

// Returns whether every check passed.
template <class M>
bool bench_dataset(const Dataset& dataset, const Options& options) {
  const std::vector<std::string>& inputs = dataset.messages;
  struct Prepared {
    std::string impl;
    bool use_arena;
    DecodedSet<M> decoded;  // what the encode passes serialize, kept for the whole dataset
    size_t out_bytes;
  };
  std::vector<Prepared> prepared;
  bool all_ok = true;
  const bool deterministic = has_map_field<M>();
  std::printf("# %s: %s encodes with %s\n", dataset.name.c_str(), M::descriptor()->full_name().c_str(),
              deterministic ? "CodedOutputStream, SetSerializationDeterministic(true) (it has map fields)"
                            : "SerializeToString (no map fields: deterministic or not, the same bytes)");

  // CHECK: decode, re-encode, decode again; the re-decoded messages must equal the originals
  // (MessageDifferencer::Equals), and the re-encoded bytes are compared with the file's.
  for (const std::string& impl : options.impls) {
    const bool use_arena = impl == "cpp-arena";
    DecodedSet<M> decoded = decode_all<M>(inputs, use_arena);
    const std::vector<std::string> encoded = encode_all<M>(decoded.messages, deterministic);
    const DecodedSet<M> again = decode_all<M>(encoded, use_arena);
    bool round_trips = again.size() == decoded.size();
    for (size_t i = 0; round_trips && i < decoded.size(); ++i) {
      round_trips = google::protobuf::util::MessageDifferencer::Equals(*decoded.messages[i], *again.messages[i]);
    }
    size_t out_bytes = 0;
    for (const std::string& bytes : encoded) out_bytes += bytes.size();
    const bool identical = encoded == inputs;
    std::printf("CHECK impl=%s dataset=%s roundtrip=%s bytes_identical=%s out_bytes=%zu\n", impl.c_str(),
                dataset.name.c_str(), round_trips ? "ok" : "FAIL", identical ? "yes" : "no", out_bytes);
    std::fflush(stdout);
    all_ok = all_ok && round_trips;
    prepared.push_back(Prepared{impl, use_arena, std::move(decoded), out_bytes});
  }

  for (const std::string& op : options.ops) {
    for (Prepared& codec : prepared) {
      Timing timing;
      size_t bytes = 0;
      if (op == "decode") {
        // A pass: decode every message into a fresh message; for cpp-arena a fresh arena per pass.
        timing = measure(options.settings, [&] { return decode_all<M>(inputs, codec.use_arena); });
        bytes = dataset.payload_bytes;
      } else {
        // A pass: serialize every (pre-decoded) message into fresh bytes.
        timing = measure(options.settings, [&] { return encode_all<M>(codec.decoded.messages, deterministic); });
        bytes = codec.out_bytes;
      }
      print_result(codec.impl, dataset, op, bytes, timing);
    }
  }
  return all_ok;
}

}  // namespace

int main(int argc, char** argv) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;
  const Options options = parse_options(argc, argv);
  std::printf("# data: %s\n", options.data_dir.c_str());
  std::printf("# clock: CLOCK_THREAD_CPUTIME_ID; warm-up %g s; ~%g s per measurement; %d measurements; "
              "freeing results %s; protobuf C++ %s\n",
              options.settings.warm_up_seconds, options.settings.seconds_per_measurement,
              options.settings.measurements, options.settings.time_free ? "timed" : "not timed",
              google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION).c_str());
  std::fflush(stdout);

  bool all_ok = true;
  try {
    for (const std::string& name : options.datasets) {
      const Dataset dataset = load_dataset(name, options.data_dir);
      if (name == "order") {
        all_ok = bench_dataset<benchpb::OrderPlaced>(dataset, options) && all_ok;
      } else if (name == "numeric") {
        all_ok = bench_dataset<benchpb::NumericHeavy>(dataset, options) && all_ok;
      } else if (name == "strings") {
        all_ok = bench_dataset<benchpb::StringHeavy>(dataset, options) && all_ok;
      } else if (name == "tree") {
        all_ok = bench_dataset<benchpb::TreeNode>(dataset, options) && all_ok;
      } else {
        all_ok = bench_dataset<benchpb::RpcRequest>(dataset, options) && all_ok;
      }
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "codec_bench: %s\n", error.what());
    return 2;
  }
  google::protobuf::ShutdownProtobufLibrary();
  if (!all_ok) {
    std::fprintf(stderr, "a round-trip check failed\n");
    return 1;
  }
  return 0;
}
