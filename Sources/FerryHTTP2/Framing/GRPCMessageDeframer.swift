/// Splits a gRPC body into messages: each is a 1-byte compressed flag, a 4-byte big-endian length
/// and that many bytes (PROTOCOL-HTTP2 "Length-Prefixed-Message").
///
/// Bytes arrive in whatever pieces HTTP/2 DATA frames carry: a message may span many frames and one
/// frame may hold many messages. Feed each piece with ``append(_:)`` and take messages with
/// ``next()``. Messages with the compressed flag are inflated with the stream's `grpc-encoding`;
/// the size limit applies to the bytes on the wire and again to the inflated message.
struct GRPCMessageDeframer {
    /// Why the body cannot be decoded; the stream fails with the matching status.
    enum Failure: Error, Equatable {
        /// A message declares, or inflates to, more bytes than the limit allows (RESOURCE_EXHAUSTED).
        case tooLarge(length: Int, limit: Int)
        /// The compressed flag is set but the stream has no `grpc-encoding` besides identity (INTERNAL).
        case compressed
        /// The compressed flag is set and the stream's encoding is one this side does not
        /// implement or accept (INTERNAL on a client; a server refuses such requests up front).
        case unsupportedEncoding(String)
        /// A compressed message inflates to more than the limit (RESOURCE_EXHAUSTED).
        case inflatesTooLarge(limit: Int)
        /// A compressed message is not valid in its encoding (INTERNAL).
        case corrupt(String)
        /// The flag byte is neither 0 nor 1 (INTERNAL).
        case invalidFlag(UInt8)
    }

    /// How the stream's messages are encoded (its `grpc-encoding` header).
    enum Encoding {
        /// None, or identity: a compressed flag is an error.
        case identity
        /// Compressed messages are inflated with this.
        case compressed(MessageDecompressor)
        /// An encoding this side cannot decode, by name.
        case unsupported(String)
    }

    /// One length-prefixed unit of a body.
    enum Frame: Equatable {
        /// A message.
        case message([UInt8])
        /// The last unit of a gRPC-Web (flag 0x80, trailers) or Connect (flag 0x02, end-of-stream
        /// JSON) response body.
        case end([UInt8])
    }

    private var buffer: [UInt8] = []
    private var readIndex = 0
    let maxMessageBytes: Int
    private let encoding: Encoding
    /// The flag bit that marks a body's last unit (gRPC-Web's 0x80, Connect's 0x02); nil in gRPC,
    /// where a flag other than 0 or 1 is invalid.
    private let endFlag: UInt8?

    init(maxMessageBytes: Int, encoding: Encoding = .identity, endFlag: UInt8? = nil) {
        self.maxMessageBytes = maxMessageBytes
        self.encoding = encoding
        self.endFlag = endFlag
    }

    /// Bytes received but not yet returned as part of a message.
    var bufferedBytes: Int { buffer.count - readIndex }

    /// Adds body bytes.
    mutating func append(_ bytes: [UInt8]) {
        if readIndex == buffer.count {
            buffer = bytes
            readIndex = 0
        } else {
            if readIndex > 4096 {
                buffer.removeFirst(readIndex)
                readIndex = 0
            }
            buffer.append(contentsOf: bytes)
        }
    }

    /// The next complete message, or nil until more bytes arrive.
    ///
    /// - Throws: ``Failure`` as soon as a message header is invalid, before its body is buffered.
    mutating func next() throws(Failure) -> [UInt8]? {
        switch try nextFrame() {
        case .message(let message)?: return message
        case .end?: throw .invalidFlag(endFlag ?? 0)
        case nil: return nil
        }
    }

    /// The next complete unit, message or end (``Frame``), or nil until more bytes arrive.
    ///
    /// - Throws: ``Failure`` as soon as a header is invalid, before its body is buffered.
    mutating func nextFrame() throws(Failure) -> Frame? {
        guard bufferedBytes >= 5 else { return nil }
        var flag = buffer[readIndex]
        var isEnd = false
        if let endFlag, flag & endFlag != 0 {
            isEnd = true
            flag &= ~endFlag
        }
        var decompressor: MessageDecompressor?
        switch (flag, encoding) {
        case (0, _): break
        case (1, .identity): throw .compressed
        case (1, .unsupported(let name)): throw .unsupportedEncoding(name)
        case (1, .compressed(let inflater)): decompressor = inflater
        default: throw .invalidFlag(buffer[readIndex])
        }
        var length = 0
        for offset in 1...4 { length = length << 8 | Int(buffer[readIndex + offset]) }
        if length > maxMessageBytes { throw .tooLarge(length: length, limit: maxMessageBytes) }
        guard bufferedBytes >= 5 + length else { return nil }
        let start = readIndex + 5
        let message: [UInt8]
        if let decompressor {
            do {
                message = try decompressor.decompress(buffer[start..<(start + length)], limit: maxMessageBytes)
            } catch {
                switch error {
                case .tooLarge(let limit): throw .inflatesTooLarge(limit: limit)
                case .corrupt(let reason): throw .corrupt(reason)
                }
            }
        } else {
            message = Array(buffer[start..<(start + length)])
        }
        readIndex = start + length
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        return isEnd ? .end(message) : .message(message)
    }

    /// Frames one message for sending: flag 0 (uncompressed), length, bytes.
    static func frame(_ message: [UInt8]) -> [UInt8] {
        var framed: [UInt8] = []
        framed.reserveCapacity(message.count + 5)
        let length = UInt32(truncatingIfNeeded: message.count)
        framed.append(0)
        framed.append(UInt8(truncatingIfNeeded: length >> 24))
        framed.append(UInt8(truncatingIfNeeded: length >> 16))
        framed.append(UInt8(truncatingIfNeeded: length >> 8))
        framed.append(UInt8(truncatingIfNeeded: length))
        framed.append(contentsOf: message)
        return framed
    }
}
