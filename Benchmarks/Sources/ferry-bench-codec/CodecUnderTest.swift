import FerryCodec
import SwiftProtobuf

/// One implementation's decode and encode of one message type, as the harness drives them.
///
/// Implementations are generic structs so that, in a release build, each pass is specialized
/// for the concrete message type and the harness adds no dynamic dispatch per message.
protocol CodecUnderTest {
    associatedtype Decoded: Equatable
    /// The `impl=` name in `RESULT` and `CHECK` lines.
    var name: String { get }
    /// Decodes every message into a fresh value; the values live until the caller drops them.
    func decodeAll(_ inputs: [[UInt8]]) throws -> [Decoded]
    /// Serializes every message into fresh bytes.
    func encodeAll(_ messages: [Decoded]) throws -> [[UInt8]]
    /// Reads every message from protobuf JSON (UTF-8) into a fresh value.
    func jsonDecodeAll(_ inputs: [[UInt8]]) throws -> [Decoded]
    /// Writes every message as protobuf JSON (UTF-8).
    func jsonEncodeAll(_ messages: [Decoded]) throws -> [[UInt8]]
}

/// Ferry's generated messages (``FerryCodec/Message``) with default options.
struct FerryCodecUnderTest<M: FerryCodec.DescribedMessage>: CodecUnderTest {
    var name: String { "ferry" }

    func decodeAll(_ inputs: [[UInt8]]) throws -> [M] {
        var out: [M] = []
        out.reserveCapacity(inputs.count)
        for bytes in inputs {
            out.append(try M(serializedBytes: bytes))
        }
        return out
    }

    func encodeAll(_ messages: [M]) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(messages.count)
        for message in messages {
            out.append(message.serializedBytes())
        }
        return out
    }

    func jsonDecodeAll(_ inputs: [[UInt8]]) throws -> [M] {
        var out: [M] = []
        out.reserveCapacity(inputs.count)
        for bytes in inputs {
            out.append(try M(jsonUTF8Bytes: bytes))
        }
        return out
    }

    func jsonEncodeAll(_ messages: [M]) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(messages.count)
        for message in messages {
            out.append(try message.jsonUTF8Bytes())
        }
        return out
    }
}

/// SwiftProtobuf's generated messages. Encoding uses deterministic map ordering, because
/// Ferry always sorts map keys and the datasets were written that way: both sides do the
/// same work and can reproduce the input bytes.
struct SwiftProtobufCodecUnderTest<M: SwiftProtobuf.Message & Equatable>: CodecUnderTest {
    var name: String { "swiftprotobuf" }

    let encodingOptions: BinaryEncodingOptions = {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return options
    }()

    func decodeAll(_ inputs: [[UInt8]]) throws -> [M] {
        var out: [M] = []
        out.reserveCapacity(inputs.count)
        for bytes in inputs {
            out.append(try M(serializedBytes: bytes))
        }
        return out
    }

    func encodeAll(_ messages: [M]) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(messages.count)
        for message in messages {
            let bytes: [UInt8] = try message.serializedBytes(options: encodingOptions)
            out.append(bytes)
        }
        return out
    }

    func jsonDecodeAll(_ inputs: [[UInt8]]) throws -> [M] {
        var out: [M] = []
        out.reserveCapacity(inputs.count)
        for bytes in inputs {
            out.append(try M(jsonUTF8Bytes: bytes))
        }
        return out
    }

    func jsonEncodeAll(_ messages: [M]) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(messages.count)
        for message in messages {
            let bytes: [UInt8] = try message.jsonUTF8Bytes()
            out.append(bytes)
        }
        return out
    }
}
