import FerryCodec
import FerryRPC
import Foundation

/// The parts of gRPC-Web (PROTOCOL-WEB) that are not gRPC's: the status and trailers as a last
/// length-prefixed message with flag 0x80, and the base64 body of `application/grpc-web-text`.
enum GRPCWebCoding {
    /// The flag of the message that carries the trailers.
    static let trailerFlag: UInt8 = 0x80

    /// The trailer message: `grpc-status`, `grpc-message` and the trailers as HTTP/1-style header
    /// lines (`name:value\r\n`, names lower-case), framed with ``trailerFlag``.
    static func trailerMessage(_ status: Status, trailers: Metadata) -> [UInt8] {
        var block: [UInt8] = []
        for field in HeaderCoding.trailers(status: status, metadata: trailers, trailersOnly: false) {
            block.append(contentsOf: field.name.utf8)
            block.append(UInt8(ascii: ":"))
            block.append(contentsOf: field.value.utf8)
            block.append(contentsOf: [0x0D, 0x0A])
        }
        var framed = GRPCMessageDeframer.frame(block)
        framed[0] = trailerFlag
        return framed
    }

    /// The status and trailers of a trailer message's header lines.
    static func trailers(_ block: [UInt8]) -> (Status, Metadata) {
        var fields: [HeaderField] = []
        for line in block.split(separator: 0x0A) {
            let text = String(decoding: line, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else { continue }
            let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            fields.append(HeaderField(name, value))
        }
        return (HeaderCoding.status(from: fields), HeaderCoding.metadata(from: fields))
    }

    /// The base64 text of bytes in the body of a `grpc-web-text` response (each write encoded on
    /// its own and padded; readers decode the concatenation in groups of four).
    static func text(_ bytes: [UInt8]) -> [UInt8] { Array(Base64.encode(bytes).utf8) }

    /// Decodes a `grpc-web-text` request body as it arrives in pieces: four characters at a time,
    /// keeping an incomplete group for the next piece. Padding may end any group (a client may
    /// encode each message separately).
    struct TextDecoder {
        private var pending: [UInt8] = []

        /// Characters received that do not yet make a group of four.
        var bufferedBytes: Int { pending.count }

        /// The bytes `piece` completes; nil when it holds a character outside the base64 alphabet
        /// (line breaks and spaces are skipped).
        mutating func decode(_ piece: [UInt8]) -> [UInt8]? {
            var output: [UInt8] = []
            output.reserveCapacity((pending.count + piece.count) / 4 * 3)
            for character in piece {
                if character == 0x0A || character == 0x0D || character == 0x20 { continue }
                pending.append(character)
                guard pending.count == 4 else { continue }
                guard let group = Self.group(pending) else { return nil }
                output.append(contentsOf: group)
                pending.removeAll(keepingCapacity: true)
            }
            return output
        }

        /// The three, two or one bytes of a group of four characters (`=` padding at its end).
        private static func group(_ characters: [UInt8]) -> [UInt8]? {
            var values: [UInt8] = []
            var padding = 0
            for (position, character) in characters.enumerated() {
                if character == UInt8(ascii: "=") {
                    guard position >= 2 else { return nil }
                    padding += 1
                    continue
                }
                guard padding == 0, let value = sextet(character) else { return nil }
                values.append(value)
            }
            let bits = values.reduce(UInt32(0)) { $0 << 6 | UInt32($1) } << UInt32(6 * padding)
            let bytes = [
                UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8),
                UInt8(truncatingIfNeeded: bits),
            ]
            return Array(bytes.prefix(3 - padding))
        }

        private static func sextet(_ character: UInt8) -> UInt8? {
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
            default: nil
            }
        }
    }
}
