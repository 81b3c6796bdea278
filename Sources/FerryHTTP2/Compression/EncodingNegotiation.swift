import FerryRPC
import Synchronization

/// gRPC's message-encoding negotiation (PROTOCOL-HTTP2 "Message-Encoding", compression.md): which
/// encodings a side accepts, how it reads the peer's `grpc-encoding` and `grpc-accept-encoding`.
enum EncodingNegotiation {
    /// The `grpc-accept-encoding` value advertising `enabled` (identity first, always accepted).
    static func acceptHeader(_ enabled: [CompressionAlgorithm]) -> String {
        (["identity"] + enabled.map(\.name).filter { $0 != "identity" }).joined(separator: ",")
    }

    /// Whether a `grpc-accept-encoding` value (comma-separated names, spaces allowed) lists `name`.
    ///
    /// Runs only when a handler asks to compress. The value arrives with every request, and parsing
    /// it into a set eagerly cost a quarter of a unary call's server CPU.
    static func list(_ value: String?, contains name: String) -> Bool {
        guard let value else { return false }
        return value.split(separator: ",").contains { $0.trimmingSpaces() == name }
    }

    /// How to read a stream whose messages are in `encoding` (its `grpc-encoding`), accepting
    /// `enabled`, with the connection's decompressors.
    static func inbound(
        _ encoding: String?,
        enabled: [CompressionAlgorithm],
        decompressors: DecompressorCache
    ) -> GRPCMessageDeframer.Encoding {
        guard let encoding, encoding != "identity" else { return .identity }
        guard let algorithm = enabled.first(where: { $0.name == encoding }),
            let decompressor = decompressors.decompressor(for: algorithm)
        else { return .unsupported(encoding) }
        return .compressed(decompressor)
    }

    /// Whether a server with `enabled` encodings accepts a request in `encoding`.
    static func accepts(_ encoding: String?, enabled: [CompressionAlgorithm]) -> Bool {
        guard let encoding, encoding != "identity" else { return true }
        return enabled.contains { $0.name == encoding }
    }
}

/// One connection's decompressors, one per encoding, made on first use.
///
/// A connection's streams are deframed on its event loop one DATA chunk at a time, and a message
/// is inflated completely within one call, so they can share one zlib state per encoding: a
/// client opening thousands of compressed streams costs one inflate state (~40 KiB), not one each.
final class DecompressorCache {
    private var decompressors: [CompressionAlgorithm: MessageDecompressor] = [:]

    /// The decompressor for `algorithm`; nil for identity or when zlib cannot allocate.
    func decompressor(for algorithm: CompressionAlgorithm) -> MessageDecompressor? {
        if let existing = decompressors[algorithm] { return existing }
        let made = MessageDecompressor(algorithm)
        decompressors[algorithm] = made
        return made
    }
}

/// Frames one stream's outgoing messages compressed in one encoding; made only for a stream whose
/// messages are compressed (the others are framed directly).
///
/// The writer's task frames (and compresses) each message before it is queued for the event loop,
/// so compression never runs on the loop. The zlib state (~270 KiB) is made when the first message
/// is actually compressed: a call that declares gzip but sends every message uncompressed costs
/// nothing. A stream has one writer, but the lock keeps two concurrent writes from sharing the
/// zlib state.
final class OutboundFraming: Sendable {
    private let algorithm: CompressionAlgorithm
    private let compressor = Mutex<MessageCompressor?>(nil)

    /// Framing that compresses with `algorithm` (not identity).
    init(_ algorithm: CompressionAlgorithm) {
        self.algorithm = algorithm
    }

    /// `message` as one Length-Prefixed-Message: compressed (flag 1) when `options` allow it,
    /// plain (flag 0) otherwise, or if zlib fails.
    func frame(_ message: [UInt8], options: WriteOptions) -> [UInt8] {
        guard options.compress else { return GRPCMessageDeframer.frame(message) }
        let compressed = compressor.withLock { compressor -> [UInt8]? in
            if compressor == nil { compressor = MessageCompressor(algorithm) }
            return compressor?.compressAndFrame(message)
        }
        return compressed ?? GRPCMessageDeframer.frame(message)
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    func trimmingSpaces() -> Substring {
        var trimmed = self
        while trimmed.first == " " { trimmed.removeFirst() }
        while trimmed.last == " " { trimmed.removeLast() }
        return trimmed
    }
}
