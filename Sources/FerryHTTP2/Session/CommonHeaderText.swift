/// Header names and values every gRPC call carries that are too long for Swift's inline small
/// strings (15 bytes): decoded to these shared strings instead of a new allocation per call.
enum CommonHeaderText {
    private static let known: [String] = [
        "application/grpc", "application/grpc+proto", "grpc-accept-encoding", "identity,deflate,gzip",
        "identity,gzip,deflate", "identity,deflate", "identity,gzip", "grpc-previous-rpc-attempts",
    ]
    /// The known strings by UTF-8 length, for a comparison only against those of the same length.
    private static let byLength: [Int: [(bytes: [UInt8], string: String)]] = Dictionary(
        grouping: known.map { (Array($0.utf8), $0) },
        by: \.bytes.count
    )

    /// `bytes` as a string: a shared one when it is a known header text.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count > 15, let candidates = byLength[bytes.count] {
            for candidate in candidates where candidate.bytes.elementsEqual(bytes) { return candidate.string }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
