import CZlib
import FerryRPC

/// zlib's container for one gRPC encoding: zlib-wrapped for `deflate`, gzip for `gzip`.
private func windowBits(for algorithm: CompressionAlgorithm) -> Int32? {
    switch algorithm {
    case .deflate: 15
    case .gzip: 15 + 16
    default: nil
    }
}

/// Compresses one stream's outgoing messages with deflate or gzip.
///
/// Owns one zlib deflate stream, reset between messages, for the life of the gRPC stream: setting
/// one up costs ~270 KiB and far more time than compressing a small message. Not thread-safe: the
/// stream's single writer uses it (``ServerStreamCompression`` serialises access).
final class MessageCompressor {
    let algorithm: CompressionAlgorithm
    /// zlib keeps a pointer back to the z_stream in its state and checks it on every call, so the
    /// z_stream must never move: it lives in memory this object allocates and frees.
    private let stream: UnsafeMutablePointer<z_stream>

    /// A compressor for `algorithm`; nil for identity or when zlib cannot allocate its state.
    init?(_ algorithm: CompressionAlgorithm) {
        guard let bits = windowBits(for: algorithm) else { return nil }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard ferry_deflate_init(stream, Z_DEFAULT_COMPRESSION, bits) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
        self.algorithm = algorithm
        self.stream = stream
    }

    deinit {
        // SAFETY: `stream` was initialised by deflateInit2 in init and is ended exactly once here.
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// `message` compressed and framed as one gRPC Length-Prefixed-Message with the compressed flag
    /// set; nil if zlib fails (the caller then sends it uncompressed).
    func compressAndFrame(_ message: [UInt8]) -> [UInt8]? {
        guard message.count <= Int(UInt32.max) else { return nil }
        // deflateBound is an upper bound for one deflate(Z_FINISH) call after a reset, wrapper included.
        let bound = Int(deflateBound(stream, uLong(message.count)))
        var failed = false
        let framed = [UInt8](unsafeUninitializedCapacity: 5 + bound) { output, count in
            count = 0
            message.withUnsafeBufferPointer { input in
                // SAFETY: zlib only reads next_in (it is `z_const` in zlib.h); `input` outlives the
                // call. next_out points past the 5-byte prefix into `output`, which has `bound`
                // bytes left; zlib writes at most avail_out bytes.
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = output.baseAddress! + 5
                stream.pointee.avail_out = uInt(bound)
                let result = deflate(stream, Z_FINISH)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                guard result == Z_STREAM_END else {
                    failed = true
                    return
                }
                let written = bound - Int(stream.pointee.avail_out)
                let length = UInt32(written)
                output[0] = 1
                output[1] = UInt8(truncatingIfNeeded: length >> 24)
                output[2] = UInt8(truncatingIfNeeded: length >> 16)
                output[3] = UInt8(truncatingIfNeeded: length >> 8)
                output[4] = UInt8(truncatingIfNeeded: length)
                count = 5 + written
            }
        }
        deflateReset(stream)
        return failed ? nil : framed
    }
}

/// Decompresses one stream's incoming messages, never producing more than a limit.
///
/// Owns one zlib inflate stream, reset between messages. Output grows in steps and inflation stops
/// as soon as it passes the limit, so a small message that inflates to gigabytes (a zip bomb) costs
/// at most the limit plus one step.
final class MessageDecompressor {
    let algorithm: CompressionAlgorithm
    /// Fixed in memory for zlib's back pointer, as in ``MessageCompressor``.
    private let stream: UnsafeMutablePointer<z_stream>
    /// Where zlib writes each step of output before it is appended to the message.
    private let scratch: UnsafeMutableBufferPointer<UInt8>
    private static let stepBytes = 32 * 1024

    /// Why a message cannot be decompressed.
    enum Failure: Error, Equatable {
        /// It inflates to more than the limit (RESOURCE_EXHAUSTED).
        case tooLarge(limit: Int)
        /// The bytes are not valid for the encoding, or end early (INTERNAL).
        case corrupt(String)
    }

    /// A decompressor for `algorithm`; nil for identity or when zlib cannot allocate its state.
    init?(_ algorithm: CompressionAlgorithm) {
        guard let bits = windowBits(for: algorithm) else { return nil }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard ferry_inflate_init(stream, bits) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
        self.algorithm = algorithm
        self.stream = stream
        self.scratch = .allocate(capacity: Self.stepBytes)
    }

    deinit {
        // SAFETY: `stream` was initialised by inflateInit2 in init and is ended exactly once here.
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// The decompressed bytes of one message.
    ///
    /// - Throws: ``Failure/tooLarge(limit:)`` once the output would pass `limit`;
    ///   ``Failure/corrupt(_:)`` for bytes that are not one complete stream of the encoding.
    func decompress(_ compressed: ArraySlice<UInt8>, limit: Int) throws(Failure) -> [UInt8] {
        defer { inflateReset(stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(compressed.count * 4, limit))
        try compressed.withUnsafeBufferPointer { input throws(Failure) in
            // SAFETY: zlib only reads next_in (`z_const`) and writes at most avail_out bytes at
            // next_out, which is the scratch buffer this object owns; `input` outlives this closure
            // and both pointers are cleared before it returns.
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            defer {
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
            while true {
                stream.pointee.next_out = scratch.baseAddress
                stream.pointee.avail_out = uInt(scratch.count)
                let result = inflate(stream, Z_NO_FLUSH)
                let produced = scratch.count - Int(stream.pointee.avail_out)
                if output.count + produced > limit { throw .tooLarge(limit: limit) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<produced]))
                switch result {
                case Z_STREAM_END:
                    guard stream.pointee.avail_in == 0 else {
                        throw .corrupt(
                            "\(Int(stream.pointee.avail_in)) bytes follow the end of the \(algorithm.name) stream"
                        )
                    }
                    return
                case Z_OK where produced > 0 || stream.pointee.avail_in > 0:
                    continue
                case Z_OK, Z_BUF_ERROR:
                    // No progress is possible: the input ended before the stream did.
                    throw .corrupt("the \(algorithm.name) stream is truncated")
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(result)"
                    throw .corrupt("invalid \(algorithm.name) data: \(reason)")
                }
            }
        }
        return output
    }
}
